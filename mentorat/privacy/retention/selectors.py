"""Reads of the retention: an organisation's periods (its own, or the privacy notice's
defaults when it has chosen none), and what the daily run has to do (`retention_plan`)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.participants.models import Profile
from mentorat.privacy.erasure.selectors import erased_accounts
from mentorat.privacy.retention.models import (
    WARNING_EMAILS,
    AnonymisedApplication,
    RetentionPolicy,
    RetentionWarning,
)
from mentorat.privacy.retention.periods import (
    DEFAULT_PERIODS,
    UNCONFIRMED_ACCOUNTS_DAYS,
    WARNING_DAYS,
    RetentionPeriods,
    months_after,
    months_before,
)


def _from_policy(policy: RetentionPolicy) -> RetentionPeriods:
    return RetentionPeriods(
        participants_years=policy.participants_years,
        applications_months=policy.applications_months,
        audit_months=policy.audit_months,
        is_default=False,
    )


def periods_for(*, organization: Organization | None) -> RetentionPeriods:
    """The retention periods of `organization` (one query); the defaults when it has
    no policy, and for platform-level data (`organization=None`)."""
    if organization is None:
        return DEFAULT_PERIODS
    policy = RetentionPolicy.objects.filter(organization=organization).first()
    return DEFAULT_PERIODS if policy is None else _from_policy(policy)


def periods_by_organization(
    *, organization_ids: Iterable[int] | None = None
) -> dict[int, RetentionPeriods]:
    """The periods of the organisations that have a policy, by organisation id (one
    query; all of them when `organization_ids` is None). Organisations missing from the
    result keep `DEFAULT_PERIODS`."""
    policies = RetentionPolicy.objects.all()
    if organization_ids is not None:
        policies = policies.filter(organization_id__in=list(organization_ids))
    return {policy.organization_id: _from_policy(policy) for policy in policies}


# --- What the daily run has to do -------------------------------------------------------


@dataclass(frozen=True)
class PersonDue:
    """A participant whose data are due, or will be within `WARNING_DAYS`.

    `due_on` is the first day on which their data are past the period: the day after
    `reference_on` plus the longest participants' period among `organization_ids`, the
    organisations holding their data. `warning` is the warning already recorded for that
    day, if any."""

    user_id: int
    reference_on: date
    due_on: date
    organization_ids: frozenset[int]
    warning: RetentionWarning | None


@dataclass(frozen=True)
class RetentionPlan:
    """What a run on `today` does, rule by rule (ids only: nothing here names anyone).

    - `to_warn`: participants due within `WARNING_DAYS` and not yet warned for that day;
    - `to_erase`: participants due, whose warning email went out at least
      `WARNING_DAYS` days ago (`_may_erase`);
    - `waiting`: participants warned, whose erasure day has not come yet (or whose
      warning email has not gone out yet);
    - `applications`: ids of declined/withdrawn applications to anonymise;
    - `unconfirmed`: ids of accounts never confirmed nor used, to remove;
    - `audit_cutoffs`: organisation id (None: platform-level entries and organisations
      without a policy) → entries written before this instant are deleted;
      `audit_counts`: how many that is, with the same keys."""

    today: date
    to_warn: list[PersonDue]
    to_erase: list[PersonDue]
    waiting: list[PersonDue]
    applications: list[int]
    unconfirmed: list[int]
    audit_cutoffs: dict[int | None, datetime]
    audit_counts: dict[int | None, int]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def retention_plan(*, today: date | None = None) -> RetentionPlan:
    """Everything due on `today` (default: the local date), computed with a fixed number
    of queries per 500 participants; reads only. Accounts already erased are left out
    of every rule."""
    today = today or timezone.localdate()
    policies = periods_by_organization()
    to_warn, to_erase, waiting = _participants_due(today=today, policies=policies)
    audit_cutoffs, audit_counts = _audit_due(today=today, policies=policies)
    return RetentionPlan(
        today=today,
        to_warn=to_warn,
        to_erase=to_erase,
        waiting=waiting,
        applications=_applications_due(today=today, policies=policies),
        unconfirmed=_unconfirmed_accounts_due(today=today),
        audit_cutoffs=audit_cutoffs,
        audit_counts=audit_counts,
    )


def participants_due_on(*, reference_on: date, years: int) -> date:
    """The first day on which data whose clock started on `reference_on` are more than
    `years` years old."""
    return months_after(reference_on, 12 * years) + timedelta(days=1)


def _participant_candidates(*, today: date, shortest_years: int) -> list[tuple[int, date]]:
    """(user id, reference day) of the participants who could be due within the warning
    period under the shortest period in force. The reference day is the latest of: the
    end of the last edition they applied to, their last application, their last
    sign-in. Platform admins and organisation staff (admins, coordinators) are never
    candidates: their accounts serve the organisation, not a program."""
    horizon = today + timedelta(days=WARNING_DAYS)
    # A few days of margin for month ends (29 February, the 31st): the exact day is
    # decided in `_participants_due`; this only narrows the rows read.
    latest_reference = months_before(horizon, 12 * shortest_years) + timedelta(days=3)
    rows = (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(memberships__role__in=(Role.ADMIN, Role.COORDINATOR))
        .exclude(pk__in=_erased_user_ids())
        .annotate(
            last_end=Max("applications__edition__ends_on"),
            last_applied=Max("applications__submitted_at"),
        )
        .filter(last_end__isnull=False, last_end__lt=latest_reference)
        .exclude(last_login__date__gte=latest_reference)
        .values_list("pk", "last_end", "last_applied", "last_login")
    )
    found = []
    for user_id, last_end, last_applied, last_login in rows:
        days = [last_end]
        days += [timezone.localdate(moment) for moment in (last_applied, last_login) if moment]
        found.append((user_id, max(days)))
    return found


def _organizations_of(user_ids: list[int]) -> dict[int, set[int]]:
    """The organisations holding each person's data: the owners of the programs they
    applied to, the organisations they applied for, and those they are members of."""
    held: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    applications = Application.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "edition__program__organization_id", "organization_id"
    )
    for user_id, owner_id, own_org_id in applications:
        held[user_id].add(owner_id)
        if own_org_id is not None:
            held[user_id].add(own_org_id)
    for user_id, org_id in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organization_id"
    ):
        held[user_id].add(org_id)
    return held


def _in_active_pairs(user_ids: list[int]) -> set[int]:
    pairs = Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).filter(
        Q(mentor_application__user_id__in=user_ids) | Q(mentee_application__user_id__in=user_ids)
    )
    found: set[int] = set()
    for mentor_id, mentee_id in pairs.values_list(
        "mentor_application__user_id", "mentee_application__user_id"
    ):
        found.update((mentor_id, mentee_id))
    return found


def _participants_due(
    *, today: date, policies: dict[int, RetentionPeriods]
) -> tuple[list[PersonDue], list[PersonDue], list[PersonDue]]:
    """(to warn, to erase, waiting): see `RetentionPlan`.

    A person's data are kept for the *longest* participants' period among the
    organisations holding them. Erasure takes the whole person (one account, one
    pseudonymous record), so it can happen only once every organisation's period has
    run out: cutting at the shortest would erase what a school must still keep because
    a partner company chose one year. An organisation that wants less sees nothing more
    of that person anyway: their applications to its programs are closed and its staff
    only see people in their current programs.

    A person in an active pair is never due (a pair outlives its edition until the
    follow-up closes it). An open application always belongs to an edition that has not
    ended, which already puts the reference day in the future."""
    shortest = min(
        [DEFAULT_PERIODS.participants_years, *(p.participants_years for p in policies.values())]
    )
    candidates = _participant_candidates(today=today, shortest_years=shortest)
    to_warn: list[PersonDue] = []
    to_erase: list[PersonDue] = []
    waiting: list[PersonDue] = []
    references = dict(candidates)
    for chunk in _chunks([user_id for user_id, _reference in candidates]):
        held = _organizations_of(chunk)
        busy = _in_active_pairs(chunk)
        warnings = {
            (w.user_id, w.due_on): w
            for w in RetentionWarning.objects.filter(user_id__in=chunk, erased_at__isnull=True)
        }
        deliveries = _warning_deliveries([w.pk for w in warnings.values()])
        for user_id in chunk:
            if user_id in busy:
                continue
            years = max(
                policies.get(org_id, DEFAULT_PERIODS).participants_years
                for org_id in held[user_id] or {0}
            )
            due_on = participants_due_on(reference_on=references[user_id], years=years)
            if today < due_on - timedelta(days=WARNING_DAYS):
                continue
            warning = warnings.get((user_id, due_on))
            person = PersonDue(
                user_id=user_id,
                reference_on=references[user_id],
                due_on=due_on,
                organization_ids=frozenset(held[user_id]),
                warning=warning,
            )
            if warning is None:
                to_warn.append(person)
            elif _may_erase(warning, deliveries.get(warning.pk), today=today):
                to_erase.append(person)
            else:
                waiting.append(person)
    return to_warn, to_erase, waiting


def _warning_deliveries(warning_ids: list[int]) -> dict[int, tuple[str, datetime | None]]:
    """(ledger status, sent at) of the warning emails tried, by warning id."""
    rows = EmailDelivery.objects.filter(
        purpose=WARNING_EMAILS, key__in=[str(pk) for pk in warning_ids]
    ).values_list("key", "status", "sent_at")
    return {int(key): (status, sent_at) for key, status, sent_at in rows}


def _may_erase(
    warning: RetentionWarning, delivery: tuple[str, datetime | None] | None, *, today: date
) -> bool:
    """Whether the warned person may be erased today: their data are due, and the
    warning email went out at least `WARNING_DAYS` days ago. An email not sent yet (the
    worker is down, the mail server too) holds the erasure back, so nobody is erased
    without the notice; an email that failed for good (an address that no longer
    works) does not, or their data would be kept forever."""
    if today < warning.due_on or today < warning.erase_on or delivery is None:
        return False
    status, sent_at = delivery
    if status == DeliveryStatus.SENT and sent_at is not None:
        return today >= timezone.localdate(sent_at) + timedelta(days=WARNING_DAYS)
    return status in (DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)


def _applications_due(*, today: date, policies: dict[int, RetentionPeriods]) -> list[int]:
    """Declined or withdrawn applications whose last change is older than the period of
    the organisation running the program (the controller of the application), and not
    anonymised yet. The last change (`updated_at`) is the decision or the withdrawal,
    or later: never earlier, so no application goes before its time."""
    cutoffs = Q()
    for org_id, periods in policies.items():
        cutoffs |= Q(
            edition__program__organization_id=org_id,
            updated_at__lt=_start_of(periods.applications_limit(today)),
        )
    cutoffs |= Q(updated_at__lt=_start_of(DEFAULT_PERIODS.applications_limit(today))) & ~Q(
        edition__program__organization_id__in=list(policies)
    )
    return list(
        Application.objects.filter(
            cutoffs, status__in=(ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)
        )
        .exclude(pk__in=AnonymisedApplication.objects.values("application_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _unconfirmed_accounts_due(*, today: date) -> list[int]:
    """Accounts created more than `UNCONFIRMED_ACCOUNTS_DAYS` days ago that never
    confirmed an email address, never signed in, and hold nothing: no membership, no
    application, no profile. Staff accounts are never removed."""
    cutoff = _start_of(today - timedelta(days=UNCONFIRMED_ACCOUNTS_DAYS))
    return list(
        User.objects.filter(
            date_joined__lt=cutoff,
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
        )
        .exclude(emailaddress__verified=True)
        .exclude(pk__in=Membership.objects.values("user_id"))
        .exclude(pk__in=Application.objects.values("user_id"))
        .exclude(pk__in=Profile.objects.values("user_id"))
        .exclude(pk__in=_erased_user_ids())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _audit_due(
    *, today: date, policies: dict[int, RetentionPeriods]
) -> tuple[dict[int | None, datetime], dict[int | None, int]]:
    """Each organisation's audit entries older than its period; platform-level entries
    and organisations without a policy use the default."""
    cutoffs: dict[int | None, datetime] = {
        org_id: _start_of(periods.audit_limit(today)) for org_id, periods in policies.items()
    }
    cutoffs[None] = _start_of(DEFAULT_PERIODS.audit_limit(today))
    counts = {key: audit_entries_due(key, cutoffs).count() for key in cutoffs}
    return cutoffs, counts


def audit_entries_due(key: int | None, cutoffs: dict[int | None, datetime]) -> QuerySet[AuditEntry]:
    """The audit entries `cutoffs[key]` makes due: the organisation `key`'s, or (None)
    the platform-level ones and those of organisations without their own cutoff."""
    entries = AuditEntry.objects.filter(created_at__lt=cutoffs[key])
    if key is not None:
        return entries.filter(organization_id=key)
    others = [org_id for org_id in cutoffs if org_id is not None]
    return entries.exclude(organization_id__in=others)


def _erased_user_ids() -> QuerySet[User, int]:
    """Accounts already erased (by a retention run or a request): those `erase_person`
    closed (`erasure.selectors.erased_accounts`) and those a retention run marked."""
    return User.objects.filter(
        erased_accounts()
        | Q(pk__in=RetentionWarning.objects.filter(erased_at__isnull=False).values("user_id"))
    ).values_list("pk", flat=True)
