"""Retention: an organisation's periods (`update_policy`, `reset_policy`) and the daily
run that warns, erases, anonymises and deletes what is due (`apply_retention`, called by
`manage.py apply_retention`).

What the daily run guarantees:

- **Nothing before its time.** It acts only on what `selectors.retention_plan` finds due
  on that day; a participant is erased only once every organisation holding their data
  has seen its period run out (`selectors._participants_due` says why the longest).
- **A warning 30 days before, once.** A participant is warned by email `WARNING_DAYS`
  days before the day their data become due (`RetentionWarning`, one per person and due
  day, written before the email is queued); the erasure happens on that day, or
  `WARNING_DAYS` days after the warning when it could only be sent later (a period
  shortened by the organisation, a first run on an old database, a worker down), and
  never before the email has gone out (or failed for good) `WARNING_DAYS` days earlier.
  The email goes through the delivery ledger keyed by the warning: a second run, a task
  queued twice or a worker killed sends it once. A warning recorded by a run that died
  before queueing its email is queued again by the next run.
- **Signing in or applying again resets the clock.** The reference day is the latest of
  the end of the person's last edition, their last application and their last sign-in:
  the email asks them to sign in if they want to keep their account, and doing so
  moves the due day (a new warning is then needed before any erasure).
- **One item, one transaction.** Each erasure, anonymisation and deletion commits on its
  own: a run killed half-way leaves every item done or untouched, and the next run
  finishes the rest.
- **No personal data in the report, the console or the audit log**: people appear under
  their pseudonym (`mentorat.audit.pseudonyms`, the security log's), applications by id.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.db.models import CharField, Count, Exists, OuterRef
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.audit.pseudonyms import pseudonym_for
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.notifications.models import EmailDelivery
from mentorat.organizations.models import Organization
from mentorat.privacy.erasure.services import erase_person, erase_rows
from mentorat.privacy.retention import tasks
from mentorat.privacy.retention.models import (
    WARNING_EMAILS,
    AnonymisedApplication,
    RetentionPolicy,
    RetentionWarning,
)
from mentorat.privacy.retention.periods import (
    APPLICATIONS_MONTHS_BOUNDS,
    AUDIT_MONTHS_BOUNDS,
    DEFAULT_PERIODS,
    PARTICIPANTS_YEARS_BOUNDS,
    WARNING_DAYS,
    RetentionPeriods,
)
from mentorat.privacy.retention.selectors import (
    PersonDue,
    RetentionPlan,
    audit_entries_due,
    periods_for,
    retention_plan,
)

logger = logging.getLogger(__name__)

# The reason erase_person records for an erasure made by the daily run.
ERASURE_REASON = "retention"


# --- An organisation's periods ----------------------------------------------------------


def _check_bounds(*, participants_years: int, applications_months: int, audit_months: int) -> None:
    checks = (
        (
            participants_years,
            PARTICIPANTS_YEARS_BOUNDS,
            _("Participants' data: choose between %(low)d and %(high)d years."),
        ),
        (
            applications_months,
            APPLICATIONS_MONTHS_BOUNDS,
            _("Declined or withdrawn applications: choose between %(low)d and %(high)d months."),
        ),
        (
            audit_months,
            AUDIT_MONTHS_BOUNDS,
            _("Audit log entries: choose between %(low)d and %(high)d months."),
        ),
    )
    for value, (low, high), message in checks:
        if not low <= value <= high:
            raise DomainError(message % {"low": low, "high": high})


def _as_dict(periods: RetentionPeriods) -> dict[str, int]:
    return {
        "participants_years": periods.participants_years,
        "applications_months": periods.applications_months,
        "audit_months": periods.audit_months,
    }


@transaction.atomic
def update_policy(
    *,
    organization: Organization,
    participants_years: int,
    applications_months: int,
    audit_months: int,
    actor: User,
    request: HttpRequest | None = None,
) -> RetentionPeriods:
    """Set the organisation's retention periods (within the bounds, else `DomainError`
    and nothing written). Audited as `privacy.retention.updated` with the periods before
    and after, when something changed. The next daily run applies them; people whose
    erasure comes sooner are warned `WARNING_DAYS` days before it all the same."""
    _check_bounds(
        participants_years=participants_years,
        applications_months=applications_months,
        audit_months=audit_months,
    )
    # Lock the organisation's row: two admins saving at once are applied one after the
    # other, each audited with the right "before".
    Organization.objects.select_for_update().get(pk=organization.pk)
    before = periods_for(organization=organization)
    RetentionPolicy.objects.update_or_create(
        organization=organization,
        defaults={
            "participants_years": participants_years,
            "applications_months": applications_months,
            "audit_months": audit_months,
        },
    )
    after = periods_for(organization=organization)
    if _as_dict(before) != _as_dict(after) or before.is_default:
        record(
            action="privacy.retention.updated",
            actor=actor,
            organization=organization,
            data={"before": _as_dict(before), "after": _as_dict(after)},
            request=request,
        )
    return after


@transaction.atomic
def reset_policy(
    *, organization: Organization, actor: User, request: HttpRequest | None = None
) -> RetentionPeriods:
    """Go back to the privacy notice's default periods (audited as
    `privacy.retention.updated` when the organisation had its own)."""
    Organization.objects.select_for_update().get(pk=organization.pk)
    before = periods_for(organization=organization)
    deleted, _deleted_by_model = RetentionPolicy.objects.filter(organization=organization).delete()
    if deleted:
        record(
            action="privacy.retention.updated",
            actor=actor,
            organization=organization,
            data={"before": _as_dict(before), "after": _as_dict(DEFAULT_PERIODS)},
            request=request,
        )
    return DEFAULT_PERIODS


# --- The daily run ----------------------------------------------------------------------


@dataclass
class RuleOutcome:
    """One rule of one run: how many items, their pseudonymous ids, and the ids of
    those that failed (left as they were, tried again by the next run)."""

    count: int = 0
    ids: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def add(self, item_id: str, count: int = 1) -> None:
        """Count `count` items under `item_id`."""
        self.count += count
        self.ids.append(item_id)


@dataclass
class RetentionReport:
    """What a run did (or, in a dry run, would do), rule by rule."""

    today: date
    dry_run: bool
    warned: RuleOutcome = field(default_factory=RuleOutcome)
    waiting: RuleOutcome = field(default_factory=RuleOutcome)
    people_erased: RuleOutcome = field(default_factory=RuleOutcome)
    applications_anonymised: RuleOutcome = field(default_factory=RuleOutcome)
    accounts_removed: RuleOutcome = field(default_factory=RuleOutcome)
    audit_entries_deleted: RuleOutcome = field(default_factory=RuleOutcome)

    def rules(self) -> list[tuple[str, RuleOutcome]]:
        """(rule name, outcome) in the order the run applies them."""
        return [
            ("warned", self.warned),
            ("waiting", self.waiting),
            ("people_erased", self.people_erased),
            ("applications_anonymised", self.applications_anonymised),
            ("accounts_removed", self.accounts_removed),
            ("audit_entries_deleted", self.audit_entries_deleted),
        ]

    @property
    def failures(self) -> int:
        """How many items failed, all rules together."""
        return sum(len(outcome.failed) for _name, outcome in self.rules())


def apply_retention(*, dry_run: bool = False, today: date | None = None) -> RetentionReport:
    """Warn, erase, anonymise and delete what is due on `today` (default: the local
    date); with `dry_run`, only report it: nothing is written, no email is queued.

    Idempotent: a second run the same day finds nothing left to do and sends nothing.
    Meant to run once a day (see docs/operations/followup.md), outside any transaction:
    each item commits on its own, and an item that fails is rolled back, logged under
    its pseudonymous id (the error's type only: its message could quote a value) and
    listed in the report's `failed`, while the others go on."""
    plan = retention_plan(today=today)
    report = RetentionReport(today=plan.today, dry_run=dry_run)
    _report_plan(plan, report)
    if dry_run:
        return report
    _queue_unsent_warnings()
    steps: list[tuple[RuleOutcome, str, Callable[[], None]]] = []
    for person in plan.to_warn:
        steps.append(
            (report.warned, pseudonym_for(person.user_id), partial(_warn, person, today=plan.today))
        )
    for person in plan.to_erase:
        steps.append((report.people_erased, pseudonym_for(person.user_id), partial(_erase, person)))
    for application_id in plan.applications:
        steps.append(
            (
                report.applications_anonymised,
                f"application:{application_id}",
                partial(_anonymise_application, application_id),
            )
        )
    for user_id in plan.unconfirmed:
        steps.append(
            (report.accounts_removed, pseudonym_for(user_id), partial(_remove_unconfirmed, user_id))
        )
    for key in plan.audit_cutoffs:
        scope = f"organization:{key}" if key is not None else "default_period"
        steps.append(
            (report.audit_entries_deleted, scope, partial(_delete_audit_entries, key, plan))
        )
    for outcome, item_id, step in steps:
        try:
            step()
        except Exception as error:
            # No traceback: it could quote personal values.
            logger.error("Retention: %s failed (%s); left as it was", item_id, type(error).__name__)
            outcome.failed.append(item_id)
    return report


def _report_plan(plan: RetentionPlan, report: RetentionReport) -> None:
    for person in plan.to_warn:
        report.warned.add(pseudonym_for(person.user_id))
    for person in plan.waiting:
        report.waiting.add(pseudonym_for(person.user_id))
    for person in plan.to_erase:
        report.people_erased.add(pseudonym_for(person.user_id))
    for application_id in plan.applications:
        report.applications_anonymised.add(f"application:{application_id}")
    for user_id in plan.unconfirmed:
        report.accounts_removed.add(pseudonym_for(user_id))
    for key, count in plan.audit_counts.items():
        if count:
            scope = f"organization:{key}" if key is not None else "default_period"
            report.audit_entries_deleted.add(f"{scope}={count}", count)


def _warn(person: PersonDue, *, today: date) -> None:
    """Record the warning, then queue its email once the row is committed."""
    erase_on = max(person.due_on, today + timedelta(days=WARNING_DAYS))
    with transaction.atomic():
        warning, created = RetentionWarning.objects.get_or_create(
            user_id=person.user_id, due_on=person.due_on, defaults={"erase_on": erase_on}
        )
        if created:
            transaction.on_commit(
                lambda: tasks.send_retention_warning.enqueue(warning_id=warning.pk)
            )


def _queue_unsent_warnings() -> None:
    """Warnings recorded by a run that died before queueing their email: no ledger row
    exists for them. Queueing one twice is harmless (the ledger sends it once)."""
    attempted = EmailDelivery.objects.filter(
        purpose=WARNING_EMAILS, key=Cast(OuterRef("pk"), CharField())
    )
    pending = RetentionWarning.objects.filter(erased_at__isnull=True).exclude(Exists(attempted))
    for warning_id in pending.values_list("pk", flat=True):
        tasks.send_retention_warning.enqueue(warning_id=warning_id)


def _erase(person: PersonDue) -> None:
    """Erase the person (pseudonymous record kept for the statistics) and mark the
    warning, in one transaction."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=person.user_id)
        erase_person(person=user, actor=None, reason=ERASURE_REASON)
        RetentionWarning.objects.filter(user_id=person.user_id, due_on=person.due_on).update(
            erased_at=timezone.now()
        )


def _anonymise_application(application_id: int) -> None:
    """Remove the personal values of one application (the row stays for the counts);
    under the application's row lock, so two runs at once do it once."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("user", "edition__program__organization")
            .get(pk=application_id)
        )
        if AnonymisedApplication.objects.filter(application_id=application_id).exists():
            return
        erase_rows(
            model_label="applications.Application",
            rows=Application.objects.filter(pk=application_id),
            person=application.user,
        )
        AnonymisedApplication.objects.create(application_id=application_id)
        record(
            action="privacy.retention.application_anonymised",
            organization=application.edition.program.organization,
            data={"application": application_id},
        )


def _remove_unconfirmed(user_id: int) -> None:
    """Erase an account never confirmed nor used. It holds nothing but the account, so
    the erasure service (which also clears what names the account elsewhere, such as
    the audit log's labels) leaves no more than a closed, pseudonymous account."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        erase_person(person=user, actor=None, reason=ERASURE_REASON)


def _delete_audit_entries(key: int | None, plan: RetentionPlan) -> None:
    """Delete the entries `key`'s cutoff makes due, and say so in each organisation's
    log (how many, up to which day): its admins see that entries went, not which."""
    with transaction.atomic():
        entries = audit_entries_due(key, plan.audit_cutoffs)
        counts = entries.values("organization_id").annotate(count=Count("pk"))
        by_organization = {row["organization_id"]: row["count"] for row in counts}
        entries.delete()
        organizations = Organization.objects.in_bulk(
            [org_id for org_id in by_organization if org_id is not None]
        )
        for org_id, count in by_organization.items():
            record(
                action="privacy.retention.audit_entries_deleted",
                organization=organizations.get(org_id) if org_id is not None else None,
                data={"count": count, "before": plan.audit_cutoffs[key].date().isoformat()},
            )
