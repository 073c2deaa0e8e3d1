"""Asking for an export, building it through the real worker, its email, downloads and
expiry."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.lib.private_storage import private_storage
from mentorat.notifications.models import EmailDelivery
from mentorat.organizations.models import Role
from mentorat.privacy.exports import builder, services
from mentorat.privacy.exports.archive import build_zip
from mentorat.privacy.exports.collect import collect
from mentorat.privacy.exports.models import ExportRequest, ExportStatus
from mentorat.worker.recovery import recover_orphaned_tasks
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.privacy_exports.people import build_world
from tests.privacy_exports.zips import Zip


def run_worker() -> None:
    """The project's database queue, worked by django-tasks-db's worker until empty."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def file_digest(export: ExportRequest) -> str:
    with private_storage().open(export.file.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.fixture
def person(db):
    return UserFactory(email="lea@example.org", language="en", time_zone="Europe/Paris")


def test_asking_twice_reuses_the_export_in_progress(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.request_export(person=person, requested_by=person)
        again = services.request_export(person=person, requested_by=person)
    assert again.pk == first.pk
    assert len(callbacks) == 1  # one task enqueued
    entry = AuditEntry.objects.get(action="privacy.export.requested")
    assert entry.actor == person
    assert entry.organization is None
    assert person.email not in str(entry.data)
    assert entry.target_label == str(first)


def test_only_the_person_asks_for_their_own_export(person):
    with pytest.raises(DomainError):
        services.request_export(person=person, requested_by=UserFactory())


def test_the_export_is_built_and_emailed_in_the_persons_language(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(person=person, requested_by=person)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert export.expires_at == export.ready_at + timedelta(days=7)
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "Your data export is ready" in message.subject
    link = reverse("privacy:export_detail", kwargs={"public_id": export.public_id})
    assert link in message.body
    assert person.email not in link
    archive = Zip(private_storage().open(export.file.name).read())
    assert {"data.json", "summary.html"} <= set(archive.names)
    assert "tables/accounts.user.csv" in archive.names


def test_the_email_is_in_the_persons_language_and_time_zone(db, django_capture_on_commit_callbacks):
    person = UserFactory(language="fr", time_zone="America/Martinique")
    with (
        time_machine.travel("2026-03-02 12:30:00+00:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.request_export(person=person, requested_by=person)
    (message,) = mail.outbox
    # Django's French date format, in the person's zone (UTC-4): 9 March, 08:30.
    assert "9 mars 2026 08:30" in message.body


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_builds_it_and_a_run_after_a_kill_sends_no_second_email(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = build_world()
    export = services.request_export(person=world.person, requested_by=world.person)
    task = DBTaskResult.objects.get()
    assert task.task_path == "mentorat.privacy.exports.tasks.build_export"

    run_worker()

    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert len(mail.outbox) == 1
    digest = file_digest(export)
    # The worker dies after the file and the email, before recording the task's end: the
    # recovery pass queues the task again (it is resumable) and another worker runs it.
    kill_during(task)
    assert recover_orphaned_tasks().requeued == [str(task.id)]

    run_worker()

    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert file_digest(export) == digest
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.filter(purpose=builder.EMAIL_PURPOSE).count() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_writing_the_file_leaves_a_run_that_rebuilds_the_same_file(
    settings,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = build_world()
    export = services.request_export(person=world.person, requested_by=world.person)
    task = DBTaskResult.objects.get()
    # Killed half-way: marked building, half a file written, nothing committed after.
    ExportRequest.objects.filter(pk=export.pk).update(
        status=ExportStatus.BUILDING, started_at=timezone.now()
    )
    private_storage().save(builder.file_name(export), ContentFile(b"PK\x03\x04 truncated"))
    kill_during(task)
    expected = build_zip(collect(world.person), world.person, export.created_at)
    assert build_zip(collect(world.person), world.person, export.created_at) == expected
    recover_orphaned_tasks()

    run_worker()

    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    with private_storage().open(export.file.name, "rb") as handle:
        assert handle.read() == expected
    assert private_storage().listdir("exports")[1] == [f"{export.public_id}.zip"]
    assert len(mail.outbox) == 1


def kill_during(task: DBTaskResult) -> None:
    """Leave `task` as a worker killed while running it leaves it."""
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=5),
        worker_ids=["dead-worker"],
    )


def test_a_failing_build_marks_the_export_failed_so_a_new_one_can_be_asked(
    person, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(builder, "collect", broken)
    with django_capture_on_commit_callbacks() as callbacks:
        export = services.request_export(person=person, requested_by=person)
    with pytest.raises(RuntimeError):
        builder.build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert len(callbacks) == 1
    assert services.request_export(person=person, requested_by=person).pk != export.pk


def test_after_seven_days_the_file_is_deleted_and_downloads_refused(
    person, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-03-02 10:00:00+01:00", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            export = services.request_export(person=person, requested_by=person)
        export.refresh_from_db()
        name = export.file.name
        assert private_storage().exists(name)
    with time_machine.travel("2026-03-09 09:59:00+01:00", tick=False):
        assert services.expire_exports() == 0
        services.record_download(export=export, actor=person)
    with time_machine.travel("2026-03-09 10:00:01+01:00", tick=False):
        export.refresh_from_db()
        assert not export.is_downloadable
        with pytest.raises(DomainError):
            services.record_download(export=export, actor=person)
        assert services.expire_exports() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not export.file
    assert not private_storage().exists(name)
    assert export.download_count == 1


def test_the_expiry_runs_with_the_workers_recovery_pass(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(person=person, requested_by=person)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        recover_orphaned_tasks()
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED


def test_an_export_stuck_in_preparation_is_failed_by_the_sweep(person):
    export = ExportRequest.objects.create(person=person, requested_by=person)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        services.expire_exports()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


def test_an_admin_exports_a_person_only_their_organisation_holds(
    db, django_capture_on_commit_callbacks
):
    world = build_world()
    admin = UserFactory(language="fr")
    MembershipFactory(user=admin, organization=world.organization, role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(
            person=world.person, requested_by=admin, organization=world.organization
        )
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    # The person is told, and so is the admin who made it.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.person.email, admin.email])
    entry = AuditEntry.objects.get(action="privacy.export.requested")
    assert entry.organization == world.organization
    assert entry.data == {"by_organization": True}

    # Someone who also takes part in another organisation's programs: refused.
    MembershipFactory(user=world.stranger, organization=OrganizationFactory(), role=Role.MENTOR)
    with pytest.raises(DomainError):
        services.request_export(
            person=world.stranger, requested_by=admin, organization=world.organization
        )


def test_a_file_no_export_points_to_is_deleted_by_the_sweep(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = services.request_export(person=person, requested_by=person)
    kept.refresh_from_db()
    in_progress = ExportRequest.objects.create(person=UserFactory(), requested_by=person)
    storage = private_storage()
    storage.save(builder.file_name(in_progress), ContentFile(b"being written"))
    # An erasure clears the row's file: the ZIP, a copy of everything, must go too.
    erased = ExportRequest.objects.create(
        person=UserFactory(), requested_by=person, status=ExportStatus.READY
    )
    orphan = storage.save(builder.file_name(erased), ContentFile(b"PK"))

    services.expire_exports()

    assert storage.exists(kept.file.name)
    assert storage.exists(builder.file_name(in_progress))
    assert not storage.exists(orphan)
