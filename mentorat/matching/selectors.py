"""Reads for the matching pages: runs, summaries, the proposals table, comparisons."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.matching import figures, pairs
from mentorat.matching.inputs import mentor_capacities
from mentorat.matching.models import (
    MatchRun,
    MentorCapacity,
    MentorRequest,
    Proposal,
    ProposalOrigin,
    RequestStatus,
    RunStatus,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.publication import default_capacity
from mentorat.mentorships.models import Mentorship, MentorshipStatus, PairAnswer
from mentorat.organizations.models import Organization
from mentorat.participants.models import Gender, PriorityGroup
from mentorat.programs.models import (
    Edition,
    MatchingMode,
    MatchingSettings,
    ParticipantRole,
    Program,
)
from mentorat.reference.rome import ROME_DOMAINS

if TYPE_CHECKING:
    from mentorat.mentorships.models import Mentorship


def runs_of(*, program: Program) -> QuerySet[MatchRun]:
    return (
        MatchRun.objects.filter(edition__program=program)
        .select_related("edition", "started_by")
        .order_by("-created_at", "-pk")
    )


def proposed_pairs(runs: list[MatchRun]) -> dict[int, int]:
    """The number of pairs each run proposes now (hand changes included): from the counts
    stored on the run (`figures`), so that the list of runs does not count the 200,000
    proposals of each national run at every view; the runs that did not store them
    (written before, or without proposals) are counted in one query."""
    out: dict[int, int] = {}
    missing = []
    for run in runs:
        counts = figures.stored(run)
        if counts is None:
            missing.append(run.pk)
        else:
            out[run.pk] = sum(int(row[5]) for row in counts["groups"])
    if missing:
        counted = (
            Proposal.objects.filter(run_id__in=missing, mentor__isnull=False)
            .values_list("run_id")
            .annotate(n=Count("pk"))
            .values_list("run_id", "n")
        )
        out |= dict.fromkeys(missing, 0) | dict(counted)
    return out


# Runs whose worker died -----------------------------------------------------------------------


def stale_after() -> timedelta:
    return timedelta(seconds=settings.MATCHING_RUN_STALE_SECONDS)


def stale_reason(run: MatchRun, *, now: datetime | None = None) -> str | None:
    """Why a queued or running run will never end, or None: running without a heartbeat
    for `stale_after()`, or queued whose task already ended. Reads only; the worker's
    sweep and `manage.py matching_requests` record the failure
    (`services.runs.expire_stale_runs`)."""
    if run.status == RunStatus.RUNNING:
        beat = run.heartbeat_at or run.started_at or run.created_at
        if (now or timezone.now()) - beat > stale_after():
            return _("The worker stopped during the run.")
    elif run.status == RunStatus.QUEUED and run.task_id and _task_ended(run.task_id):
        return _("The task ended without running the matching.")
    return None


def _task_ended(task_id: str) -> bool:
    try:
        result = default_task_backend.get_result(task_id)
    except Exception:  # unknown to the backend (purged, another backend): not ended
        return False
    return bool(result.is_finished)


def shown_as_failed_if_stale(run: MatchRun) -> MatchRun:
    """The run as a coordinator should see it: a dead run looks failed, with its reason
    (and can be retried), before the sweep records it. Changes the instance in memory
    only — a page load writes nothing."""
    reason = stale_reason(run)
    if reason is not None:
        run.status = RunStatus.FAILED
        run.error = reason
    return run


@dataclass
class Breakdown:
    label: str
    eligible: int = 0
    matched: int = 0

    @property
    def share(self) -> float:
        return 100 * self.matched / self.eligible if self.eligible else 0.0


@dataclass
class RunSummary:
    """The figures of a run's summary, all from its current proposals and the places it
    had to offer, so that they add up: `matched + unmatched == eligible`,
    `places_after == capacity - matched`, the `load` table counts `mentors` mentors and
    `matched` mentees."""

    eligible: int = 0
    matched: int = 0
    total_score: float = 0.0
    #: mentors who had a free place when the run read its participants, and those places
    mentors: int = 0
    capacity: int = 0
    #: (number of mentees, number of mentors having that many)
    load: list[tuple[int, int]] = field(default_factory=list)
    by_organization: list[Breakdown] = field(default_factory=list)
    by_field: list[Breakdown] = field(default_factory=list)
    by_gender: list[Breakdown] = field(default_factory=list)
    by_priority: list[Breakdown] = field(default_factory=list)
    reasons: list[tuple[str, int]] = field(default_factory=list)
    women_share_target: int | None = None
    women_matched_share: float | None = None
    #: unmatched mentees whose reason is that every compatible mentor is full
    full: int = 0
    #: some proposals were changed by hand since the engine gave its reasons
    changed_by_hand: bool = False

    @property
    def places_after(self) -> int:
        """Free places left once the proposed pairs are counted."""
        return self.capacity - self.matched

    @property
    def full_with_places_left(self) -> bool:
        """Mentees are unmatched because their compatible mentors are full while places
        are left: those places are with mentors that a rule rules out for them."""
        return bool(self.full and self.places_after)

    @property
    def coverage(self) -> float:
        return 100 * self.matched / self.eligible if self.eligible else 0.0

    @property
    def mean_score(self) -> float:
        return self.total_score / self.matched if self.matched else 0.0

    @property
    def unmatched(self) -> int:
        return self.eligible - self.matched


def _places_before(run: MatchRun, *, default: int) -> dict[int, int]:
    """For runs that did not store what they offered: each mentor's free places before
    the run, rebuilt as their capacity minus their active pairs other than those this
    run published; mentors without a free place left out (as the run left them out)."""
    capacities = mentor_capacities(edition=run.edition, default=default)
    taken = Counter(
        Mentorship.objects.filter(edition=run.edition, status=MentorshipStatus.ACTIVE)
        .exclude(introduction__run=run)
        .values_list("mentor_application_id", flat=True)
    )
    places = {pk: cap - taken.get(pk, 0) for pk, cap in capacities.items()}
    return {pk: n for pk, n in places.items() if n > 0}


def _sorted(groups: dict[str, Breakdown]) -> list[Breakdown]:
    return sorted(groups.values(), key=lambda b: (-b.eligible, b.label))


def _mentor_load(
    run: MatchRun, summary: RunSummary, loads: list[list[int]], parameters: RunParameters
) -> Counter[int]:
    """How many mentors have each number of mentees (with none included); sets the
    summary's mentors and places offered."""
    if "places" in run.summary:
        # Stored by the run: mentors who had a free place, and those places (existing
        # pairs already counted), so an incremental run does not show places taken.
        per_count = Counter({int(n): int(k) for n, k in loads})
        loaded = sum(per_count.values())
        summary.mentors = int(run.summary.get("mentors", 0))
        summary.capacity = int(run.summary["places"])
        # A pair set by hand after a capacity was raised may go beyond what the run
        # offered: the offer then counts it, so that the figures still add up.
        summary.mentors = max(summary.mentors, loaded)
        summary.capacity = max(summary.capacity, summary.matched)
        per_count[0] += summary.mentors - loaded
    else:  # runs saved before these figures were stored
        load = mentor_loads(run=run)
        capacities = _places_before(run, default=parameters.default_capacity)
        summary.mentors = len(capacities)
        summary.capacity = sum(capacities.values())
        per_count = Counter(load.get(pk, 0) for pk in capacities)
        for pk in load:
            if pk not in capacities:
                per_count[load[pk]] += 1
                summary.mentors += 1
                summary.capacity += load[pk]
        summary.capacity = max(summary.capacity, summary.matched)
    return per_count


def run_summary(*, run: MatchRun, language: str = "fr") -> RunSummary:
    """Coverage, mean score, mentor load and breakdowns, from the run's current
    proposals (so hand changes show): the counts stored on the run when it was written
    and after each change by hand (`figures`), so that a national run (200,000
    proposals) is not grouped again on every view; the page adds up groups."""
    parameters = RunParameters.from_json(run.parameters)
    program = run.edition.program
    uses_gender = parameters.women_share_target is not None or bool(
        parameters.weight("gender_preference") and program.kind == "gender_diversity"
    )
    domains = dict(ROME_DOMAINS)
    genders = dict(Gender.choices)
    groups_wanted = set(parameters.priority_groups)
    priority_labels = dict(PriorityGroup.choices)
    summary = RunSummary(women_share_target=parameters.women_share_target)
    by_org: dict[str, Breakdown] = {}
    by_field: dict[str, Breakdown] = {}
    by_gender: dict[str, Breakdown] = {}
    by_priority: dict[str, Breakdown] = {}
    reasons: Counter[str] = Counter()
    matched_women = 0
    # The counts stored when the run was written (and after each change by hand), else
    # counted now (runs written before they were stored).
    counts = figures.stored(run, fresh=True) or figures.count(run)
    org_ids = {row[0] for row in counts["groups"] if row[0] is not None}
    org_names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    for org, domain, gender, priority, n, matched, score, manual in counts["groups"]:
        summary.changed_by_hand |= bool(manual)
        summary.eligible += n
        keys: list[tuple[dict[str, Breakdown], str]] = [
            (by_org, org_names.get(org) or _("No organisation")),
            (by_field, str(domains.get(domain or "", _("Not specified")))),
        ]
        if uses_gender:
            keys.append((by_gender, str(genders.get(gender or "", _("Not specified")))))
        keys += [
            (by_priority, str(priority_labels.get(g, g)))
            for g in priority or []
            if g in groups_wanted
        ]
        for table, label in keys:
            entry = table.setdefault(label, Breakdown(label))
            entry.eligible += n
            entry.matched += matched
        summary.matched += matched
        summary.total_score += score or 0.0
        if gender == Gender.WOMAN:
            matched_women += matched
    key = "en" if language == "en" else "fr"
    for reason, n in counts["reasons"]:
        reasons[str((reason or {}).get(key, "")) or "—"] += n
        summary.full += n if (reason or {}).get("code") == "full" else 0
    per_count = _mentor_load(run, summary, counts["loads"], parameters)
    summary.load = sorted((n, k) for n, k in per_count.items() if k)
    summary.by_organization = _sorted(by_org)
    summary.by_field = _sorted(by_field)
    summary.by_gender = _sorted(by_gender)
    summary.by_priority = _sorted(by_priority)
    summary.reasons = reasons.most_common()
    if parameters.women_share_target is not None and summary.matched:
        summary.women_matched_share = 100 * matched_women / summary.matched
    return summary


# Proposals table -----------------------------------------------------------------------------

SORTS = {
    "mentee": ("mentee__user__last_name", "mentee__user__first_name", "pk"),
    "-mentee": ("-mentee__user__last_name", "-mentee__user__first_name", "-pk"),
    "mentor": ("mentor__user__last_name", "mentor__user__first_name", "pk"),
    "-mentor": ("-mentor__user__last_name", "-mentor__user__first_name", "-pk"),
    "score": ("score", "pk"),
    "-score": ("-score", "pk"),
    "organization": ("mentee__organization__name", "pk"),
    "-organization": ("-mentee__organization__name", "pk"),
}
#: The same orders on the sort keys written with the proposals (`figures`), each read
#: from an index.
KEYED_SORTS = {
    "mentee": ("mentee_order", "pk"),
    "-mentee": ("-mentee_order", "-pk"),
    "mentor": ("mentor_order", "pk"),
    "-mentor": ("-mentor_order", "-pk"),
    "score": ("score", "pk"),
    "-score": ("-score", "pk"),
    "organization": ("organization_order", "pk"),
    "-organization": ("-organization_order", "pk"),
}


@dataclass
class ProposalFilters:
    search: str = ""
    state: str = ""  # matched / unmatched / locked / manual
    organization_id: int | None = None
    rome_domain: str = ""
    sort: str = "mentee"


def proposals_of(*, run: MatchRun, filters: ProposalFilters) -> QuerySet[Proposal]:
    """The run's proposals, filtered and sorted, with what the table shows joined in."""
    qs = Proposal.objects.filter(run=run)
    if filters.search:
        term = filters.search
        qs = qs.filter(
            Q(mentee__user__first_name__icontains=term)
            | Q(mentee__user__last_name__icontains=term)
            | Q(mentor__user__first_name__icontains=term)
            | Q(mentor__user__last_name__icontains=term)
        )
    if filters.state == "matched":
        qs = qs.filter(mentor__isnull=False)
    elif filters.state == "unmatched":
        qs = qs.filter(mentor__isnull=True)
    elif filters.state == "locked":
        qs = qs.filter(is_locked=True)
    elif filters.state == "manual":
        qs = qs.filter(origin=ProposalOrigin.MANUAL)
    if filters.organization_id:
        qs = qs.filter(mentee__organization_id=filters.organization_id)
    if filters.rome_domain:
        qs = qs.filter(mentee__user__profile__rome_domain=filters.rome_domain)
    sorts = KEYED_SORTS if figures.has_sort_keys(run) else SORTS
    order = sorts.get(filters.sort, sorts["mentee"])
    return qs.select_related(
        "mentee__user",
        "mentee__user__profile",
        "mentee__organization",
        "mentor__user",
        "mentor__organization",
    ).order_by(*order)


class _KnownCount(Paginator):  # type: ignore[type-arg]
    """A paginator told the number of rows (counted when the run was written)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached property, set


def stored_count(run: MatchRun, filters: ProposalFilters) -> int | None:
    """The number of proposals the filters keep, from the counts stored on the run (None
    when they were not stored or the filters need the database)."""
    counts = figures.stored(run)
    if counts is None or filters.search or filters.organization_id or filters.rome_domain:
        return None
    eligible = sum(int(row[4]) for row in counts["groups"])
    matched = sum(int(row[5]) for row in counts["groups"])
    return {"": eligible, "matched": matched, "unmatched": eligible - matched}.get(filters.state)


def proposal_page(
    *, run: MatchRun, filters: ProposalFilters, number: Any, per_page: int = 50
) -> "Page[Proposal]":
    """One page of `proposals_of`, in at most three queries whatever the run's size: the
    count (none when the run stored it), the page's ids, then those rows with what the
    table shows. The ids are read from the index of the sort key written with each
    proposal (runs written before: sorted on narrow rows of ids and names), from the end
    when the page is in the second half, so that no page walks more than half the run."""
    ordered = proposals_of(run=run, filters=filters)
    ids = ordered.values_list("pk", flat=True)
    count = stored_count(run, filters)
    paginator = Paginator(ids, per_page) if count is None else _KnownCount(ids, per_page, count)
    page = paginator.get_page(number)
    start = (page.number - 1) * per_page
    end = min(start + per_page, paginator.count)
    if figures.has_sort_keys(run) and start > paginator.count // 2:
        # Reversed order, offset from the end; read back to front.
        backwards = ids.reverse()[paginator.count - end : paginator.count - start]
        wanted = list(reversed(list(backwards)))
    else:
        wanted = list(page.object_list)
    found = {
        p.pk: p
        for p in proposals_of(run=run, filters=ProposalFilters()).filter(pk__in=wanted).order_by()
    }
    # The page of ids, holding the proposals instead (same number, same paginator).
    rows: Page[Proposal] = Page(
        [found[pk] for pk in wanted if pk in found],
        page.number,
        paginator,  # type: ignore[arg-type]
    )
    return rows


def proposal_of(*, run: MatchRun, mentee_id: int) -> Proposal | None:
    return (
        Proposal.objects.filter(run=run, mentee_id=mentee_id)
        .select_related(
            "mentee__user",
            "mentee__user__profile",
            "mentee__organization",
            "mentor__user",
            "mentor__user__profile",
            "mentor__organization",
        )
        .first()
    )


def mentor_loads(*, run: MatchRun, mentor_ids: list[int] | None = None) -> dict[int, int]:
    """Mentees proposed to each mentor in the run (to these mentors only, when given)."""
    proposals = Proposal.objects.filter(run=run, mentor__isnull=False)
    if mentor_ids is not None:
        proposals = proposals.filter(mentor_id__in=mentor_ids)
    return dict(
        proposals.values_list("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n")
    )


# Comparison ----------------------------------------------------------------------------------


@dataclass
class Change:
    mentee: str
    before: str
    after: str
    score_before: float | None
    score_after: float | None


def compare_runs(*, first: MatchRun, second: MatchRun) -> list[Change]:
    """Mentees whose proposed mentor differs between two runs (two queries)."""

    def pairs(run: MatchRun) -> dict[int, tuple[str, float | None, str]]:
        out: dict[int, tuple[str, float | None, str]] = {}
        for mentee_id, m_first, m_last, first_name, last_name, score in Proposal.objects.filter(
            run=run
        ).values_list(
            "mentee_id",
            "mentee__user__first_name",
            "mentee__user__last_name",
            "mentor__user__first_name",
            "mentor__user__last_name",
            "score",
        ):
            mentor = f"{first_name or ''} {last_name or ''}".strip()
            out[mentee_id] = (mentor, score, f"{m_first} {m_last}".strip())
        return out

    a, b = pairs(first), pairs(second)
    changes = []
    for mentee_id in sorted(set(a) | set(b), key=lambda k: (a.get(k) or b[k])[2]):
        before = a.get(mentee_id, ("", None, ""))
        after = b.get(mentee_id, ("", None, ""))
        if before[0] != after[0]:
            changes.append(
                Change(
                    mentee=(a.get(mentee_id) or b[mentee_id])[2],
                    before=before[0],
                    after=after[0],
                    score_before=before[1],
                    score_after=after[1],
                )
            )
    return changes


def editions_with_runs(*, program: Program) -> list[tuple[Edition, list[MatchRun]]]:
    """The program's editions, each with its runs, newest first; each run with the number
    of pairs it proposes as `proposal_count` (`proposed_pairs`)."""
    runs: dict[int, list[MatchRun]] = defaultdict(list)
    every = list(runs_of(program=program))
    counts = proposed_pairs(every)
    for run in every:
        run.proposal_count = counts[run.pk]  # type: ignore[attr-defined]
        runs[run.edition_id].append(shown_as_failed_if_stale(run))
    return [(edition, runs.get(edition.pk, [])) for edition in program.editions.all()]


# Published pairs and self-matching requests ---------------------------------------------------


def _introduced(qs: "QuerySet[Mentorship]") -> "QuerySet[Mentorship]":
    """The pairs the matching introduced (publication or accepted request), with their
    stored answer deadline as `deadline`."""
    return qs.filter(introduction__isnull=False).annotate(deadline=F("introduction__answer_by"))


def _waiting() -> Q:
    return Q(status=MentorshipStatus.ACTIVE) & (
        Q(mentor_answer=PairAnswer.PENDING) | Q(mentee_answer=PairAnswer.PENDING)
    )


def _not_a_fit() -> Q:
    return Q(mentor_answer=PairAnswer.NOT_A_FIT) | Q(mentee_answer=PairAnswer.NOT_A_FIT)


def _confirmed() -> Q:
    return Q(mentor_answer=PairAnswer.CONFIRMED, mentee_answer=PairAnswer.CONFIRMED)


ANSWER_STATES = ("pending", "overdue", "not_a_fit", "confirmed")


def published_pairs(
    *, program: Program, state: str = "", now: datetime | None = None
) -> "QuerySet[Mentorship]":
    """Pairs of the program introduced by the matching, with each side's answer and the
    answer deadline; `state`: pending (within the deadline) / overdue / not_a_fit /
    confirmed (both sides). Waiting pairs come first, the closest deadline first."""
    now = now or timezone.now()
    qs = _introduced(Mentorship.objects.filter(edition__program=program))
    if state == "pending":
        qs = qs.filter(_waiting() & Q(deadline__gte=now))
    elif state == "overdue":
        qs = qs.filter(_waiting() & Q(deadline__lt=now))
    elif state == "not_a_fit":
        qs = qs.filter(_not_a_fit())
    elif state == "confirmed":
        qs = qs.filter(_confirmed())
    waiting_first = Case(When(_waiting(), then=Value(0)), default=Value(1))
    return qs.select_related(
        "mentor_application__user", "mentee_application__user", "edition"
    ).order_by(waiting_first, "deadline", "-pk")


def answer_counts(*, program: Program, now: datetime | None = None) -> dict[str, int]:
    """How many pairs are in each answer state (one query)."""
    now = now or timezone.now()
    qs = _introduced(Mentorship.objects.filter(edition__program=program))
    return qs.aggregate(
        all=Count("pk"),
        pending=Count("pk", filter=_waiting() & Q(deadline__gte=now)),
        overdue=Count("pk", filter=_waiting() & Q(deadline__lt=now)),
        not_a_fit=Count("pk", filter=_not_a_fit()),
        confirmed=Count("pk", filter=_confirmed()),
    )


def requests_of(*, program: Program, status: str = "") -> QuerySet[MentorRequest]:
    qs = MentorRequest.objects.filter(edition__program=program)
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("mentee__user", "mentor__user", "edition").order_by(
        "status", "-created_at", "-pk"
    )


def request_counts(*, program: Program) -> list[tuple[str, str, int]]:
    counts = dict(
        MentorRequest.objects.filter(edition__program=program)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in RequestStatus.choices]


# What participants see of the matching ---------------------------------------------------------


@dataclass
class MentorCapacityState:
    explicit: int | None
    default: int
    taken: int

    @property
    def capacity(self) -> int:
        return self.explicit or self.default

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def mentor_capacity_state(application: Application) -> MentorCapacityState:
    """A mentor's number of mentees in the edition (explicit or the program's default)
    and how many they already have (three queries)."""
    explicit = (
        MentorCapacity.objects.filter(application=application)
        .values_list("capacity", flat=True)
        .first()
    )
    return MentorCapacityState(
        explicit=explicit,
        default=default_capacity(application.edition.program_id),
        taken=pairs.active_mentees_of(mentor_application_id=application.pk),
    )


def is_self_matching(program_id: int) -> bool:
    return MatchingSettings.objects.filter(
        program_id=program_id, mode=MatchingMode.SELF_MATCHING
    ).exists()


@dataclass
class ParticipantMatching:
    """The matching steps waiting for a person, for their home page."""

    #: accepted mentee applications of self-matching programs, still without a mentor
    to_choose: list[Application] = field(default_factory=list)
    #: the person is an accepted mentor of a self-matching program
    mentor_in_self_matching: bool = False
    pending_requests: int = 0
    #: active pairs waiting for this person's answer, with the deadline
    to_answer: list[tuple["Mentorship", datetime]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.to_choose
            or self.mentor_in_self_matching
            or self.pending_requests
            or self.to_answer
        )


def requests_waiting_for(*, user: User, now: datetime) -> QuerySet[MentorRequest]:
    """Mentees' requests waiting for `user`'s answer as a mentor."""
    return MentorRequest.objects.filter(
        mentor__user=user, status=RequestStatus.PENDING, expires_at__gt=now
    )


def _self_matching_applications(*, user_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(
            user_id=user_id,
            status=ApplicationStatus.ACCEPTED,
            edition__program__matching_settings__mode=MatchingMode.SELF_MATCHING,
        )
        .select_related("edition__program")
        .order_by("pk")
    )


# Compiled once per process (mentorat.lib.compiled_sql): on every participant's home.
_SELF_MATCHING = CompiledQuery(_self_matching_applications, user_id=int)


def participant_matching(
    *,
    user: User,
    now: datetime | None = None,
    pending_requests: int | None = None,
    introductions: int | None = None,
) -> ParticipantMatching:
    """At most four queries whatever the number of programs; one less for each figure
    the caller already counted (the home page, with its other figures in one
    statement): the `requests_waiting_for` the person, and the `introductions` waiting
    for their answer (none to read when 0)."""
    now = now or timezone.now()
    result = ParticipantMatching()
    applications: list[Application] = _SELF_MATCHING.fetch(user_id=user.pk)
    mentee_side = [a for a in applications if a.role == ParticipantRole.MENTEE]
    result.mentor_in_self_matching = len(mentee_side) < len(applications)
    if mentee_side:
        paired = set(
            Mentorship.objects.filter(
                mentee_application__in=mentee_side, status=MentorshipStatus.ACTIVE
            ).values_list("edition_id", flat=True)
        )
        result.to_choose = [a for a in mentee_side if a.edition_id not in paired]
    result.pending_requests = (
        requests_waiting_for(user=user, now=now).count()
        if pending_requests is None
        else pending_requests
    )
    if introductions == 0:
        return result
    waiting = _introduced(
        Mentorship.objects.filter(
            Q(mentor_application__user=user, mentor_answer=PairAnswer.PENDING)
            | Q(mentee_application__user=user, mentee_answer=PairAnswer.PENDING),
            status=MentorshipStatus.ACTIVE,
        )
    ).filter(Q(deadline__gte=now))
    result.to_answer = [
        (m, m.deadline)  # type: ignore[attr-defined]
        for m in waiting.select_related(
            "mentor_application__user", "mentee_application__user", "edition__program"
        ).order_by("deadline")
    ]
    return result


@dataclass
class MatchingTodo:
    """What waits for a program's coordinators in the matching."""

    runs_to_review: int = 0
    overdue_answers: int = 0
    pending_requests: int = 0

    def __bool__(self) -> bool:
        return bool(self.runs_to_review or self.overdue_answers or self.pending_requests)


def matching_todo_sets(now: datetime, **in_programs: Any) -> dict[str, QuerySet[Any]]:
    """The rows each of a program's matching to-dos counts (`MatchingTodo`'s fields), in
    the programs `in_programs` selects (`edition__program_id__in=...`, or
    `edition__program_id=OuterRef(...)` for a subquery per program): runs waiting for
    review (those a coordinator can still publish: not published, not superseded by
    another run's publication, not failed), introduced pairs whose answer is overdue at
    `now` and requests waiting for a mentor."""
    return {
        "runs_to_review": MatchRun.objects.filter(**in_programs, status=RunStatus.SUCCEEDED),
        "overdue_answers": _introduced(Mentorship.objects.filter(**in_programs)).filter(
            _waiting() & Q(deadline__lt=now)
        ),
        "pending_requests": MentorRequest.objects.filter(
            **in_programs, status=RequestStatus.PENDING
        ),
    }


def matching_todos(
    *, program_ids: list[int], now: datetime | None = None
) -> dict[int, MatchingTodo]:
    """Per program id, its to-dos (`matching_todo_sets`; three queries whatever the
    number of programs)."""
    if not program_ids:
        return {}
    todos: dict[int, MatchingTodo] = defaultdict(MatchingTodo)
    sets = matching_todo_sets(now or timezone.now(), edition__program_id__in=program_ids)
    for name, rows in sets.items():
        for program_id, n in (
            rows.values_list("edition__program_id")
            .annotate(n=Count("pk"))
            .values_list("edition__program_id", "n")
        ):
            setattr(todos[program_id], name, n)
    return dict(todos)
