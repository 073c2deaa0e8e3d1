"""The settings a run uses, and their translation into the engine's criteria.

Programs weigh each criterion from 0 to 10 (`MatchingSettings.criteria_weights`); the
engine counts whole points. A criterion's points are the engine's default points times
the program's weight (0 switches the criterion off, a missing weight counts as 1)."""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from matching_engine import Criteria, HardRules, Weights
from mentorat.lib.errors import DomainError
from mentorat.programs.models import Criterion, HardRule, MatchingMode, MatchingSettings

ENGINE_MODES = (MatchingMode.OPTIMAL, MatchingMode.STABLE)
MAX_WEIGHT = 10
MAX_CAPACITY = 20
_DEFAULTS = Weights()
# Program criterion code -> the engine weight it scales.
_WEIGHT_FIELDS = {
    Criterion.FIELD: "field",
    Criterion.ROME_DOMAIN: "domain",
    Criterion.OCCUPATION: "occupation",
    Criterion.SKILLS: "skill",
    Criterion.GOALS: "goal",
    Criterion.REGION: "region",
    Criterion.AVAILABILITY: "availability",
    Criterion.GENDER_PREFERENCE: "gender",
    Criterion.CAREER_CHANGE: "career_change",
    Criterion.SENIORITY: "seniority",
}
# Rules the engine always applies, whatever the program says.
ALWAYS_APPLIED = (HardRule.SAME_REGION_UNLESS_REMOTE, HardRule.COMMON_LANGUAGE)


@dataclass(frozen=True)
class RunParameters:
    mode: str = MatchingMode.OPTIMAL
    weights: dict[str, int] = field(default_factory=dict)
    hard_rules: tuple[str, ...] = ()
    priority_groups: tuple[str, ...] = ()
    default_capacity: int = 1
    women_share_target: int | None = None

    @classmethod
    def from_settings(cls, settings: MatchingSettings | None) -> "RunParameters":
        if settings is None:
            return cls()
        mode = settings.mode if settings.mode in ENGINE_MODES else MatchingMode.OPTIMAL
        return cls(
            mode=mode,
            weights={k: int(v) for k, v in settings.criteria_weights.items()},
            hard_rules=tuple(settings.hard_rules),
            priority_groups=tuple(settings.priority_groups),
            default_capacity=settings.default_mentor_capacity,
            women_share_target=settings.women_share_target,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RunParameters":
        return cls(
            mode=str(data.get("mode", MatchingMode.OPTIMAL)),
            weights={str(k): int(v) for k, v in dict(data.get("weights", {})).items()},
            hard_rules=tuple(data.get("hard_rules", ())),
            priority_groups=tuple(data.get("priority_groups", ())),
            default_capacity=int(data.get("default_capacity", 1)),
            women_share_target=data.get("women_share_target"),
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["hard_rules"] = list(self.hard_rules)
        data["priority_groups"] = list(self.priority_groups)
        return data

    def weight(self, code: str) -> int:
        return int(self.weights.get(code, 1))

    def check(self) -> None:
        """Raise DomainError with a translated message when a value is out of range."""
        if self.mode not in ENGINE_MODES:
            raise DomainError(_("Mode: choose an optimal or a stable matching."))
        for code, weight in self.weights.items():
            if code not in Criterion.values:
                raise DomainError(_("Unknown criterion “%(code)s”.") % {"code": code})
            if not 0 <= weight <= MAX_WEIGHT:
                raise DomainError(
                    _("The weight of “%(criterion)s” must be from 0 to %(max)s.")
                    % {"criterion": Criterion(code).label, "max": MAX_WEIGHT}
                )
        for rule in self.hard_rules:
            if rule not in HardRule.values:
                raise DomainError(_("Unknown hard rule “%(rule)s”.") % {"rule": rule})
        if {HardRule.SAME_ORGANIZATION, HardRule.DIFFERENT_ORGANIZATIONS} <= set(self.hard_rules):
            raise DomainError(
                _("Mentors and mentees cannot be both from the same and different organisations.")
            )
        if not 1 <= self.default_capacity <= MAX_CAPACITY:
            raise DomainError(
                _("Mentees per mentor: enter a number from 1 to %(max)s.") % {"max": MAX_CAPACITY}
            )

    def criteria(self, *, safeguarding_for_minors: bool = False) -> Criteria:
        """The engine's criteria. `safeguarding_for_minors` comes from the program, not
        from the run: a run cannot switch the protection of minors off."""
        points = {
            engine_name: getattr(_DEFAULTS, engine_name) * self.weight(code)
            for code, engine_name in _WEIGHT_FIELDS.items()
        }
        return Criteria(
            weights=Weights(**points),
            rules=HardRules(
                different_organizations=HardRule.DIFFERENT_ORGANIZATIONS in self.hard_rules,
                gender_preference_hard=False,
                same_organization=HardRule.SAME_ORGANIZATION in self.hard_rules,
                mentor_more_experienced=HardRule.MENTOR_MORE_EXPERIENCED in self.hard_rules,
                safeguarding_for_minors=safeguarding_for_minors,
                required_training=HardRule.REQUIRED_TRAINING in self.hard_rules,
            ),
            women_share_target=(
                None if self.women_share_target is None else self.women_share_target / 100
            ),
        )
