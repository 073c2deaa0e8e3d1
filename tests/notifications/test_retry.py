"""A mail server that accepts connections and never answers: each send gives up after
EMAIL_TIMEOUT, the ledger records the failures, the coordinator sees them on the page of
the import or of the call for mentors, and the retry button sends them (once)."""

import time

import pytest
from django.urls import reverse

from mentorat.applications.imports.models import ImportBatch
from mentorat.applications.models import RecruitmentCall
from mentorat.audit.models import AuditEntry
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.organizations.models import PartnershipKind, Role
from mentorat.organizations.services import create_partnership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.imports.files import csv_bytes, people
from tests.imports.test_import_flow import confirm_url, preview_url, upload
from tests.notifications.smtp import use_smtp

TIMEOUT = 0.5


def statuses(purpose: str) -> list[str]:
    return sorted(EmailDelivery.objects.filter(purpose=purpose).values_list("status", flat=True))


def test_a_server_that_never_answers_fails_each_invitation_then_the_retry_sends_them(
    cast,
    program,
    english,
    settings,
    hanging_smtp,
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    use_smtp(settings, hanging_smtp.port, timeout=TIMEOUT)
    coordinator = english(cast.coordinator_a)
    upload(coordinator, program, csv_bytes(people(2)))
    batch = ImportBatch.objects.get()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    elapsed = time.monotonic() - started

    # Each send waited EMAIL_TIMEOUT for the greeting, then gave up: the worker is free.
    assert len(hanging_smtp.connections) == 2
    assert 2 * TIMEOUT <= elapsed < 2 * TIMEOUT + 5
    assert statuses("imports.invitation") == [DeliveryStatus.FAILED] * 2
    assert "timed out" in EmailDelivery.objects.first().error

    page = coordinator.get(preview_url(batch)).content.decode()
    assert "Emails: 0 sent, 2 failed, 0 waiting." in page
    retry_url = reverse(
        "notifications:retry_import_invitations", kwargs={"slug": program.slug, "pk": batch.pk}
    )
    assert f'action="{retry_url}"' in page
    assert "Send the emails not sent again (2)" in page

    # The mail server is repaired; the coordinator retries.
    use_smtp(settings, smtp_sink.port)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(retry_url)
    assert response["Location"] == preview_url(batch)
    assert smtp_sink.received() == {
        "personne1@ecole.example.org": 1,
        "personne2@ecole.example.org": 1,
    }
    assert statuses("imports.invitation") == [DeliveryStatus.SENT] * 2
    page = coordinator.get(preview_url(batch)).content.decode()
    assert "2 emails will be sent again." in page
    assert "Emails: 2 sent, 0 failed, 0 waiting." in page
    assert f'action="{retry_url}"' not in page
    entry = AuditEntry.objects.get(action="notifications.emails.retried")
    assert (entry.actor, entry.organization, entry.data["emails"]) == (
        cast.coordinator_a,
        cast.org_a,
        2,
    )

    # Nothing left to retry: a second click sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(retry_url)
    assert sum(smtp_sink.received().values()) == 2
    assert (
        "There is no email left to send again."
        in coordinator.get(preview_url(batch)).content.decode()
    )


@pytest.fixture
def partner_contacts(cast):
    partner = OrganizationFactory(name="Banque Horizon", slug="banque")
    create_partnership(
        organization=partner, partner=cast.org_a, kind=PartnershipKind.MENTOR_COMMITMENT
    )
    for email, role in (("rh@banque.example", Role.COORDINATOR), ("dg@banque.example", Role.ADMIN)):
        MembershipFactory(user=UserFactory(email=email), organization=partner, role=role)


def test_the_failed_emails_of_a_call_for_mentors_are_shown_and_retried(
    cast,
    program,
    english,
    settings,
    partner_contacts,
    hanging_smtp,
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    use_smtp(settings, hanging_smtp.port, timeout=TIMEOUT)
    coordinator = english(cast.coordinator_a)
    page_url = reverse("applications:right_to_mentor", kwargs={"slug": program.slug})
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("applications:recruitment_call", kwargs={"slug": program.slug}),
            {"message": "Nous cherchons des mentors."},
        )
    call = RecruitmentCall.objects.get()
    recipients = len(call.recipients)
    assert statuses("applications.recruitment_call") == [DeliveryStatus.FAILED] * recipients

    page = coordinator.get(page_url).content.decode()
    assert f"Emails: 0 sent, {recipients} failed, 0 waiting." in page
    retry_url = reverse(
        "notifications:retry_recruitment_call", kwargs={"slug": program.slug, "pk": call.pk}
    )
    assert f'action="{retry_url}"' in page

    use_smtp(settings, smtp_sink.port)
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator.post(retry_url)["Location"] == page_url
    assert set(smtp_sink.received().values()) == {1}
    assert {"rh@banque.example", "dg@banque.example"} <= set(smtp_sink.received())
    assert (
        f"Emails: {recipients} sent, 0 failed, 0 waiting."
        in coordinator.get(page_url).content.decode()
    )


def test_an_object_of_another_program_is_not_found_through_this_programs_address(
    cast, program, english
):
    from tests.imports.permission_cases import batch_kwargs
    from tests.programs.factories import EditionFactory, ProgramFactory

    other = ProgramFactory(organization=cast.org_a, slug="autre-programme")
    EditionFactory(program=other)
    batch = ImportBatch.objects.get(pk=batch_kwargs(cast)["pk"])  # of `program`
    call = RecruitmentCall.objects.create(program=other, recipients=["x@example.org"])
    coordinator = english(cast.coordinator_a)
    # Each object asked for under a program it does not belong to.
    for name, slug, pk in (
        ("notifications:retry_import_invitations", "autre-programme", batch.pk),
        ("notifications:retry_recruitment_call", program.slug, call.pk),
    ):
        wrong = reverse(name, kwargs={"slug": slug, "pk": pk})
        assert coordinator.post(wrong).status_code == 404
    assert not AuditEntry.objects.filter(action="notifications.emails.retried").exists()
