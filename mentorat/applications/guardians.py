"""Guardian consent for pupils under 15: the signed link emailed to the guardian, the
consent given through it, and its withdrawal.

Nobody else reads the guardian's mailbox, so following the link is what proves the
address belongs to whoever consents: the consent also marks the address as confirmed.
It cannot prove that this person is a parent rather than the pupil with a second
address; the guardian states their name and relationship, and the coordinator is
warned when the address is one the pupil has used themself
(`selectors.guardian_address_warning`).

The same link opens the consent record afterwards (`links.GUARDIAN_RECORD_VALID_DAYS`):
what was consented to and when, and a button to withdraw the consent, which suspends
the application and tells the program's coordinators."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications import tasks

# GuardianLinkError is re-exported: the views catch it from this module.
from mentorat.applications.links import (
    GUARDIAN_RECORD_VALID_DAYS,
    GuardianLinkExpired,
    guardian_payload,
    sent_to,
    submission_stamp,
)
from mentorat.applications.links import GuardianLinkError as GuardianLinkError
from mentorat.applications.models import Application, ApplicationStatus, GuardianRelationship
from mentorat.audit.models import AuditEntry
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError

GUARDIAN_CONSENT_AGE = 15
GUARDIAN_NAME_MAX_LENGTH = 150
RELATIONSHIP_DETAIL_MAX_LENGTH = 100


class ConsentAlreadyRecorded(GuardianLinkError):
    """The link was used already; `application` carries the consent that was recorded."""

    def __init__(self, application: Application) -> None:
        super().__init__(_("Consent has already been recorded for this application."))
        self.application = application


@dataclass(frozen=True)
class GuardianConsent:
    """What the guardian states on the consent page."""

    full_name: str
    relationship: str
    relationship_detail: str = ""


# Applications that a withdrawn consent suspends (the others are closed already, or
# still wait for the consent).
SUSPENDABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.ACCEPTED,
)


def _linked_application(token: str, *, lock: bool) -> Application:
    """The application a genuine link points to, whatever its state. A link older than
    `GUARDIAN_LINK_VALID_DAYS` still opens a consent that was given (to read or
    withdraw it) until `GUARDIAN_RECORD_VALID_DAYS`."""
    too_old: GuardianLinkExpired | None = None
    try:
        payload = guardian_payload(token)
    except GuardianLinkExpired as expired:
        too_old = expired
        payload = guardian_payload(token, valid_days=GUARDIAN_RECORD_VALID_DAYS)
    invalid = GuardianLinkError(_("This consent link is not valid."))
    application_id = payload.get("application")
    if not isinstance(application_id, int):
        raise invalid
    applications = Application.objects.select_related(
        "user", "charter", "edition", "edition__program", "edition__program__organization"
    )
    if lock:
        applications = applications.select_for_update(of=("self",))
    application = applications.filter(pk=application_id).first()
    if application is None or not sent_to(payload, application.guardian_email):
        raise invalid
    # Links emailed before submissions were stamped carry no stamp; they expire within
    # GUARDIAN_LINK_VALID_DAYS of that release.
    if "submitted" in payload and payload["submitted"] != submission_stamp(application):
        raise invalid
    if too_old is not None and application.guardian_consent_at is None:
        raise too_old
    return application


def _awaiting_consent(application: Application) -> Application:
    if application.guardian_consent_at is not None:
        raise ConsentAlreadyRecorded(application)
    if application.status != ApplicationStatus.AWAITING_GUARDIAN_CONSENT:
        raise GuardianLinkError(_("This application no longer waits for a guardian's consent."))
    return application


def application_from_guardian_token(token: str) -> Application:
    """The application awaiting consent that a guardian's link points to. Reads only.

    Raises ConsentAlreadyRecorded when the consent was given (withdrawn since or not),
    GuardianLinkError when the link cannot be used."""
    return _awaiting_consent(_linked_application(token, lock=False))


def check_guardian_consent(consent: GuardianConsent) -> GuardianConsent:
    """The consent with its text trimmed, or DomainError naming what is missing."""
    full_name = " ".join(consent.full_name.split())
    detail = " ".join(consent.relationship_detail.split())
    if not full_name:
        raise DomainError(_("Your name: give your first and last name."))
    if len(full_name) > GUARDIAN_NAME_MAX_LENGTH:
        raise DomainError(
            _("Your name: at most %(n)s characters.") % {"n": GUARDIAN_NAME_MAX_LENGTH}
        )
    if consent.relationship not in GuardianRelationship.values:
        raise DomainError(_("Relationship: say how you are related to the applicant."))
    if consent.relationship == GuardianRelationship.OTHER and not detail:
        raise DomainError(_("Relationship: say in a few words what your relationship is."))
    if len(detail) > RELATIONSHIP_DETAIL_MAX_LENGTH:
        raise DomainError(
            _("Relationship: at most %(n)s characters.") % {"n": RELATIONSHIP_DETAIL_MAX_LENGTH}
        )
    return GuardianConsent(
        full_name=full_name,
        relationship=consent.relationship,
        relationship_detail=detail if consent.relationship == GuardianRelationship.OTHER else "",
    )


@transaction.atomic
def record_guardian_consent(
    *, token: str, consent: GuardianConsent, request: HttpRequest | None = None
) -> Application:
    """Record the consent given through a guardian's link, with the guardian's name and
    relationship, and mark the guardian's address as confirmed; the application then
    goes to the coordinators.

    Works once per submission: a used link raises ConsentAlreadyRecorded and changes
    nothing (the application row is locked, so two tabs cannot both record)."""
    consent = check_guardian_consent(consent)
    application = _awaiting_consent(_linked_application(token, lock=True))
    now = timezone.now()
    application.guardian_name = consent.full_name
    application.guardian_relationship = consent.relationship
    application.guardian_relationship_detail = consent.relationship_detail
    application.guardian_consent_at = now
    application.guardian_email_verified_at = now
    # A new submission's consent: a withdrawal of an earlier one no longer applies.
    application.guardian_consent_withdrawn_at = None
    application.status = ApplicationStatus.SUBMITTED
    application.save(
        update_fields=[
            "guardian_name",
            "guardian_relationship",
            "guardian_relationship_detail",
            "guardian_consent_at",
            "guardian_email_verified_at",
            "guardian_consent_withdrawn_at",
            "status",
            "updated_at",
        ]
    )
    record(
        action="applications.application.guardian_consent_given",
        actor_label=f"guardian <{application.guardian_email}>",
        organization=application.edition.program.organization,
        target=application,
        data={"relationship": consent.relationship, "email_confirmed": True},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_application_received_email.enqueue(application.pk))
    return application


def can_withdraw_guardian_consent(application: Application) -> bool:
    """A consent was given through the link and has not been withdrawn."""
    return (
        application.guardian_consent_at is not None
        and application.guardian_consent_withdrawn_at is None
    )


@dataclass(frozen=True)
class Withdrawal:
    """What withdrawing did: `already` when it had been withdrawn before (nothing changed)."""

    application: Application
    already: bool


@transaction.atomic
def withdraw_guardian_consent(*, token: str, request: HttpRequest | None = None) -> Withdrawal:
    """Withdraw the consent given through a guardian's link: the application is
    suspended (out of decisions and matching) unless it was already closed, the
    program's coordinators are emailed once (they decide what becomes of an active pair:
    the entry and the email say how many there are), and an audit entry
    `applications.guardian_consent.withdrawn` records it without personal data.

    Withdrawing again changes nothing (`Withdrawal.already`); a link through which no
    consent was given raises GuardianLinkError. The row is locked, so two tabs cannot
    both withdraw."""
    application = _linked_application(token, lock=True)
    if application.guardian_consent_at is None:
        raise GuardianLinkError(_("No consent was given through this link: nothing to withdraw."))
    if application.guardian_consent_withdrawn_at is not None:
        return Withdrawal(application=application, already=True)
    previous = application.status
    application.guardian_consent_withdrawn_at = timezone.now()
    if previous in SUSPENDABLE:
        application.status = ApplicationStatus.SUSPENDED
    application.save(update_fields=["guardian_consent_withdrawn_at", "status", "updated_at"])
    # Counted through the reverse relation: pairs belong to a layer above this one.
    active_pairs = application.mentorships_as_mentee.filter(status="active").count()
    record(
        action="applications.guardian_consent.withdrawn",
        actor_label=f"guardian <{application.guardian_email}>",
        organization=application.edition.program.organization,
        target=application,
        data={
            "previous_status": previous,
            "suspended": application.status == ApplicationStatus.SUSPENDED,
            "active_pairs": active_pairs,
        },
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_guardian_withdrawal_email.enqueue(application.pk))
    return Withdrawal(application=application, already=False)


# Coordinators resend the consent email -----------------------------------------------------

#: A consent email goes out at most once per this interval (the submission's, then each
#: resend), whoever asks: the state is the audit log, shared by every server process.
GUARDIAN_RESEND_INTERVAL = timedelta(hours=1)
GUARDIAN_RESENT = "applications.guardian_consent.resent"


def last_guardian_email_at(application: Application) -> datetime:
    """When the latest consent email was asked for: the submission or the latest resend."""
    resent = (
        AuditEntry.objects.filter(
            action=GUARDIAN_RESENT,
            target_type=Application._meta.label_lower,
            target_id=str(application.pk),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return max(application.submitted_at, resent) if resent else application.submitted_at


def next_guardian_resend_at(application: Application) -> datetime | None:
    """When the consent email may be sent again (None: now), for an application still
    awaiting its guardian's consent."""
    allowed = last_guardian_email_at(application) + GUARDIAN_RESEND_INTERVAL
    return allowed if allowed > timezone.now() else None


@transaction.atomic
def resend_guardian_consent_email(
    *, application: Application, actor: User, request: HttpRequest | None = None
) -> Application:
    """Send the consent email to the guardian again (a fresh link), for an application
    still awaiting the consent, at most once per `GUARDIAN_RESEND_INTERVAL` since the
    submission or the previous resend; records `applications.guardian_consent.resent`
    (no address in it). The row is locked, so two clicks send one email; the caller
    has checked that `actor` runs the program.

    Raises DomainError when the application no longer waits, has no guardian's address
    or the email went out less than an interval ago (saying from when it can be sent)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("edition__program__organization")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.AWAITING_GUARDIAN_CONSENT:
        raise DomainError(_("This application no longer waits for a guardian's consent."))
    if not application.guardian_email:
        raise DomainError(_("Guardian's email address: none was given with this application."))
    allowed = next_guardian_resend_at(application)
    if allowed is not None:
        raise DomainError(
            _(
                "The consent email was sent less than an hour ago: "
                "it can be sent again from %(time)s."
            )
            % {"time": time_format(timezone.localtime(allowed))}
        )
    record(
        action=GUARDIAN_RESENT,
        actor=actor,
        organization=application.edition.program.organization,
        target=application,
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_guardian_consent_email.enqueue(application.pk))
    return application
