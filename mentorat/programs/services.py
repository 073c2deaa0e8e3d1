"""Writes on programs and their settings. Callers check permissions first (see
`mentorat.permissions.programs`); these functions enforce the business rules."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError, Problems
from mentorat.organizations.models import Organization, Partnership, PartnershipStatus
from mentorat.organizations.services import check_approved
from mentorat.participants.models import PriorityGroup
from mentorat.permissions.programs import forget_shared
from mentorat.programs.catalog import template_for
from mentorat.programs.models import (
    MAX_ANSWER_DAYS,
    Charter,
    Criterion,
    CustomQuestion,
    Edition,
    EligibilityKind,
    EligibilityRule,
    HardRule,
    MatchingMode,
    MatchingSettings,
    MinorMeetingModes,
    Objective,
    ObjectiveUnit,
    Program,
    ProgramKind,
    QuestionKind,
    RuleRole,
)

MAX_WEIGHT = 10


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "programme"
    slug, n = base, 2
    while Program.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def partner_organizations(*, organization: Organization) -> list[Organization]:
    """Organisations in a current partnership with `organization`, either direction."""
    today = timezone.localdate()
    partnerships = Partnership.objects.filter(
        Q(organization=organization) | Q(partner=organization), status=PartnershipStatus.ACTIVE
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    ids = {p.organization_id for p in partnerships} | {p.partner_id for p in partnerships}
    ids.discard(organization.pk)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


@transaction.atomic
def create_program(
    *,
    organization: Organization,
    name: str,
    kind: ProgramKind | str,
    summary: str = "",
    description: str = "",
    slug: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Program:
    """Create a program from its type's template: matching settings, objectives (due one
    year from today) and a first charter version."""
    if kind not in ProgramKind.values:
        raise DomainError(_("Type: unknown value “%(value)s”.") % {"value": kind})
    template = template_for(kind)
    program = Program.objects.create(
        organization=organization,
        name=name.strip(),
        slug=slug or _unique_slug(name),
        kind=kind,
        summary=summary,
        description=description,
    )
    MatchingSettings.objects.create(
        program=program,
        mode=template.mode,
        criteria_weights=dict(template.criteria_weights),
        default_mentor_capacity=template.default_mentor_capacity,
        hard_rules=[r.value for r in template.hard_rules],
        priority_groups=[g.value for g in template.priority_groups],
        women_share_target=template.women_share_target,
    )
    deadline = timezone.localdate() + timedelta(days=365)
    Objective.objects.bulk_create(
        [
            Objective(
                program=program,
                indicator=o.indicator,
                target=o.target,
                unit=o.unit,
                months=o.months,
                rome_domain=o.rome_domain,
                deadline=deadline,
            )
            for o in template.objectives
        ]
    )
    Charter.objects.create(
        program=program, version=1, text=str(template.charter), published_by=actor
    )
    record(
        action="programs.program.created",
        actor=actor,
        organization=organization,
        target=program,
        data={"kind": str(kind)},
        request=request,
    )
    return program


@transaction.atomic
def update_program(
    *,
    program: Program,
    name: str,
    summary: str,
    description: str,
    is_published: bool,
    shared_with: list[Organization],
    actor: User,
    request: HttpRequest | None = None,
    minors: dict[str, Any] | None = None,
) -> Program:
    """Update the program's presentation and the partners it is shared with; sharing is
    only possible with organisations in a current partnership with the owner. `minors`
    (optional) sets the protection of minors: `safeguarding_required`,
    `minor_meeting_modes` and `minor_phone_calls`."""
    allowed = {o.pk for o in partner_organizations(organization=program.organization)}
    refused = [o.name for o in shared_with if o.pk not in allowed]
    if refused:
        raise DomainError(
            _("Shared with: %(names)s is not a partner of %(owner)s.")
            % {"names": ", ".join(refused), "owner": program.organization.name}
        )
    if not name.strip():
        raise DomainError(_("Name: this field is required."))
    if is_published and not program.is_published:
        check_approved(program.organization)  # an organisation waiting for approval only drafts
    program.name = name.strip()
    program.summary = summary
    program.description = description
    program.is_published = is_published
    _set_minors_policy(program, minors or {})
    program.save()
    before = set(program.shared_with.values_list("pk", flat=True))
    program.shared_with.set(shared_with)
    forget_shared(program)
    after = {o.pk for o in shared_with}
    record(
        action="programs.program.updated",
        actor=actor,
        organization=program.organization,
        target=program,
        data={
            "published": is_published,
            "shared_added": sorted(after - before),
            "shared_removed": sorted(before - after),
            "safeguarding_required": program.safeguarding_required,
            "minor_meeting_modes": program.minor_meeting_modes,
            "minor_phone_calls": program.minor_phone_calls,
        },
        request=request,
    )
    return program


def _set_minors_policy(program: Program, minors: dict[str, Any]) -> None:
    """Set the protection of minors from `minors` (missing keys keep their value)."""
    if "minor_meeting_modes" in minors:
        if minors["minor_meeting_modes"] not in MinorMeetingModes.values:
            raise DomainError(_("Meetings with a minor: choose one of the options."))
        program.minor_meeting_modes = minors["minor_meeting_modes"]
    for name in ("safeguarding_required", "minor_phone_calls"):
        if name in minors:
            setattr(program, name, bool(minors[name]))


def check_matching_settings(
    *,
    mode: str,
    criteria_weights: dict[str, Any],
    default_mentor_capacity: int,
    hard_rules: list[str],
    priority_groups: list[str],
    women_share_target: int | None,
    answer_days: int | None = None,
) -> None:
    if mode not in MatchingMode.values:
        raise DomainError(_("Matching mode: unknown value “%(value)s”.") % {"value": mode})
    _check_criteria_weights(criteria_weights)
    if not 1 <= default_mentor_capacity <= 20:
        raise DomainError(_("Default number of mentees per mentor: enter a number from 1 to 20."))
    _check_hard_rules(hard_rules)
    for group in priority_groups:
        if group not in PriorityGroup.values:
            raise DomainError(_("Priority groups: unknown value “%(value)s”.") % {"value": group})
    if women_share_target is not None and not 0 <= women_share_target <= 100:
        raise DomainError(_("Target share of women: enter a percentage from 0 to 100."))
    if answer_days is not None and not 1 <= answer_days <= MAX_ANSWER_DAYS:
        raise DomainError(
            _("Days to answer an introduction: enter a number from 1 to %(max)s.")
            % {"max": MAX_ANSWER_DAYS}
        )


def _check_criteria_weights(criteria_weights: dict[str, Any]) -> None:
    """Every weight names a known criterion and is a whole number in range."""
    for code, weight in criteria_weights.items():
        if code not in Criterion.values:
            raise DomainError(
                _("Criteria weights: unknown criterion “%(value)s”.") % {"value": code}
            )
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= MAX_WEIGHT:
            raise DomainError(
                _(
                    "Criteria weights: the weight of “%(criterion)s” must be a whole number "
                    "from 0 to %(max)s."
                )
                % {"criterion": Criterion(code).label, "max": MAX_WEIGHT}
            )


def _check_hard_rules(hard_rules: list[str]) -> None:
    """Every hard rule is known and the organisation rules do not contradict each other."""
    for rule in hard_rules:
        if rule not in HardRule.values:
            raise DomainError(_("Hard rules: unknown value “%(value)s”.") % {"value": rule})
    if {HardRule.SAME_ORGANIZATION, HardRule.DIFFERENT_ORGANIZATIONS} <= set(hard_rules):
        raise DomainError(
            _(
                "Hard rules: mentors and mentees cannot be both from the same and "
                "from different organisations."
            )
        )


@transaction.atomic
def update_matching_settings(
    *,
    program: Program,
    mode: str,
    criteria_weights: dict[str, int],
    default_mentor_capacity: int,
    hard_rules: list[str],
    priority_groups: list[str],
    women_share_target: int | None,
    answer_days: int | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> MatchingSettings:
    """``answer_days`` None keeps the current value. Deadlines already given to published
    pairs do not move."""
    check_matching_settings(
        mode=mode,
        criteria_weights=criteria_weights,
        default_mentor_capacity=default_mentor_capacity,
        hard_rules=hard_rules,
        priority_groups=priority_groups,
        women_share_target=women_share_target,
        answer_days=answer_days,
    )
    settings, _created = MatchingSettings.objects.get_or_create(program=program)
    settings.mode = mode
    settings.criteria_weights = dict(criteria_weights)
    settings.default_mentor_capacity = default_mentor_capacity
    settings.hard_rules = list(hard_rules)
    settings.priority_groups = list(priority_groups)
    settings.women_share_target = women_share_target
    if answer_days is not None:
        settings.answer_days = answer_days
    settings.save()
    record(
        action="programs.matching_settings.updated",
        actor=actor,
        organization=program.organization,
        target=program,
        data={"mode": mode, "weights": criteria_weights, "hard_rules": hard_rules},
        request=request,
    )
    return settings


@transaction.atomic
def add_objective(
    *,
    program: Program,
    indicator: str,
    target: int,
    unit: str = ObjectiveUnit.PERCENT,
    months: int | None = None,
    deadline: date | None = None,
    rome_domain: str = "",
    field: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Objective:
    if unit == ObjectiveUnit.PERCENT and target > 100:
        raise DomainError(_("Target value: a percentage cannot exceed 100."))
    objective = Objective.objects.create(
        program=program,
        indicator=indicator,
        target=target,
        unit=unit,
        months=months,
        deadline=deadline,
        rome_domain=rome_domain,
        field=field,
    )
    record(
        action="programs.objective.added",
        actor=actor,
        organization=program.organization,
        target=objective,
        request=request,
    )
    return objective


@transaction.atomic
def remove_objective(
    *, objective: Objective, actor: User, request: HttpRequest | None = None
) -> None:
    record(
        action="programs.objective.removed",
        actor=actor,
        organization=objective.program.organization,
        target=objective,
        request=request,
    )
    objective.delete()


def check_edition_dates(
    *,
    applications_open_on: date,
    applications_close_on: date,
    matching_on: date,
    starts_on: date,
    ends_on: date,
) -> None:
    """Refuse dates out of order, naming every field at fault at once (one
    `DomainError` whose `field_errors` are keyed by the edition form's field names)."""
    _edition_date_problems(
        applications_open_on=applications_open_on,
        applications_close_on=applications_close_on,
        matching_on=matching_on,
        starts_on=starts_on,
        ends_on=ends_on,
    ).raise_if_any()


def _edition_date_problems(
    *,
    applications_open_on: date,
    applications_close_on: date,
    matching_on: date,
    starts_on: date,
    ends_on: date,
) -> Problems:
    problems = Problems()
    if applications_close_on < applications_open_on:
        problems.add(
            "applications_close_on",
            _("Applications close on: must not be before the opening date."),
        )
    if matching_on < applications_open_on:
        problems.add("matching_on", _("Matching date: must not be before applications open."))
    if starts_on < matching_on:
        problems.add("starts_on", _("Start: must not be before the matching date."))
    if ends_on <= starts_on:
        problems.add("ends_on", _("End: must be after the start."))
    return problems


@transaction.atomic
def save_edition(  # noqa: PLR0913 — one keyword per field of the edition form (six dates)
    *,
    program: Program,
    edition: Edition | None = None,
    name: str,
    applications_open_on: date,
    applications_close_on: date,
    matching_on: date,
    starts_on: date,
    ends_on: date,
    meetings_per_month: int,
    duration_months: int,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Edition:
    """Create an edition of `program`, or update `edition`, after checking its dates."""
    problems = _edition_date_problems(
        applications_open_on=applications_open_on,
        applications_close_on=applications_close_on,
        matching_on=matching_on,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if not 1 <= meetings_per_month <= 8:
        problems.add("meetings_per_month", _("Meetings per month: enter a number from 1 to 8."))
    if not 1 <= duration_months <= 36:
        problems.add("duration_months", _("Duration: enter a number of months from 1 to 36."))
    problems.raise_if_any()
    created = edition is None
    if edition is None:
        edition = Edition(program=program)
    elif edition.program_id != program.pk:
        raise DomainError(_("This edition belongs to another program."))
    edition.name = name
    edition.applications_open_on = applications_open_on
    edition.applications_close_on = applications_close_on
    edition.matching_on = matching_on
    edition.starts_on = starts_on
    edition.ends_on = ends_on
    edition.meetings_per_month = meetings_per_month
    edition.duration_months = duration_months
    edition.save()
    record(
        action="programs.edition.created" if created else "programs.edition.updated",
        actor=actor,
        organization=program.organization,
        target=edition,
        request=request,
    )
    return edition


@transaction.atomic
def publish_charter(
    *, program: Program, text: str, actor: User, request: HttpRequest | None = None
) -> Charter:
    """Publish a new charter version; participants accept the latest one from now on."""
    if not text.strip():
        raise DomainError(_("Text: the charter cannot be empty."))
    # Lock the program row so that two publications cannot take the same number.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    latest = program.charters.aggregate(v=Max("version"))["v"] or 0
    charter = Charter.objects.create(
        program=program, version=latest + 1, text=text.strip(), published_by=actor
    )
    record(
        action="programs.charter.published",
        actor=actor,
        organization=program.organization,
        target=charter,
        data={"version": charter.version},
        request=request,
    )
    return charter


@transaction.atomic
def add_eligibility_rule(
    *,
    program: Program,
    role: str,
    kind: str,
    number: int | None = None,
    organization_kind: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> EligibilityRule:
    if role not in RuleRole.values:
        raise DomainError(_("Applies to: unknown value “%(value)s”.") % {"value": role})
    if kind in {
        EligibilityKind.MIN_YEARS_EXPERIENCE,
        EligibilityKind.MIN_AGE,
        EligibilityKind.MAX_AGE,
    }:
        if number is None:
            raise DomainError(_("Number: this rule needs a number."))
    elif kind == EligibilityKind.ORGANIZATION_KIND:
        if not organization_kind:
            raise DomainError(_("Kind of organisation: this rule needs a kind of organisation."))
    elif kind != EligibilityKind.MEMBER_OF_PROGRAM_ORGANIZATIONS:
        raise DomainError(_("Rule: unknown value “%(value)s”.") % {"value": kind})
    rule = EligibilityRule.objects.create(
        program=program, role=role, kind=kind, number=number, organization_kind=organization_kind
    )
    record(
        action="programs.eligibility_rule.added",
        actor=actor,
        organization=program.organization,
        target=rule,
        request=request,
    )
    return rule


@transaction.atomic
def remove_eligibility_rule(
    *, rule: EligibilityRule, actor: User, request: HttpRequest | None = None
) -> None:
    record(
        action="programs.eligibility_rule.removed",
        actor=actor,
        organization=rule.program.organization,
        target=rule,
        request=request,
    )
    rule.delete()


@transaction.atomic
def add_question(
    *,
    program: Program,
    label: str,
    kind: str,
    role: str,
    required: bool = False,
    choices: list[str] | None = None,
    help_text: str = "",
    actor: User | None,
    request: HttpRequest | None = None,
) -> CustomQuestion:
    choices = [c.strip() for c in (choices or []) if c.strip()]
    if kind in {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}:
        if len(choices) < 2:
            raise DomainError(_("Choices: give at least two choices, one per line."))
        if len(set(choices)) != len(choices):
            raise DomainError(_("Choices: each choice must be different."))
    else:
        choices = []
    if not label.strip():
        raise DomainError(_("Question: this field is required."))
    position = (program.questions.aggregate(p=Max("position"))["p"] or 0) + 1
    question = CustomQuestion.objects.create(
        program=program,
        label=label.strip(),
        kind=kind,
        role=role,
        required=required,
        choices=choices,
        help_text=help_text,
        position=position,
    )
    record(
        action="programs.question.added",
        actor=actor,
        organization=program.organization,
        target=question,
        request=request,
    )
    return question


@transaction.atomic
def remove_question(
    *, question: CustomQuestion, actor: User, request: HttpRequest | None = None
) -> None:
    """Remove a question; answers already given stay on the applications."""
    record(
        action="programs.question.removed",
        actor=actor,
        organization=question.program.organization,
        target=question,
        request=request,
    )
    question.delete()
