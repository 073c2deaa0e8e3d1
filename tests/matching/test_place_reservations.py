"""Mentor places reserved for a partner's mentees (issue 20, point 4): the coordinator sets a
reservation per edition and partnership, sees how the next run spreads it over the mentors,
and the run keeps the reserved places for the partner's mentees, explains them and reports
those left empty."""

import pytest
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.matching import inputs
from mentorat.matching.models import MatchRun, PlaceReservation, Proposal
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.runs import run_fingerprint
from mentorat.organizations.models import Partnership, PartnershipKind, PartnershipStatus
from tests.factories import OrganizationFactory
from tests.matching.factories import cohort, person
from tests.matching.test_runs import start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NAME = "Entreprise C – Université A"


def _setting(cast, *, partner_mentees=1, other_mentees=2, mentors=2):
    """Mentors of the company C; better-scoring mentees of another school; mentees of A,
    C's partner."""
    c = cohort(cast.org_a, mentees=0, mentors=mentors)
    other = OrganizationFactory(name="Lycée B")
    c.program.shared_with.add(other)
    others = [
        person(c.edition, "mentee", other, skills=("Python", "SQL")) for _ in range(other_mentees)
    ]
    partners = [person(c.edition, "mentee", cast.org_a) for _ in range(partner_mentees)]
    partnership = Partnership.objects.create(
        organization=c.company,
        partner=cast.org_a,
        kind=PartnershipKind.MENTOR_COMMITMENT,
        status=PartnershipStatus.ACTIVE,
    )
    return c, partnership, others, partners


def _reserve(client, c, partnership, places):
    return client.post(
        reverse("matching:reservations", args=[c.program.slug, c.edition.pk]),
        {"side": f"{partnership.pk}:{c.company.pk}", "places": str(places)},
    )


def test_coordinator_reserves_places_and_the_run_keeps_them_for_the_partner(cast, client_for):
    c, partnership, others, partners = _setting(cast)
    client = client_for(cast.coordinator_a)
    url = reverse("matching:reservations", args=[c.program.slug, c.edition.pk])
    form = client.get(url).content.decode()
    assert "Places of Entreprise C for the mentees of Université A" in form
    assert _reserve(client, c, partnership, 1)["Location"] == url
    reservation = PlaceReservation.objects.get()
    assert (reservation.places, reservation.mentor_organization_id) == (1, c.company.pk)
    assert AuditEntry.objects.filter(action="matching.reservation.changed").count() == 1
    # The page shows how the next run spreads the place: the oldest mentor application.
    page = client.get(url).content.decode()
    assert NAME in page
    assert f"{c.mentors[0].user.display_name} (1)" in page

    start(client, c)
    run = MatchRun.objects.get()
    partner = Proposal.objects.get(run=run, mentee=partners[0])
    assert partner.mentor_id is not None  # without the reservation two better mentees win
    assert partner.explanation_parts("en")[-1] == (
        f"Place reserved for the partnership {NAME}",
        0.0,
    )
    assert partner.explanation_parts("fr")[-1][0] == f"Place réservée au partenariat {NAME}"
    left = Proposal.objects.get(run=run, mentor__isnull=True)
    assert left.mentee_id in {o.pk for o in others}
    assert left.reason["code"] == "full"  # every place taken, the reserved one included
    assert run.summary["reserved"] == [{"partnership": NAME, "places": 1, "filled": 1, "empty": 0}]
    html = client.get(reverse("matching:run", args=[c.program.slug, run.pk])).content.decode()
    assert "Places reserved for partners" in html
    assert '<td data-figure="reserved-empty">0</td>' in html
    # The review page shows the note without points.
    review = client.get(
        reverse("matching:mentee", args=[c.program.slug, run.pk, partners[0].pk])
    ).content.decode()
    assert f"<li>Place reserved for the partnership {NAME}</li>" in review


def test_the_summary_reports_reserved_places_left_empty_and_the_shortfall(cast, client_for):
    c, partnership, _others, _partners = _setting(cast, partner_mentees=0, mentors=2)
    client = client_for(cast.coordinator_a)
    _reserve(client, c, partnership, 3)  # more than the two mentors' places
    page = client.get(
        reverse("matching:reservations", args=[c.program.slug, c.edition.pk])
    ).content.decode()
    assert '<td data-figure="shortfall"><strong>1</strong></td>' in page
    start(client, c)
    run = MatchRun.objects.get()
    # Every place is reserved and the partner has no mentee: the places stay empty.
    assert run.summary["reserved"] == [{"partnership": NAME, "places": 2, "filled": 0, "empty": 2}]
    assert not Proposal.objects.filter(run=run, mentor__isnull=False).exists()
    reasons = set(Proposal.objects.filter(run=run).values_list("reason__code", flat=True))
    assert reasons == {"reserved_places"}
    html = client.get(reverse("matching:run", args=[c.program.slug, run.pk])).content.decode()
    assert '<td data-figure="reserved-empty">2</td>' in html


def test_changing_a_reservation_makes_the_next_run_compute_again(cast, client_for):
    c, partnership, _others, _partners = _setting(cast)
    parameters = RunParameters(hard_rules=("different_organizations",))
    before = run_fingerprint(edition=c.edition, parameters=parameters, locked=[])
    _reserve(client_for(cast.coordinator_a), c, partnership, 1)
    assert run_fingerprint(edition=c.edition, parameters=parameters, locked=[]) != before


def test_zero_removes_the_reservation_and_bad_values_are_refused(cast, client_for):
    c, partnership, _others, _partners = _setting(cast)
    client = client_for(cast.coordinator_a)
    _reserve(client, c, partnership, 2)
    bad = _reserve(client, c, partnership, -1)
    assert bad.status_code == 400
    assert "greater than or equal to 0" in bad.content.decode()
    stranger = Partnership.objects.create(
        organization=OrganizationFactory(name="X"),
        partner=OrganizationFactory(name="Y"),
        kind=PartnershipKind.JOINT_PROGRAM,
    )
    refused = client.post(
        reverse("matching:reservations", args=[c.program.slug, c.edition.pk]),
        {"side": f"{stranger.pk}:{stranger.organization_id}", "places": "1"},
    )
    assert refused.status_code == 400
    assert PlaceReservation.objects.get().places == 2
    _reserve(client, c, partnership, 0)
    assert not PlaceReservation.objects.exists()


def test_distribution_is_deterministic_and_one_reservation_per_mentor(cast):
    c, partnership, _others, _partners = _setting(cast, mentors=3)
    reverse_side = PlaceReservation.objects.create(
        edition=c.edition, partnership=partnership, mentor_organization=cast.org_a, places=1
    )
    PlaceReservation.objects.create(
        edition=c.edition, partnership=partnership, mentor_organization=c.company, places=2
    )
    data = inputs.load_inputs(edition=c.edition, parameters=RunParameters())
    rows = {r["id"]: r for r in data.mentors}
    # A has no mentor: its reservation finds no place; C's two places go to its two
    # oldest mentors, one each (capacity 1).
    assert [s.placed for s in data.shares] == [0, 2]
    assert data.shares[0].reservation == reverse_side
    held = [rows[str(m.pk)].get("reserved_places", 0) for m in c.mentors]
    assert held == [1, 1, 0]
    assert {
        r["partnerships"] == [NAME] for r in data.mentees if r["organization"] == str(cast.org_a.pk)
    } == {True}
