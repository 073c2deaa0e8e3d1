"""The coordinators' follow-up page: pairs at risk first with the reason and what to do,
a constant number of queries, and partner organisations limited to their own people."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.mentorships.models import (
    EndReason,
    MentorshipStatus,
    Outcome,
    OutcomeStage,
    Situation,
)
from mentorat.organizations.models import Role
from tests.factories import MembershipFactory, UserFactory, with_totp
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    RunningEditionFactory,
    SessionLogFactory,
)
from tests.mentorships.permission_cases import pair_of_a


def _pairs(edition, n):
    """n pairs in various states, each with meetings, logs and check-ins."""
    today = timezone.localdate()
    for i in range(n):
        pair = MentorshipFactory(edition=edition, started_on=today - timedelta(days=10 + 15 * i))
        SessionLogFactory(meeting__mentorship=pair)
        MeetingFactory(mentorship=pair, status="proposed")
        CheckInFactory(mentorship=pair, answered_at=timezone.now(), satisfaction=3 + i % 3)


def _dashboard(client, program):
    return client.get(reverse("mentorships:dashboard", kwargs={"slug": program.slug}))


def test_pairs_at_risk_come_first_with_reason_and_advice(cast, client_for):
    pair = pair_of_a(cast)  # started 5 days ago, no meeting: on track
    today = timezone.localdate()
    late = MentorshipFactory(edition=pair.edition, started_on=today - timedelta(days=45))
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "en"
    page = _dashboard(client, pair.edition.program).content.decode()
    assert page.index(late.mentee.display_name) < page.index(pair.mentee.display_name)
    assert "No meeting since the start, 45 days ago" in page
    assert "Contact the pair" in page


def test_query_count_does_not_grow_with_the_number_of_pairs(cast, client_for):
    pair = pair_of_a(cast)
    client = client_for(cast.coordinator_a)
    _pairs(pair.edition, 2)
    _dashboard(client, pair.edition.program)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert _dashboard(client, pair.edition.program).status_code == 200
    _pairs(pair.edition, 12)
    with CaptureQueriesContext(connection) as many:
        page = _dashboard(client, pair.edition.program)
    assert page.content.decode().count('class="pair pair-') == 15
    assert len(many) == len(few), [q["sql"] for q in many]


def test_partner_coordinators_see_only_pairs_with_their_people(cast, client_for):
    pair = pair_of_a(cast)
    program = pair.edition.program
    program.shared_with.add(cast.org_b)
    mentor_of_b = UserFactory()
    MembershipFactory(user=mentor_of_b, organization=cast.org_b, role=Role.MENTOR)
    with_b = MentorshipFactory(edition=pair.edition, mentor=mentor_of_b)
    client = client_for(with_totp(cast.coordinator_b))
    page = _dashboard(client, program).content.decode()
    assert with_b.mentee.display_name in page
    assert pair.mentee.display_name not in page
    workspace = reverse("mentorships:workspace", kwargs={"pk": with_b.pk})
    assert client.get(workspace).status_code == 200
    assert client.get(reverse("mentorships:workspace", kwargs={"pk": pair.pk})).status_code == 404


def _ended(edition, *, mentor=None, days_ago, situation=None):
    ended = MentorshipFactory(
        edition=edition,
        **({"mentor": mentor} if mentor else {}),
        started_on=timezone.localdate() - timedelta(days=200),
        status=MentorshipStatus.ENDED,
        ended_on=timezone.localdate() - timedelta(days=days_ago),
        end_reason=EndReason.GOALS_REACHED,
    )
    if situation:
        Outcome.objects.create(
            mentorship=ended,
            stage=OutcomeStage.END,
            situation=situation,
            recorded_at=timezone.now(),
        )
    return ended


def test_ended_pairs_are_listed_last_ended_first_with_the_mentees_situation(cast, client_for):
    pair = pair_of_a(cast)
    program = pair.edition.program
    older = _ended(pair.edition, days_ago=30, situation=Situation.values[0])
    newer = _ended(pair.edition, days_ago=3)
    elsewhere = _ended(RunningEditionFactory(), days_ago=1)
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "en"
    page = _dashboard(client, program).content.decode()
    ended = page[page.index("Ended pairs") :]
    assert ended.index(newer.mentee.display_name) < ended.index(older.mentee.display_name)
    assert f"At the end : {Situation.labels[0]}" in ended
    assert "Goals reached early" in ended
    assert elsewhere.mentee.display_name not in page
    # A partner's coordinator sees only the ended pairs of their organisation's people.
    program.shared_with.add(cast.org_b)
    mentor_of_b = UserFactory()
    MembershipFactory(user=mentor_of_b, organization=cast.org_b, role=Role.MENTOR)
    with_b = _ended(pair.edition, mentor=mentor_of_b, days_ago=10)
    page = _dashboard(client_for(with_totp(cast.coordinator_b)), program).content.decode()
    assert with_b.mentee.display_name in page
    assert newer.mentee.display_name not in page
