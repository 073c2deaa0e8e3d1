"""Preview and import of participant files.

`preview_import` parses and checks an upload and keeps it as an ImportBatch;
`run_import` imports exactly that file, all rows or none, in one transaction, with bulk
queries (a constant number of queries whatever the row count). People are found by
email, so importing a corrected file again updates them instead of adding them twice.

Only records the importer's organisation owns are updated (`mentorat.permissions.people`):
an address with an account or another organisation's record is enrolled and invited
exactly as a new address would be, its details untouched, and the preview shows the two
the same way so that no coordinator can learn who is on the platform.

Callers check `can_import_participants` first; what the importer may do beyond that
(organisations, decided statuses, updating other organisations' applications) is read
from `mentorat.permissions.imports` here, because it shapes each row's checks."""

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.accounts.models import User
from mentorat.applications.imports import tasks
from mentorat.applications.imports.models import ImportBatch, ImportStatus
from mentorat.applications.imports.parsing import read_table
from mentorat.applications.imports.validation import (
    Action,
    KnownApplication,
    KnownPerson,
    Report,
    RowResult,
    Rules,
    Snapshot,
    check_table,
)
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.selectors import ADULT_AGE
from mentorat.audit.models import AuditEntry
from mentorat.audit.services import client_ip, record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Invitation, Membership, Organization
from mentorat.participants.models import Profile, Skill, SkillKind, age_on
from mentorat.permissions.imports import (
    can_import_decided_statuses,
    import_organization_ids,
    import_scope,
)
from mentorat.permissions.organizations import is_platform_admin
from mentorat.permissions.people import is_claimed, managed_person_ids
from mentorat.permissions.programs import staff_organization_ids
from mentorat.programs.models import Edition, ParticipantRole, Program

# Unconfirmed uploads hold personal data: they are deleted after this delay.
STALE_AFTER = timedelta(days=1)
BATCH_SIZE = 500
# Well under SQLite's limit on query parameters.
_IN_CHUNK = 900

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = _IN_CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _update_rows(model: type[models.Model], objects: list[Any], names: list[str]) -> None:
    """UPDATE each object's `names` columns with one prepared statement run for all of
    them (executemany). Django's bulk_update builds a CASE WHEN per object and field,
    which made re-importing 5,000 people take seconds; this takes a fraction of one."""
    if not objects:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    fields: list[models.Field[Any, Any]] = []
    for name in names:
        field = meta.get_field(name)
        assert isinstance(field, models.Field)
        assert field.column
        fields.append(field)
    assert meta.pk is not None
    assert meta.pk.column
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    # Table and column names come from the model, never from the file.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# Reading what the database knows -------------------------------------------------------------


def _users_by_email(emails: Sequence[str], *, lock: bool = False) -> dict[str, User]:
    found: dict[str, User] = {}
    for chunk in _chunks(list(emails)):
        users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        if lock:
            # In one order, so that two imports of the same people wait, not deadlock.
            users = users.select_for_update().order_by("pk")
        for user in users:
            found[user.email.lower()] = user
    return found


def _members_of_staff_organizations(actor: User, user_ids: Sequence[int]) -> set[int]:
    """Those of `user_ids` who belong to an organisation where `actor` is staff (all of
    them for a platform admin): people the importer already sees in their member lists."""
    if is_platform_admin(actor):
        return set(user_ids)
    staff_of = staff_organization_ids(actor)
    found: set[int] = set()
    if not staff_of:
        return found
    for chunk in _chunks(list(user_ids)):
        found.update(
            Membership.objects.filter(user_id__in=chunk, organization_id__in=staff_of).values_list(
                "user_id", flat=True
            )
        )
    return found


def _snapshot(
    *, edition: Edition, emails: Sequence[str], actor: User, lock: bool = False
) -> Snapshot:
    """The people of the file already on the platform, what `actor` may know and do about
    each (see `mentorat.permissions.people`), their applications to `edition` and the
    invitations still pending for them (a few queries, whatever the number of rows).

    With `lock`, the people's rows are locked too, so that none of them claims their
    account between this check and the import's writes."""
    snapshot = Snapshot()
    users = _users_by_email(emails, lock=lock)
    managed = managed_person_ids(actor, users.values())
    members = _members_of_staff_organizations(actor, [u.pk for u in users.values()])
    for email, user in users.items():
        snapshot.people[email] = KnownPerson(
            user_id=user.pk,
            claimed=is_claimed(user),
            managed=user.pk in managed,
            member=user.pk in members,
        )
    user_ids = [u.pk for u in users.values()]
    for chunk in _chunks(user_ids):
        applications = Application.objects.filter(edition=edition, user_id__in=chunk)
        if lock:
            applications = applications.select_for_update()
        for application in applications.only("pk", "user_id", "status", "role", "organization"):
            snapshot.applications[application.user_id] = KnownApplication(
                pk=application.pk,
                status=application.status,
                role=application.role,
                organization_id=application.organization_id,
            )
    now = timezone.now()
    for email_chunk in _chunks(list(emails)):
        for email, organization_id, role in Invitation.objects.filter(
            email__in=email_chunk, accepted_at__isnull=True, expires_at__gt=now
        ).values_list("email", "organization_id", "role"):
            snapshot.pending_invitations.add((email.lower(), organization_id, role))
    return snapshot


def import_rules(
    *, program: Program, actor: User, organization: Organization, default_role: str = ""
) -> Rules:
    """What `actor` may import into `program`, rows without an organisation going to
    `organization`. Raises DomainError if that organisation or role is not allowed."""
    allowed_ids = import_organization_ids(actor, program)
    if organization.pk not in allowed_ids:
        raise DomainError(
            _("Organisation: %(name)s does not take part in this program.")
            % {"name": organization.name}
        )
    if default_role and default_role not in ParticipantRole.values:
        raise DomainError(_("Role: unknown value “%(value)s”.") % {"value": default_role})
    allowed = Organization.objects.filter(pk__in=allowed_ids).only("pk", "name", "slug")
    return Rules(
        organizations={o.pk: o.name for o in allowed},
        organization_slugs={o.pk: o.slug for o in allowed},
        default_organization_id=organization.pk,
        default_role=default_role,
        scope=import_scope(actor, program),
        may_decide=can_import_decided_statuses(actor, program),
    )


def check_batch(*, batch: ImportBatch, actor: User, lock: bool = False) -> Report:
    """Parse and check a stored file against the database as it is now."""
    table = read_table(bytes(batch.content))
    rules = import_rules(
        program=batch.program,
        actor=actor,
        organization=batch.organization,
        default_role=batch.default_role,
    )
    emails = sorted({row.cells.get("email", "").strip().lower() for row in table.rows} - {""})
    snapshot = _snapshot(edition=batch.edition, emails=emails, actor=actor, lock=lock)
    return check_table(table=table, rules=rules, snapshot=snapshot)


# Preview --------------------------------------------------------------------------------------


def purge_stale_batches() -> int:
    """Delete uploads left unconfirmed for more than STALE_AFTER."""
    deleted, _by_model = ImportBatch.objects.filter(
        status=ImportStatus.PREVIEWED, created_at__lt=timezone.now() - STALE_AFTER
    ).delete()
    return deleted


@transaction.atomic
def preview_import(
    *,
    program: Program,
    edition: Edition,
    organization: Organization,
    default_role: str,
    filename: str,
    content: bytes,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[ImportBatch, Report]:
    """Check an uploaded file and keep it for confirmation, even with row errors (the
    preview lists them). A file that cannot be read at all raises FileProblem (a
    DomainError) and nothing is kept."""
    if edition.program_id != program.pk:
        raise DomainError(_("Edition: choose an edition of this program."))
    purge_stale_batches()
    batch = ImportBatch(
        program=program,
        edition=edition,
        organization=organization,
        default_role=default_role,
        created_by=actor,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    report = check_batch(batch=batch, actor=actor)
    batch.row_count = len(report.rows)
    batch.error_count = len(report.error_rows)
    batch.save()
    record(
        action="applications.import.previewed",
        actor=actor,
        organization=program.organization,
        target=batch,
        data={
            "edition": edition.pk,
            "organization": organization.pk,
            "rows": batch.row_count,
            "rows_with_errors": batch.error_count,
            "sha256": batch.sha256,
        },
        request=request,
    )
    return batch, report


@transaction.atomic
def discard_import(*, batch: ImportBatch, actor: User, request: HttpRequest | None = None) -> None:
    """Delete an upload that was not imported (and the personal data it holds)."""
    if batch.status != ImportStatus.PREVIEWED:
        raise DomainError(_("This file has already been imported."))
    record(
        action="applications.import.discarded",
        actor=actor,
        organization=batch.program.organization,
        target=batch,
        data={"sha256": batch.sha256},
        request=request,
    )
    batch.delete()


# Import ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    invited: int = 0
    accepted: int = 0


class ImportRejected(DomainError):
    """The file has rows with errors: nothing was imported. `report` lists them."""

    def __init__(self, report: Report) -> None:
        count = len(report.error_rows)
        super().__init__(
            ngettext(
                "%(n)s row has errors: nothing was imported. Correct the file and upload it again.",
                "%(n)s rows have errors: nothing was imported. Correct the file and "
                "upload it again.",
                count,
            )
            % {"n": count}
        )
        self.report = report


def run_import(
    *, batch: ImportBatch, sha256: str, actor: User, request: HttpRequest | None = None
) -> ImportResult:
    """Import the previewed file: every row or, if any row has an error now (the
    database may have changed since the preview), none. Invitations are emailed once
    the transaction has committed."""
    try:
        return _run_import(batch=batch, sha256=sha256, actor=actor, request=request)
    except IntegrityError as exc:
        # Someone created one of these people or applications since we checked.
        raise DomainError(
            _(
                "Some of these people were changed by someone else during the import: "
                "nothing was imported. Please try again."
            )
        ) from exc


@transaction.atomic
def _run_import(
    *, batch: ImportBatch, sha256: str, actor: User, request: HttpRequest | None
) -> ImportResult:
    locked = (
        ImportBatch.objects.select_for_update()
        .select_related("program", "program__organization", "edition", "organization")
        .filter(pk=batch.pk)
        .first()
    )
    if locked is None:
        raise DomainError(_("This upload no longer exists: upload the file again."))
    if locked.status != ImportStatus.PREVIEWED:
        raise DomainError(_("This file has already been imported."))
    content = bytes(locked.content)
    if sha256 != locked.sha256 or hashlib.sha256(content).hexdigest() != locked.sha256:
        raise DomainError(_("This is not the file that was previewed: upload it again."))
    report = check_batch(batch=locked, actor=actor, lock=True)
    if report.error_rows:
        raise ImportRejected(report)

    importer = _Importer(batch=locked, actor=actor, request=request)
    result = importer.apply(report.rows)

    locked.status = ImportStatus.IMPORTED
    locked.imported_at = timezone.now()
    locked.content = b""  # the people are in the database now; the file is not needed
    locked.result = {
        "created": result.created,
        "updated": result.updated,
        "skipped": result.skipped,
        "invited": result.invited,
        "accepted": result.accepted,
        "invitation_ids": importer.invitation_ids,
    }
    locked.save()
    record(
        action="applications.import.completed",
        actor=actor,
        organization=locked.program.organization,
        target=locked,
        data={k: v for k, v in locked.result.items() if k != "invitation_ids"}
        | {"sha256": locked.sha256, "edition": locked.edition_id},
        request=request,
    )
    if importer.invitation_ids:
        batch_id = locked.pk
        transaction.on_commit(lambda: tasks.send_import_invitations.enqueue(batch_id))
    return result


class _Importer:
    """Writes the checked rows of one batch with bulk queries."""

    def __init__(self, *, batch: ImportBatch, actor: User, request: HttpRequest | None) -> None:
        self.batch = batch
        self.edition = batch.edition
        self.program = batch.program
        self.actor = actor
        self.ip = client_ip(request)
        self.now = timezone.now()
        self.audit: list[AuditEntry] = []
        self.invitation_ids: list[int] = []
        self.organizations = Organization.objects.in_bulk(
            import_organization_ids(actor, batch.program)
        )

    def apply(self, rows: list[RowResult]) -> ImportResult:
        """Write the rows. Relies on bulk_create setting primary keys (PostgreSQL and
        SQLite ≥ 3.35, the databases we support) for the audit entries.

        The audit trail gets one entry per application (saying whether the person was
        created, which profile fields were written and whether they are invited), one per
        membership given and per invitation (in the organisation concerned), and the
        batch's summary; not one per person and profile as well, which would add cost for
        no extra fact."""
        result = ImportResult(skipped=sum(1 for r in rows if r.action == Action.SKIP))
        rows = [r for r in rows if r.action != Action.SKIP]
        users = self._people(rows)
        self._profiles(rows, users)
        result.created, result.updated, result.accepted = self._applications(rows, users)
        result.invited = self._invitations(rows)
        AuditEntry.objects.bulk_create(self.audit, batch_size=BATCH_SIZE)
        return result

    def _entry(
        self,
        action: str,
        target: models.Model,
        data: dict[str, Any],
        organization_id: int | None = None,
    ) -> None:
        self.audit.append(
            AuditEntry(
                action=action,
                actor=self.actor,
                actor_label=self.actor.email,
                organization_id=organization_id or self.program.organization_id,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                target_label=str(target)[:254],
                data=data,
                ip_address=self.ip,
            )
        )

    # People and profiles

    def _people(self, rows: list[RowResult]) -> dict[str, User]:
        # Names and language are written for CREATE and UPDATE rows only: ENROLL and
        # APPLICATION_ONLY people are not the importer's to change.
        new = [
            User(
                email=r.email,
                first_name=r.first_name,
                last_name=r.last_name,
                language=r.language or "fr",
                # What make_password(None) gives, without 5,000 slow random strings.
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
            )
            for r in rows
            if r.action == Action.CREATE
        ]
        User.objects.bulk_create(new, batch_size=BATCH_SIZE)
        users = _users_by_email([r.email for r in rows])
        changed: list[User] = []
        for row in rows:
            if row.action != Action.UPDATE:
                continue
            user = users[row.email]
            given = {"first_name": row.first_name, "last_name": row.last_name}
            given["language"] = row.language
            updates = {k: v for k, v in given.items() if v and getattr(user, k) != v}
            for name, value in updates.items():
                setattr(user, name, value)
            if updates:
                changed.append(user)
        _update_rows(User, changed, ["first_name", "last_name", "language"])
        return users

    def _profiles(self, rows: list[RowResult], users: dict[str, User]) -> None:
        # Account holders keep the profile they wrote themselves.
        rows = [r for r in rows if r.action in (Action.CREATE, Action.UPDATE)]
        user_ids = [users[r.email].pk for r in rows]
        profiles: dict[int, Profile] = {}
        for chunk in _chunks(user_ids):
            profiles.update({p.user_id: p for p in Profile.objects.filter(user_id__in=chunk)})
        new: list[Profile] = []
        changed: list[Profile] = []
        fields: set[str] = set()
        for row in rows:
            user = users[row.email]
            values = row.profile.given()
            values.pop("skills_offered", None)
            values.pop("skills_wanted", None)
            profile = profiles.get(user.pk)
            if profile is None:
                profile = Profile(user=user, **values)
                profiles[user.pk] = profile
                new.append(profile)
            else:
                differ = {k: v for k, v in values.items() if getattr(profile, k) != v}
                for name, value in differ.items():
                    setattr(profile, name, value)
                if differ:
                    profile.updated_at = self.now
                    changed.append(profile)
                    fields.update(differ)
        Profile.objects.bulk_create(new, batch_size=BATCH_SIZE)
        _update_rows(Profile, changed, [*sorted(fields), "updated_at"])
        for name in ("skills_offered", "skills_wanted"):
            self._skills(name, [(profiles[users[r.email].pk], r) for r in rows])

    def _skills(self, name: str, pairs: list[tuple[Profile, RowResult]]) -> None:
        given = [(p, getattr(r.profile, name)) for p, r in pairs if getattr(r.profile, name)]
        if not given:
            return
        wanted: dict[str, str] = {}  # lowercased → first spelling met
        for _profile, names in given:
            for skill_name in names:
                wanted.setdefault(skill_name.lower(), skill_name)
        skills: dict[str, Skill] = {}
        for chunk in _chunks(list(wanted)):
            for skill in Skill.objects.annotate(lowered=Lower("name")).filter(lowered__in=chunk):
                skills[skill.name.lower()] = skill
        missing = [
            Skill(name=wanted[key], kind=SkillKind.FIELD, is_curated=False)
            for key in wanted
            if key not in skills
        ]
        Skill.objects.bulk_create(missing, batch_size=BATCH_SIZE)
        skills.update({skill.name.lower(): skill for skill in missing})
        through = getattr(Profile, name).through
        wanted_links = {
            profile.pk: {skills[n.lower()].pk for n in names} for profile, names in given
        }
        current: dict[int, set[int]] = defaultdict(set)
        for id_chunk in _chunks(list(wanted_links)):
            for profile_id, skill_id in through.objects.filter(profile_id__in=id_chunk).values_list(
                "profile_id", "skill_id"
            ):
                current[profile_id].add(skill_id)
        # Only the profiles whose skills change are rewritten.
        changed = [pk for pk, ids in wanted_links.items() if current[pk] != ids]
        for id_chunk in _chunks(changed):
            through.objects.filter(profile_id__in=id_chunk).delete()
        through.objects.bulk_create(
            [
                through(profile_id=pk, skill_id=skill_id)
                for pk in changed
                for skill_id in wanted_links[pk]
            ],
            batch_size=BATCH_SIZE,
        )

    # Applications, memberships, invitations

    def _applications(self, rows: list[RowResult], users: dict[str, User]) -> tuple[int, int, int]:
        user_ids = [users[r.email].pk for r in rows]
        existing: dict[int, Application] = {}
        birth_dates: dict[int, date | None] = {}
        for chunk in _chunks(user_ids):
            existing.update(
                {
                    a.user_id: a
                    for a in Application.objects.filter(edition=self.edition, user_id__in=chunk)
                }
            )
            birth_dates.update(
                Profile.objects.filter(user_id__in=chunk).values_list("user_id", "birth_date")
            )
        today = timezone.localdate()
        new: list[Application] = []
        known: list[Application] = []
        by_user: dict[int, Application] = {}
        # Updated applications share few distinct values (role, status, organisation…):
        # one UPDATE per distinct set is much faster than a row-by-row bulk_update.
        updates: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
        memberships: set[tuple[int, int, str]] = set()
        accepted = 0
        for row in rows:
            user = users[row.email]
            application = existing.get(user.pk)
            if application is None:
                application = Application(
                    edition=self.edition,
                    user=user,
                    submitted_at=self.now,
                    source="import",
                    status=ApplicationStatus.SUBMITTED,
                )
                new.append(application)
            else:
                application.user, application.edition = user, self.edition
                known.append(application)
            by_user[user.pk] = application
            values: dict[str, Any] = {"role": row.role, "organization_id": row.organization_id}
            birth_date = birth_dates.get(user.pk)
            if birth_date is not None:
                minor = age_on(birth_date, today) < ADULT_AGE
                values |= {"is_minor": minor, "contact_through_platform_only": minor}
            status = row.status or application.status
            if (
                status == ApplicationStatus.ACCEPTED
                and application.status != ApplicationStatus.ACCEPTED
            ):
                values |= {
                    "accepted_at": self.now,
                    "decided_at": self.now,
                    "decided_by_id": self.actor.pk,
                }
                accepted += 1
            if status == ApplicationStatus.ACCEPTED:
                memberships.add((user.pk, row.organization_id, row.role))
            values["status"] = status
            changed = {k: v for k, v in values.items() if getattr(application, k) != v}
            for name, value in changed.items():
                setattr(application, name, value)
            if application.pk is not None and changed:
                updates[tuple(sorted(changed.items()))].append(application.pk)
        Application.objects.bulk_create(new, batch_size=BATCH_SIZE)
        for key, pks in updates.items():
            for chunk in _chunks(pks):
                Application.objects.filter(pk__in=chunk).update(**dict(key), updated_at=self.now)
        created_ids = {id(a) for a in new}
        for row in rows:
            application = by_user[users[row.email].pk]
            self._entry(
                "applications.application.imported",
                application,
                {
                    "created": id(application) in created_ids,
                    "status": application.status,
                    "role": application.role,
                    "batch": self.batch.pk,
                    "person": row.action.value,
                    # Field names only: the audit log must not copy personal data.
                    "profile_fields": sorted(row.profile.given())
                    if row.action in (Action.CREATE, Action.UPDATE)
                    else [],
                    "invited": row.invite,
                },
            )
        self._memberships(memberships, users)
        return len(new), len(known), accepted

    def _memberships(self, wanted: set[tuple[int, int, str]], users: dict[str, User]) -> None:
        if not wanted:
            return
        user_ids = sorted({user_id for user_id, _o, _r in wanted})
        have: set[tuple[int, int, str]] = set()
        for chunk in _chunks(user_ids):
            have.update(
                Membership.objects.filter(user_id__in=chunk).values_list(
                    "user_id", "organization_id", "role"
                )
            )
        by_id = {user.pk: user for user in users.values()}
        missing = [
            Membership(user=by_id[u], organization=self.organizations[o], role=r)
            for u, o, r in sorted(wanted - have)
        ]
        Membership.objects.bulk_create(missing, batch_size=BATCH_SIZE)
        for membership in missing:
            self._entry(
                "organizations.membership.added",
                membership,
                {"user": membership.user.email, "role": membership.role},
                membership.organization_id,
            )

    def _invitations(self, rows: list[RowResult]) -> int:
        expires_at = self.now + timedelta(days=settings.INVITATION_VALID_DAYS)
        invitations = [
            Invitation(
                organization=self.organizations[row.organization_id],
                email=row.email,
                role=row.role,
                invited_by=self.actor,
                expires_at=expires_at,
            )
            for row in rows
            if row.invite
        ]
        Invitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
        # In the invited organisation's log, as `invite_member` writes it: a partner's
        # admins see who the program's coordinators invited to join them.
        for invitation in invitations:
            self._entry(
                "organizations.invitation.sent",
                invitation,
                {"email": invitation.email, "role": invitation.role, "batch": self.batch.pk},
                invitation.organization_id,
            )
        self.invitation_ids = [i.pk for i in invitations]
        return len(invitations)
