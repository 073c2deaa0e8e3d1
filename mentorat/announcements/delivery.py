"""Delivering a message to a cohort: the recipient rows (the in-app inbox), written once,
then one email each through the delivery ledger (`notifications.outbox.send_each`), so
that a worker killed mid-send and started again sends no email twice and misses none
(at most the one in flight when it died, see `outbox`). Called by the task
(`tasks.send_announcement`); `preview` renders the same email for the coordinator."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from mentorat.accounts.models import User
from mentorat.announcements.models import Announcement, AnnouncementRecipient, AnnouncementStatus
from mentorat.announcements.selectors import EMAILS, announcement_users
from mentorat.lib.markdown import render_markdown
from mentorat.notifications import outbox
from mentorat.notifications.emails import render_email, send_templated_email
from mentorat.notifications.kinds import EmailKind
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.notifications.preferences import recipients_wanting

TEMPLATE = "announcements/emails/announcement"


def email_context(
    *, announcement: Announcement, recipient: User, body_html: SafeString
) -> dict[str, Any]:
    return {
        "announcement": announcement,
        "program": announcement.program,
        "organization": announcement.organization,
        "recipient": recipient,
        "body_html": body_html,
        "message_path": reverse("announcements:detail", kwargs={"pk": announcement.pk}),
    }


@dataclass(frozen=True)
class Preview:
    count: int
    recipient: User | None
    subject: str
    text: str
    html: str


def preview(*, announcement: Announcement) -> Preview:
    """How many people the message would reach now, and the email the first of them
    would receive, rendered from the real templates in their language (three queries)."""

    people = announcement_users(announcement=announcement, now=timezone.now())
    count = people.count()
    first = people.first()
    if first is None:
        return Preview(count=0, recipient=None, subject="", text="", html="")
    context = email_context(
        announcement=announcement, recipient=first, body_html=render_markdown(announcement.body)
    )
    with translation.override(first.language or "fr"):
        subject, text, html = render_email(TEMPLATE, context)
    return Preview(count=count, recipient=first, subject=subject, text=text, html=html)


def build_recipients(*, announcement_id: int) -> Announcement:
    """Write the announcement's recipient rows, once: the first run computes the segment
    and inserts them in bulk (a few queries whatever their number); a run again after a
    crash finds them and leaves them as they are, even if the segment changed since."""
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("program__organization", "edition", "organization")
            .get(pk=announcement_id)
        )
        if announcement.status == AnnouncementStatus.DRAFT:
            return announcement
        if not AnnouncementRecipient.objects.filter(announcement=announcement).exists():
            user_ids = list(
                announcement_users(announcement=announcement, now=timezone.now()).values_list(
                    "pk", flat=True
                )
            )
            AnnouncementRecipient.objects.bulk_create(
                [AnnouncementRecipient(announcement=announcement, user_id=pk) for pk in user_ids],
                batch_size=2000,
                ignore_conflicts=True,
            )
            announcement.recipients_count = len(user_ids)
            announcement.save(update_fields=["recipients_count"])
    return announcement


def deliver(*, announcement_id: int) -> outbox.Outcome | None:
    """Put the message in each recipient's inbox, then email those who want messages
    from their program's coordinators (`EmailKind.ANNOUNCEMENTS`), each once. Meant for
    the task, outside any transaction. Raises `outbox.EmailsNotSent` if some failed
    (the ledger keeps which, for the coordinator's retry)."""
    announcement = build_recipients(announcement_id=announcement_id)
    if announcement.status == AnnouncementStatus.DRAFT:
        return None
    rows = {
        row.user_id: row
        for row in AnnouncementRecipient.objects.filter(announcement=announcement)
        .select_related("user")
        .order_by("pk")
        if row.user.is_active and row.user.email
    }
    # Those who turned these emails off keep the message in their inbox only.
    wanting = recipients_wanting([row.user for row in rows.values()], EmailKind.ANNOUNCEMENTS)
    emailed = {user.email: rows[user.pk] for user in wanting}
    body_html = render_markdown(announcement.body)

    with outbox.mail_connection() as connection:

        def send(address: str, row: AnnouncementRecipient) -> None:
            send_templated_email(
                to=[address],
                template=TEMPLATE,
                context=email_context(
                    announcement=announcement, recipient=row.user, body_html=body_html
                ),
                language=row.user.language or "fr",
                recipient=row.user,
                connection=connection,
            )

        try:
            outcome = outbox.send_each(
                purpose=EMAILS,
                key=announcement.pk,
                recipients=emailed,
                send=outbox.reopening(connection, send),
            )
        except outbox.EmailsNotSent:
            _finish(announcement, rows.values())
            raise
    _finish(announcement, rows.values())
    return outcome


def _finish(announcement: Announcement, rows: Iterable[AnnouncementRecipient]) -> None:
    """Sent: in every recipient's inbox, and each email sent or failed (the failed ones
    wait for the coordinator's retry)."""
    _record_emailed(announcement, rows)
    Announcement.objects.filter(pk=announcement.pk).exclude(status=AnnouncementStatus.SENT).update(
        status=AnnouncementStatus.SENT, sent_at=timezone.now()
    )


def _record_emailed(announcement: Announcement, rows: Iterable[AnnouncementRecipient]) -> None:
    """Copy the ledger's `sent_at` to the recipients' `emailed_at`, in bulk once the
    run ends (the ledger is the record; a run killed midway leaves it to the run that
    resumes it). Not one UPDATE per email: the send loop stays at the ledger's cost."""
    sent = dict(
        EmailDelivery.objects.filter(
            purpose=EMAILS, key=str(announcement.pk), status=DeliveryStatus.SENT
        ).values_list("recipient", "sent_at")
    )
    changed = []
    for row in rows:
        sent_at = sent.get(row.user.email.lower())
        if sent_at is not None and row.emailed_at is None:
            row.emailed_at = sent_at
            changed.append(row)
    AnnouncementRecipient.objects.bulk_update(changed, ["emailed_at"], batch_size=1000)
