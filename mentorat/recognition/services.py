"""Writes of recognition: program recognitions and their awards, thank-you notes,
attestations (PDF stored privately) and Open Badges credentials (signed by a task).

Callers check permissions first (`mentorat.permissions.recognition`); these functions
enforce the business rules, write the audit trail (`recognition.*`) and enqueue the
signing after the commit."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.organizations.models import Membership, Organization
from mentorat.programs.models import Program
from mentorat.recognition import pdf, selectors
from mentorat.recognition.keys import issuer_key_for
from mentorat.recognition.models import (
    Attestation,
    AttestationKind,
    Award,
    Credential,
    CredentialKind,
    Recognition,
    ThankYouNote,
)
from mentorat.recognition.tasks import issue_credential
from mentorat.training.selectors import completions_of

MAX_TEXT = 2000
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _text(value: str, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(
            _("%(label)s: please write something.") % {"label": label},
            field_errors={field: [_("This field is required.")]},
        )
    if len(value) > MAX_TEXT:
        raise DomainError(
            _("%(label)s: %(n)s characters at most.") % {"label": label, "n": MAX_TEXT},
            field_errors={field: [_("%(n)s characters at most.") % {"n": MAX_TEXT}]},
        )
    return value


# --- Recognitions and awards ----------------------------------------------------------


@transaction.atomic
def create_recognition(
    *, program: Program, name: str, description: str, actor: User
) -> Recognition:
    name = _text(name, field="name", label=_("Name"))[:120]
    # Compared in Python: SQLite folds the case of ASCII letters only.
    taken = program.recognitions.values_list("name", flat=True)
    if any(other.casefold() == name.casefold() for other in taken):
        raise DomainError(
            _("This program already has a recognition with that name."),
            field_errors={"name": [_("This name is taken in the program.")]},
        )
    recognition = Recognition.objects.create(
        program=program, name=name, description=(description or "").strip(), created_by=actor
    )
    record(
        action="recognition.recognition.created",
        actor=actor,
        organization=program.organization,
        target=recognition,
        data={"program": program.pk},
    )
    return recognition


@transaction.atomic
def award_recognition(*, recognition: Recognition, mentor: User, reason: str, actor: User) -> Award:
    """Award `recognition` to `mentor` (a mentor of one of the program's pairs), once;
    the Open Badge is signed in the background."""
    reason = _text(reason, field="reason", label=_("Reason"))
    program = recognition.program
    if not selectors.program_mentors(program).filter(pk=mentor.pk).exists():
        raise DomainError(
            _("Only a mentor of this program can receive its recognitions."),
            field_errors={"mentor": [_("Choose a mentor of the program.")]},
        )
    if Award.objects.filter(recognition=recognition, mentor=mentor).exists():
        raise DomainError(
            _("This mentor already received this recognition."),
            field_errors={"mentor": [_("Already awarded.")]},
        )
    now = timezone.now()
    award = Award.objects.create(
        recognition=recognition, mentor=mentor, reason=reason, awarded_by=actor, awarded_at=now
    )
    _new_credential(
        organization=program.organization,
        holder=mentor,
        kind=CredentialKind.AWARD,
        name=recognition.name,
        description=recognition.description or program.name,
        earned_at=now,
        award=award,
    )
    record(
        action="recognition.award.granted",
        actor=actor,
        organization=program.organization,
        target=award,
        data={"recognition": recognition.pk, "mentor": mentor.pk},
    )
    return award


# --- Thank-you notes ------------------------------------------------------------------


@transaction.atomic
def write_thank_you_note(*, mentorship: Mentorship, author: User, text: str) -> ThankYouNote:
    """The mentee's note to their mentor once the pair has ended; one per pair, and
    hidden until the mentor chooses to show it."""
    if mentorship.mentee_user_id != author.pk:
        raise DomainError(_("Only the mentee of the pair can write its thank-you note."))
    if mentorship.status != MentorshipStatus.ENDED:
        raise DomainError(_("You can write a thank-you note once the mentorship has ended."))
    text = _text(text, field="text", label=_("Your note"))
    try:
        with transaction.atomic():
            note = ThankYouNote.objects.create(mentorship=mentorship, author=author, text=text)
    except IntegrityError:
        raise DomainError(
            _("You have already written a thank-you note for this mentorship.")
        ) from None
    record(
        action="recognition.note.written",
        actor=author,
        organization=mentorship.edition.program.organization,
        target=mentorship,
        data={"mentorship": mentorship.pk},
    )
    return note


def set_note_shown(*, note: ThankYouNote, mentor: User, shown: bool) -> None:
    if note.mentorship.mentor_user_id != mentor.pk:
        raise DomainError(_("Only the mentor can choose whether to show this note."))
    ThankYouNote.objects.filter(pk=note.pk).update(shown=shown)


# --- Attestations ---------------------------------------------------------------------


def _day(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _engagement_details(holder: User, organization: Organization) -> dict[str, Any]:
    engagement = selectors.engagement_of(holder)
    programs = [p for p in engagement.programs if p.program.organization_id == organization.pk]
    if not programs or not any(p.pairs for p in programs):
        raise DomainError(
            _("There is no mentoring engagement in this organisation's programs to attest.")
        )
    minutes = sum(p.minutes for p in programs)
    first = min(p.first_day for p in programs if p.first_day)
    last = max(p.last_day for p in programs if p.last_day)
    return {
        "hours": round(minutes / 60, 1),
        "pairs": sum(p.pairs for p in programs),
        "period_start": _day(first),
        "period_end": _day(last),
        "programs": [{"id": p.program.pk, "name": p.program.name} for p in programs],
    }


def _training_details(holder: User) -> dict[str, Any]:
    modules = completions_of(holder.pk)
    if not modules:
        raise DomainError(_("There is no completed training module to attest yet."))
    return {
        "modules": [
            {"title": m.title, "completed_on": _day(timezone.localtime(m.completed_at).date())}
            for m in modules
        ]
    }


def _signatory(organization: Organization, actor: User) -> User:
    if Membership.objects.filter(
        organization=organization, user=actor, role__in=("admin", "coordinator")
    ).exists():
        return actor
    signatory = selectors.default_signatory(organization)
    if signatory is None:
        raise DomainError(
            _("This organisation has no coordinator or admin to sign the attestation.")
        )
    return signatory


@transaction.atomic
def issue_attestation(
    *,
    holder: User,
    kind: str,
    organization: Organization,
    language: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Attestation:
    """Issue an attestation of `kind` for `holder` by `organization` (one of those
    `selectors.attestation_organizations` names), signed by a coordinator or admin of
    it, rendered in `language` and stored. What it states is frozen in the record."""
    if kind not in AttestationKind.values:
        raise DomainError(_("Choose the kind of attestation."))
    if language not in LANGUAGES:
        raise DomainError(_("Choose the language of the attestation."))
    if organization not in selectors.attestation_organizations(holder, kind):
        raise DomainError(_("This organisation cannot attest this engagement."))
    with override(language):
        details = (
            _engagement_details(holder, organization)
            if kind == AttestationKind.ENGAGEMENT
            else _training_details(holder)
        )
    signatory = _signatory(organization, actor)
    attestation = Attestation.objects.create(
        kind=kind,
        holder=holder,
        holder_name=holder.display_name,
        organization=organization,
        language=language,
        signatory=signatory,
        signatory_name=signatory.display_name,
        details=details,
        issued_at=timezone.now(),
        issued_by=actor,
    )
    attestation.file.save(
        f"attestation-{attestation.public_id}.pdf",
        ContentFile(pdf.attestation_pdf(attestation)),
        save=True,
    )
    record(
        action="recognition.attestation.issued",
        actor=actor,
        organization=organization,
        target=attestation,
        data={"kind": kind, "holder": holder.pk},
        request=request,
    )
    return attestation


@transaction.atomic
def revoke_attestation(
    *, attestation: Attestation, actor: User, request: HttpRequest | None = None
) -> None:
    """The public page says "revoked" from now on. Revoking twice changes nothing."""
    updated = Attestation.objects.filter(pk=attestation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if updated:
        record(
            action="recognition.attestation.revoked",
            actor=actor,
            organization=attestation.organization,
            target=attestation,
            data={"holder": attestation.holder_id},
            request=request,
        )


# --- Open Badges credentials ----------------------------------------------------------


def _new_credential(
    *,
    organization: Organization,
    holder: User,
    kind: str,
    name: str,
    description: str,
    earned_at: datetime,
    module_id: int | None = None,
    award: Award | None = None,
) -> Credential:
    """A credential with the next bit of the organisation's revocation list (the key
    row is locked while the bit is taken), signed after the commit."""
    key = issuer_key_for(organization)
    index = key.next_status_index
    key.next_status_index = index + 1
    key.save(update_fields=["next_status_index"])
    credential = Credential.objects.create(
        organization=organization,
        holder=holder,
        kind=kind,
        module_id=module_id,
        award=award,
        achievement_name=name[:200],
        achievement_description=description,
        earned_at=earned_at,
        status_index=index,
    )
    transaction.on_commit(lambda: issue_credential.enqueue(credential.pk))
    return credential


def _module_issuer(holder: User, organization_id: int | None) -> Organization | None:
    """The module's organisation; for the platform's starter modules, the holder's own
    (first) organisation."""
    if organization_id is not None:
        return Organization.objects.filter(pk=organization_id).first()
    membership = Membership.objects.filter(user=holder).order_by("pk").first()
    return membership.organization if membership is not None else None


@transaction.atomic
def record_module_completion(
    *, user_id: int, module_id: int, completed_at: datetime
) -> Credential | None:
    """The Open Badge of a completed module, once per person and module (a repeated
    signal changes nothing). None when the module is unknown to the training app's
    selector or nobody can issue it."""
    existing = Credential.objects.filter(
        holder_id=user_id, module_id=module_id, kind=CredentialKind.MODULE
    ).first()
    if existing is not None:
        return existing
    holder = User.objects.filter(pk=user_id, is_active=True).first()
    module = next((m for m in completions_of(user_id) if m.module_id == module_id), None)
    if holder is None or module is None:
        return None
    organization = _module_issuer(holder, module.organization_id)
    if organization is None:
        return None
    try:
        with transaction.atomic():
            return _new_credential(
                organization=organization,
                holder=holder,
                kind=CredentialKind.MODULE,
                name=module.title,
                description=module.title,
                earned_at=completed_at,
                module_id=module_id,
            )
    except IntegrityError:
        # Another worker recorded it at the same time.
        return Credential.objects.filter(holder_id=user_id, module_id=module_id).first()


@transaction.atomic
def revoke_credential(
    *, credential: Credential, actor: User, request: HttpRequest | None = None
) -> None:
    """Set the credential's bit in the status list: verifiers refuse it from now on."""
    updated = Credential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record(
            action="recognition.credential.revoked",
            actor=actor,
            organization=credential.organization,
            target=credential,
            data={"holder": credential.holder_id, "index": credential.status_index},
            request=request,
        )
