from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from mentorat.matching.models import MatchRun, MentorRequest
from mentorat.mentorships.services.pairs import create_mentorship
from mentorat.programs.models import MatchingSettings
from tests.applications import permission_cases as applications_cases
from tests.conftest import Cast
from tests.matching.factories import cohort, finished_run, person
from tests.permissions import LOGIN, RUNS_THE_PROGRAM, Case, everyone
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.programs.permission_cases import RUNS_THE_PROGRAM_POST

SLUG = "matching-a"


def run_of_a(cast: Cast) -> MatchRun:
    run = MatchRun.objects.filter(edition__program__slug=SLUG).first()
    if run is None:
        run = finished_run(cohort(cast.org_a, slug=SLUG), user=cast.coordinator_a)
    return run


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": run_of_a(cast).edition.program.slug}


def run_kwargs(cast: Cast) -> dict[str, str]:
    run = run_of_a(cast)
    return {"slug": SLUG, "pk": str(run.pk)}


def mentee_kwargs(cast: Cast) -> dict[str, str]:
    run = run_of_a(cast)
    first = run.proposals.order_by("pk").first()
    assert first is not None
    return {"slug": SLUG, "pk": str(run.pk), "mentee": str(first.mentee_id)}


def start_kwargs(cast: Cast) -> dict[str, str]:
    program = ProgramFactory(organization=cast.org_a, slug="matching-start")
    EditionFactory(program=program)
    return {"slug": program.slug}


# Matching is for the staff of the program's owner: a partner's coordinator sees the
# program exists (403), as A's other members do.
CASES: dict[str, Case] = {
    "matching:runs": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    # Invalid form: staff get the page back with the errors (400).
    "matching:run_start": Case(
        RUNS_THE_PROGRAM | {"coordinator_a": 400, "admin_a": 400, "platform_admin": 400},
        kwargs=start_kwargs,
        method="post",
    ),
    "matching:run": Case(RUNS_THE_PROGRAM, kwargs=run_kwargs),
    "matching:run_status": Case(RUNS_THE_PROGRAM, kwargs=run_kwargs),
    "matching:run_retry": Case(RUNS_THE_PROGRAM_POST, kwargs=run_kwargs, method="post"),
    "matching:proposals": Case(RUNS_THE_PROGRAM, kwargs=run_kwargs),
    "matching:proposals_export": Case(RUNS_THE_PROGRAM, kwargs=run_kwargs),
    "matching:mentee": Case(RUNS_THE_PROGRAM, kwargs=mentee_kwargs),
    "matching:assign": Case(RUNS_THE_PROGRAM_POST, kwargs=mentee_kwargs, method="post"),
    "matching:lock": Case(RUNS_THE_PROGRAM_POST, kwargs=mentee_kwargs, method="post"),
    "matching:exclude": Case(RUNS_THE_PROGRAM_POST, kwargs=mentee_kwargs, method="post"),
    "matching:rerun": Case(RUNS_THE_PROGRAM_POST, kwargs=run_kwargs, method="post"),
    "matching:compare": Case(RUNS_THE_PROGRAM, kwargs=run_kwargs),
}


ONLY = everyone(404) | {"anonymous": LOGIN}
SIGNED_IN = everyone(200) | {"anonymous": LOGIN}


def self_matching(cast: Cast):
    """A self-matching program of A where cast.mentee is accepted and cast.mentor too."""
    c = cohort(cast.org_a, mentees=0, mentors=1, slug="self-matching-a")
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    mentee = person(c.edition, "mentee", cast.org_a, user=cast.mentee)
    mentor = person(c.edition, "mentor", c.company, user=cast.mentor)
    return c, mentee, mentor


def pair_kwargs(cast: Cast) -> dict[str, str]:
    _c, mentee, mentor = self_matching(cast)
    mentorship = create_mentorship(mentor=mentor, mentee=mentee)
    return {"pk": str(mentorship.pk)}


def own_application_kwargs(cast: Cast) -> dict[str, str]:
    _c, mentee, _mentor = self_matching(cast)
    return {"pk": str(mentee.pk)}


def request_kwargs(cast: Cast) -> dict[str, str]:
    c, mentee, mentor = self_matching(cast)
    found = MentorRequest.objects.create(
        edition=c.edition,
        mentee=mentee,
        mentor=mentor,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return {"pk": str(found.pk)}


CASES |= {
    # The confirmation page (the POST needs its token: tests/matching/
    # test_publication_confirmation.py checks it is refused to the same people).
    "matching:publish": Case(RUNS_THE_PROGRAM, kwargs=run_kwargs),
    "matching:answers": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "matching:requests": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "matching:pair_answer": Case(ONLY | {"mentee": 200, "mentor": 200}, kwargs=pair_kwargs),
    "matching:suggestions": Case(ONLY | {"mentee": 200}, kwargs=own_application_kwargs),
    "matching:request_mentor": Case(
        ONLY | {"mentee": 302}, kwargs=own_application_kwargs, method="post"
    ),
    "matching:my_requests": Case(SIGNED_IN),
    "matching:request_answer": Case(
        ONLY | {"mentor": 302},
        kwargs=request_kwargs,
        method="post",
        data={"decision": "decline", "reason": "no_time"},
    ),
}


def mentor_application_kwargs(cast: Cast) -> dict[str, str]:
    run = run_of_a(cast)
    mentor = run.proposals.filter(mentor__isnull=False).order_by("pk").first()
    assert mentor is not None
    return {"slug": SLUG, "pk": str(mentor.mentor_id)}


def own_mentor_application_kwargs(cast: Cast) -> dict[str, str]:
    _c, _mentee, mentor = self_matching(cast)
    return {"pk": str(mentor.pk)}


CASES |= {
    "matching:capacity": Case(
        RUNS_THE_PROGRAM_POST,
        kwargs=mentor_application_kwargs,
        method="post",
        data={"capacity": "2"},
    ),
    "matching:my_capacity": Case(
        ONLY | {"mentor": 302},
        kwargs=own_mentor_application_kwargs,
        method="post",
        data={"capacity": "2"},
    ),
}
CASES |= {
    # Withdrawing lives in matching, above applications: it also ends pairs and requests.
    "matching:withdraw": Case(
        applications_cases.ONLY_THE_APPLICANT | {"mentee": 302},
        kwargs=applications_cases.own_application_kwargs,
        method="post",
    ),
}


def edition_kwargs(cast: Cast) -> dict[str, str]:
    run = run_of_a(cast)
    return {"slug": SLUG, "edition": str(run.edition_id)}


CASES |= {
    "matching:reservations": Case(RUNS_THE_PROGRAM, kwargs=edition_kwargs),
}


def _edition_world(cast: Cast, n: int) -> dict[str, str]:
    """Program n of A and its edition (reserved places are per edition)."""
    program = ProgramFactory(organization=cast.org_a, slug=f"reservations-{n}")
    return {"slug": program.slug, "edition": str(EditionFactory(program=program).pk)}


MISMATCH_WORLDS: dict[str, tuple[Callable[[Cast, int], dict[str, str]], str]] = {
    "matching:reservations": (_edition_world, "coordinator_a"),
}
