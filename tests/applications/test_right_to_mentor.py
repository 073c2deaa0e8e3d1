from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.applications.models import ApplicationStatus, RecruitmentCall
from mentorat.applications.selectors import right_to_mentor
from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import PartnershipKind, Role
from mentorat.organizations.services import create_partnership
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.programs.factories import EditionFactory


@pytest.fixture
def edition(cast):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="insertion")
    settings = edition.program.matching_settings
    settings.default_mentor_capacity = 2
    settings.save()
    return edition


def accepted(edition, role, domain, days_ago=0):
    application = ApplicationFactory(
        edition=edition,
        role=role,
        status=ApplicationStatus.ACCEPTED,
        accepted_at=timezone.now() - timedelta(days=days_ago),
    )
    ProfileFactory(user=application.user, rome_domain=domain)
    return application


def test_gap_per_field_counts_waiting_mentees_against_mentor_capacity(cast, edition):
    for days in (3, 10, 20, 1, 1):
        accepted(edition, "mentee", "M", days)
    accepted(edition, "mentor", "M")  # capacity 2
    accepted(edition, "mentee", "C", 5)
    accepted(edition, "mentor", "C")
    ApplicationFactory(edition=edition, role="mentee")  # submitted: not waiting yet
    summary = right_to_mentor(program=edition.program)
    rows = {r.rome_domain: r for r in summary.fields}
    assert (rows["M"].mentees_waiting, rows["M"].capacity, rows["M"].gap) == (5, 2, 3)
    assert rows["M"].longest_wait_days == 20
    assert rows["M"].average_wait_days == 7
    assert (rows["C"].mentees_waiting, rows["C"].capacity, rows["C"].gap) == (1, 2, 0)
    assert summary.fields[0].rome_domain == "M"  # biggest gap first
    assert summary.total.mentees_waiting == 6
    assert summary.total.capacity == 4


def test_ended_editions_do_not_count(cast, edition):
    today = timezone.localdate()
    old = EditionFactory(
        program=edition.program,
        applications_open_on=today - timedelta(days=400),
        applications_close_on=today - timedelta(days=380),
        matching_on=today - timedelta(days=370),
        starts_on=today - timedelta(days=360),
        ends_on=today - timedelta(days=10),
    )
    accepted(old, "mentee", "M", 300)
    assert right_to_mentor(program=edition.program).fields == []


def test_page_shows_the_gap_with_constant_queries(cast, client_for, edition):
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    url = reverse("applications:right_to_mentor", kwargs={"slug": edition.program.slug})
    counts = []
    for n in (2, 20):
        for _ in range(n):
            accepted(edition, "mentee", "H", 4)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.context["total"].mentees_waiting == 22
    assert '<th scope="row">Industrie</th><td>22</td>' in response.content.decode()


@pytest.fixture
def partner_contacts(cast):
    partner = OrganizationFactory(name="Banque Horizon", slug="banque")
    create_partnership(
        organization=partner, partner=cast.org_a, kind=PartnershipKind.MENTOR_COMMITMENT
    )
    english = UserFactory(email="rh@banque.example", language="en")
    MembershipFactory(user=english, organization=partner, role=Role.COORDINATOR)
    french = UserFactory(email="direction@banque.example", language="fr")
    MembershipFactory(user=french, organization=partner, role=Role.ADMIN)
    mentor = UserFactory(email="mentor@banque.example")
    MembershipFactory(user=mentor, organization=partner, role=Role.MENTOR)
    return english, french


def test_recruitment_call_reaches_partner_contacts_once_a_week(
    cast, client_for, edition, partner_contacts, mailoutbox, django_capture_on_commit_callbacks
):
    accepted(edition, "mentee", "M", 12)
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    url = reverse("applications:recruitment_call", kwargs={"slug": edition.program.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": "Nous cherchons des développeurs."})
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {"rh@banque.example", "direction@banque.example"}
    assert "Hello," in by_recipient["rh@banque.example"].body
    assert "Bonjour," in by_recipient["direction@banque.example"].body
    assert "Nous cherchons des développeurs." in by_recipient["rh@banque.example"].body
    call = RecruitmentCall.objects.get()
    assert call.mentors_needed == 1
    assert AuditEntry.objects.filter(action="applications.recruitment_call.sent").count() == 1

    response = client.post(url, {"message": "Encore"}, follow=True)
    assert (
        "Un appel a été envoyé il y a moins de 7 jours. Vous pourrez envoyer le prochain à "
        f"partir du {timezone.localtime(call.sent_at + timedelta(days=7)):%d/%m/%Y %H:%M}."
    ) in response.content.decode()
    assert RecruitmentCall.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        # A new session: the previous one has long expired.
        client_for(cast.coordinator_a).post(url, {"message": "Encore"})
    assert RecruitmentCall.objects.count() == 2


def test_recruitment_call_without_partner_is_refused(cast, client_for, edition):
    url = reverse("applications:recruitment_call", kwargs={"slug": edition.program.slug})
    response = client_for(cast.coordinator_a).post(url, {}, follow=True)
    assert RecruitmentCall.objects.count() == 0
    assert response.status_code == 200


def test_paired_mentees_do_not_wait_and_mentors_offer_their_free_places(cast, edition):
    from mentorat.matching.models import MentorCapacity
    from mentorat.mentorships.services.pairs import create_mentorship

    paired = accepted(edition, "mentee", "M", 10)
    accepted(edition, "mentee", "M", 4)
    mentor = accepted(edition, "mentor", "M")
    MentorCapacity.objects.create(application=mentor, capacity=3)
    busy = accepted(edition, "mentor", "M")  # default 2, one pair taken below
    create_mentorship(mentor=mentor, mentee=paired)
    other = accepted(edition, "mentee", "M", 1)
    create_mentorship(mentor=busy, mentee=other)
    row = right_to_mentor(program=edition.program).fields[0]
    assert row.mentees_waiting == 1  # only the mentee without a pair
    assert row.longest_wait_days == 4
    assert (row.mentors, row.capacity) == (2, 2 + 1)  # 3 - 1 and 2 - 1


def test_an_ended_pair_puts_the_mentee_back_in_the_queue_and_frees_the_place(cast, edition):
    from mentorat.applications.selectors import ACTIVE_PAIR, has_active_pair
    from mentorat.mentorships.models import EndReason, MentorshipStatus
    from mentorat.mentorships.services.pairs import create_mentorship, end_mentorship

    # applications reads pairs through their relations, by this status value.
    assert ACTIVE_PAIR == MentorshipStatus.ACTIVE
    mentee = accepted(edition, "mentee", "M", 6)
    mentor = accepted(edition, "mentor", "M")  # default capacity 2
    pair = create_mentorship(mentor=mentor, mentee=mentee)
    assert has_active_pair(application=mentee)
    assert has_active_pair(application=mentor)
    assert right_to_mentor(program=edition.program).fields[0].capacity == 1
    end_mentorship(mentorship=pair, reason=EndReason.MENTEE_LEFT, actor=cast.coordinator_a)
    row = right_to_mentor(program=edition.program).fields[0]
    assert (row.mentees_waiting, row.capacity) == (1, 2)
    assert not has_active_pair(application=mentee)
    assert not has_active_pair(application=mentor)
