"""Ready-made templates per program type: objectives, criteria weights and rhythm that a
new program starts from (the coordinator then adapts them)."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mentorat.participants.models import PriorityGroup
from mentorat.programs.models import (
    Criterion,
    HardRule,
    Indicator,
    MatchingMode,
    ObjectiveUnit,
    ProgramKind,
)


@dataclass(frozen=True)
class ObjectiveTemplate:
    indicator: Indicator
    target: int
    months: int | None = None
    unit: ObjectiveUnit = ObjectiveUnit.PERCENT
    rome_domain: str = ""


@dataclass(frozen=True)
class ProgramTemplate:
    kind: ProgramKind
    objectives: tuple[ObjectiveTemplate, ...]
    criteria_weights: dict[str, int]
    meetings_per_month: int
    duration_months: int
    mode: MatchingMode = MatchingMode.OPTIMAL
    default_mentor_capacity: int = 1
    hard_rules: tuple[HardRule, ...] = ()
    priority_groups: tuple[PriorityGroup, ...] = ()
    women_share_target: int | None = None
    charter: Promise = field(
        default=_(
            "As a participant I commit to: attend the planned meetings or warn in advance; "
            "respect the confidentiality of what is shared; stay benevolent and respectful; "
            "tell the coordinator about any difficulty; never ask for or give money."
        )
    )


_BASE = {c.value: 1 for c in Criterion}

TEMPLATES: dict[str, ProgramTemplate] = {
    ProgramKind.STUDENT_INSERTION: ProgramTemplate(
        kind=ProgramKind.STUDENT_INSERTION,
        objectives=(
            ObjectiveTemplate(Indicator.SUPPORTED_MONTHS, 80, months=6),
            ObjectiveTemplate(Indicator.EMPLOYED_OR_TRAINING, 70, months=6),
            ObjectiveTemplate(Indicator.MATCHED_WITHIN_DAYS, 90, months=30),
        ),
        criteria_weights=_BASE
        | {"field": 5, "rome_domain": 4, "occupation": 4, "skills": 3, "goals": 3},
        meetings_per_month=2,
        duration_months=6,
        hard_rules=(HardRule.DIFFERENT_ORGANIZATIONS,),
        priority_groups=(PriorityGroup.SCHOLARSHIP_HOLDER, PriorityGroup.FIRST_GENERATION),
    ),
    ProgramKind.INTERNAL: ProgramTemplate(
        kind=ProgramKind.INTERNAL,
        objectives=(
            ObjectiveTemplate(Indicator.SUPPORTED_MONTHS, 90, months=3),
            ObjectiveTemplate(Indicator.SATISFACTION, 80),
        ),
        criteria_weights=_BASE | {"occupation": 5, "skills": 4, "availability": 3, "seniority": 3},
        meetings_per_month=2,
        duration_months=3,
        default_mentor_capacity=2,
        hard_rules=(HardRule.SAME_ORGANIZATION, HardRule.MENTOR_MORE_EXPERIENCED),
    ),
    ProgramKind.CAREER_CHANGE: ProgramTemplate(
        kind=ProgramKind.CAREER_CHANGE,
        objectives=(
            ObjectiveTemplate(Indicator.SUPPORTED_MONTHS, 80, months=6),
            ObjectiveTemplate(Indicator.EMPLOYED_OR_TRAINING, 60, months=6),
        ),
        criteria_weights=_BASE
        | {"occupation": 5, "rome_domain": 5, "career_change": 4, "goals": 3, "region": 2},
        meetings_per_month=1,
        duration_months=9,
        mode=MatchingMode.SELF_MATCHING,
        priority_groups=(PriorityGroup.JOBSEEKER,),
    ),
    ProgramKind.GENDER_DIVERSITY: ProgramTemplate(
        kind=ProgramKind.GENDER_DIVERSITY,
        objectives=(
            ObjectiveTemplate(Indicator.WOMEN_SHARE, 50, rome_domain="H"),
            ObjectiveTemplate(Indicator.SUPPORTED_MONTHS, 80, months=6),
        ),
        criteria_weights=_BASE | {"rome_domain": 5, "gender_preference": 5, "occupation": 3},
        meetings_per_month=2,
        duration_months=6,
        mode=MatchingMode.STABLE,
        priority_groups=(PriorityGroup.VOCATIONAL_PUPIL,),
        women_share_target=50,
    ),
    ProgramKind.CUSTOM: ProgramTemplate(
        kind=ProgramKind.CUSTOM,
        objectives=(),
        criteria_weights=dict(_BASE),
        meetings_per_month=2,
        duration_months=6,
    ),
}


def template_for(kind: str) -> ProgramTemplate:
    return TEMPLATES[ProgramKind(kind)]
