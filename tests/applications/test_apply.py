import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.participants.models import Profile
from tests.factories import UserFactory
from tests.programs.factories import CharterFactory, EditionFactory, QuestionFactory, RuleFactory


def years_ago(years: int, days: int = 0) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - timedelta(days=days)).isoformat()


@pytest.fixture
def program(cast):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="insertion")
    CharterFactory(program=edition.program)
    return edition.program


def mentee_data(question_id: int | None = None, **extra) -> dict:
    data = {
        "field": "Informatique",
        "target_occupation": "Développeuse web",
        "rome_domain": "M",
        "goals": ["first_job"],
        "languages": ["fr", "en"],
        "region": "ARA",
        "remote_ok": "on",
        "birth_date": years_ago(21),
        "charter_accepted": "on",
    }
    if question_id:
        data[f"q_{question_id}"] = "Trouver mon premier emploi"
    return data | extra


def apply_url(program, role="mentee"):
    return reverse("applications:apply", kwargs={"slug": program.slug, "role": role})


def test_a_mentee_applies_with_a_custom_question(
    cast, client_for, program, mailoutbox, django_capture_on_commit_callbacks
):
    question = QuestionFactory(program=program, required=True, role="mentee")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.mentee).post(apply_url(program), mentee_data(question.pk))
    application = Application.objects.get(user=cast.mentee)
    assert response.status_code == 302
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.organization == cast.org_a
    assert application.answers[str(question.pk)]["answer"] == "Trouver mon premier emploi"
    assert application.charter.version == 1
    profile = Profile.objects.get(user=cast.mentee)
    assert (profile.goals, profile.rome_domain, profile.languages) == (
        ["first_job"],
        "M",
        ["fr", "en"],
    )
    assert [m.to for m in mailoutbox] == [[cast.mentee.email]]
    assert AuditEntry.objects.filter(action="applications.application.submitted").count() == 1
    page = client_for(cast.mentee).get(response["Location"]).content.decode()
    assert "Trouver mon premier emploi" in page


def test_missing_required_answer_and_charter_are_reported_per_field(cast, client_for, program):
    question = QuestionFactory(
        program=program, required=True, role="both", label="Votre motivation ?"
    )
    data = mentee_data() | {"charter_accepted": ""}
    response = client_for(cast.mentee).post(apply_url(program), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert f"q_{question.pk}" in form.errors
    assert "charter_accepted" in form.errors
    assert not Application.objects.exists()


def test_a_single_choice_answer_must_be_one_of_the_choices(cast, client_for, program):
    question = QuestionFactory(
        program=program, kind="single_choice", choices=["Oui", "Non"], required=True
    )
    response = client_for(cast.mentee).post(
        apply_url(program), mentee_data() | {f"q_{question.pk}": "Peut-être"}
    )
    assert f"q_{question.pk}" in response.context["form"].errors
    assert not Application.objects.exists()


def test_garbage_input_is_an_error_not_a_crash(cast, client_for, program):
    response = client_for(cast.mentee).post(
        apply_url(program),
        mentee_data()
        | {"birth_date": "not-a-date", "goals": ["world_domination"], "rome_domain": "Z"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"birth_date", "goals", "rome_domain"} <= set(errors)


def test_a_mentee_must_give_a_birth_date(cast, client_for, program):
    response = client_for(cast.mentee).post(apply_url(program), mentee_data(birth_date=""))
    assert "birth_date" in response.context["form"].errors


def test_eligibility_rules_are_enforced_with_a_clear_message(cast, client_for, program):
    RuleFactory(program=program, role="mentor", kind="min_years_experience", number=5)
    response = client_for(cast.mentor).post(
        apply_url(program, "mentor"),
        {
            "field": "Banque",
            "occupation": "Analyste",
            "years_of_experience": "2",
            "charter_accepted": "on",
        },
    )
    assert response.status_code == 200
    assert "au moins 5 sont requises" in response.content.decode()
    assert not Application.objects.exists()


def test_applying_twice_leads_to_the_existing_application(cast, client_for, program):
    client = client_for(cast.mentee)
    client.post(apply_url(program), mentee_data())
    response = client.get(apply_url(program))
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:my_detail", kwargs={"pk": application.pk})


def test_a_closed_edition_takes_no_application(cast, client_for):
    today = timezone.localdate()
    edition = EditionFactory(
        program__organization=cast.org_a,
        applications_open_on=today - timedelta(days=30),
        applications_close_on=today - timedelta(days=1),
    )
    response = client_for(cast.mentee).post(apply_url(edition.program), mentee_data())
    assert "accepte pas de candidatures" in response.content.decode()
    assert not Application.objects.exists()


# Minors ------------------------------------------------------------------------------------


def test_a_14_year_old_waits_for_the_guardian_until_the_link_is_used(
    cast, client_for, program, mailoutbox, django_capture_on_commit_callbacks
):
    pupil = UserFactory(email="eleve@example.org", language="en")
    client = client_for(pupil)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(program),
            mentee_data(birth_date=years_ago(14), guardian_email="Parent@Example.org"),
        )
    application = Application.objects.get(user=pupil)
    assert response.status_code == 302
    assert application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT
    assert application.contact_through_platform_only
    (mail,) = mailoutbox
    assert mail.to == ["parent@example.org"]
    assert "Hello," in mail.body  # the pupil's language
    link = re.search(r"http://[^\s]+/guardian-consent/[^\s]+/", mail.body).group(0)
    path = link.split("8000", 1)[-1]

    # Coordinators cannot decide before the guardian consents.
    coordinator = client_for(cast.coordinator_a)
    review = reverse("applications:review", kwargs={"slug": program.slug, "pk": application.pk})
    coordinator.post(review, {"decision": "accept"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT

    guardian = client_for(None)
    assert guardian.get(path).status_code == 200
    consent = {"full_name": "Marie Parent", "relationship": "mother", "consent": "on"}
    assert guardian.post(path, consent).status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.guardian_consent_at is not None
    entry = AuditEntry.objects.get(action="applications.application.guardian_consent_given")
    assert entry.actor_label == "guardian <parent@example.org>"
    # The link works once; opened again, it says the consent is already given.
    response = guardian.get(path)
    assert response.status_code == 200
    assert response.context["already"]


def test_a_tampered_consent_link_is_refused(cast, client_for):
    url = reverse("applications:guardian_consent", kwargs={"token": "abc:def"})
    response = client_for(None).post(url)
    assert response.status_code == 410
    assert "pas valide" in response.content.decode()


def test_under_15_needs_a_guardian_address(cast, client_for, program):
    response = client_for(cast.mentee).post(
        apply_url(program), mentee_data(birth_date=years_ago(14))
    )
    assert "guardian_email" in response.context["form"].errors
    assert not Application.objects.exists()


def test_a_16_year_old_applies_directly_but_is_contacted_through_the_platform(
    cast, client_for, program
):
    client_for(cast.mentee).post(apply_url(program), mentee_data(birth_date=years_ago(16)))
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.is_minor
    assert application.contact_through_platform_only
    assert not application.guardian_email


def test_the_15th_birthday_is_the_threshold(cast, client_for, program):
    client_for(cast.mentee).post(apply_url(program), mentee_data(birth_date=years_ago(15)))
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_withdrawing_an_application(cast, client_for, program):
    client = client_for(cast.mentee)
    client.post(apply_url(program), mentee_data())
    application = Application.objects.get()
    client.post(reverse("matching:withdraw", kwargs={"pk": application.pk}))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    # Withdrawn: the person may apply again.
    assert client.post(apply_url(program), mentee_data()).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_birth_date_in_the_future_is_refused(cast, client_for, program):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(cast.mentee).post(apply_url(program), mentee_data(birth_date=future))
    # The UI speaks French by default.
    assert "Date de naissance : cette date n&#x27;est pas possible." in response.content.decode()
