"""Checks of a program's eligibility rules against an applicant."""

from datetime import date

from django.utils.translation import gettext as _

from mentorat.organizations.models import Organization, OrganizationKind
from mentorat.participants.models import age_on
from mentorat.permissions.programs import shared_organization_ids
from mentorat.programs.models import EligibilityKind, EligibilityRule, Program


def eligibility_problems(
    *,
    program: Program,
    role: str,
    organization: Organization | None,
    years_of_experience: int | None,
    birth_date: date | None,
    today: date,
    rules: list[EligibilityRule] | None = None,
) -> list[str]:
    """Translated reasons why the applicant may not apply (empty when eligible)."""
    problems: list[str] = []
    if rules is None:
        rules = list(program.eligibility_rules.all())
    allowed_orgs = {program.organization_id} | shared_organization_ids(program)
    age = age_on(birth_date, today) if birth_date else None
    for rule in rules:
        if not rule.applies_to(role):
            continue
        if rule.kind == EligibilityKind.MEMBER_OF_PROGRAM_ORGANIZATIONS:
            if organization is None or organization.pk not in allowed_orgs:
                problems.append(
                    _("This program is open only to members of %(owner)s and its partners.")
                    % {"owner": program.organization.name}
                )
        elif rule.kind == EligibilityKind.ORGANIZATION_KIND:
            if organization is None or organization.kind != rule.organization_kind:
                problems.append(
                    _("This program is open only to people from: %(kind)s.")
                    % {"kind": OrganizationKind(rule.organization_kind).label}
                )
        elif rule.kind == EligibilityKind.MIN_YEARS_EXPERIENCE:
            if years_of_experience is None or years_of_experience < (rule.number or 0):
                problems.append(
                    _("Years of professional experience: at least %(n)s are required.")
                    % {"n": rule.number}
                )
        elif rule.kind == EligibilityKind.MIN_AGE:
            if age is None or age < (rule.number or 0):
                problems.append(
                    _("Date of birth: you must be at least %(n)s years old.") % {"n": rule.number}
                )
        elif rule.kind == EligibilityKind.MAX_AGE and age is not None and age > (rule.number or 0):
            problems.append(
                _("Date of birth: this program is for people aged %(n)s or less.")
                % {"n": rule.number}
            )
    return problems
