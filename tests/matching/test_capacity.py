"""A mentor's number of mentees: set by the mentor on their application or by a
coordinator on the application review, validated, audited, and used by runs and
self-matching."""

import pytest
from django.urls import reverse
from django.utils import translation

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.matching.models import MentorCapacity
from mentorat.matching.services import capacity as capacity_services
from mentorat.matching.services import requests as request_services
from mentorat.mentorships.models import Mentorship
from mentorat.mentorships.services.pairs import create_mentorship
from mentorat.programs.models import MatchingSettings
from tests.matching.factories import cohort, person


def explicit(application) -> int | None:
    return (
        MentorCapacity.objects.filter(application=application)
        .values_list("capacity", flat=True)
        .first()
    )


def test_mentor_sets_their_number_of_mentees_on_their_application(cast, client_for):
    c = cohort(cast.org_a, mentees=0, mentors=0)
    mine = person(c.edition, "mentor", c.company, user=cast.mentor)
    client = client_for(cast.mentor)
    detail = reverse("applications:my_detail", args=[mine.pk])
    page = client.get(detail).content.decode()
    assert "Combien de mentoré·es pouvez-vous accompagner" in page
    assert reverse("matching:my_capacity", args=[mine.pk]) in page
    response = client.post(reverse("matching:my_capacity", args=[mine.pk]), {"capacity": "3"})
    assert response.status_code == 302
    assert response.url == detail
    assert explicit(mine) == 3
    entry = AuditEntry.objects.get(action="matching.capacity.changed")
    assert entry.data == {"before": None, "after": 3, "by": "mentor"}
    page = client.get(detail).content.decode()
    assert "3 mentoré·es au plus" in page
    # Empty: back to the program's number.
    client.post(reverse("matching:my_capacity", args=[mine.pk]), {"capacity": ""})
    assert explicit(mine) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "supérieure ou égale à 1"),
        ("21", "inférieure ou égale à 20"),
        ("1.5", "nombre entier"),
        ("beaucoup", "nombre entier"),
    ],
)
def test_bad_numbers_are_refused_with_a_message(cast, client_for, value, message):
    c = cohort(cast.org_a, mentees=0, mentors=0)
    mine = person(c.edition, "mentor", c.company, user=cast.mentor)
    client = client_for(cast.mentor)
    response = client.post(
        reverse("matching:my_capacity", args=[mine.pk]), {"capacity": value}, follow=True
    )
    content = response.content.decode()
    assert "Nombre de mentoré·es" in content
    assert message in content
    assert explicit(mine) is None
    assert not AuditEntry.objects.filter(action="matching.capacity.changed").exists()


def test_number_cannot_go_below_the_mentees_already_given(cast, client_for):
    c = cohort(cast.org_a, mentees=2, mentors=1, capacity=2)
    mentor = c.mentors[0]
    for mentee in c.mentees:
        create_mentorship(mentor=mentor, mentee=mentee)
    response = client_for(cast.coordinator_a).post(
        reverse("matching:capacity", args=[c.program.slug, mentor.pk]),
        {"capacity": "1"},
        follow=True,
    )
    assert "accompagne déjà 2 personnes" in response.content.decode()
    assert explicit(mentor) is None


def test_service_refuses_mentees_closed_applications_and_non_integers(cast):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    with translation.override("en"):
        with pytest.raises(DomainError, match="Only mentors"):
            capacity_services.set_mentor_capacity(
                application=c.mentees[0], capacity=2, actor=cast.coordinator_a
            )
        with pytest.raises(DomainError, match="whole number from 1 to 20"):
            capacity_services.set_mentor_capacity(
                application=c.mentors[0], capacity=0, actor=cast.coordinator_a
            )
        with pytest.raises(DomainError, match="whole number"):
            capacity_services.set_mentor_capacity(
                application=c.mentors[0],
                capacity=2.5,  # type: ignore[arg-type]
                actor=cast.coordinator_a,
            )
        c.mentors[0].status = "withdrawn"
        c.mentors[0].save()
        with pytest.raises(DomainError, match="closed"):
            capacity_services.set_mentor_capacity(
                application=c.mentors[0], capacity=2, actor=cast.coordinator_a
            )


def test_coordinator_sets_it_on_the_application_review(cast, client_for):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    mentor = c.mentors[0]
    client = client_for(cast.coordinator_a)
    review = reverse("applications:review", args=[c.program.slug, mentor.pk])
    page = client.get(review).content.decode()
    assert "Nombre de mentoré·es de ce mentor" in page
    assert "(le nombre du programme)" in page
    response = client.post(
        reverse("matching:capacity", args=[c.program.slug, mentor.pk]), {"capacity": "4"}
    )
    assert response.url == review
    assert explicit(mentor) == 4
    entry = AuditEntry.objects.get(action="matching.capacity.changed")
    assert entry.data["by"] == "coordinator"
    assert entry.organization == c.program.organization
    # A mentee's application has no such form.
    mentee_page = client.get(reverse("applications:review", args=[c.program.slug, c.mentees[0].pk]))
    assert "Nombre de mentoré·es" not in mentee_page.content.decode()


def test_partner_coordinator_sees_the_application_but_not_the_form(cast, client_for):
    from tests.factories import MembershipFactory, UserFactory, with_totp

    c = cohort(cast.org_a, mentees=0, mentors=1)
    partner = with_totp(UserFactory())
    MembershipFactory(user=partner, organization=c.company, role="coordinator")
    client = client_for(partner)
    page = client.get(reverse("applications:review", args=[c.program.slug, c.mentors[0].pk]))
    assert page.status_code == 200
    assert reverse("matching:capacity", args=[c.program.slug, c.mentors[0].pk]) not in (
        page.content.decode()
    )
    refused = client.post(
        reverse("matching:capacity", args=[c.program.slug, c.mentors[0].pk]), {"capacity": "5"}
    )
    assert refused.status_code == 403
    assert explicit(c.mentors[0]) is None


def test_runs_use_the_mentor_capacity(cast, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=1, capacity=1)
    assert run_for(c).summary["matched"] == 1
    capacity_services.set_mentor_capacity(
        application=c.mentors[0], capacity=3, actor=cast.coordinator_a
    )
    assert run_for(c, default_capacity=1).summary["matched"] == 3


def test_self_matching_acceptances_use_the_mentor_capacity(cast):
    c = cohort(cast.org_a, mentees=2, mentors=1, capacity=1)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    mentor = c.mentors[0]
    capacity_services.set_mentor_capacity(application=mentor, capacity=2, actor=mentor.user)
    for mentee in c.mentees:
        found = request_services.request_mentor(
            application=mentee, mentor_id=mentor.pk, actor=mentee.user
        )
        request_services.answer_request(mentor_request=found, accept=True, actor=mentor.user)
    assert Mentorship.objects.filter(edition=c.edition, mentor_application=mentor).count() == 2


def test_run_summary_counts_the_places_free_at_run_time(cast, client_for, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=2, capacity=2)
    create_mentorship(mentor=c.mentors[0], mentee=c.mentees[0])
    run = run_for(c, default_capacity=2)
    assert (run.summary["mentors"], run.summary["places"]) == (2, 3)
    page = client_for(cast.coordinator_a).get(
        reverse("matching:run", args=[c.program.slug, run.pk])
    )
    content = page.content.decode()
    # 3 places before the run, 2 taken by its pairs (2 mentees were left), 1 left.
    assert 'data-figure="places-before">3<' in content
    assert 'data-figure="places-after">1<' in content
