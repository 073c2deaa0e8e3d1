"""Checks of a program's eligibility rules against an applicant."""

from dataclasses import dataclass
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
    if rules is None:
        rules = list(program.eligibility_rules.all())
    applicant = _Applicant(
        allowed_orgs={program.organization_id} | shared_organization_ids(program),
        organization=organization,
        years_of_experience=years_of_experience,
        age=age_on(birth_date, today) if birth_date else None,
    )
    problems = (_problem(rule, program, applicant) for rule in rules if rule.applies_to(role))
    return [problem for problem in problems if problem is not None]


@dataclass(frozen=True)
class _Applicant:
    """What the rules look at, worked out once for all the rules."""

    allowed_orgs: set[int]
    organization: Organization | None
    years_of_experience: int | None
    age: int | None


def _problem(rule: EligibilityRule, program: Program, applicant: _Applicant) -> str | None:
    """The translated reason why ``applicant`` breaks ``rule`` (None when it does not)."""
    organization, age = applicant.organization, applicant.age
    if rule.kind == EligibilityKind.MEMBER_OF_PROGRAM_ORGANIZATIONS:
        if organization is None or organization.pk not in applicant.allowed_orgs:
            return _("This program is open only to members of %(owner)s and its partners.") % {
                "owner": program.organization.name
            }
    elif rule.kind == EligibilityKind.ORGANIZATION_KIND:
        if organization is None or organization.kind != rule.organization_kind:
            return _("This program is open only to people from: %(kind)s.") % {
                "kind": OrganizationKind(rule.organization_kind).label
            }
    elif rule.kind == EligibilityKind.MIN_YEARS_EXPERIENCE:
        years = applicant.years_of_experience
        if years is None or years < (rule.number or 0):
            return _("Years of professional experience: at least %(n)s are required.") % {
                "n": rule.number
            }
    elif rule.kind == EligibilityKind.MIN_AGE:
        if age is None or age < (rule.number or 0):
            return _("Date of birth: you must be at least %(n)s years old.") % {"n": rule.number}
    elif rule.kind == EligibilityKind.MAX_AGE and age is not None and age > (rule.number or 0):
        return _("Date of birth: this program is for people aged %(n)s or less.") % {
            "n": rule.number
        }
    return None
