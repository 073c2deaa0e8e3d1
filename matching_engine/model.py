"""Engine inputs and outputs: frozen dataclasses holding numpy column arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
I32 = NDArray[np.int32]
U64 = NDArray[np.uint64]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]

# Exclusion reason codes stored with excluded pairs.
EXCLUDED = 1
PREVIOUS = 2
CONFLICT = 3

# Limits of the numbers read from input files and criteria, far above any real program and
# low enough that every column fits its integer type and that score × number of pairs (the
# optimal mode's priority and coverage tiers) stays within 64-bit integers.
#: whole numbers in CSV cells: capacity, experience_years, ranks.
MAX_WHOLE = 1_000_000
#: absolute value of a score in a pairs file (``--pairs``).
MAX_PAIR_SCORE = 10_000
#: points of one criterion in ``[weights]``.
MAX_POINTS = 1_000
#: ``[weights]`` counts (``skill_max``, ``goal_max``, ``availability_max``) and
#: ``rules.seniority_min_gap`` (years).
MAX_COUNT = 100


class EngineInputError(ValueError):
    """Invalid engine input; ``row`` is the 0-based record index, ``column`` the field name."""

    def __init__(
        self, code: str, *, row: int | None = None, column: str | None = None, **params: object
    ) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.column = column
        self.params = params


@dataclass(frozen=True)
class Weights:
    """Integer points per criterion; every explanation part is one of these."""

    field: int = 30
    domain: int = 15
    occupation: int = 20
    skill: int = 8
    skill_max: int = 3
    goal: int = 10
    goal_max: int = 2
    region: int = 10
    availability: int = 2
    availability_max: int = 5
    gender: int = 10
    career_change: int = 10
    seniority: int = 5

    def max_score(self) -> int:
        """Highest score a pair can reach with these weights."""
        return (
            max(self.field, self.domain)
            + self.occupation
            + self.skill * self.skill_max
            + self.goal * self.goal_max
            + self.region
            + self.availability * self.availability_max
            + self.gender
            + self.career_change
            + self.seniority
        )


@dataclass(frozen=True)
class HardRules:
    """Rules that make a pair unacceptable (languages and place are always hard).

    Rule names are the platform's (``mentorat.programs.models.HardRule``): these fields, plus
    ``same_region_unless_remote`` and ``common_language`` for the two rules always applied.
    They name the masks of ``scoring.rule_masks``, the codes of unmatched reasons (``rule_``
    + name for an alternative) and ``RankedMentor.broken``."""

    different_organizations: bool = True
    gender_preference_hard: bool = False
    seniority_min_gap: int = 3
    #: internal programs: mentee and mentor of the same (known) organization.
    same_organization: bool = False
    #: mentor's experience strictly above the mentee's (unknown mentee experience counts as 0,
    #: a mentor with unknown experience fails).
    mentor_more_experienced: bool = False
    #: a mentee marked ``minor`` is paired only with a mentor whose safeguarding check
    #: (``safeguarding_checked``: criminal record extract, honourability certificate…) is
    #: recorded; adults are not concerned.
    safeguarding_for_minors: bool = False
    #: only mentors marked ``trained`` (they completed the training modules the program
    #: requires before matching) are paired at all.
    required_training: bool = False


#: Names from before the engine took the platform's vocabulary, still accepted: old key of
#: ``[rules]`` in a criteria file -> current key (documented in docs/matching-engine.md).
RULE_ALIASES = {
    "cross_organisation": "different_organizations",
    "same_organisation": "same_organization",
}
#: Old column name of a mentees/mentors file (or row key) -> current name.
COLUMN_ALIASES = {"organisation": "organization"}


@dataclass(frozen=True)
class Criteria:
    """What the engine optimises (weights, targets) and what it must respect (rules)."""

    weights: Weights = field(default_factory=Weights)
    rules: HardRules = field(default_factory=HardRules)
    #: priority/parity group name -> minimum share of the group to match (0..1).
    parity_targets: tuple[tuple[str, float], ...] = ()
    #: minimum share of women (gender F) among matched mentees (0..1), or None.
    women_share_target: float | None = None


@dataclass(frozen=True)
class Vocabulary:
    """Display labels for integer codes (index = code)."""

    fields: tuple[str, ...]
    occupations: tuple[str, ...]
    skills: tuple[str, ...]
    goals: tuple[str, ...]
    languages: tuple[str, ...]
    regions: tuple[str, ...]
    organizations: tuple[str, ...]
    groups: tuple[str, ...]
    #: partnerships named by mentees' ``partnerships`` and mentors' ``reserved_for``.
    partnerships: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profiles:
    """Columns shared by mentees and mentors; -1 means unknown for integer codes."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    field: I32
    domain: I32  # 0..13 for ROME letters A..N
    occupation: I32
    skills: U64  # shape (n, words)
    goals: U64
    languages: U64
    region: I32
    remote: BoolArray
    availability: U64  # bit day*3 + slot
    gender: I32  # 0 unknown, 1 F, 2 M, 3 X
    organization: I32
    experience: I32  # years, -1 unknown

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class MenteeTable(Profiles):
    """Mentee profiles, one entry per mentee in every column, plus what only mentees have."""

    preferred_gender: I32 = field(default_factory=lambda: np.zeros(0, np.int32))
    wants_career_changer: BoolArray = field(default_factory=lambda: np.zeros(0, bool))
    priority: BoolArray = field(default_factory=lambda: np.zeros(0, bool))
    groups: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))
    #: under 18: with ``HardRules.safeguarding_for_minors``, only checked mentors.
    minor: BoolArray = field(default_factory=lambda: np.zeros(0, bool))
    #: bitset of the partnerships (``Vocabulary.partnerships``) the mentee belongs to: the
    #: places reserved for them are open to the mentee.
    partnerships: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))


@dataclass(frozen=True)
class MentorTable(Profiles):
    """Mentor profiles, one entry per mentor in every column, plus capacity."""

    capacity: I32 = field(default_factory=lambda: np.zeros(0, np.int32))
    career_changer: BoolArray = field(default_factory=lambda: np.zeros(0, bool))
    #: a safeguarding check of the mentor is recorded (see ``HardRules``).
    safeguarding_checked: BoolArray = field(default_factory=lambda: np.zeros(0, bool))
    #: completed the training modules the program requires (see ``HardRules``).
    trained: BoolArray = field(default_factory=lambda: np.zeros(0, bool))
    #: how many of the mentor's ``capacity`` places are reserved for mentees of the
    #: partnership ``reserved_for`` (a code of ``Vocabulary.partnerships``, -1 for none);
    #: the other places are open to every eligible mentee.
    reserved_places: I32 = field(default_factory=lambda: np.zeros(0, np.int32))
    reserved_for: I32 = field(default_factory=lambda: np.zeros(0, np.int32))


@dataclass(frozen=True)
class PairTable:
    """Explicit acceptable pairs (``--pairs``): scores replace profile scoring."""

    mentee: IntArray
    mentor: IntArray
    score: FloatArray
    mentee_rank: FloatArray  # nan when absent; 1 = most preferred
    mentor_rank: FloatArray


@dataclass(frozen=True)
class Problem:
    """Everything a solve reads: profiles, labels, criteria, locked and excluded pairs, and
    the explicit pairs table when scores are provided (built by ``build_problem``)."""

    mentees: MenteeTable
    mentors: MentorTable
    vocab: Vocabulary
    criteria: Criteria
    locked_mentee: IntArray
    locked_mentor: IntArray
    #: sorted keys mentee * n_mentors + mentor, with reason codes EXCLUDED/PREVIOUS/CONFLICT.
    excluded_keys: IntArray
    excluded_reason: NDArray[np.int8]
    pairs: PairTable | None = None

    @property
    def n_mentees(self) -> int:
        """Number of mentees."""
        return len(self.mentees)

    @property
    def n_mentors(self) -> int:
        """Number of mentors."""
        return len(self.mentors)

    def free_capacity(self) -> I32:
        """Mentor capacity left after locked pairs."""
        cap = self.mentors.capacity.astype(np.int32).copy()
        np.subtract.at(cap, self.locked_mentor, 1)
        return cap


@dataclass(frozen=True)
class Part:
    """One criterion's contribution to a pair's score."""

    code: str
    points: float
    fr: str
    en: str

    def text(self, lang: str = "fr") -> str:
        """The label in ``lang`` ("en", else French)."""
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True)
class Explanation:
    """A pair's score broken down by criterion."""

    parts: tuple[Part, ...]

    @property
    def total(self) -> float:
        """Sum of the parts: the pair's score."""
        return float(sum(p.points for p in self.parts))

    def text(self, lang: str = "fr") -> str:
        """The non-zero parts with their points, e.g. "Même région (Bretagne) +10", and the
        notes (``NOTES``: no points, e.g. "Place réservée au partenariat Lycée Rabelais")."""
        return " · ".join(
            p.text(lang) if p.code in NOTES else f"{p.text(lang)} {signed_points(p.points)}"
            for p in self.parts
            if p.points or p.code in NOTES
        )


#: Explanation parts that carry no points and are shown as a plain note.
NOTES = frozenset({"reserved_place"})


def signed_points(points: float) -> str:
    """Points as an explanation shows them after a part's label: "+5", "-2", "+2.5"."""
    value = int(points) if float(points).is_integer() else points
    return f"+{value}" if points >= 0 else str(value)


@dataclass(frozen=True)
class Reason:
    """Why a mentee is unmatched: a stable code and its French and English sentences."""

    code: str
    fr: str
    en: str

    def text(self, lang: str = "fr") -> str:
        """The sentence in ``lang`` ("en", else French)."""
        return self.en if lang == "en" else self.fr


#: ParityReport.group of the women-share target (share of women among matched mentees).
WOMEN = "women"


@dataclass(frozen=True)
class ParityReport:
    """``matched`` of ``size`` reached the target share; for a group target ``size`` is the
    group, for the women-share target (group ``WOMEN``) it is every matched mentee and
    ``matched`` the women among them. ``best``: the most the optimal mode could reach while
    keeping priority mentees and coverage at their maximum (None when not computed)."""

    group: str
    target: float
    size: int
    matched: int
    best: int | None = None

    @property
    def share(self) -> float:
        """Share reached (1.0 for an empty group)."""
        return self.matched / self.size if self.size else 1.0

    @property
    def met(self) -> bool:
        """Whether the share reached the target."""
        return self.share + 1e-12 >= self.target


@dataclass(frozen=True)
class ReservedReport:
    """Places reserved for mentees of ``partnership`` (over all its mentors), and how many
    of them a mentee of the partnership holds; the others are left empty."""

    partnership: str
    places: int
    filled: int

    @property
    def empty(self) -> int:
        """Reserved places left empty."""
        return self.places - self.filled


@dataclass(frozen=True)
class Summary:
    """Totals of a result: how many mentees (priority ones too) were matched, the scores,
    the time taken and, when the solver proved them, bounds of the best total score."""

    mode: str
    mentees: int
    matched: int
    priority_total: int
    priority_matched: int
    total_score: float
    mean_score: float
    seconds: float
    #: set to total_score when optimality over the full pair graph was proven by prices.
    score_bound: float | None = None
    #: proven upper bound of the best total score over all pairs (priority and coverage
    #: proven maximal), when the national-scale solver stopped at a proven ratio.
    upper_bound: float | None = None
    #: per partnership with reserved places: places reserved and filled.
    reserved: tuple[ReservedReport, ...] = ()

    @property
    def proven_ratio(self) -> float | None:
        """Total score / proven upper bound of the optimum (1.0 when proven optimal)."""
        if self.upper_bound is None:
            return None
        return self.total_score / self.upper_bound if self.upper_bound > 0 else 1.0

    @property
    def coverage(self) -> float:
        """Share of mentees matched (1.0 when there are none)."""
        return self.matched / self.mentees if self.mentees else 1.0
