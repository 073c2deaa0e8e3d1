from datetime import date

import pytest
from django.utils import translation

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import PartnershipKind
from mentorat.organizations.services import create_partnership
from mentorat.programs import services
from mentorat.programs.models import Indicator, MatchingMode, ProgramKind
from tests.factories import OrganizationFactory
from tests.programs.factories import ProgramFactory


@pytest.fixture(autouse=True)
def _english():
    # Services are checked in English; the pages (in French) are checked in test_views.
    with translation.override("en"):
        yield


def test_a_new_program_starts_from_its_type_template(cast):
    program = services.create_program(
        organization=cast.org_a,
        name="Mixité des métiers",
        kind=ProgramKind.GENDER_DIVERSITY,
        actor=cast.coordinator_a,
    )
    settings = program.matching_settings
    assert settings.mode == MatchingMode.STABLE
    assert settings.women_share_target == 50
    assert settings.criteria_weights["gender_preference"] == 5
    women = program.objectives.get(indicator=Indicator.WOMEN_SHARE)
    assert (women.target, women.rome_domain) == (50, "H")
    assert program.charters.get().version == 1
    assert AuditEntry.objects.filter(action="programs.program.created", organization=cast.org_a)


def test_every_program_type_has_a_template(cast):
    for kind in ProgramKind:
        program = services.create_program(organization=cast.org_a, name=f"P {kind}", kind=kind)
        assert program.matching_settings.criteria_weights


def test_a_program_is_shared_only_with_partner_organisations(cast):
    program = ProgramFactory(organization=cast.org_a)
    partner = OrganizationFactory(name="Banque")
    create_partnership(
        organization=partner, partner=cast.org_a, kind=PartnershipKind.MENTOR_COMMITMENT
    )
    kwargs = {
        "name": "P",
        "summary": "",
        "description": "",
        "is_published": True,
        "actor": cast.coordinator_a,
    }
    services.update_program(program=program, shared_with=[partner], **kwargs)
    assert list(program.shared_with.all()) == [partner]
    with pytest.raises(DomainError, match="Lycée B"):
        services.update_program(program=program, shared_with=[cast.org_b], **kwargs)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"criteria_weights": {"charisma": 3}}, "charisma"),
        ({"criteria_weights": {"field": 11}}, "0 to 10"),
        ({"hard_rules": ["same_organization", "different_organizations"]}, "Hard rules"),
        ({"default_mentor_capacity": 0}, "mentees per mentor"),
        ({"women_share_target": 120}, "women"),
        ({"priority_groups": ["vip"]}, "Priority groups"),
        ({"answer_days": 0}, "Days to answer"),
        ({"answer_days": 61}, "1 to 60"),
    ],
)
def test_matching_settings_refuse_bad_values_naming_the_field(cast, changes, message):
    program = ProgramFactory(organization=cast.org_a)
    values = {
        "mode": "optimal",
        "criteria_weights": {"field": 3},
        "default_mentor_capacity": 2,
        "hard_rules": [],
        "priority_groups": [],
        "women_share_target": None,
    } | changes
    with pytest.raises(DomainError, match=message):
        services.update_matching_settings(program=program, actor=cast.coordinator_a, **values)


def test_edition_dates_must_follow_each_other(cast):
    program = ProgramFactory(organization=cast.org_a)
    dates = {
        "applications_open_on": date(2026, 9, 1),
        "applications_close_on": date(2026, 9, 30),
        "matching_on": date(2026, 10, 5),
        "starts_on": date(2026, 10, 15),
        "ends_on": date(2027, 4, 15),
    }
    common = {
        "program": program,
        "name": "Rentrée",
        "meetings_per_month": 2,
        "duration_months": 6,
        "actor": None,
    }
    edition = services.save_edition(**common, **dates)
    assert edition.pk
    with pytest.raises(DomainError, match="End"):
        services.save_edition(**common, **(dates | {"ends_on": date(2026, 10, 1)}))
    with pytest.raises(DomainError, match="close"):
        services.save_edition(**common, **(dates | {"applications_close_on": date(2026, 8, 1)}))


def test_charter_versions_increase(cast):
    program = ProgramFactory(organization=cast.org_a)
    first = services.publish_charter(program=program, text="v1", actor=cast.coordinator_a)
    second = services.publish_charter(program=program, text="v2", actor=cast.coordinator_a)
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(DomainError, match="empty"):
        services.publish_charter(program=program, text="  ", actor=cast.coordinator_a)


def test_choice_questions_need_two_distinct_choices(cast):
    program = ProgramFactory(organization=cast.org_a)
    with pytest.raises(DomainError, match="Choices"):
        services.add_question(
            program=program,
            label="Niveau ?",
            kind="single_choice",
            role="mentee",
            choices=["Bac"],
            actor=cast.coordinator_a,
        )
    question = services.add_question(
        program=program,
        label="Niveau ?",
        kind="single_choice",
        role="mentee",
        choices=["Bac", "Bac+2", ""],
        actor=cast.coordinator_a,
    )
    assert question.choices == ["Bac", "Bac+2"]


def test_eligibility_rules_need_their_parameter(cast):
    program = ProgramFactory(organization=cast.org_a)
    with pytest.raises(DomainError, match="Number"):
        services.add_eligibility_rule(
            program=program, role="mentor", kind="min_years_experience", actor=cast.coordinator_a
        )
    with pytest.raises(DomainError, match="Kind of organisation"):
        services.add_eligibility_rule(
            program=program, role="mentee", kind="organization_kind", actor=cast.coordinator_a
        )
