"""The home page's statements compiled once per process (mentorat.lib.compiled_sql) give
what the ORM gives, never freeze the clock, and the home's sections that use them show
each change at once (issue 23: building and compiling them was most of the home's CPU).
"""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.applications.selectors import applications_of_user
from mentorat.events.models import Registration, RegistrationStatus
from mentorat.events.selectors import _UPCOMING
from mentorat.events.services import register
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.matching.models import MatchRun, MentorRequest, PairIntroduction, RunStatus
from mentorat.matching.selectors import _SELF_MATCHING, matching_todos
from mentorat.mentorships.models import MeetingStatus, MentorshipStatus, PairAnswer
from mentorat.mentorships.selectors import (
    _HOME_CHECK_INS,
    _HOME_FOLLOWED,
    _HOME_PAIRS,
    _HOME_UPCOMING,
    active_pairs_health,
    followed_mentorships,
    home_followup,
)
from mentorat.opportunities.models import Opportunity
from mentorat.organizations.models import Role
from mentorat.permissions.organizations import _MEMBERSHIPS, _memberships_query
from mentorat.programs.selectors import open_programs
from mentorat.training.selectors import _ASSIGNED, _MY_FIRST_MEETINGS
from mentorat.web.selectors import (
    _FIGURES,
    _FOLLOWED_PROGRAMS,
    _MEMBER_ORGANIZATIONS,
    _MISSING_CHECKS,
    _MY_APPLICATIONS,
    _OPEN_PROGRAMS,
    _UNREAD,
    _figures_query,
    _followed_programs_query,
    home_enrollment,
)
from tests.applications.factories import ApplicationFactory
from tests.events.factories import make_event
from tests.factories import MembershipFactory, UserFactory
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    RunningEditionFactory,
)
from tests.programs.factories import EditionFactory, ProgramFactory

pytestmark = pytest.mark.django_db

COMPILED = [
    _MEMBERSHIPS,
    _FIGURES,
    _UNREAD,
    _MEMBER_ORGANIZATIONS,
    _MISSING_CHECKS,
    _FOLLOWED_PROGRAMS,
    _ASSIGNED,
    _MY_FIRST_MEETINGS,
    _SELF_MATCHING,
    _HOME_FOLLOWED,
    _HOME_PAIRS,
    _HOME_UPCOMING,
    _HOME_CHECK_INS,
    _UPCOMING,
    _MY_APPLICATIONS,
    _OPEN_PROGRAMS,
]


def _compiled_at(query: CompiledQuery, when: datetime) -> tuple[str, list[object]]:
    """The statement and its fixed parameters, compiled as if it were `when`."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        compiled = query._compile("default")
    return compiled.sql, compiled.params


@pytest.mark.parametrize("query", COMPILED, ids=lambda q: q.build.__name__)
def test_a_compiled_statement_does_not_depend_on_the_time_it_was_compiled(query):
    """A clock read while building would be frozen into the statement for the life of
    the process (e.g. "today" in a deadline filter): the time must be an argument."""
    assert _compiled_at(query, datetime(2026, 1, 5, 9, tzinfo=UTC)) == _compiled_at(
        query, datetime(2027, 6, 20, 23, tzinfo=UTC)
    )


def test_the_clock_check_catches_a_statement_that_reads_the_date():
    reads_today = CompiledQuery(
        lambda *, user_id: Opportunity.objects.filter(
            organization_id=user_id, deadline__gte=timezone.localdate()
        ),
        user_id=int,
    )
    assert _compiled_at(reads_today, datetime(2026, 1, 5, 9, tzinfo=UTC)) != _compiled_at(
        reads_today, datetime(2027, 6, 20, 23, tzinfo=UTC)
    )


def test_a_statement_whose_sql_depends_on_an_argument_is_refused():
    by_sign = CompiledQuery(
        lambda *, user_id: (
            Opportunity.objects.filter(pk=user_id)
            if user_id % 2
            else Opportunity.objects.filter(organization_id=user_id)
        ),
        user_id=int,
    )
    with pytest.raises(ImproperlyConfigured):
        by_sign.row(user_id=1)


def test_a_statement_that_would_freeze_the_time_zone_is_refused():
    """`__date` passes the current time zone's name to the database: compiled once, it
    would keep the first request's zone for every person after."""
    by_day = CompiledQuery(
        lambda *, user_id, today: Opportunity.objects.filter(
            organization_id=user_id, published_at__date=today
        ),
        user_id=int,
        today=date,
    )
    with pytest.raises(ImproperlyConfigured, match="time zone"):
        by_day.row(user_id=1, today=date(2026, 12, 7))


@pytest.fixture
def pair(cast):
    edition = RunningEditionFactory(program__organization=cast.org_a, program__slug="prog-a")
    return MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)


def test_the_compiled_figures_are_the_orm_figures(cast, pair):
    now = timezone.now()
    MeetingFactory(
        mentorship=pair,
        status=MeetingStatus.PROPOSED,
        proposed_by=cast.mentee,
        starts_at=now + timedelta(days=2),
    )
    MeetingFactory(mentorship=pair, starts_at=now - timedelta(days=1))
    CheckInFactory(mentorship=pair, respondent=cast.mentor, role="mentor")
    PairIntroduction.objects.create(mentorship=pair, answer_by=now + timedelta(days=5))
    for user in (cast.mentor, cast.mentee, cast.coordinator_a):
        arguments = {"user_id": user.pk, "now": now, "today": timezone.localdate(now)}
        assert _FIGURES.row(**arguments) == _figures_query(**arguments).get()
    mentor = _FIGURES.row(user_id=cast.mentor.pk, now=now, today=timezone.localdate(now))
    assert mentor["figure_meeting_proposals"] == 1
    assert mentor["figure_introductions"] == 1


def test_on_postgresql_the_compiled_statements_are_prepared_and_answer_the_same(cast, pair):
    """PostgreSQL prepares the compiled statements once per connection (parsing and
    planning the figures' 17 subqueries was most of their time); a prepared statement
    answers what the ORM's own statement answers, request after request."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    MeetingFactory(mentorship=pair, starts_at=timezone.now() - timedelta(days=1))
    MembershipFactory(user=cast.mentor, organization=cast.org_b, role=Role.COORDINATOR)
    assert not connection.queries_logged  # as in production: the prepared path
    for user in (cast.mentor, cast.mentee, cast.coordinator_a):
        now = timezone.now()
        arguments = {"user_id": user.pk, "now": now, "today": timezone.localdate(now)}
        expected = _figures_query(**arguments).get()
        memberships = sorted(_memberships_query(user_id=user.pk))
        for _ in range(3):
            assert _FIGURES.row(**arguments) == expected
            assert sorted(_MEMBERSHIPS.fetch(user_id=user.pk)) == memberships
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("figure_meeting_proposals" in sql for sql in prepared)
    assert any("organizations_membership" in sql for sql in prepared)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_new_connection_plans_each_compiled_statement_once(cast):
    """PostgreSQL plans a prepared statement once per connection (its generic plan)
    instead of with each request's values for its first five executions: planning the
    figures statement took 4.5–8.6 ms, so a new connection's first home pages waited
    ~20 ms more for the database."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    connection.close()  # a new connection, as a worker opens one
    for user in (cast.mentor, cast.mentee, cast.coordinator_a, cast.mentor, cast.mentee):
        now = timezone.now()
        _FIGURES.row(user_id=user.pk, now=now, today=timezone.localdate(now))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%figure_meeting_proposals%"],
        )
        assert cursor.fetchall() == [(5, 0)]


def test_the_pairing_card_follows_the_introduction(client_for, cast, pair):
    """The home reads the pairs waiting for the person's answer only when its figures
    counted some: the card shows while the answer is due, and leaves once it is past."""
    introduction = PairIntroduction.objects.create(
        mentorship=pair, answer_by=timezone.now() + timedelta(days=5)
    )
    client = client_for(cast.mentee)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="home-matching"' in page
    assert reverse("matching:pair_answer", args=[pair.pk]) in page
    introduction.answer_by = timezone.now() - timedelta(days=1)
    introduction.save()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="home-matching"' not in page


def _followed(user) -> set[int]:
    return {m.pk for m in _HOME_FOLLOWED.fetch(user_id=user.pk, now=timezone.now())}


def test_the_home_follows_the_pairs_the_dashboards_follow(cast, pair):
    """Owner staff follow every active pair of their programs; partner staff only the
    pairs with one of their people, as `followed_mentorships_filter` says."""
    program = pair.edition.program
    program.shared_with.add(cast.org_b)
    mentor_of_b = UserFactory()
    MembershipFactory(user=mentor_of_b, organization=cast.org_b, role=Role.MENTOR)
    with_b = MentorshipFactory(edition=pair.edition, mentor=mentor_of_b)
    MentorshipFactory(
        edition=RunningEditionFactory(program=ProgramFactory(organization=cast.org_b)),
        status=MentorshipStatus.ENDED,
    )
    for user in (cast.coordinator_a, cast.admin_a, cast.coordinator_b, cast.mentor):
        expected = {
            r.mentorship.pk
            for r in active_pairs_health(followed_mentorships(user=user), now=timezone.now())
        }
        assert _followed(user) == expected
    assert _followed(cast.coordinator_a) == {pair.pk, with_b.pk}
    assert _followed(cast.coordinator_b) == {with_b.pk}
    # Counted per program on the home, at once after a change.
    [line] = home_followup(user=cast.coordinator_b, now=timezone.now()).programs
    assert line.at_risk + line.to_watch + line.on_track == 1
    program.shared_with.remove(cast.org_b)
    assert home_followup(user=cast.coordinator_b, now=timezone.now()).programs == []


def test_the_pairs_card_shows_the_next_meeting_of_each_pair(client_for, cast, pair):
    client = client_for(cast.mentee)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No meeting planned." in page
    now = timezone.now()
    MeetingFactory(mentorship=pair, starts_at=now - timedelta(days=2))  # past
    MeetingFactory(
        mentorship=pair,
        status=MeetingStatus.PROPOSED,
        proposed_by=cast.mentor,
        starts_at=now + timedelta(days=9),
    )
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No meeting planned." not in page
    assert "(to be accepted)" in page
    MeetingFactory(mentorship=pair, starts_at=now + timedelta(days=4))  # sooner, accepted
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(to be accepted)" not in page


def test_the_events_section_lists_the_coming_registrations(client_for, cast):
    client = client_for(cast.mentee)
    assert 'id="home-events"' not in client.get("/").content.decode()
    event = make_event(cast.org_a, title="Atelier entretiens")
    register(event=event, user=cast.mentee)
    page = client.get("/").content.decode()
    assert 'id="home-events"' in page
    assert "Atelier entretiens" in page
    cancel = Registration.objects.get(event=event, user=cast.mentee)
    cancel.status = RegistrationStatus.CANCELLED
    cancel.save()
    assert "Atelier entretiens" not in client.get("/").content.decode()


def _programs(user) -> list[tuple[str, int, int]]:
    return [
        (p.slug, p.submitted, p.awaiting_consent)
        for p in _FOLLOWED_PROGRAMS.fetch(user_id=user.pk, now=timezone.now())
    ]


def test_the_coordinators_programs_are_those_of_their_staff_roles(cast, pair):
    """The compiled programs of a coordinator's home: those their organisations run or
    take part in (staff roles only), with the applications waiting on each, as the ORM
    reads them, and at once after a change."""
    program = pair.edition.program
    other = ProgramFactory(organization=cast.org_b, slug="prog-b")
    ApplicationFactory.create_batch(2, edition=pair.edition)
    for user in (cast.coordinator_a, cast.admin_a, cast.coordinator_b, cast.mentor):
        expected = [
            (p.slug, p.submitted, p.awaiting_consent)
            for p in _followed_programs_query(user_id=user.pk, now=timezone.now())
        ]
        assert _programs(user) == expected
    assert _programs(cast.mentor) == []
    assert _programs(cast.coordinator_b) == [(other.slug, 0, 0)]
    assert _programs(cast.coordinator_a) == [(program.slug, 2, 0)]
    # Shared with B: B's coordinator follows it too, with its counts.
    program.shared_with.add(cast.org_b)
    ApplicationFactory(edition=pair.edition, status="awaiting_guardian_consent")
    assert _programs(cast.coordinator_b) == [(program.slug, 2, 1), (other.slug, 0, 0)]
    # No longer shared, and a mentor of A: no staff role there, only B's program.
    program.shared_with.remove(cast.org_b)
    MembershipFactory(user=cast.coordinator_b, organization=cast.org_a, role=Role.MENTOR)
    assert _programs(cast.coordinator_b) == [(other.slug, 0, 0)]
    lines = home_enrollment(user=cast.coordinator_a).programs
    assert [(line.program.slug, line.pending) for line in lines] == [(program.slug, 2)]


def _matching_rows(edition) -> None:
    """Runs, introduced pairs and requests of `edition`: some waiting for its
    coordinators, some not (failed or published runs, answered or ended pairs, answers
    still due, answered requests)."""
    for number, status in enumerate(
        (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.PUBLISHED), 1
    ):
        MatchRun.objects.create(
            edition=edition, number=number, status=status, mode="optimal", fingerprint=f"f{number}"
        )
    now = timezone.now()
    for days, pair_status, answers in (
        (-1, MentorshipStatus.ACTIVE, {"mentor_answer": PairAnswer.CONFIRMED}),  # overdue
        (-2, MentorshipStatus.ACTIVE, {}),  # overdue
        (
            -1,
            MentorshipStatus.ACTIVE,
            {"mentor_answer": PairAnswer.CONFIRMED, "mentee_answer": PairAnswer.CONFIRMED},
        ),
        (-1, MentorshipStatus.ENDED, {}),
        (3, MentorshipStatus.ACTIVE, {}),  # still due
    ):
        introduced = MentorshipFactory(edition=edition, status=pair_status, **answers)
        PairIntroduction.objects.create(mentorship=introduced, answer_by=now + timedelta(days=days))
    MentorshipFactory(edition=edition)  # paired by hand: no answer awaited
    for status in ("pending", "accepted", "pending"):
        MentorRequest.objects.create(
            edition=edition,
            mentee=ApplicationFactory(edition=edition),
            mentor=ApplicationFactory(edition=edition, role="mentor", status="accepted"),
            status=status,
            expires_at=now + timedelta(days=14),
        )


def test_the_coordinators_matching_to_dos_are_read_with_their_programs(client_for, cast):
    """The matching's to-dos of a coordinator's programs are counted in the statement
    that reads the programs (three statements fewer a home), as `matching_todos` counts
    them: only on the programs their organisation owns, at once after a change."""
    own = RunningEditionFactory(program__organization=cast.org_a, program__slug="own")
    idle = ProgramFactory(organization=cast.org_a, slug="idle")
    shared = RunningEditionFactory(program__organization=cast.org_b, program__slug="shared")
    shared.program.shared_with.add(cast.org_a)
    for edition in (own, shared):
        _matching_rows(edition)
    lines = {
        line.program.slug: line.matching
        for line in home_enrollment(user=cast.coordinator_a, now=timezone.now()).programs
    }
    expected = matching_todos(program_ids=[own.program.pk, idle.pk])
    assert lines == {"own": expected[own.program.pk], "idle": None, "shared": None}
    assert (lines["own"].runs_to_review, lines["own"].overdue_answers) == (2, 2)
    assert lines["own"].pending_requests == 2

    client = client_for(cast.coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 matching runs to review" in page
    assert "2 pairs have not answered in time" in page
    assert "2 requests waiting for a mentor" in page
    counting = [q["sql"] for q in queries if "matching_matchrun" in q["sql"]]
    assert len(counting) == 1
    assert "programs_program" in counting[0]
    MentorRequest.objects.filter(edition=own).update(status="declined")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "waiting for a mentor" not in page


def test_the_homes_applications_and_open_programs_are_the_orm_lists(client_for, cast):
    """The home's last ten applications of a person and first ten open programs, from
    statements compiled once per process: the rows, order and related objects the ORM
    gives, and the home shows a new application and a program that opens at once."""
    mentee = cast.mentee
    for n in range(12):
        edition = EditionFactory(program=ProgramFactory(slug=f"open-{n:02d}", name=f"P {n:02d}"))
        ApplicationFactory(
            user=mentee, edition=edition, submitted_at=timezone.now() - timedelta(hours=n)
        )
    EditionFactory(
        program=ProgramFactory(slug="closed", name="P closed"),
        applications_close_on=timezone.localdate() - timedelta(days=1),
    )
    today = timezone.localdate()
    mine = _MY_APPLICATIONS.fetch(user_id=mentee.pk)
    expected = list(applications_of_user(user=mentee)[:10])
    assert [a.pk for a in mine] == [a.pk for a in expected]
    assert len(mine) == 10
    assert [a.edition.program.organization.name for a in mine] == [
        a.edition.program.organization.name for a in expected
    ]
    opened = _OPEN_PROGRAMS.fetch(today=today)
    assert [p.pk for p in opened] == [
        p.pk for p in open_programs(today=today).prefetch_related(None)[:10]
    ]
    assert "closed" not in [p.slug for p in opened]
    # A newer application and a program opening today show on the next home page.
    late = EditionFactory(program=ProgramFactory(slug="aaa-new", name="AAA new"))
    ApplicationFactory(user=mentee, edition=EditionFactory(program=ProgramFactory(name="Latest")))
    page = client_for(mentee).get(reverse("web:home")).content.decode()
    assert "Latest" in page
    assert reverse("programs:public_detail", args=[late.program.slug]) in page
