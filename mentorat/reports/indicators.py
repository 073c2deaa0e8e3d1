"""The indicator registry: each indicator is one small function from the program's
facts to a `Figure`, so that what a figure means is read in one place.

`Facts` reads each group of numbers once (lazily, one or two queries each) and the
indicators pick from them: the dashboard makes the same number of queries whatever the
size of the program."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import OutcomeStage, Situation
from mentorat.participants.models import PriorityGroup
from mentorat.programs.models import Indicator, Program
from mentorat.reports import selectors
from mentorat.reports.figures import (
    Figure,
    Unit,
    average,
    count,
    nps,
    per_pair_month,
    share,
)
from mentorat.reports.scope import Scope

# Situations that count as "in employment or training" (objectives and outcomes).
EMPLOYED_OR_TRAINING = frozenset(
    {
        Situation.PERMANENT_JOB,
        Situation.FIXED_TERM_JOB,
        Situation.APPRENTICESHIP,
        Situation.INTERNSHIP,
        Situation.FURTHER_STUDIES,
        Situation.BUSINESS_CREATION,
        Situation.CAREER_CHANGE,
    }
)


def report_priority_groups(scope: Scope) -> list[str]:
    """The priority groups the program set, and the one filtered on if another."""
    settings = getattr(scope.program, "matching_settings", None)
    groups = list(settings.priority_groups if settings else [])
    wanted = scope.filters.priority_group
    if wanted and wanted not in groups:
        groups.append(wanted)
    return [g for g in groups if g in PriorityGroup.values]


# "Matched within N days" without N set on the objective.
DEFAULT_WITHIN_DAYS = 30


def matched_within_days(program: Program) -> set[int]:
    """The N of the program's "matched within N days" objectives (read with the
    objectives, which reports prefetch), so that coverage counts them in its own pass."""
    return {
        objective.months or DEFAULT_WITHIN_DAYS
        for objective in program.objectives.all()
        if objective.indicator == Indicator.MATCHED_WITHIN_DAYS
    }


class Facts:
    """The numbers of one scope, each group read from the database on first use."""

    def __init__(self, scope: Scope, *, parent: "Facts | None" = None) -> None:
        self.scope = scope
        # The report's own facts, when these are of a scope narrowed for an objective.
        self._parent = parent
        # Results derived from these facts by other modules (objectives), read once.
        self.derived: dict[str, Any] = {}

    @cached_property
    def application_groups(self) -> list[selectors.ApplicationGroup]:
        domain = self._domain_of_parent
        if domain and self._parent is not None:
            return [r for r in self._parent.application_groups if r.rome_domain == domain]
        return selectors.application_groups(
            self.scope, groups=self._groups, within_days=self._within_days
        )

    @cached_property
    def first_pair_groups(self) -> list[selectors.FirstPairGroup]:
        domain = self._domain_of_parent
        if domain and self._parent is not None:
            return [r for r in self._parent.first_pair_groups if r.rome_domain == domain]
        return selectors.first_pair_groups(
            self.scope, groups=self._groups, within_days=self._within_days
        )

    @cached_property
    def applications(self) -> selectors.ApplicationCounts:
        return selectors.application_counts(self.application_groups)

    @cached_property
    def coverage(self) -> selectors.Coverage:
        return selectors.coverage(
            self.application_groups,
            self.first_pair_groups,
            groups=self._groups,
            within_days=self._within_days,
        )

    @property
    def _domain_of_parent(self) -> str:
        """The occupation domain this scope narrows its parent's to, when that is the
        only difference: its applications and first pairs are then the parent's groups
        of that domain (both are grouped by it), with no query of their own."""
        parent = self._parent
        if parent is None or parent.scope.filters.rome_domain:
            return ""
        narrowed = self.scope.filters.rome_domain
        if narrowed and parent.scope.narrowed(rome_domain=narrowed) == self.scope:
            return narrowed
        return ""

    @property
    def _groups(self) -> list[str]:
        return report_priority_groups(self.scope)

    @property
    def _within_days(self) -> set[int]:
        return matched_within_days(self.scope.program)

    @cached_property
    def activity(self) -> selectors.Activity:
        return selectors.activity_by_month(self.scope)

    @cached_property
    def messages(self) -> selectors.MessageActivity:
        return selectors.message_activity(self.scope)

    @cached_property
    def pairs(self) -> selectors.PairCounts:
        held = sum(self.activity.months.values())
        return selectors.pair_counts(self.scope, meetings_held=held)

    @cached_property
    def health(self) -> dict[HealthState, int]:
        return selectors.health_counts(self.scope)

    @cached_property
    def satisfaction(self) -> selectors.Satisfaction:
        return selectors.satisfaction(self.scope)

    @cached_property
    def recommendation(self) -> selectors.Recommendation:
        return selectors.recommendation(self.scope)

    @cached_property
    def mentor_time(self) -> selectors.MentorTime:
        return selectors.mentor_time(self.scope)

    @cached_property
    def skills(self) -> selectors.SkillProgress:
        return selectors.skill_progress(self.scope)

    @cached_property
    def outcomes(self) -> list[selectors.OutcomeRow]:
        return selectors.outcome_rows(self.scope)


def outcome_share(
    rows: list[selectors.OutcomeRow],
    *,
    stage: str,
    situations: frozenset[str],
    career_changers_only: bool = False,
) -> Figure:
    """Share of the outcomes recorded at `stage` whose situation is in `situations`."""
    whole = part = 0
    for row in rows:
        if row.stage != stage:
            continue
        n = row.career_changers if career_changers_only else row.count
        whole += n
        if row.situation in situations:
            part += n
    return share(part, whole)


class Section(StrEnum):
    APPLICATIONS = "applications"
    PAIRS = "pairs"
    OUTCOMES = "outcomes"
    EQUALITY = "equality"

    @property
    def label(self) -> str:
        labels = {
            Section.APPLICATIONS: _("Applications and right to a mentor"),
            Section.PAIRS: _("Mentorships"),
            Section.OUTCOMES: _("Outcomes"),
            Section.EQUALITY: _("Equality"),
        }
        return str(labels[self])


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    label: Promise
    section: Section
    compute: Callable[[Facts], Figure]
    definition: Promise


@dataclass(frozen=True)
class IndicatorValue:
    indicator: IndicatorDef
    figure: Figure


def _waiting_time(f: Facts) -> Figure:
    c = f.coverage
    return average(c.wait_days_total, c.matched, unit=Unit.DAYS)


def _meetings_per_pair_month(f: Facts) -> Figure:
    p = f.pairs
    return Figure(
        per_pair_month(meetings=p.meetings_held, pair_days=p.pair_days), p.started, Unit.RATE
    )


def _messages_per_pair(f: Facts) -> Figure:
    m = f.messages
    return average(m.messages, m.started, unit=Unit.RATE)


def _at_risk(f: Facts) -> Figure:
    return share(f.health[HealthState.AT_RISK], sum(f.health.values()))


def _satisfaction_average(f: Facts) -> Figure:
    s = f.satisfaction
    return average(s.total, s.respondents, unit=Unit.SCORE)


def _nps(f: Facts) -> Figure:
    r = f.recommendation
    value = nps(promoters=r.promoters, detractors=r.detractors, respondents=r.respondents)
    return Figure(value, r.respondents, Unit.NPS)


def _mentor_hours(f: Facts) -> Figure:
    t = f.mentor_time
    return Figure(t.minutes / 60, t.mentors, Unit.HOURS)


def _skills_progress(f: Facts) -> Figure:
    s = f.skills
    return average(s.end_total - s.start_total, s.ratings, population=s.mentees, unit=Unit.RATE)


def _outcome(stage: str) -> Callable[[Facts], Figure]:
    def compute(f: Facts) -> Figure:
        return outcome_share(f.outcomes, stage=stage, situations=EMPLOYED_OR_TRAINING)

    return compute


def _career_change(f: Facts) -> Figure:
    return outcome_share(
        f.outcomes,
        stage=OutcomeStage.END,
        situations=frozenset({Situation.CAREER_CHANGE}),
        career_changers_only=True,
    )


def _women_in_male_fields(f: Facts) -> Figure:
    return share(f.coverage.male_field_women, f.coverage.male_field_known)


def _men_in_female_fields(f: Facts) -> Figure:
    return share(f.coverage.female_field_men, f.coverage.female_field_known)


A = Section.APPLICATIONS
P = Section.PAIRS
OUT = Section.OUTCOMES
E = Section.EQUALITY

INDICATORS: list[IndicatorDef] = [
    IndicatorDef(
        "mentee_applications",
        _("Mentee applications"),
        A,
        lambda f: count(f.applications.mentee_applications),
        _("Applications to be mentored, whatever their status."),
    ),
    IndicatorDef(
        "mentor_applications",
        _("Mentor applications"),
        A,
        lambda f: count(f.applications.mentor_applications),
        _("Applications to mentor, whatever their status."),
    ),
    IndicatorDef(
        "accepted_mentees",
        _("Accepted mentees"),
        A,
        lambda f: count(f.coverage.accepted),
        _("Mentee applications accepted by the coordinators."),
    ),
    IndicatorDef(
        "mentors_recruited",
        _("Mentors recruited"),
        A,
        lambda f: count(f.applications.accepted_mentors),
        _("Mentor applications accepted by the coordinators."),
    ),
    IndicatorDef(
        "matched_mentees",
        _("Mentees with a mentor"),
        A,
        lambda f: count(f.coverage.matched),
        _("Accepted mentees whose first pair has started (from its start date)."),
    ),
    IndicatorDef(
        "coverage",
        _("Coverage of the right to a mentor"),
        A,
        lambda f: share(f.coverage.matched, f.coverage.accepted),
        _(
            "Share of accepted mentees whose first pair has started (published, and the "
            "edition begun)."
        ),
    ),
    IndicatorDef(
        "waiting_mentees",
        _("Mentees waiting for a mentor"),
        A,
        lambda f: count(f.coverage.waiting),
        _("Accepted mentees whose first pair has not started yet."),
    ),
    IndicatorDef(
        "waiting_time",
        _("Average waiting time for a mentor"),
        A,
        _waiting_time,
        _("Days from the acceptance of a mentee to the start of their first pair."),
    ),
    IndicatorDef(
        "active_pairs",
        _("Active pairs"),
        P,
        lambda f: count(f.pairs.active),
        _("Pairs currently meeting."),
    ),
    IndicatorDef(
        "meetings_per_pair_month",
        _("Meetings per pair per month"),
        P,
        _meetings_per_pair_month,
        _("Meetings held, divided by the months of mentoring of all the pairs."),
    ),
    IndicatorDef(
        "messages_per_pair",
        _("Messages per pair"),
        P,
        _messages_per_pair,
        _(
            "Messages written by the mentors and mentees in their pair's conversation (not "
            "removed), divided by the pairs started. In the health rules a message counts "
            "as contact, with less weight than a meeting."
        ),
    ),
    IndicatorDef(
        "pairs_without_contact",
        _("Pairs with no contact at all"),
        P,
        lambda f: count(f.messages.no_contact),
        _("Pairs started that have held no meeting and exchanged no message since."),
    ),
    IndicatorDef(
        "at_risk_share",
        _("Share of pairs at risk"),
        P,
        _at_risk,
        _("Active pairs at risk according to the follow-up rules."),
    ),
    IndicatorDef(
        "satisfaction",
        _("Average satisfaction"),
        P,
        _satisfaction_average,
        _("Latest satisfaction (1 to 5) given by each person in their check-ins."),
    ),
    IndicatorDef(
        "satisfied_share",
        _("Share of participants satisfied"),
        P,
        lambda f: share(f.satisfaction.satisfied, f.satisfaction.respondents),
        _("People whose latest satisfaction is 4 or 5 out of 5."),
    ),
    IndicatorDef(
        "nps",
        _("Net promoter score"),
        P,
        _nps,
        _("Share who would recommend the program (9–10) minus share who would not (0–6)."),
    ),
    IndicatorDef(
        "completion_rate",
        _("Completion rate"),
        P,
        lambda f: share(f.pairs.completed, f.pairs.ended),
        _("Ended pairs that went to the end of the edition or reached their goals."),
    ),
    IndicatorDef(
        "mentor_hours",
        _("Mentor hours"),
        P,
        _mentor_hours,
        _("Hours of sessions logged by the pairs."),
    ),
    IndicatorDef(
        "skills_progress",
        _("Skills progress"),
        P,
        _skills_progress,
        _("Average change of the mentees' self-assessed level (1 to 5) from start to end."),
    ),
    IndicatorDef(
        "employed_or_training_end",
        _("In employment or training at the end"),
        OUT,
        _outcome(OutcomeStage.END),
        _("Share of mentees in a job, work-study, internship, studies or their own business."),
    ),
    IndicatorDef(
        "employed_or_training_six_months",
        _("In employment or training six months later"),
        OUT,
        _outcome(OutcomeStage.SIX_MONTHS),
        _("The same, six months after the end of the mentorship."),
    ),
    IndicatorDef(
        "career_change_success",
        _("Successful career changes"),
        OUT,
        _career_change,
        _("Share of mentees changing careers who succeeded at the end of the mentorship."),
    ),
    IndicatorDef(
        "women_mentees",
        _("Share of women among mentees"),
        E,
        lambda f: share(f.coverage.women, f.coverage.gender_known),
        _("Accepted mentees who gave their gender."),
    ),
    IndicatorDef(
        "women_mentors",
        _("Share of women among mentors"),
        E,
        lambda f: share(
            f.applications.accepted_mentors_women, f.applications.accepted_mentors_gender_known
        ),
        _("Accepted mentors who gave their gender."),
    ),
    IndicatorDef(
        "mixed_pairs",
        _("Share of mixed pairs"),
        E,
        lambda f: share(f.pairs.mixed, f.pairs.genders_known),
        _("Pairs of a woman and a man, among pairs where both gave their gender."),
    ),
    IndicatorDef(
        "women_in_male_fields",
        _("Women among mentees in traditionally male fields"),
        E,
        _women_in_male_fields,
        _("Construction, industry, installation and maintenance, transport and logistics."),
    ),
    IndicatorDef(
        "men_in_female_fields",
        _("Men among mentees in traditionally female fields"),
        E,
        _men_in_female_fields,
        _("Health and personal care services."),
    ),
]
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
# Shown only to gender-diversity programs (mixité des métiers).
GENDER_DIVERSITY_ONLY = frozenset({"women_in_male_fields", "men_in_female_fields"})


def compute(facts: Facts, codes: list[str] | None = None) -> list[IndicatorValue]:
    chosen = INDICATORS if codes is None else [BY_CODE[c] for c in codes]
    return [IndicatorValue(indicator, indicator.compute(facts)) for indicator in chosen]
