"""The periodic follow-up, run by `manage.py run_followup` (daily, from cron or a systemd
timer). Every step is idempotent: running it twice the same day sends nothing twice.

- pairs whose edition has ended are closed (final check-ins go out);
- monthly check-ins are sent;
- pairs drifting towards "at risk" because they do not meet are reminded, at most one
  reminder a week per person, unless that person stopped them;
- each coordinator gets one digest a week listing the pairs that need attention;
- six months after the end, the mentee is asked for their situation."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.mentorships import tasks
from mentorat.mentorships.health import MEETING_CODES, HealthState
from mentorat.mentorships.models import (
    Mentorship,
    MentorshipStatus,
    OutcomeStage,
    Reminder,
    ReminderKind,
)
from mentorat.mentorships.selectors import active_pairs_health, followed_mentorships
from mentorat.mentorships.services.check_ins import send_due_check_ins
from mentorat.mentorships.services.pairs import end_finished_mentorships
from mentorat.organizations.models import Role

REMINDER_INTERVAL = timedelta(days=7)
DIGEST_INTERVAL = timedelta(days=7)
SIX_MONTHS = timedelta(days=182)


def _recently_reminded(kind: str, *, now: datetime, interval: timedelta) -> set[int]:
    return set(
        Reminder.objects.filter(kind=kind, sent_at__gt=now - interval).values_list(
            "recipient_id", flat=True
        )
    )


def send_pair_reminders(*, now: datetime) -> int:
    """Remind both people of pairs that are "to watch" or "at risk" because they do not
    meet (or leave a proposal unanswered). Returns the number of reminders sent."""
    reminded = _recently_reminded(ReminderKind.PAIR, now=now, interval=REMINDER_INTERVAL)
    sent = 0
    for row in active_pairs_health(Mentorship.objects.all(), now=now):
        if row.state == HealthState.ON_TRACK or row.health.code not in MEETING_CODES:
            continue
        mentorship = row.mentorship
        for person_id, off in (
            (mentorship.mentor_user_id, mentorship.mentor_reminders_off),
            (mentorship.mentee_user_id, mentorship.mentee_reminders_off),
        ):
            if off or person_id in reminded:
                continue
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    recipient_id=person_id,
                    kind=ReminderKind.PAIR,
                    mentorship=mentorship,
                    reason=row.health.reason[:300],
                    sent_at=now,
                )
                transaction.on_commit(partial(tasks.send_pair_reminder_email.enqueue, reminder.pk))
            reminded.add(person_id)
            sent += 1
    return sent


def send_coordinator_digests(*, now: datetime) -> int:
    """One email a week per coordinator listing the pairs they follow that are not on
    track (nothing when all is well). Returns the number of digests sent."""
    digested = _recently_reminded(ReminderKind.DIGEST, now=now, interval=DIGEST_INTERVAL)
    active = MentorshipStatus.ACTIVE
    coordinators = (
        User.objects.filter(
            Q(memberships__organization__programs__editions__mentorships__status=active)
            | Q(memberships__organization__shared_programs__editions__mentorships__status=active),
            is_active=True,
            memberships__role=Role.COORDINATOR,
        )
        .exclude(pk__in=digested)
        .distinct()
    )
    sent = 0
    for coordinator in coordinators:
        rows = active_pairs_health(followed_mentorships(user=coordinator), now=now)
        flagged = [r for r in rows if r.state != HealthState.ON_TRACK]
        if not flagged:
            continue
        at_risk = sum(1 for r in flagged if r.state == HealthState.AT_RISK)
        with transaction.atomic():
            reminder = Reminder.objects.create(
                recipient=coordinator,
                kind=ReminderKind.DIGEST,
                reason=f"{at_risk} at risk, {len(flagged) - at_risk} to watch",
                sent_at=now,
            )
            transaction.on_commit(partial(tasks.send_digest_email.enqueue, reminder.pk))
        sent += 1
    return sent


def send_six_month_requests(*, now: datetime) -> int:
    """Ask the mentee of each pair ended six months ago for their situation (once)."""
    today = timezone.localdate(now)
    due = (
        Mentorship.objects.filter(
            status=MentorshipStatus.ENDED,
            ended_on__lte=today - SIX_MONTHS,
            six_month_request_sent_at__isnull=True,
        )
        .exclude(Q(outcomes__stage=OutcomeStage.SIX_MONTHS))
        .select_related("edition__program__organization")
    )
    sent = 0
    for mentorship in due:
        with transaction.atomic():
            updated = Mentorship.objects.filter(
                pk=mentorship.pk, six_month_request_sent_at__isnull=True
            ).update(six_month_request_sent_at=now)
            if not updated:
                continue
            record(
                action="mentorships.outcome.six_month_requested",
                organization=mentorship.edition.program.organization,
                target=mentorship,
                data={"mentorship": mentorship.pk},
            )
            transaction.on_commit(
                partial(tasks.send_six_month_request_email.enqueue, mentorship.pk)
            )
        sent += 1
    return sent


@dataclass(frozen=True)
class FollowupReport:
    ended: int
    check_ins: int
    reminders: int
    digests: int
    six_month_requests: int


def run_followup(*, now: datetime | None = None) -> FollowupReport:
    """Run every periodic step once, in order."""
    now = now or timezone.now()
    return FollowupReport(
        ended=end_finished_mentorships(today=timezone.localdate(now)),
        check_ins=send_due_check_ins(now=now),
        reminders=send_pair_reminders(now=now),
        digests=send_coordinator_digests(now=now),
        six_month_requests=send_six_month_requests(now=now),
    )
