"""Writing, sending and reading messages to a cohort."""

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.announcements import tasks
from mentorat.announcements.models import (
    Announcement,
    AnnouncementRecipient,
    AnnouncementStatus,
    Segment,
)
from mentorat.announcements.selectors import EMAILS, announcement_users
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.notifications.services import retry_deliveries
from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, Program

FILTER_KEYS = ("role", "status", "health", "region", "field")


def write_announcement(
    *,
    program: Program,
    edition: Edition,
    organization: Organization,
    segment: str,
    filters: Mapping[str, Any],
    subject: str,
    body: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Announcement:
    """A draft message of `actor` on behalf of `organization` (the program's owner or a
    partner it is shared with, as `permissions.announcements.writing_organization`
    says) to a segment of `edition`; nothing is sent until `send_announcement`."""
    if edition.program_id != program.pk:
        raise DomainError(_("Choose an edition of this program."))
    if segment not in Segment.values:
        raise DomainError(_("Choose who receives the message."))
    if (
        organization.pk != program.organization_id
        and not program.shared_with.filter(pk=organization.pk).exists()
    ):
        raise DomainError(_("This program is not shared with your organisation."))
    kept = {key: str(filters[key]) for key in FILTER_KEYS if filters.get(key)}
    with transaction.atomic():
        announcement = Announcement.objects.create(
            program=program,
            edition=edition,
            organization=organization,
            author=actor,
            segment=segment,
            filters=kept if segment == Segment.CUSTOM else {},
            subject=subject.strip(),
            body=body.strip(),
        )
        record(
            action="announcements.announcement.written",
            actor=actor,
            organization=organization,
            target=announcement,
            data={"segment": segment},
            request=request,
        )
    return announcement


def send_announcement(
    *, announcement: Announcement, actor: User, request: HttpRequest | None = None
) -> int:
    """Send a draft: the task (queued once this commits) puts it in each recipient's
    inbox and emails them. Returns how many people the segment reaches now (the task
    writes the final list). Refuses a message already sent and a segment reaching
    nobody."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.status != AnnouncementStatus.DRAFT:
            raise DomainError(_("This message has already been sent."))
        count = announcement_users(announcement=announcement, now=timezone.now()).count()
        if not count:
            raise DomainError(_("Nobody is in this segment: there is no one to send it to."))
        locked.status = AnnouncementStatus.SENDING
        locked.recipients_count = count
        locked.save(update_fields=["status", "recipients_count"])
        record(
            action="announcements.announcement.sent",
            actor=actor,
            organization=locked.organization,
            target=locked,
            data={"segment": locked.segment, "recipients": count},
            request=request,
        )
        transaction.on_commit(partial(tasks.send_announcement.enqueue, locked.pk))
    announcement.status = locked.status
    announcement.recipients_count = count
    return count


def retry_announcement_emails(
    *, announcement: Announcement, actor: User, request: HttpRequest | None = None
) -> int:
    """Send again the emails of a message that failed or still wait (the ledger skips
    those already sent). Returns how many it will try."""
    if announcement.status == AnnouncementStatus.DRAFT:
        raise DomainError(_("This message has not been sent yet."))
    return retry_deliveries(
        purpose=EMAILS,
        key=announcement.pk,
        enqueue=partial(tasks.send_announcement.enqueue, announcement.pk),
        actor=actor,
        organization=announcement.organization,
        target=announcement,
        request=request,
    )


def mark_read(*, recipient: AnnouncementRecipient) -> None:
    """The person opened their message (first time only; no audit entry: it is theirs)."""
    if recipient.read_at is None:
        recipient.read_at = timezone.now()
        AnnouncementRecipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(
            read_at=recipient.read_at
        )
