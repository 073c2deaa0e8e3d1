"""Sensitive data (GDPR Art. 9): a recognised disability is stored only with the person's
explicit, separate consent, recorded with its text version and time; withdrawing the
consent removes the value at once; nobody else (an import, a coordinator) can give it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.participants.consent_texts import current_text
from mentorat.participants.models import Profile, SensitiveDataConsent
from mentorat.participants.selectors import consents_for
from mentorat.participants.services import (
    ProfileData,
    update_profile,
    withdraw_sensitive_consent,
)
from tests.applications.factories import ApplicationFactory
from tests.factories import UserFactory
from tests.programs.factories import CharterFactory, EditionFactory

PROFILE = reverse("participants:profile")
WITHDRAW = reverse("participants:withdraw_consent")


@pytest.fixture
def mentee(cast, client_for):
    """The cast's mentee, signed in, reading English."""
    cast.mentee.language = "en"
    cast.mentee.save(update_fields=["language"])
    client = client_for(cast.mentee)
    client.cookies["django_language"] = "en"
    return client


def consent_given(user, **extra):
    return update_profile(
        user=user,
        data=ProfileData(
            priority_groups=["scholarship_holder", "disability"],
            sensitive_consents=["disability"],
            **extra,
        ),
        actor=user,
    )


def test_the_profile_shows_a_separate_consent_box_with_its_text(cast, mentee):
    page = mentee.get(PROFILE).content.decode()
    assert 'name="consent_disability"' in page
    assert "I explicitly consent to the processing of the information" in page
    assert "You can withdraw this consent at any time on your profile page" in page
    # Separate: the box is not ticked for the person.
    form = mentee.get(PROFILE).context["form"]
    assert not form.initial.get("consent_disability")


def test_a_disability_without_the_consent_box_is_refused_naming_the_field(cast, mentee):
    response = mentee.post(PROFILE, {"priority_groups": ["disability", "jobseeker"]})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["consent_disability"] == [
        "Consent to health data: tick this box to give “Person with a recognised "
        "disability”, or untick it in the list above."
    ]
    assert not Profile.objects.filter(user=cast.mentee).exists()
    assert not SensitiveDataConsent.objects.exists()


def test_the_service_refuses_it_too_and_writes_nothing(cast):
    with translation.override("en"), pytest.raises(DomainError, match="tick the consent box"):
        update_profile(
            user=cast.mentee,
            data=ProfileData(priority_groups=["disability"], field="Droit"),
            actor=cast.mentee,
        )
    with translation.override("en"), pytest.raises(DomainError, match="Priority groups"):
        update_profile(
            user=cast.mentee,
            data=ProfileData(priority_groups=["disability"], sensitive_consents=[]),
            actor=cast.mentee,
        )
    assert not Profile.objects.filter(user=cast.mentee).exists()
    assert not SensitiveDataConsent.objects.exists()


def test_nobody_else_can_consent_for_the_person(cast):
    """A coordinator who may edit an unclaimed record, or the platform, ticking the box
    for someone is not their consent."""
    person = UserFactory(email="unclaimed@example.org")
    person.set_unusable_password()
    person.save()
    ApplicationFactory(edition=EditionFactory(program__organization=cast.org_a), user=person)
    for actor in (cast.coordinator_a, None):
        with translation.override("en"), pytest.raises(DomainError) as error:
            update_profile(
                user=person,
                data=ProfileData(priority_groups=["disability"], sensitive_consents=["disability"]),
                actor=actor,
            )
        assert error.value.message == (
            "Priority groups: “Person with a recognised disability” is health data that only "
            "the person can give, with their explicit consent, on their own profile."
        )
    assert not SensitiveDataConsent.objects.exists()
    assert not Profile.objects.filter(user=person).exists()


def test_the_consent_is_recorded_with_its_text_version_and_time(cast, mentee):
    before = timezone.now()
    response = mentee.post(
        PROFILE, {"priority_groups": ["disability", "jobseeker"], "consent_disability": "on"}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=cast.mentee)
    assert profile.priority_groups == ["disability", "jobseeker"]
    consent = SensitiveDataConsent.objects.get(user=cast.mentee)
    assert consent.kind == "disability"
    assert consent.text_version == current_text("disability").version
    assert before <= consent.given_at <= timezone.now()
    assert consent.withdrawn_at is None
    entry = AuditEntry.objects.get(action="participants.sensitive_consent.given")
    # Neither the person's data nor what the data are: only the text's version.
    assert entry.data == {"text_version": consent.text_version}
    assert "disab" not in entry.target_label
    assert entry.organization is None
    # Shown on the profile page with the date and the version, and the box stays ticked.
    page = mentee.get(PROFILE)
    assert page.context["form"].initial["consent_disability"] is True
    text = page.content.decode()
    assert "Your consents to sensitive data" in text
    assert "Withdraw this consent" in text
    assert f"text version {consent.text_version}" in text


def test_saving_the_profile_again_keeps_one_consent(cast, mentee):
    data = {"priority_groups": ["disability"], "consent_disability": "on", "field": "Droit"}
    mentee.post(PROFILE, data)
    mentee.post(PROFILE, data | {"field": "Économie"})
    assert SensitiveDataConsent.objects.filter(user=cast.mentee).count() == 1
    assert AuditEntry.objects.filter(action="participants.sensitive_consent.given").count() == 1


def test_withdrawing_removes_the_value_at_once(cast, mentee):
    consent_given(cast.mentee)
    response = mentee.post(WITHDRAW, {"kind": "disability"})
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    profile = Profile.objects.get(user=cast.mentee)
    assert profile.priority_groups == ["scholarship_holder"]
    consent = SensitiveDataConsent.objects.get(user=cast.mentee)
    assert consent.withdrawn_at is not None
    entry = AuditEntry.objects.get(action="participants.sensitive_consent.withdrawn")
    assert entry.actor == cast.mentee
    assert entry.data == {"text_version": consent.text_version}
    page = mentee.get(PROFILE).content.decode()
    assert "Consent withdrawn: the information has been removed from your profile." in page
    assert "withdrawn on" in page
    assert "Withdraw this consent" not in page


def test_a_second_withdrawal_is_harmless(cast, mentee):
    consent_given(cast.mentee)
    mentee.post(WITHDRAW, {"kind": "disability"})
    response = mentee.post(WITHDRAW, {"kind": "disability"}, follow=True)
    assert "This consent was already withdrawn: nothing has changed." in response.content.decode()
    assert AuditEntry.objects.filter(action="participants.sensitive_consent.withdrawn").count() == 1
    assert (
        withdraw_sensitive_consent(user=cast.mentee, kind="disability", actor=cast.mentee) is None
    )


def test_an_unknown_kind_is_an_error_not_a_crash(cast, mentee):
    response = mentee.post(WITHDRAW, {"kind": "religion"}, follow=True)
    assert response.status_code == 200
    assert "Consent: unknown value “religion”." in response.content.decode()


def test_nobody_withdraws_for_someone_else(cast):
    consent_given(cast.mentee)
    with pytest.raises(DomainError):
        withdraw_sensitive_consent(user=cast.mentee, kind="disability", actor=cast.coordinator_a)
    assert Profile.objects.get(user=cast.mentee).priority_groups == [
        "scholarship_holder",
        "disability",
    ]


def test_a_withdrawal_url_only_touches_the_signed_in_persons_consents(cast, client_for):
    consent_given(cast.mentee)
    client_for(cast.mentor).post(WITHDRAW, {"kind": "disability"})
    assert SensitiveDataConsent.objects.get(user=cast.mentee).is_active
    assert "disability" in Profile.objects.get(user=cast.mentee).priority_groups


def test_unticking_the_value_withdraws_its_consent(cast, mentee):
    consent_given(cast.mentee)
    mentee.post(PROFILE, {"priority_groups": ["scholarship_holder"]})
    assert Profile.objects.get(user=cast.mentee).priority_groups == ["scholarship_holder"]
    assert not SensitiveDataConsent.objects.get(user=cast.mentee).is_active


def test_unticking_the_box_but_keeping_the_value_is_refused(cast, mentee):
    consent_given(cast.mentee)
    response = mentee.post(PROFILE, {"priority_groups": ["disability"]})
    assert response.status_code == 200
    assert "consent_disability" in response.context["form"].errors
    assert SensitiveDataConsent.objects.get(user=cast.mentee).is_active


def test_consenting_again_after_a_withdrawal_is_a_new_record(cast):
    consent_given(cast.mentee)
    withdraw_sensitive_consent(user=cast.mentee, kind="disability", actor=cast.mentee)
    consent_given(cast.mentee)
    records = consents_for(user=cast.mentee)
    assert [r.is_active for r in records] == [True, False]
    assert records[0].text is not None
    assert records[0].text.version == records[0].text_version


def test_an_import_of_other_fields_keeps_a_consented_value(cast):
    """Writes that do not show the box (sensitive_consents None) keep what the person
    consented to, and leave the consent as it is."""
    consent_given(cast.mentee)
    update_profile(user=cast.mentee, data=ProfileData(field="Droit"), actor=cast.mentee)
    update_profile(
        user=cast.mentee,
        data=ProfileData(priority_groups=["disability", "jobseeker"]),
        actor=cast.mentee,
    )
    assert Profile.objects.get(user=cast.mentee).priority_groups == ["disability", "jobseeker"]
    assert SensitiveDataConsent.objects.get(user=cast.mentee).is_active


# The application form -------------------------------------------------------------------


def test_the_application_form_asks_the_same_consent(cast, mentee):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="insertion")
    CharterFactory(program=edition.program)
    url = reverse("applications:apply", kwargs={"slug": "insertion", "role": "mentee"})
    today = timezone.localdate()
    data = {
        "field": "Droit",
        "rome_domain": "M",
        "birth_date": (today.replace(year=today.year - 20) - timedelta(days=3)).isoformat(),
        "charter_accepted": "on",
        "priority_groups": ["disability"],
    }
    response = mentee.post(url, data)
    assert response.status_code == 200
    assert "consent_disability" in response.context["form"].errors
    assert not SensitiveDataConsent.objects.exists()
    response = mentee.post(url, data | {"consent_disability": "on"})
    assert response.status_code == 302
    assert SensitiveDataConsent.objects.get(user=cast.mentee).is_active
    assert Profile.objects.get(user=cast.mentee).priority_groups == ["disability"]


def test_withdrawing_takes_the_value_out_of_matching_inputs(cast):
    """Matching reads the profile: once withdrawn, the value is gone from its rows."""
    from mentorat.applications.models import Application, ApplicationStatus
    from mentorat.matching.inputs import mentee_rows

    consent_given(cast.mentee)
    application = ApplicationFactory(
        edition=EditionFactory(program__organization=cast.org_a),
        user=cast.mentee,
        status=ApplicationStatus.ACCEPTED,
    )
    rows = lambda: mentee_rows(  # noqa: E731
        Application.objects.filter(pk=application.pk), priority_groups=["disability"]
    )
    assert rows()[0]["priority"] == ["disability"]
    withdraw_sensitive_consent(user=cast.mentee, kind="disability", actor=cast.mentee)
    assert rows()[0]["priority"] == []


def test_unconsented_values_stored_before_are_removed_by_the_migration(cast):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "mentorat.participants.migrations.0004_remove_unconsented_sensitive_values"
    )
    Profile.objects.create(user=cast.mentor, priority_groups=["disability", "jobseeker"])
    consent_given(cast.mentee)
    migration.remove_unconsented(apps, None)
    assert Profile.objects.get(user=cast.mentor).priority_groups == ["jobseeker"]
    assert "disability" in Profile.objects.get(user=cast.mentee).priority_groups


# The bulk import ---------------------------------------------------------------------------


def test_an_import_cannot_carry_a_disability(cast):
    """A file cannot carry the person's consent: the row is refused with a message
    naming the line, the column and the value; the other groups import as usual."""
    from mentorat.applications.imports.services import preview_import
    from tests.imports.files import csv_bytes

    edition = EditionFactory(program__organization=cast.org_a)
    header = ["email", "first_name", "last_name", "role", "priority_groups"]
    rows = [
        ["lea@example.org", "Léa", "Martin", "mentee", "Boursière; RQTH"],
        ["sam@example.org", "Sam", "Petit", "mentee", "Boursier"],
    ]
    with translation.override("en"):
        _batch, report = preview_import(
            program=edition.program,
            edition=edition,
            organization=cast.org_a,
            default_role="",
            filename="liste.csv",
            content=csv_bytes(rows, header=header),
            actor=cast.coordinator_a,
        )
    refused, fine = report.rows
    assert refused.errors == [
        "Line 2, column priority_groups: “Person with a recognised disability” is health "
        "data: only the person can give it, with their explicit consent, on their profile. "
        "Remove it from the file."
    ]
    assert fine.ok
    assert fine.profile.priority_groups == ["scholarship_holder"]
