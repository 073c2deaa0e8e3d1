"""Permission cases of the pair workspace, check-ins, calendar and coordinator pages.

The cast's mentor and mentee (both of organisation A) form a pair in a program of A:
they open the workspace; A's staff see its summary but cannot act in it (403); everyone
else cannot tell it exists (404): people of other organisations, the coordinator of a
partner the program is shared with (the pair has none of the partner's people), and A's
other members, the other pair of the edition (`other_side` and the minor) included."""

from mentorat.mentorships.links import check_in_token, reminders_stop_token
from mentorat.mentorships.models import CheckInQuestion, Mentorship
from mentorat.mentorships.services.meetings import calendar_feed_for
from tests.conftest import Cast
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    RunningEditionFactory,
)
from tests.permissions import (
    LOGIN,
    PROGRAM_AND_PARTNER,
    RUNS_THE_PROGRAM,
    Case,
    everyone,
)
from tests.programs.factories import ProgramFactory


def pair_of_a(cast: Cast) -> Mentorship:
    mentorship = Mentorship.objects.filter(
        mentor_application__user=cast.mentor, mentee_application__user=cast.mentee
    ).first()
    if mentorship is None:
        program = ProgramFactory(organization=cast.org_a, slug="suivi-a", name="Suivi A")
        mentorship = MentorshipFactory(
            edition=RunningEditionFactory(program=program), mentor=cast.mentor, mentee=cast.mentee
        )
    return mentorship


def pair_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(pair_of_a(cast).pk)}


def meeting_kwargs(**meeting):
    def kwargs(cast: Cast) -> dict[str, str]:
        mentorship = pair_of_a(cast)
        found = MeetingFactory(mentorship=mentorship, **meeting)
        return {"pk": str(mentorship.pk), "meeting_pk": str(found.pk)}

    return kwargs


def goal_kwargs(cast: Cast) -> dict[str, str]:
    mentorship = pair_of_a(cast)
    goal = mentorship.goals.create(title="Stage", measure="Signé", due_on=mentorship.started_on)
    return {"pk": str(mentorship.pk), "goal_pk": str(goal.pk)}


def resource_kwargs(cast: Cast) -> dict[str, str]:
    mentorship = pair_of_a(cast)
    resource = mentorship.resources.create(
        title="Offres", url="https://emploi.example.org", added_by=cast.mentee
    )
    return {"pk": str(mentorship.pk), "resource_pk": str(resource.pk)}


def stop_link(cast: Cast) -> dict[str, str]:
    """The mentee's "stop these reminders" link: whoever opens it (GET) sees the page."""
    return {"token": reminders_stop_token(mentorship=pair_of_a(cast), user_id=cast.mentee.pk)}


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": pair_of_a(cast).edition.program.slug}


def question_kwargs(cast: Cast) -> dict[str, str]:
    program = pair_of_a(cast).edition.program
    question = CheckInQuestion.objects.create(program=program, label="Utile ?", kind="yes_no")
    return {"slug": program.slug, "pk": str(question.pk)}


def mentee_check_in(cast: Cast) -> dict[str, str]:
    return {"pk": str(CheckInFactory(mentorship=pair_of_a(cast)).pk)}


def check_in_link(cast: Cast) -> dict[str, str]:
    return {"token": check_in_token(CheckInFactory(mentorship=pair_of_a(cast)))}


def feed_kwargs(cast: Cast) -> dict[str, str]:
    return {"token": calendar_feed_for(user=cast.mentor).token}


HIDDEN = {
    "anonymous": LOGIN,
    "outsider": 404,
    "coordinator_b": 404,
    "partner_coordinator": 404,
    "minor": 404,
    "other_side": 404,
    "member_no_role": 404,
}
# The pair reads and writes; the staff of A follow the pair but do not act in it.
PAIR_ONLY = HIDDEN | {
    "mentee": 200,
    "mentor": 200,
    "coordinator_a": 403,
    "admin_a": 403,
    "platform_admin": 403,
}
PAIR_POST = PAIR_ONLY | {"mentee": 302, "mentor": 302}
# The workspace: the pair, and a summary for the staff of A.
PAIR_AND_STAFF = PAIR_ONLY | {"coordinator_a": 200, "admin_a": 200, "platform_admin": 200}
# The outcome: the mentee and the staff of A (not the mentor).
MENTEE_AND_STAFF = PAIR_AND_STAFF | {"mentor": 403}
# Program pages: staff of A; A's other members and the partner's coordinator know the
# program exists (403).
PROGRAM_STAFF = RUNS_THE_PROGRAM
PROGRAM_STAFF_POST = PROGRAM_STAFF | {"coordinator_a": 302, "admin_a": 302, "platform_admin": 302}
SIGNED_IN = everyone(200) | {"anonymous": LOGIN}
# Only the mentee the check-in was sent to.
RESPONDENT_ONLY = everyone(404) | {"anonymous": LOGIN, "mentee": 200}

CASES: dict[str, Case] = {
    "mentorships:my_list": Case(SIGNED_IN),
    "mentorships:workspace": Case(PAIR_AND_STAFF, kwargs=pair_kwargs),
    "mentorships:meeting_propose": Case(PAIR_ONLY, kwargs=pair_kwargs),
    "mentorships:meeting_accept": Case(
        # The mentor proposed it: only the mentee may accept; the mentor's own attempt is
        # refused with a message (redirect) by the service.
        PAIR_POST,
        kwargs=meeting_kwargs(status="proposed"),
        method="post",
    ),
    "mentorships:meeting_reschedule": Case(PAIR_ONLY, kwargs=meeting_kwargs()),
    "mentorships:meeting_cancel": Case(PAIR_POST, kwargs=meeting_kwargs(), method="post"),
    "mentorships:meeting_ics": Case(PAIR_ONLY, kwargs=meeting_kwargs()),
    "mentorships:session_log": Case(PAIR_ONLY, kwargs=meeting_kwargs()),
    "mentorships:goal_add": Case(PAIR_ONLY, kwargs=pair_kwargs),
    "mentorships:goal_progress": Case(PAIR_ONLY, kwargs=goal_kwargs),
    "mentorships:goal_edit": Case(PAIR_ONLY, kwargs=goal_kwargs),
    "mentorships:goal_status": Case(
        PAIR_POST, kwargs=goal_kwargs, method="post", data={"status": "achieved"}
    ),
    "mentorships:assessment": Case(
        PAIR_ONLY, kwargs=lambda cast: pair_kwargs(cast) | {"phase": "start"}
    ),
    "mentorships:resource_add": Case(
        PAIR_POST,
        kwargs=pair_kwargs,
        method="post",
        data={"title": "Offres", "url": "https://emploi.example.org"},
    ),
    "mentorships:resource_edit": Case(PAIR_ONLY, kwargs=resource_kwargs),
    "mentorships:resource_delete": Case(PAIR_POST, kwargs=resource_kwargs, method="post"),
    "mentorships:reminders": Case(PAIR_POST, kwargs=pair_kwargs, method="post"),
    "mentorships:reminders_stop_link": Case(everyone(200), kwargs=stop_link),
    "mentorships:end": Case(PAIR_AND_STAFF, kwargs=pair_kwargs),
    "mentorships:outcome": Case(
        MENTEE_AND_STAFF, kwargs=lambda cast: pair_kwargs(cast) | {"stage": "end"}
    ),
    "mentorships:check_in": Case(RESPONDENT_ONLY, kwargs=mentee_check_in),
    "mentorships:check_in_link": Case(everyone(200), kwargs=check_in_link),
    "mentorships:calendar": Case(SIGNED_IN),
    "mentorships:calendar_reset": Case(everyone(302), method="post"),
    "mentorships:calendar_feed": Case(everyone(200), kwargs=feed_kwargs),
    # The partner's coordinator follows the pairs with their own people (none here).
    "mentorships:dashboard": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "mentorships:check_in_questions": Case(PROGRAM_STAFF, kwargs=program_kwargs),
    "mentorships:check_in_question_edit": Case(
        PROGRAM_STAFF_POST, kwargs=question_kwargs, method="post", data={"label": "Utile ?"}
    ),
    "mentorships:check_in_question_delete": Case(
        PROGRAM_STAFF_POST, kwargs=question_kwargs, method="post"
    ),
}
