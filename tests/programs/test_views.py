from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.organizations.models import PartnershipKind, Role
from mentorat.organizations.services import create_partnership
from mentorat.programs.models import Edition, MatchingSettings, Program
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.queries import writes


def test_coordinator_creates_a_program_and_sees_its_template(cast, client_for):
    client = client_for(cast.coordinator_a)
    response = client.post(
        reverse("programs:create", kwargs={"slug": "org-a"}),
        {
            "name": "Insertion des masters",
            "kind": "student_insertion",
            "summary": "Un mentor pour chaque master",
        },
    )
    program = Program.objects.get(name="Insertion des masters")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:manage", kwargs={"slug": program.slug})
    page = client.get(response["Location"]).content.decode()
    assert "Insertion des masters" in page
    assert program.objectives.count() == 3


def test_edition_with_inverted_dates_shows_a_clear_error(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    response = client_for(cast.coordinator_a).post(
        reverse("programs:edition_add", kwargs={"slug": program.slug}),
        {
            "name": "Rentrée",
            "applications_open_on": "2026-09-01",
            "applications_close_on": "2026-09-30",
            "matching_on": "2026-10-05",
            "starts_on": "2026-10-15",
            "ends_on": "2026-10-01",
            "meetings_per_month": "2",
            "duration_months": "6",
        },
    )
    assert response.status_code == 200
    assert "Fin : doit être postérieure au début." in response.content.decode()
    assert not Edition.objects.exists()


def test_bad_dates_and_weights_are_form_errors_not_crashes(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    client = client_for(cast.coordinator_a)
    response = client.post(
        reverse("programs:edition_add", kwargs={"slug": program.slug}),
        {"name": "X", "applications_open_on": "31/02/2026"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        reverse("programs:matching", kwargs={"slug": program.slug}),
        {"mode": "optimal", "default_mentor_capacity": "1", "weight_field": "42"},
    )
    assert response.status_code == 200
    program.matching_settings.refresh_from_db()
    assert program.matching_settings.criteria_weights == {"field": 3}


def test_matching_settings_are_saved(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    data = {
        f"weight_{c}": "2"
        for c in [
            "field",
            "rome_domain",
            "occupation",
            "skills",
            "goals",
            "languages",
            "region",
            "availability",
            "gender_preference",
            "career_change",
            "seniority",
        ]
    }
    data |= {
        "mode": "stable",
        "default_mentor_capacity": "3",
        "hard_rules": ["different_organizations"],
        "weight_skills": "9",
        "answer_days": "0",
    }
    client = client_for(cast.coordinator_a)
    url = reverse("programs:matching", kwargs={"slug": program.slug})
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert 'aria-invalid="true"' in refused.content.decode()
    response = client.post(url, data | {"answer_days": "14"})
    assert response.status_code == 302
    settings = program.matching_settings
    settings.refresh_from_db()
    assert (
        settings.mode,
        settings.default_mentor_capacity,
        settings.criteria_weights["skills"],
    ) == ("stable", 3, 9)
    assert settings.hard_rules == ["different_organizations"]
    assert settings.answer_days == 14
    manage = client.get(reverse("programs:manage", kwargs={"slug": program.slug}))
    assert "Introductions à confirmer sous 14 jours" in manage.content.decode()


def test_public_list_shows_published_open_programs_only(cast, client_for):
    open_program = EditionFactory(program__organization=cast.org_a, program__name="Ouvert").program
    EditionFactory(
        program__organization=cast.org_a, program__name="Brouillon", program__is_published=False
    )
    page = client_for(None).get(reverse("programs:public_list")).content.decode()
    assert open_program.name in page
    assert "Brouillon" not in page


def test_a_draft_program_page_is_hidden_from_the_public(cast, client_for):
    draft = ProgramFactory(organization=cast.org_a, is_published=False)
    url = reverse("programs:public_detail", kwargs={"slug": draft.slug})
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.coordinator_a).get(url).status_code == 200


def test_partner_coordinator_sees_a_shared_program_but_cannot_change_it(cast, client_for):
    partner = OrganizationFactory(name="Nexalis", slug="nexalis")
    create_partnership(
        organization=partner, partner=cast.org_a, kind=PartnershipKind.MENTOR_COMMITMENT
    )
    coordinator_p = with_totp(UserFactory(email="coord-p@example.org"))
    MembershipFactory(user=coordinator_p, organization=partner, role=Role.COORDINATOR)
    program = ProgramFactory(organization=cast.org_a)
    program.shared_with.add(partner)
    client = client_for(coordinator_p)
    manage = client.get(reverse("programs:manage", kwargs={"slug": program.slug}))
    assert manage.status_code == 200
    assert reverse("programs:edit", kwargs={"slug": program.slug}) not in manage.content.decode()
    assert client.get(reverse("programs:edit", kwargs={"slug": program.slug})).status_code == 403
    listing = client.get(reverse("programs:list", kwargs={"slug": "nexalis"})).content.decode()
    assert program.name in listing
    # An unrelated coordinator cannot tell the program exists.
    assert (
        client_for(cast.coordinator_b)
        .get(reverse("programs:manage", kwargs={"slug": program.slug}))
        .status_code
        == 404
    )


def test_management_page_query_count_does_not_grow_with_settings(
    cast, client_for, django_assert_max_num_queries
):
    from tests.programs.factories import ObjectiveFactory, QuestionFactory

    program = ProgramFactory(organization=cast.org_a)
    client = client_for(cast.coordinator_a)
    url = reverse("programs:manage", kwargs={"slug": program.slug})
    for n in (1, 10):
        for _ in range(n):
            ObjectiveFactory(program=program)
            QuestionFactory(program=program)
            EditionFactory(program=program)
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200


def test_management_pages_write_nothing_on_display(cast, client_for):
    """A program without its settings row (created before they were made with the
    program) shows the default settings; displaying creates nothing."""
    program = ProgramFactory(organization=cast.org_a)
    MatchingSettings.objects.filter(program=program).delete()
    client = client_for(cast.coordinator_a)
    for name in ("programs:manage", "programs:matching"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, kwargs={"slug": program.slug}))
        assert response.status_code == 200
        assert writes(queries) == [], name
    assert not MatchingSettings.objects.filter(program=program).exists()


def test_programs_without_settings_get_them_from_the_data_migration(cast):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "mentorat.programs.migrations.0003_matching_settings_for_every_program"
    )
    bare = ProgramFactory(organization=cast.org_a)
    MatchingSettings.objects.filter(program=bare).delete()
    configured = ProgramFactory(organization=cast.org_a)
    migration.create_missing_settings(apps, None)
    assert MatchingSettings.objects.get(program=bare).default_mentor_capacity == 1
    assert MatchingSettings.objects.get(program=configured).criteria_weights == {"field": 3}
