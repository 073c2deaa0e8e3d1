"""A guardian comes back through their signed link after consenting: they see what they
consented to and can withdraw it. The application is then suspended (out of decisions
and matching), the program's coordinators are emailed once, and withdrawing again
changes nothing. The link carries no personal data and keeps an expiry."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.applications.guardians import GuardianLinkError, withdraw_guardian_consent
from mentorat.applications.links import (
    GUARDIAN_LINK_VALID_DAYS,
    GUARDIAN_RECORD_VALID_DAYS,
    guardian_token,
)
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.services.decisions import decide_application
from mentorat.applications.tasks import GUARDIAN_WITHDRAWAL_EMAILS, send_guardian_withdrawal_email
from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.matching.inputs import accepted
from mentorat.mentorships.models import MentorshipStatus
from mentorat.notifications.models import EmailDelivery
from tests.applications.factories import ApplicationFactory
from tests.factories import UserFactory
from tests.mentorships.factories import MentorshipFactory
from tests.programs.factories import CharterFactory, EditionFactory

CONSENT = {"full_name": "Marie Martin", "relationship": "mother", "consent": "on"}
WITHDRAW = {"action": "withdraw", "confirm": "on"}


@pytest.fixture
def application(cast) -> Application:
    """A 14-year-old's application waiting for their guardian's consent."""
    cast.coordinator_a.language = "en"
    cast.coordinator_a.save(update_fields=["language"])
    edition = EditionFactory(program__organization=cast.org_a, program__name="Cap Avenir")
    return ApplicationFactory(
        edition=edition,
        user=UserFactory(email="eleve@example.org", first_name="Léa", last_name="Martin"),
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
        contact_through_platform_only=True,
        charter=CharterFactory(program=edition.program, text="Respecter les rendez-vous."),
    )


@pytest.fixture
def guardian(client):
    """The guardian's browser (no account), reading English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def link(application: Application) -> str:
    return reverse("applications:guardian_consent", kwargs={"token": guardian_token(application)})


@pytest.fixture
def consented(application, guardian) -> Application:
    guardian.post(link(application), CONSENT)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    return application


def test_the_link_carries_no_personal_data(application):
    token = guardian_token(application)
    assert "parent" not in token
    payload = signing.loads(token, salt="mentorat.applications.guardian-consent")
    assert "parent@example.org" not in str(payload)
    assert set(payload) == {"application", "guardian", "submitted"}


def test_the_guardian_comes_back_and_sees_what_they_consented_to(guardian, consented):
    with CaptureQueriesContext(connection) as queries:
        response = guardian.get(link(consented))
    assert response.status_code == 200
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []
    page = response.content.decode()
    assert "Your consent" in page
    assert "Léa Martin" in page
    assert "Cap Avenir" in page
    assert "Marie Martin (mother)" in page
    assert "I hold parental authority over the applicant and I consent to this application." in page
    assert "Respecter les rendez-vous." in page
    assert 'value="withdraw"' in page


def test_the_withdrawal_must_be_confirmed(guardian, consented):
    response = guardian.post(link(consented), {"action": "withdraw"})
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"] == [
        "Confirmation: tick the box to withdraw your consent."
    ]
    consented.refresh_from_db()
    assert consented.status == ApplicationStatus.SUBMITTED
    assert consented.guardian_consent_withdrawn_at is None


def test_withdrawing_suspends_the_application_and_tells_the_coordinators(
    cast, guardian, consented, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = guardian.post(link(consented), WITHDRAW)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your consent is withdrawn. The program's coordinators are told." in page
    assert "Suspended (consent withdrawn)" in page
    assert 'value="withdraw"' not in page
    consented.refresh_from_db()
    assert consented.status == ApplicationStatus.SUSPENDED
    assert consented.guardian_consent_withdrawn_at is not None
    assert consented.guardian_consent_at is not None  # the record of what was given stays

    entry = AuditEntry.objects.get(action="applications.guardian_consent.withdrawn")
    assert entry.organization == cast.org_a
    assert entry.target_id == str(consented.pk)
    assert entry.data == {"previous_status": "submitted", "suspended": True, "active_pairs": 0}

    (mail,) = mailoutbox
    assert mail.to == [cast.coordinator_a.email]
    assert "Cap Avenir: a guardian has withdrawn their consent" in mail.subject
    assert "The guardian of Léa Martin withdrew their consent" in mail.body
    assert "The application is suspended" in mail.body
    assert f"/manage/applications/{consented.pk}/" in mail.body


def test_a_suspended_application_is_out_of_decisions_and_matching(cast, consented):
    consented.status = ApplicationStatus.ACCEPTED
    consented.save(update_fields=["status"])
    withdraw_guardian_consent(token=guardian_token(consented))
    consented.refresh_from_db()
    assert consented.status == ApplicationStatus.SUSPENDED
    assert not accepted(consented.edition, "mentee").filter(pk=consented.pk).exists()
    with pytest.raises(DomainError):
        decide_application(application=consented, decision="accept", actor=cast.coordinator_a)


def test_a_second_withdrawal_is_harmless(
    guardian, consented, mailoutbox, django_capture_on_commit_callbacks
):
    url = link(consented)
    with django_capture_on_commit_callbacks(execute=True):
        guardian.post(url, WITHDRAW)
    consented.refresh_from_db()
    withdrawn_at = consented.guardian_consent_withdrawn_at
    with django_capture_on_commit_callbacks(execute=True):
        response = guardian.post(url, WITHDRAW)
    assert response.status_code == 200
    assert not response.context["withdrawn_now"]
    assert "Consent withdrawn on" in response.content.decode()
    consented.refresh_from_db()
    assert consented.guardian_consent_withdrawn_at == withdrawn_at
    assert AuditEntry.objects.filter(action="applications.guardian_consent.withdrawn").count() == 1
    assert len(mailoutbox) == 1
    # The email task run again (a worker killed and resumed) sends nothing twice.
    send_guardian_withdrawal_email.enqueue(consented.pk)
    assert len(mailoutbox) == 1
    assert EmailDelivery.objects.filter(purpose=GUARDIAN_WITHDRAWAL_EMAILS).count() == 1


def test_a_new_submission_can_be_consented_and_withdrawn_again(
    cast, client_for, guardian, consented, mailoutbox, django_capture_on_commit_callbacks
):
    """The pupil withdraws the suspended application and applies again: the guardian's
    new link records a fresh consent, which can be withdrawn (and told) again."""
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_guardian_consent(token=guardian_token(consented))
    Application.objects.filter(pk=consented.pk).update(
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_consent_at=None,
        submitted_at=consented.submitted_at + timedelta(days=2),
    )
    consented.refresh_from_db()
    guardian.post(link(consented), CONSENT)
    consented.refresh_from_db()
    assert consented.status == ApplicationStatus.SUBMITTED
    assert consented.guardian_consent_withdrawn_at is None
    page = guardian.get(link(consented)).content.decode()
    assert 'value="withdraw"' in page
    with django_capture_on_commit_callbacks(execute=True):
        result = withdraw_guardian_consent(token=guardian_token(consented))
    assert not result.already
    assert len([m for m in mailoutbox if "withdrawn their consent" in m.subject]) == 2


def test_an_active_pair_is_flagged_to_the_coordinators(
    cast, consented, mailoutbox, django_capture_on_commit_callbacks
):
    """The pair is not ended behind the coordinators' back: they are told and decide
    (they may want to speak to the family and the mentor first)."""
    consented.status = ApplicationStatus.ACCEPTED
    consented.save(update_fields=["status"])
    pair = MentorshipFactory(edition=consented.edition, mentee=consented.user)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_guardian_consent(token=guardian_token(consented))
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE
    entry = AuditEntry.objects.get(action="applications.guardian_consent.withdrawn")
    assert entry.data["active_pairs"] == 1
    (mail,) = mailoutbox
    assert "They still have an active pair in this program" in mail.body


def test_the_partners_coordinators_are_told_too(
    cast, consented, mailoutbox, django_capture_on_commit_callbacks
):
    consented.edition.program.shared_with.add(cast.org_c)
    consented.organization = cast.org_c
    consented.save(update_fields=["organization"])
    partner = cast.partner_coordinator
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_guardian_consent(token=guardian_token(consented))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.coordinator_a.email, partner.email])


def test_nothing_to_withdraw_before_the_consent(guardian, application):
    with pytest.raises(GuardianLinkError):
        withdraw_guardian_consent(token=guardian_token(application))
    # Posting the withdrawal on the consent page is just an incomplete consent form.
    response = guardian.post(link(application), WITHDRAW)
    assert response.status_code == 200
    assert response.context["form"].errors
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT
    assert not AuditEntry.objects.filter(action__startswith="applications.").exists()


def test_a_closed_application_records_the_withdrawal_without_reopening(consented):
    Application.objects.filter(pk=consented.pk).update(status=ApplicationStatus.DECLINED)
    result = withdraw_guardian_consent(token=guardian_token(consented))
    assert not result.already
    consented.refresh_from_db()
    assert consented.status == ApplicationStatus.DECLINED
    assert consented.guardian_consent_withdrawn_at is not None


def test_the_pupil_can_withdraw_and_apply_again_after_a_suspension(cast, client_for, consented):
    withdraw_guardian_consent(token=guardian_token(consented))
    pupil = client_for(consented.user)
    response = pupil.post(reverse("matching:withdraw", args=[consented.pk]))
    assert response.status_code == 302
    consented.refresh_from_db()
    assert consented.status == ApplicationStatus.WITHDRAWN


def _token_from(days_ago: int, application: Application, monkeypatch) -> str:
    past = time.time() - days_ago * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: past)
    token = guardian_token(application)
    monkeypatch.undo()
    return token


def test_the_consent_record_opens_after_the_consent_deadline(guardian, consented, monkeypatch):
    token = _token_from(GUARDIAN_LINK_VALID_DAYS + 10, consented, monkeypatch)
    url = reverse("applications:guardian_consent", kwargs={"token": token})
    assert guardian.get(url).status_code == 200
    guardian.post(url, WITHDRAW)
    consented.refresh_from_db()
    assert consented.status == ApplicationStatus.SUSPENDED


def test_the_link_still_expires(guardian, application, consented, monkeypatch):
    # Not consented: the consent deadline applies.
    other = ApplicationFactory(
        user=UserFactory(),
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="autre.parent@example.org",
    )
    token = _token_from(GUARDIAN_LINK_VALID_DAYS + 1, other, monkeypatch)
    response = guardian.get(reverse("applications:guardian_consent", kwargs={"token": token}))
    assert response.status_code == 410
    # Consented: the record's own, longer deadline.
    token = _token_from(GUARDIAN_RECORD_VALID_DAYS + 1, consented, monkeypatch)
    url = reverse("applications:guardian_consent", kwargs={"token": token})
    assert guardian.get(url).status_code == 410
    assert guardian.post(url, WITHDRAW).status_code == 410
    consented.refresh_from_db()
    assert consented.guardian_consent_withdrawn_at is None


def test_a_link_made_for_another_address_cannot_withdraw(guardian, consented):
    url = link(consented)
    Application.objects.filter(pk=consented.pk).update(guardian_email="autre@example.org")
    assert guardian.post(url, WITHDRAW).status_code == 410
    consented.refresh_from_db()
    assert consented.guardian_consent_withdrawn_at is None


def test_the_coordinators_see_the_suspension(cast, client_for, consented):
    withdraw_guardian_consent(token=guardian_token(consented))
    coordinator = client_for(cast.coordinator_a)
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse(
        "applications:review",
        kwargs={"slug": consented.edition.program.slug, "pk": consented.pk},
    )
    response = coordinator.get(url)
    page = response.content.decode()
    assert "Suspended (consent withdrawn)" in page
    assert "withdrawn on" in page
    assert not response.context["can_decide"]
