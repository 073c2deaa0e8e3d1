"""Building an export: the ZIP from the data map, stored privately, then one email.

Safe to run again at any point after a crash: the file is named after the export and
rebuilt identically (`archive.build_zip` is deterministic for the same data), the
export is marked ready once, and the email goes through the delivery ledger, keyed by
the export, so it is sent once."""

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.lib.private_storage import private_storage
from mentorat.lib.timezones import user_zone
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.privacy.exports.archive import build_zip
from mentorat.privacy.exports.collect import collect
from mentorat.privacy.exports.models import (
    EXPORT_VALID_DAYS,
    EXPORT_VALIDITY,
    ExportRequest,
    ExportStatus,
)

EMAIL_PURPOSE = "privacy_exports.ready"
# The folder of the private storage holding the export files.
EXPORTS_FOLDER = "exports"


def file_name(export: ExportRequest) -> str:
    """Where the export's file is kept in the private storage (no personal data)."""
    return f"{EXPORTS_FOLDER}/{export.public_id}.zip"


def _start(export_id: int, now: datetime) -> ExportRequest | None:
    """Lock the export and mark it building; None if there is nothing to build."""
    with transaction.atomic():
        export = (
            # Only the export's row is locked (its nullable relations are outer joins).
            ExportRequest.objects.select_for_update(of=("self",))
            .select_related("person", "requested_by", "organization")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status in (ExportStatus.FAILED, ExportStatus.EXPIRED):
            return None
        if export.status == ExportStatus.QUEUED:
            export.status = ExportStatus.BUILDING
            export.started_at = now
            export.save(update_fields=["status", "started_at"])
        return export


def _store(export: ExportRequest, now: datetime) -> bool:
    """Write the file and mark the export ready; False if it failed or expired
    meanwhile."""
    content = build_zip(collect(export.person), export.person, export.created_at)
    storage = private_storage()
    name = file_name(export)
    if storage.exists(name):  # a previous run wrote it before its worker died
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    with transaction.atomic():
        locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.BUILDING:
            # Another run finished it (the same file: keep it), or it expired or failed.
            if locked.status != ExportStatus.READY and saved != locked.file.name:
                storage.delete(saved)
            export.refresh_from_db()
            return locked.status == ExportStatus.READY
        locked.file.name = saved
        locked.size = len(content)
        locked.status = ExportStatus.READY
        locked.ready_at = now
        locked.expires_at = now + EXPORT_VALIDITY
        locked.save(update_fields=["file", "size", "status", "ready_at", "expires_at"])
    export.refresh_from_db()
    return True


def _fail(export: ExportRequest, now: datetime) -> None:
    ExportRequest.objects.filter(pk=export.pk, status=ExportStatus.BUILDING).update(
        status=ExportStatus.FAILED, finished_at=now
    )


def _notify(export: ExportRequest) -> None:
    """Email the person (and the admin who made it for them) the download page's link,
    each in their language and time zone; once per export and recipient."""
    recipients: dict[str, User] = {export.person.email: export.person}
    requester = export.requested_by
    if requester is not None and requester.pk != export.person_id and requester.email:
        recipients[requester.email] = requester
    path = reverse("privacy:export_detail", kwargs={"public_id": export.public_id})

    def send(address: str, recipient: User) -> None:
        with timezone.override(user_zone(recipient)):
            send_templated_email(
                to=[address],
                template="privacy_exports/emails/export_ready",
                context={
                    "recipient": recipient,
                    "for_someone_else": recipient.pk != export.person_id,
                    "export": export,
                    "download_path": path,
                    "valid_days": EXPORT_VALID_DAYS,
                },
                language=recipient.language,
            )

    outbox.send_each(purpose=EMAIL_PURPOSE, key=export.pk, recipients=recipients, send=send)


def build(*, export_id: int, now: datetime | None = None) -> None:
    """Build export `export_id` and send its email; idempotent (module docstring).

    An error while building marks the export failed (the person may ask again) and is
    raised again, so that the task's result shows it."""
    now = now or timezone.now()
    export = _start(export_id, now)
    if export is None:
        return
    if export.status == ExportStatus.BUILDING:
        try:
            if not _store(export, now):
                return
        except Exception:
            _fail(export, timezone.now())
            raise
    if export.status == ExportStatus.READY:
        _notify(export)
