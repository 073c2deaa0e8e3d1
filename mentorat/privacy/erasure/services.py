"""Erasure (GDPR Art. 17) that keeps the statistics, driven by the data map.

`erase_person` removes or replaces every personal value the map declares about a person
and closes their account, while pairs, outcomes, applications' statuses and dates, and
counts stay as pseudonymous records: past reports keep their numbers. `erase_rows` is the
same erasure for given rows of one model (the retention clean-up uses it). The request
flow (ask, cancel, confirm, refuse) is below; the confirmation runs `erase_person`.
"""

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import DECIDABLE, Application, ApplicationStatus
from mentorat.audit.models import SecurityEvent
from mentorat.audit.pseudonyms import pseudonym_for, pseudonyms_of
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.lib.personal_data import TARGET, Erasure, ModelData
from mentorat.matching.models import MentorRequest, RequestStatus
from mentorat.matching.services.withdrawal import withdraw_participant
from mentorat.mentorships.models import (
    CheckIn,
    EndReason,
    Meeting,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
)
from mentorat.mentorships.services.pairs import end_mentorship
from mentorat.organizations.models import Organization
from mentorat.participants.models import SensitiveDataConsent
from mentorat.participants.services import withdraw_sensitive_consent
from mentorat.privacy.datamap import declaration_for, declarations
from mentorat.privacy.erasure import tasks
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus
from mentorat.privacy.erasure.selectors import (
    Identity,
    email_pks,
    erased_email,
    identity_of,
    json_mentions,
    model_of,
    organizations_holding,
    rows_about,
    subject_pks,
    target_pks,
    text_search,
)

logger = logging.getLogger(__name__)

# The answer to a request is due one month after it (GDPR Art. 12.3).
DEADLINE_MONTHS = 1


# --- Applying the map ---------------------------------------------------------------


def erase_rows(*, model_label: str, rows: Iterable[Any], person: User) -> int:
    """Apply the data map's erasure of model `model_label` ("app_label.ModelName") to
    `rows` (instances, primary keys or a queryset) for `person`: each declared field whose
    subject is the person is cleared, replaced or its row deleted, as the map says;
    fields about someone else and undeclared fields are left alone. A model without a
    declaration is left alone (returns 0). Returns how many rows were changed or deleted.

    Call it inside a transaction; it takes no lock of its own. The retention clean-up
    uses it for old applications; `erase_person` for everything about a person."""
    declaration = declaration_for(model_label)
    if declaration is None:
        return 0
    if isinstance(rows, models.QuerySet):
        pks = set(rows.values_list("pk", flat=True))
    else:
        pks = {row.pk if isinstance(row, models.Model) else row for row in rows}
    return _erase(declaration, pks, identity_of(person))


def _rows_of_subject(
    declaration: ModelData, subject: str | None, pks: set[Any], identity: Identity
) -> set[Any]:
    """The rows among `pks` where a field of `subject` is about the person."""
    model = model_of(declaration)
    if subject == TARGET:
        return target_pks(declaration, identity.keys, pks)
    if subject is not None:
        return subject_pks(model, subject, identity.user_id, pks)
    # A field without a subject of its own is about the model's subjects, and about
    # whoever the model's email fields name.
    found = email_pks(declaration, identity.addresses, pks)
    for lookup in declaration.subjects:
        found |= subject_pks(model, lookup, identity.user_id, pks)
    return found


def _erase(declaration: ModelData, pks: set[Any], identity: Identity) -> int:
    """`erase_rows` once the person's identity is known (read before anything changed)."""
    if not pks:
        return 0
    model = model_of(declaration)
    matched: dict[str | None, set[Any]] = {}
    doomed: set[Any] = set()
    changes: dict[Any, dict[str, Erasure]] = {}
    for name, declared in declaration.fields.items():
        if declared.erasure == Erasure.KEEP:
            continue
        if declared.subject not in matched:
            matched[declared.subject] = _rows_of_subject(
                declaration, declared.subject, pks, identity
            )
        rows = matched[declared.subject]
        if declared.erasure == Erasure.DELETE_ROW:
            doomed |= rows
        else:
            for pk in rows:
                changes.setdefault(pk, {})[name] = Erasure(declared.erasure)
    changed = {pk: fields for pk, fields in changes.items() if pk not in doomed}
    _delete_files_on_commit(model, doomed, changed)
    if doomed:
        model._base_manager.filter(pk__in=doomed).delete()
    for row in model._base_manager.filter(pk__in=changed):
        _apply(row, changed[row.pk], identity)
    return len(doomed) + len(changed)


def _delete_files_on_commit(
    model: type[models.Model], doomed: set[Any], changed: dict[Any, dict[str, Erasure]]
) -> None:
    """The stored files of deleted rows and of cleared file fields go too, once the
    erasure has committed (a rolled-back erasure keeps them)."""
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return
    wanted = doomed | set(changed)
    for row in model._base_manager.filter(pk__in=wanted):
        for file_field in file_fields:
            if row.pk not in doomed and file_field.name not in changed.get(row.pk, {}):
                continue
            stored = getattr(row, file_field.attname)
            if stored:
                transaction.on_commit(partial(file_field.storage.delete, stored.name))


def _apply(row: models.Model, fields: dict[str, Erasure], identity: Identity) -> None:
    updates: dict[str, Any] = {}
    for name, erasure in fields.items():
        field_ = row._meta.get_field(name)
        if field_.many_to_many:
            getattr(row, name).clear()
            continue
        concrete = cast(models.Field[Any, Any], field_)
        if erasure == Erasure.REPLACE or (concrete.unique and not concrete.null):
            updates[concrete.attname] = _placeholder(row, concrete, identity)
        else:
            updates[concrete.attname] = _empty(concrete)
    if updates:
        # `update` skips `save()` and `auto_now`: an erasure is not an edit by anyone.
        type(row)._base_manager.filter(pk=row.pk).update(**updates)


def _empty(field_: models.Field[Any, Any]) -> Any:
    """The field's empty value: NULL when allowed, else its default, else blank."""
    if field_.null:
        return None
    if field_.has_default():
        return field_.get_default()
    if isinstance(field_, models.JSONField):
        return {}
    if isinstance(field_, models.BinaryField):
        return b""
    if isinstance(field_, models.BooleanField):
        return False
    return ""


def _placeholder(row: models.Model, field_: models.Field[Any, Any], identity: Identity) -> Any:
    """A value that identifies nobody: a non-deliverable address, a pseudonymous label,
    or, in JSON, the person's addresses and name replaced where they appear."""
    is_user = isinstance(row, User)
    if isinstance(field_, models.EmailField):
        suffix = "" if is_user else f"-{row.pk}"
        return f"erased-{identity.user_id}{suffix}@invalid"
    if isinstance(field_, models.JSONField):
        return scrub_json(getattr(row, field_.attname), identity)
    if isinstance(field_, models.CharField | models.TextField):
        label = identity.label if (is_user or not field_.unique) else f"{identity.label}-{row.pk}"
        return label[: field_.max_length] if field_.max_length else label
    return _empty(field_)


def scrub_text(text: str, identity: Identity, *, names: bool = True) -> str:
    """`text` with the person's addresses, and with `names` their full name, replaced
    by their pseudonym."""
    needles = identity.strings if names else tuple(sorted(identity.addresses))
    for needle in needles:
        text = re.sub(re.escape(needle), identity.label, text, flags=re.IGNORECASE)
    return text


def scrub_json(value: Any, identity: Identity, *, names: bool = True) -> Any:
    """A JSON value with every string naming the person scrubbed (`scrub_text`); an
    address of the person standing alone becomes a non-deliverable one."""
    if isinstance(value, str):
        if value.strip().lower() in identity.addresses:
            return f"{identity.label}@invalid"
        return scrub_text(value, identity, names=names)
    if isinstance(value, list):
        return [scrub_json(item, identity, names=names) for item in value]
    if isinstance(value, dict):
        return {
            scrub_text(k, identity, names=names): scrub_json(v, identity, names=names)
            for k, v in value.items()
        }
    return value


def _scrub_mentions(identity: Identity) -> int:
    """Replace the person's email addresses wherever a declared text or JSON field
    quotes them (a log's details, a list of recipients, a mail server's error, someone
    else's text). Addresses only: a full name is not unique, and replacing it in rows
    not about the person would rewrite a namesake's records; the rows about the person
    are the map's to erase. Returns how many rows changed."""
    needles = tuple(sorted(identity.addresses))
    if not needles:
        return 0
    changed = 0
    for declaration in declarations():
        model = model_of(declaration)
        for name in declaration.fields:
            field_ = model._meta.get_field(name)
            if not isinstance(field_, models.CharField | models.TextField | models.JSONField):
                continue
            for pk, value in text_search(model, name, needles).values_list("pk", name):
                if isinstance(field_, models.JSONField):
                    if not json_mentions(value, needles):
                        continue
                    new = scrub_json(value, identity, names=False)
                else:
                    new = scrub_text(value, identity, names=False)
                    if field_.max_length:
                        new = new[: field_.max_length]
                if new != value:
                    model._base_manager.filter(pk=pk).update(**{name: new})
                    changed += 1
    return changed


# --- Erasing a person ---------------------------------------------------------------


def _end_participation(person: User, actor: User | None) -> dict[str, int]:
    """Pending things are cancelled and running ones ended, through the services that
    do it for everyone (audited there): open applications withdrawn, active pairs ended
    as "mentor left" / "mentee left", pending mentor requests cancelled, planned meetings
    cancelled, unanswered check-ins dropped. Decided applications stay as they are: the
    reports count them."""
    counts = {"withdrawn": 0, "ended": 0, "requests": 0, "meetings": 0}
    open_statuses = (*DECIDABLE, ApplicationStatus.AWAITING_GUARDIAN_CONSENT)
    for application in Application.objects.filter(user=person, status__in=open_statuses).order_by(
        "pk"
    ):
        # `actor` may be None (the retention clean-up): the audit entries then name nobody.
        withdraw_participant(application=application, actor=cast(User, actor))
        counts["withdrawn"] += 1
    running = (
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE)
        .filter(Q(mentor_application__user=person) | Q(mentee_application__user=person))
        .select_related(
            "edition__program__organization", "mentor_application", "mentee_application"
        )
        .order_by("pk")
    )
    for mentorship in running:
        reason = (
            EndReason.MENTOR_LEFT
            if mentorship.mentor_application.user_id == person.pk
            else EndReason.MENTEE_LEFT
        )
        end_mentorship(mentorship=mentorship, reason=reason, actor=actor)
        counts["ended"] += 1
    now = timezone.now()
    applications = Application.objects.filter(user=person).values("pk")
    pending = MentorRequest.objects.select_for_update().filter(
        Q(mentee__in=applications) | Q(mentor__in=applications), status=RequestStatus.PENDING
    )
    counts["requests"] = pending.update(status=RequestStatus.CANCELLED, answered_at=now)
    counts["meetings"] = (
        Meeting.objects.filter(
            Q(mentorship__mentor_application__user=person)
            | Q(mentorship__mentee_application__user=person),
            status__in=(MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED),
            starts_at__gt=now,
            log__isnull=True,
        )
        # A cancelled meeting with a new revision: calendars drop the event.
        .update(
            status=MeetingStatus.CANCELLED,
            cancelled_at=now,
            sequence=models.F("sequence") + 1,
        )
    )
    # Nobody will answer them (the final check-in just created included); their email
    # task finds nothing to send.
    CheckIn.objects.filter(respondent=person, answered_at__isnull=True).delete()
    return counts


def _delete_sessions(person: User) -> None:
    """Sign the person out everywhere: their sessions carry their id inside the data."""
    user_id = str(person.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()


def _scrub_admin_log(identity: Identity) -> None:
    """Django admin's log names objects as they read when logged: the account's entries
    take its pseudonym, and the entries about the person's other rows lose their name
    and addresses (addresses elsewhere go with `_scrub_mentions`)."""
    content_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=content_type, object_id=str(identity.user_id)).update(
        object_repr=identity.label
    )
    about: dict[str, list[str]] = defaultdict(list)
    for label, pk in identity.keys:
        about[label].append(pk)
    condition = Q(pk__in=[])
    for label, ids in about.items():
        app_label, model_name = label.split(".")
        condition |= Q(
            content_type__app_label=app_label, content_type__model=model_name, object_id__in=ids
        )
    for entry in LogEntry.objects.filter(condition):
        entry.object_repr = scrub_text(entry.object_repr, identity)
        entry.change_message = scrub_text(entry.change_message, identity)
        entry.save(update_fields=["object_repr", "change_message"])


def _close_account(person: User, identity: Identity) -> None:
    """The account row stays, pseudonymous: a non-deliverable address, no name, no
    password, inactive, no rights; its addresses, second factors, sessions and security
    events (found by the account's pseudonyms) go."""
    SecurityEvent.objects.filter(user_pseudonym__in=pseudonyms_of(person.pk)).delete()
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    _delete_sessions(person)
    person.refresh_from_db()  # the map has just changed the row
    person.email = erased_email(person.pk)
    person.first_name = ""
    person.last_name = ""
    person.set_unusable_password()
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
        ]
    )
    person.groups.clear()
    person.user_permissions.clear()


@transaction.atomic
def erase_person(*, person: User, actor: User | None, reason: str) -> None:
    """Erase `person` in one transaction, as the data map says: for every declaration,
    the rows about them (through their subject lookups, their email addresses, or a log
    entry naming one of their rows) lose each declared value about them (removed,
    replaced, or the row deleted); quotes of their addresses and full name in other
    declared texts are replaced by a pseudonym. Open applications are withdrawn,
    active pairs ended ("mentor left" / "mentee left"), pending requests, meetings and
    check-ins cancelled. The account stays as a pseudonymous record
    (`erased-<id>@invalid`, no name, no usable password, inactive); pairs, outcomes,
    applications' statuses, dates, roles and organisations stay, so past reports keep
    their figures; the other side of a pair keeps their own notes.

    One audit entry `privacy.person.erased` per organisation that held their data (or
    one without an organisation) records it with the account's pseudonym only. `reason`
    is a short code without personal data ("request", "admin", "retention").
    Running it again on an erased account changes nothing more."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if actor is not None and actor.pk == person.pk:
        actor = person  # the audit entry must read the erased account, not a stale copy
    organizations = list(organizations_holding(person))
    identity = identity_of(person)
    counts = _end_participation(person, actor)
    # Health data (Art. 9) is not kept even in the pseudonymous record: the profile's
    # other priority groups stay for the reports, a consented sensitive value goes.
    for kind in SensitiveDataConsent.objects.filter(
        user=person, withdrawn_at__isnull=True
    ).values_list("kind", flat=True):
        withdraw_sensitive_consent(user=person, kind=kind, actor=None)
    # Read before anything is erased: erased rows no longer lead to the person.
    rows_about_person = len(identity.keys)
    erased = 0
    for declaration in declarations():
        erased += _erase(declaration, rows_about(declaration, identity), identity)
    erased += _scrub_mentions(identity)
    _scrub_admin_log(identity)
    _close_account(person, identity)
    # A request still pending is met by this erasure, whoever ran it.
    ErasureRequest.objects.filter(person=person, status=ErasureStatus.PENDING).update(
        status=ErasureStatus.CONFIRMED, decided_by=actor, decided_at=timezone.now()
    )
    data = {
        "person": pseudonym_for(person.pk),
        "reason": reason,
        "rows_about": rows_about_person,
        "values_erased": erased,
        **counts,
    }
    where: list[Organization | None] = [*organizations] or [None]
    for organization in where:
        record(action="privacy.person.erased", actor=actor, organization=organization, data=data)


# --- Requests -----------------------------------------------------------------------


def _one_month_after(moment: datetime) -> datetime:
    """The same time one month later (the last day of a shorter month)."""
    month = moment.month + DEADLINE_MONTHS
    year = moment.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment + timedelta(days=28)  # unreachable: every month has 28 days


@transaction.atomic
def request_erasure(*, person: User, request: HttpRequest | None = None) -> ErasureRequest:
    """Record the person's request, due one month later, for the organisations holding
    their data; their admins are emailed. With no organisation to decide, the person is
    erased at once (nothing to weigh) and the request is confirmed. Refused while
    another request is pending."""
    locked = User.objects.select_for_update().get(pk=person.pk)
    if not locked.is_active:
        raise DomainError(_("This account is closed."))
    if ErasureRequest.objects.filter(person=locked, status=ErasureStatus.PENDING).exists():
        raise DomainError(_("You have already asked for the erasure of your data."))
    now = timezone.now()
    organizations = list(organizations_holding(locked))
    erasure_request = ErasureRequest.objects.create(
        person=locked, requested_at=now, deadline=_one_month_after(now)
    )
    erasure_request.organizations.set(organizations)
    if not organizations:
        _decide(erasure_request, status=ErasureStatus.CONFIRMED, actor=locked, now=now)
        erase_person(person=locked, actor=locked, reason="request")
        return erasure_request
    for organization in organizations:
        record(
            action="privacy.erasure.requested",
            actor=locked,
            organization=organization,
            target=erasure_request,
            request=request,
        )
    transaction.on_commit(partial(tasks.send_erasure_requested_emails.enqueue, erasure_request.pk))
    return erasure_request


def _locked(erasure_request: ErasureRequest) -> ErasureRequest:
    locked = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
    if locked.status != ErasureStatus.PENDING:
        raise DomainError(_("This request has already been answered or cancelled."))
    return locked


def _decide(
    erasure_request: ErasureRequest,
    *,
    status: str,
    actor: User | None,
    now: datetime,
    refusal_reason: str = "",
) -> None:
    erasure_request.status = status
    erasure_request.decided_by = actor
    erasure_request.decided_at = now
    erasure_request.refusal_reason = refusal_reason
    erasure_request.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])


@transaction.atomic
def cancel_erasure_request(
    *, erasure_request: ErasureRequest, person: User, request: HttpRequest | None = None
) -> ErasureRequest:
    """The person withdraws their pending request (theirs only)."""
    if erasure_request.person_id != person.pk:
        raise DomainError(_("This request is not yours."))
    locked = _locked(erasure_request)
    _decide(locked, status=ErasureStatus.CANCELLED, actor=person, now=timezone.now())
    for organization in locked.organizations.all():
        record(
            action="privacy.erasure.cancelled",
            actor=person,
            organization=organization,
            target=locked,
            request=request,
        )
    return locked


@transaction.atomic
def confirm_erasure_request(
    *,
    erasure_request: ErasureRequest,
    actor: User,
    organization: Organization,
    request: HttpRequest | None = None,
) -> ErasureRequest:
    """An admin of one of the organisations handling the request confirms it: the
    person is erased (`erase_person`) and can no longer sign in. They are told by email
    at the address they had, sent as soon as the transaction commits: the address is
    stored nowhere afterwards, so no background task could find it."""
    locked = _locked(erasure_request)
    person = User.objects.get(pk=locked.person_id)
    address, language = person.email, person.language
    _decide(locked, status=ErasureStatus.CONFIRMED, actor=actor, now=timezone.now())
    record(
        action="privacy.erasure.confirmed",
        actor=actor,
        organization=organization,
        target=locked,
        request=request,
    )
    erase_person(person=person, actor=actor, reason="request")
    transaction.on_commit(partial(tasks.send_erasure_done_email, address, language))
    return locked


@transaction.atomic
def refuse_erasure_request(
    *,
    erasure_request: ErasureRequest,
    actor: User,
    organization: Organization,
    reason: str,
    request: HttpRequest | None = None,
) -> ErasureRequest:
    """An admin refuses the request with a reason the person reads (by email)."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Reason: explain why the data must be kept."))
    locked = _locked(erasure_request)
    _decide(
        locked,
        status=ErasureStatus.REFUSED,
        actor=actor,
        now=timezone.now(),
        refusal_reason=reason,
    )
    record(
        action="privacy.erasure.refused",
        actor=actor,
        organization=organization,
        target=locked,
        request=request,
    )
    transaction.on_commit(partial(tasks.send_erasure_refused_email.enqueue, locked.pk))
    return locked
