"""Exports of a person's data: asking for one, recording downloads, expiring files."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.lib.private_storage import private_storage
from mentorat.organizations.models import Organization
from mentorat.permissions.privacy_exports import can_export_person
from mentorat.privacy.exports.builder import EXPORTS_FOLDER, file_name
from mentorat.privacy.exports.models import IN_PROGRESS, ExportRequest, ExportStatus
from mentorat.privacy.exports.tasks import build_export

logger = logging.getLogger(__name__)

# An export still queued or building after this long lost its task for good (the worker
# gives up after WORKER_MAX_ATTEMPTS): it is marked failed so that a new one can be asked.
STUCK_AFTER = timedelta(hours=6)


def request_export(
    *,
    person: User,
    requested_by: User,
    organization: Organization | None = None,
    request: HttpRequest | None = None,
) -> ExportRequest:
    """Ask for an export of everything the platform holds about `person`, built in the
    background and emailed as a link (`tasks.build_export`).

    Idempotent: an export of the same person by the same kind of requester (the person,
    or `organization`) still queued or building is returned instead of a new one. Without
    `organization` only the person asks for themselves; with it, `requested_by` is an
    admin of `organization` (checked by the view) and the person must be one whose data
    only that organisation holds (`can_export_person`), else DomainError. Writes the
    audit entry `privacy.export.requested` (no personal data) and enqueues the task
    after the commit."""
    if organization is None and requested_by.pk != person.pk:
        raise DomainError(_("Only the person concerned can ask for this export."))
    if organization is not None and not can_export_person(organization, person):
        raise DomainError(
            _(
                "This person also takes part in another organisation's programs: the export "
                "would include that organisation's data. They can ask for it themselves from "
                "their “My data” page."
            )
        )
    with transaction.atomic():
        # One request at a time per person: the check below and the insert are one step.
        User.objects.select_for_update().filter(pk=person.pk).first()
        existing = ExportRequest.objects.filter(
            person=person, organization=organization, status__in=IN_PROGRESS
        ).first()
        if existing is not None:
            return existing
        export = ExportRequest.objects.create(
            person=person, requested_by=requested_by, organization=organization
        )
        record(
            action="privacy.export.requested",
            actor=requested_by,
            organization=organization,
            target=export,
            data={"by_organization": organization is not None},
            request=request,
        )
        transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def record_download(
    *, export: ExportRequest, actor: User, request: HttpRequest | None = None
) -> ExportRequest:
    """Count a download of a ready export and write `privacy.export.downloaded`;
    DomainError once it expired or while it is not ready."""
    with transaction.atomic():
        locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
        if not locked.is_downloadable:
            raise DomainError(_("This export is no longer available. You can ask for a new one."))
        locked.download_count = F("download_count") + 1
        locked.last_downloaded_at = timezone.now()
        locked.save(update_fields=["download_count", "last_downloaded_at"])
        record(
            action="privacy.export.downloaded",
            actor=actor,
            organization=locked.organization,
            target=locked,
            data={"by_person": actor.pk == locked.person_id},
            request=request,
        )
    locked.refresh_from_db()
    return locked


def expire_exports(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired; mark failed
    the exports stuck in preparation for `STUCK_AFTER`. Returns how many expired.

    Run after each recovery pass of the workers (`register_sweep`), so files go within
    seconds of their expiry; downloads check the expiry themselves meanwhile."""
    now = now or timezone.now()
    storage = private_storage()
    expired = 0
    due = ExportRequest.objects.filter(status=ExportStatus.READY, expires_at__lte=now)
    for export_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            export = due.select_for_update(skip_locked=True).filter(pk=export_id).first()
            if export is None:
                continue
            if export.file.name:
                storage.delete(export.file.name)
            export.file.name = ""
            export.status = ExportStatus.EXPIRED
            export.finished_at = now
            export.save(update_fields=["file", "status", "finished_at"])
            expired += 1
    stuck = ExportRequest.objects.filter(
        status__in=IN_PROGRESS, created_at__lt=now - STUCK_AFTER
    ).update(status=ExportStatus.FAILED, finished_at=now)
    orphans = _delete_orphan_files()
    if expired or stuck or orphans:
        logger.info(
            "Exports: %s expired, %s stuck marked failed, %s orphan files deleted",
            expired,
            stuck,
            orphans,
        )
    return expired


def _delete_orphan_files() -> int:
    """Delete the export files no export needs: left by an erasure (which clears the
    row's file), a deleted row, or a run that failed after writing. A file of an export
    still in preparation is kept: its task is writing it."""
    storage = private_storage()
    try:
        names = storage.listdir(EXPORTS_FOLDER)[1]
    except FileNotFoundError:
        return 0
    needed = {
        str(export.file.name)
        for export in ExportRequest.objects.filter(status=ExportStatus.READY).exclude(file="")
    }
    needed |= {
        file_name(export)
        for export in ExportRequest.objects.filter(status__in=IN_PROGRESS).only("public_id")
    }
    deleted = 0
    for name in names:
        path = f"{EXPORTS_FOLDER}/{name}"
        if path not in needed:
            storage.delete(path)
            deleted += 1
    return deleted
