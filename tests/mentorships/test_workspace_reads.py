"""The pair workspace's reads compiled once per process (mentorat.lib.compiled_sql) give
what the pair's related managers gave, never freeze the clock, and spare the ORM the
building of each query on every request (issue 23: building them was about a fifth of
the coordinator's summary's CPU, and PostgreSQL planned each anew).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.mentorships import selectors
from mentorat.mentorships.models import (
    CheckIn,
    Goal,
    GoalStatus,
    GoalUpdate,
    MeetingStatus,
    Outcome,
    Resource,
    SkillAssessment,
)
from mentorat.participants.models import Skill
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    SessionLogFactory,
)
from tests.mentorships.permission_cases import pair_of_a
from tests.queries import compilations
from tests.web.test_home_compiled import _compiled_at

pytestmark = pytest.mark.django_db

COMPILED = [
    selectors._PAIR_GOALS,
    selectors._PAIR_GOAL_SKILLS,
    selectors._PAIR_GOAL_UPDATES,
    selectors._PAIR_MEETINGS,
    selectors._PAIR_CHECK_INS,
    selectors._PAIR_PENDING_CHECK_INS,
    selectors._PAIR_ASSESSMENTS,
    selectors._PAIR_OUTCOMES,
    selectors._PAIR_RESOURCES,
    selectors._PAIR_RESOURCE_COUNT,
]


def _busy_pair(cast):
    """The cast's pair with some of everything a workspace shows, and another pair with
    rows of its own that must not show."""
    pair = pair_of_a(cast)
    now = timezone.now()
    mentor, mentee = cast.mentor, cast.mentee
    MeetingFactory(mentorship=pair, starts_at=now + timedelta(days=2))
    MeetingFactory(
        mentorship=pair,
        starts_at=now + timedelta(days=9),
        status=MeetingStatus.PROPOSED,
        proposed_by=mentee,
    )
    SessionLogFactory(meeting__mentorship=pair, meeting__starts_at=now - timedelta(days=4))
    MeetingFactory(
        mentorship=pair, starts_at=now - timedelta(days=20), status=MeetingStatus.CANCELLED
    )
    skills = [Skill.objects.create(name=name, kind="field") for name in ("Zen", "Anglais")]
    for n, due in enumerate((date(2027, 3, 1), date(2027, 1, 1), date(2027, 1, 1))):
        goal = Goal.objects.create(
            mentorship=pair, title=f"But {n}", measure="m", due_on=due, created_by=mentee
        )
        goal.skills.set(skills[: n + 1])
        for progress in (10, 40)[: n + 1]:
            GoalUpdate.objects.create(
                goal=goal,
                author=mentor if progress == 40 else None,
                progress=progress,
                status=GoalStatus.IN_PROGRESS,
                note=f"{progress} %",
            )
    answered = now - timedelta(days=1)
    for respondent, role in ((mentor, "mentor"), (mentee, "mentee")):
        for period in (1, 2):  # answered at the same instant, as the demo's
            CheckInFactory(
                mentorship=pair,
                respondent=respondent,
                role=role,
                period=period,
                answered_at=answered,
                satisfaction=4,
            )
        CheckInFactory(mentorship=pair, respondent=respondent, role=role, period=3)
    for skill, phase, rater, level in (
        (skills[0], "start", "mentee", 2),
        (skills[0], "end", "mentor", 4),
        (skills[1], "start", "mentor", 3),
    ):
        SkillAssessment.objects.create(
            mentorship=pair, skill=skill, phase=phase, rater_role=rater, level=level
        )
    Outcome.objects.create(mentorship=pair, stage="end", situation="cdi", recorded_at=now)
    Resource.objects.create(mentorship=pair, title="Guide", url="https://a.example.org")
    Resource.objects.create(
        mentorship=pair, title="CV", url="https://b.example.org", added_by=mentee
    )
    other = MentorshipFactory(edition=pair.edition)
    MeetingFactory(mentorship=other)
    CheckInFactory(mentorship=other, respondent=mentor, role="mentor", period=1)
    Goal.objects.create(mentorship=other, title="Autre", measure="m", due_on=date(2027, 1, 1))
    Resource.objects.create(mentorship=other, title="Autre", url="https://c.example.org")
    return pair


def _rows(objects, *paths: str) -> list[tuple[object, ...]]:
    """Each object's pk and the values at `paths` (dotted: related objects read)."""

    def value(obj, path):
        for name in path.split("."):
            obj = getattr(obj, name, None)  # a missing session log raises otherwise
            if obj is None:
                return None
        return obj

    return [(o.pk, *(value(o, p) for p in paths)) for o in objects]


def test_each_read_gives_what_the_related_manager_gave(cast):
    pair = _busy_pair(cast)
    assert _rows(selectors.pair_goals(mentorship=pair), "title", "mentorship.pk") == _rows(
        pair.goals.all(), "title", "mentorship.pk"
    )
    assert len(selectors.pair_goals(mentorship=pair)) == 3
    mine = selectors.workspace_goals(mentorship=pair)
    theirs = pair.goals.prefetch_related("skills", "updates", "updates__author")
    for goal, expected in zip(mine, theirs, strict=True):
        assert list(goal.skills.all()) == list(expected.skills.all())
        assert _rows(goal.updates.all(), "note", "author.email") == _rows(
            expected.updates.all(), "note", "author.email"
        )
        assert all(update.goal is goal for update in goal.updates.all())
    assert [len(goal.skills.all()) for goal in mine] == [2, 2, 1]  # due dates, then pks
    assert selectors.workspace_goals(mentorship=MentorshipFactory()) == []
    meetings = selectors.workspace_meetings(mentorship=pair)
    assert len(meetings) == 4
    assert _rows(meetings, "starts_at", "proposed_by.email", "log.topics", "mentorship.pk") == (
        _rows(
            pair.meetings.select_related("proposed_by", "log").order_by("-starts_at"),
            "starts_at",
            "proposed_by.email",
            "log.topics",
            "mentorship.pk",
        )
    )
    assert _rows(selectors.pair_outcomes(mentorship=pair), "situation") == _rows(
        pair.outcomes.all(), "situation"
    )
    resources = selectors.pair_resources(mentorship=pair)
    assert _rows(resources, "title", "added_by.email") == _rows(
        pair.resources.select_related("added_by"), "title", "added_by.email"
    )
    assert selectors.pair_resource_count(mentorship=pair) == 2
    assert selectors.pair_resource_count(mentorship=MentorshipFactory()) == 0
    for person in (cast.mentor, cast.mentee, cast.outsider):
        pending = selectors.pair_pending_check_ins(mentorship=pair, user=person)
        assert _rows(pending, "period", "mentorship.edition.program.name") == _rows(
            selectors.pending_check_ins(user=person).filter(mentorship=pair),
            "period",
            "mentorship.edition.program.name",
        )
    assert len(selectors.pair_pending_check_ins(mentorship=pair, user=cast.mentor)) == 1
    table = selectors.assessment_table(mentorship=pair)
    assert [(row["skill"].name, sorted(row)) for row in table] == [
        ("Anglais", ["skill", "start_mentor"]),
        ("Zen", ["end_mentor", "skill", "start_mentee"]),
    ]


def test_check_ins_answered_at_the_same_instant_keep_one_order(cast):
    """Their order came from PostgreSQL's plan and changed between requests; now the
    latest sent first, the same on every request."""
    pair = _busy_pair(cast)
    summary = selectors.check_in_summary(mentorship=pair)
    expected = CheckIn.objects.filter(mentorship=pair, answered_at__isnull=False).order_by(
        "-answered_at", "-pk"
    )
    assert _rows(summary, "respondent.email", "mentorship.pk") == _rows(
        expected, "respondent.email", "mentorship.pk"
    )
    assert len(summary) == 4


@pytest.mark.parametrize("query", COMPILED, ids=lambda q: q.build.__name__)
def test_a_compiled_read_does_not_depend_on_the_time_it_was_compiled(query):
    assert _compiled_at(query, datetime(2026, 1, 5, 9, tzinfo=UTC)) == _compiled_at(
        query, datetime(2027, 6, 20, 23, tzinfo=UTC)
    )


def _of(tables: list[str], built: list[str]) -> list[str]:
    return [sql for sql in built if any(f'FROM "{t}"' in sql for t in tables)]


PAIR_TABLES = [
    "mentorships_goal",
    "mentorships_goal_skills",
    "mentorships_goalupdate",
    "participants_skill",
    "mentorships_meeting",
    "mentorships_checkin",
    "mentorships_skillassessment",
    "mentorships_outcome",
    "mentorships_resource",
    "mentorships_mentorship",
]


def test_the_coordinators_summary_builds_no_query_of_the_pair(cast, client_for):
    """Not even the goals' skills and updates, nor the updates' authors (read with them:
    one statement fewer than the prefetch's three)."""
    pair = _busy_pair(cast)
    url = reverse("mentorships:workspace", kwargs={"pk": pair.pk})
    client = client_for(cast.coordinator_a)
    built = compilations(client, url)[1]
    assert 'id="goal-' in client.get(url).content.decode()
    assert _of(PAIR_TABLES, built) == []


@pytest.mark.parametrize("tab", ["", "?tab=goals", "?tab=end"])
def test_the_workspace_of_the_pair_builds_no_query_of_the_pair(cast, client_for, tab):
    pair = _busy_pair(cast)
    url = reverse("mentorships:workspace", kwargs={"pk": pair.pk}) + tab
    assert _of(PAIR_TABLES, compilations(client_for(cast.mentee), url)[1]) == []
