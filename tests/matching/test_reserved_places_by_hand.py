"""Places reserved for a partnership hold when a coordinator changes pairs by hand (issue
20, point 4): a reserved place goes only to a mentee of the partner; a change that would
give one to an outsider, when the mentor has no open place left, is refused with an error
naming the mentor and the partnership; the note "Place reserved for the partnership X"
follows the mentees who hold the places; the summary of reserved places, the note on the
review page and the CSV export agree after each change."""

import pytest
from django.urls import reverse

from mentorat.lib.errors import DomainError
from mentorat.matching.models import PlaceReservation, Proposal
from mentorat.matching.reservations import run_figures
from mentorat.matching.services import review
from mentorat.organizations.models import Partnership, PartnershipKind, PartnershipStatus
from tests.factories import OrganizationFactory
from tests.matching.factories import cohort, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NAME = "Entreprise C – Université A"
NOTE = f"Place reserved for the partnership {NAME}"


class Setting:
    """Company C's two mentors of two places each; 1 place of C reserved for the mentees
    of Université A (C's partner), which the oldest mentor (`m0`) holds; two mentees of A
    (`p1`, `p2`) and two of another school (`o1`, `o2`)."""

    def __init__(self, cast, run_for, *, reserved: int = 1) -> None:
        c = cohort(cast.org_a, mentees=0, mentors=2, capacity=2)
        other = OrganizationFactory(name="Lycée B")
        c.program.shared_with.add(other)
        self.p1, self.p2 = (person(c.edition, "mentee", cast.org_a) for _ in range(2))
        self.o1, self.o2 = (person(c.edition, "mentee", other) for _ in range(2))
        partnership = Partnership.objects.create(
            organization=c.company,
            partner=cast.org_a,
            kind=PartnershipKind.MENTOR_COMMITMENT,
            status=PartnershipStatus.ACTIVE,
        )
        PlaceReservation.objects.create(
            edition=c.edition,
            partnership=partnership,
            mentor_organization=c.company,
            places=reserved,
        )
        self.c = c
        self.m0, self.m1 = c.mentors
        self.actor = cast.coordinator_a
        self.run = run_for(c, default_capacity=2)
        # Start from nobody paired, to place each mentee where the test needs her.
        for proposal in Proposal.objects.filter(run=self.run, mentor__isnull=False):
            self.assign(proposal.mentee, None)

    def assign(self, mentee, mentor, swap_with=None) -> Proposal:
        return review.assign_mentor(
            run=self.run,
            mentee_id=mentee.pk,
            mentor_id=mentor.pk if mentor else None,
            swap_with=swap_with.pk if swap_with else None,
            actor=self.actor,
            language="en",
        )

    def mentees_of(self, mentor) -> set[int]:
        return set(
            Proposal.objects.filter(run=self.run, mentor=mentor).values_list("mentee_id", flat=True)
        )

    def noted(self) -> set[int]:
        """The mentees whose explanation says they hold a reserved place."""
        return {
            p.mentee_id
            for p in Proposal.objects.filter(run=self.run, mentor__isnull=False)
            if any(text == NOTE for text, _points in p.explanation_parts("en"))
        }

    def figures(self) -> list[tuple[str, int, int, int]]:
        return [(f.partnership, f.places, f.filled, f.empty) for f in run_figures(run=self.run)]


@pytest.fixture
def setting(cast, run_for) -> Setting:
    return Setting(cast, run_for)


def test_an_outsider_cannot_take_a_reserved_place_by_hand(setting):
    s = setting
    assert s.figures() == [(NAME, 1, 0, 1)]
    s.assign(s.o1, s.m0)  # its open place
    with pytest.raises(DomainError) as refused:
        s.assign(s.o2, s.m0)  # its last free place is reserved for A's mentees
    message = refused.value.message
    assert s.m0.user.display_name in message
    assert NAME in message
    assert "mentees of Université A" in message
    assert s.mentees_of(s.m0) == {s.o1.pk}
    # The partner's mentee takes it; the summary and the note follow.
    s.assign(s.p1, s.m0)
    assert s.mentees_of(s.m0) == {s.o1.pk, s.p1.pk}
    assert s.noted() == {s.p1.pk}
    assert s.figures() == [(NAME, 1, 1, 0)]
    # Swapping an outsider for the partner's mentee would give her place to an outsider.
    with pytest.raises(DomainError, match=NAME):
        s.assign(s.o2, s.m0, swap_with=s.p1)
    # Swapping an outsider for the other outsider is allowed: the open place changes hands.
    s.assign(s.o2, s.m0, swap_with=s.o1)
    assert s.mentees_of(s.m0) == {s.o2.pk, s.p1.pk}
    assert s.figures() == [(NAME, 1, 1, 0)]


def test_the_reserved_place_and_its_note_follow_the_partners_mentees(setting):
    s = setting
    s.assign(s.p1, s.m0)
    s.assign(s.p2, s.m0)  # the partner's mentee may also take the open place
    assert s.noted() == {s.p1.pk}  # the first by application holds the reserved place
    assert s.figures() == [(NAME, 1, 1, 0)]
    # An outsider swapped for p1: p2 now holds the reserved place, the outsider the open one.
    s.assign(s.o1, s.m0, swap_with=s.p1)
    assert s.mentees_of(s.m0) == {s.p2.pk, s.o1.pk}
    assert s.noted() == {s.p2.pk}
    assert s.figures() == [(NAME, 1, 1, 0)]
    # p2 moves to the other mentor: the reserved place is left empty, nobody holds it.
    s.assign(s.p2, s.m1)
    assert s.noted() == set()
    assert s.figures() == [(NAME, 1, 0, 1)]
    # Removed by hand, or excluded: the figures count what is left.
    s.assign(s.p1, s.m0)
    assert s.figures() == [(NAME, 1, 1, 0)]
    review.exclude_pair(run=s.run, mentee_id=s.p1.pk, mentor_id=s.m0.pk, actor=s.actor)
    assert s.figures() == [(NAME, 1, 0, 1)]
    assert s.noted() == set()


def test_a_mentor_whose_places_are_all_reserved_is_refused_by_name(cast, run_for):
    s = Setting(cast, run_for, reserved=2)
    with pytest.raises(DomainError) as refused:
        s.assign(s.o1, s.m0)
    assert s.m0.user.display_name in refused.value.message
    assert NAME in refused.value.message
    s.assign(s.p1, s.m0)
    s.assign(s.p2, s.m0)
    # Full of the partner's mentees: no swap makes room for an outsider.
    with pytest.raises(DomainError, match=NAME):
        s.assign(s.o1, s.m0, swap_with=s.p1)
    # The other mentor's places are open to anyone.
    s.assign(s.o1, s.m1)
    assert s.figures() == [(NAME, 2, 2, 0)]


def test_review_page_summary_and_export_say_the_same_after_changes(setting, cast, client_for):
    s = setting
    s.assign(s.o1, s.m0)  # m0's open place; its free place left is reserved
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "en"
    # Considering m0 for o2, the page says why before anything is submitted, and offers
    # a swap with one of m0's mentees instead of the plain assignment.
    considered = client.get(
        reverse("matching:mentee", args=[s.c.program.slug, s.run.pk, s.o2.pk]),
        {"mentor": s.m0.pk},
    ).content.decode()
    assert "data-reserved-refusal" in considered
    assert f"the partnership {NAME}" in considered
    assert "Swap with one of this mentor" in considered
    assert "Assign this mentor" not in considered
    # Refused through the page: the error is shown, not a 500, and nothing changes.
    response = client.post(
        reverse("matching:assign", args=[s.c.program.slug, s.run.pk, s.o2.pk]),
        {"mentor": s.m0.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert f"the partnership {NAME}" in response.content.decode()
    assert s.mentees_of(s.m0) == {s.o1.pk}
    # The swap the page offers: o2 takes o1's open place.
    client.post(
        reverse("matching:assign", args=[s.c.program.slug, s.run.pk, s.o2.pk]),
        {"mentor": s.m0.pk, "swap_with": s.o1.pk},
    )
    assert s.mentees_of(s.m0) == {s.o2.pk}

    s.assign(s.p1, s.m0)
    page = client.get(reverse("matching:run", args=[s.c.program.slug, s.run.pk])).content.decode()
    assert '<td data-figure="reserved-filled">1</td>' in page
    assert '<td data-figure="reserved-empty">0</td>' in page
    export = client.get(
        reverse("matching:proposals_export", args=[s.c.program.slug, s.run.pk])
    ).content.decode("utf-8-sig")
    [line] = [line for line in export.splitlines() if NOTE in line]
    assert s.p1.user.display_name in line
    mentee_page = client.get(
        reverse("matching:mentee", args=[s.c.program.slug, s.run.pk, s.p1.pk])
    ).content.decode()
    assert f"<li>{NOTE}</li>" in mentee_page
    # Moving p1 away through the page: the figures on the page follow.
    client.post(
        reverse("matching:assign", args=[s.c.program.slug, s.run.pk, s.p1.pk]),
        {"mentor": s.m1.pk},
    )
    page = client.get(reverse("matching:run", args=[s.c.program.slug, s.run.pk])).content.decode()
    assert '<td data-figure="reserved-filled">0</td>' in page
    assert '<td data-figure="reserved-empty">1</td>' in page
    export = client.get(
        reverse("matching:proposals_export", args=[s.c.program.slug, s.run.pk])
    ).content.decode("utf-8-sig")
    assert NOTE not in export
