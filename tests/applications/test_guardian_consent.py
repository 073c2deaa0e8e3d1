"""The guardian's consent page: a form that records who consents and confirms the
guardian's address; opening the link writes nothing; a used link changes nothing."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.applications.links import GUARDIAN_LINK_VALID_DAYS, guardian_token
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from tests.applications.factories import ApplicationFactory
from tests.factories import UserFactory
from tests.programs.factories import EditionFactory

CONSENT = {"full_name": "Marie Martin", "relationship": "mother", "consent": "on"}


@pytest.fixture
def application(cast) -> Application:
    edition = EditionFactory(program__organization=cast.org_a, program__slug="college")
    return ApplicationFactory(
        edition=edition,
        user=UserFactory(email="eleve@example.org", first_name="Léa", last_name="Martin"),
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
        contact_through_platform_only=True,
    )


def consent_url(application: Application) -> str:
    return reverse("applications:guardian_consent", kwargs={"token": guardian_token(application)})


def test_opening_the_link_shows_the_form_and_writes_nothing(client, application):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(consent_url(application))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="full_name"' in page
    assert 'name="relationship"' in page
    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT
    assert application.guardian_consent_at is None
    assert application.guardian_email_verified_at is None
    assert not AuditEntry.objects.filter(action__startswith="applications.").exists()


def test_consent_needs_the_guardians_name_and_relationship(client, application):
    response = client.post(consent_url(application), {"consent": "on"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Votre nom : indiquez votre prénom et votre nom."]
    assert errors["relationship"] == ["Lien : indiquez votre lien avec la personne candidate."]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT
    assert application.guardian_consent_at is None


def test_other_relationship_needs_a_word_and_the_box_must_be_ticked(client, application):
    response = client.post(
        consent_url(application), {"full_name": "Sam Martin", "relationship": "other"}
    )
    errors = response.context["form"].errors
    assert errors["relationship_detail"] == [
        "Lien : précisez en quelques mots votre lien avec la personne candidate."
    ]
    assert errors["consent"] == ["Consentement : cochez la case pour donner votre consentement."]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT


def test_a_blank_name_is_refused_by_the_service_too(client, application):
    from mentorat.applications.guardians import GuardianConsent, record_guardian_consent
    from mentorat.lib.errors import DomainError

    with pytest.raises(DomainError):
        record_guardian_consent(
            token=guardian_token(application),
            consent=GuardianConsent(full_name="   ", relationship="mother"),
        )
    with pytest.raises(DomainError):
        record_guardian_consent(
            token=guardian_token(application),
            consent=GuardianConsent(full_name="Sam", relationship="neighbour"),
        )
    application.refresh_from_db()
    assert application.guardian_consent_at is None


def test_consent_records_who_consented_and_confirms_the_address(
    client, application, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            consent_url(application),
            {
                "full_name": "  Sam   Martin ",
                "relationship": "other",
                "relationship_detail": "Grand-mère, tutrice",
                "consent": "on",
            },
        )
    assert response.status_code == 200
    assert "Votre consentement est enregistré" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.guardian_name == "Sam Martin"
    assert application.guardian_relationship == "other"
    assert application.guardian_relationship_detail == "Grand-mère, tutrice"
    assert application.guardian_consent_at is not None
    assert application.guardian_email_verified_at == application.guardian_consent_at
    entry = AuditEntry.objects.get(action="applications.application.guardian_consent_given")
    assert entry.actor_label == "guardian <parent@example.org>"
    assert entry.data == {"relationship": "other", "email_confirmed": True}
    assert entry.target_id == str(application.pk)
    assert [m.to for m in mailoutbox] == [["eleve@example.org"]]


def test_a_used_link_cannot_change_the_recorded_consent(client, application):
    url = consent_url(application)
    client.post(url, CONSENT)
    application.refresh_from_db()
    given_at = application.guardian_consent_at

    response = client.post(
        url, {"full_name": "Quelqu'un d'autre", "relationship": "father", "consent": "on"}
    )
    assert response.status_code == 200
    assert response.context["already"]
    assert response.context["posted_again"]
    application.refresh_from_db()
    assert application.guardian_name == "Marie Martin"
    assert application.guardian_relationship == "mother"
    assert application.guardian_consent_at == given_at
    assert AuditEntry.objects.filter(action__endswith="guardian_consent_given").count() == 1
    # Opening it again says the same and writes nothing.
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["already"]


def test_a_link_of_an_earlier_submission_is_refused(client, application):
    """The pupil withdrew and applied again with the same address: the first email's
    link must not consent to the new submission."""
    old_url = consent_url(application)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=application.submitted_at + timedelta(minutes=5)
    )
    response = client.post(old_url, CONSENT)
    assert response.status_code == 410
    assert "pas valide" in response.content.decode()
    application.refresh_from_db()
    assert application.guardian_consent_at is None


def test_a_link_to_another_address_is_refused(client, application):
    url = consent_url(application)
    Application.objects.filter(pk=application.pk).update(guardian_email="autre@example.org")
    assert client.get(url).status_code == 410


def test_an_expired_link_shows_the_invalid_page(client, application, monkeypatch):
    past = time.time() - (GUARDIAN_LINK_VALID_DAYS + 1) * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: past)
    url = consent_url(application)
    monkeypatch.undo()
    response = client.post(url, CONSENT)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    application.refresh_from_db()
    assert application.guardian_consent_at is None


def test_a_withdrawn_application_cannot_be_consented_to(client, application):
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.WITHDRAWN)
    response = client.post(consent_url(application), CONSENT)
    assert response.status_code == 410
    application.refresh_from_db()
    assert application.guardian_consent_at is None


def test_a_link_minted_before_submissions_were_stamped_still_works(client, application):
    from django.core import signing

    legacy = signing.dumps(
        {"application": application.pk, "email": application.guardian_email},
        salt="mentorat.applications.guardian-consent",
    )
    url = reverse("applications:guardian_consent", kwargs={"token": legacy})
    assert client.post(url, CONSENT).status_code == 200
    application.refresh_from_db()
    assert application.guardian_email_verified_at is not None


def test_the_coordinator_sees_who_consented_and_that_the_address_is_confirmed(
    cast, client, client_for, application
):
    client.post(consent_url(application), CONSENT)
    review = reverse(
        "applications:review",
        kwargs={"slug": application.edition.program.slug, "pk": application.pk},
    )
    page = client_for(cast.coordinator_a).get(review).content.decode()
    assert "Marie Martin (mère)" in page
    assert "Adresse confirmée le" in page
