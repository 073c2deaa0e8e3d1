"""Guardian consent for pupils under 15: the signed link emailed to the guardian and
the consent given through it.

Nobody else reads the guardian's mailbox, so following the link is what proves the
address belongs to whoever consents: the consent also marks the address as confirmed.
It cannot prove that this person is a parent rather than the pupil with a second
address; the guardian states their name and relationship, and the coordinator is
warned when the address is one the pupil has used themself
(`selectors.guardian_address_warning`)."""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.applications import tasks

# GuardianLinkError is re-exported: the views catch it from this module.
from mentorat.applications.links import GuardianLinkError as GuardianLinkError
from mentorat.applications.links import guardian_payload, submission_stamp
from mentorat.applications.models import Application, ApplicationStatus, GuardianRelationship
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


def _application_for(token: str, *, lock: bool) -> Application:
    payload = guardian_payload(token)
    invalid = GuardianLinkError(_("This consent link is not valid."))
    application_id = payload.get("application")
    email = payload.get("email")
    if not isinstance(application_id, int) or not isinstance(email, str) or not email:
        raise invalid
    applications = Application.objects.select_related(
        "user", "edition", "edition__program", "edition__program__organization"
    )
    if lock:
        applications = applications.select_for_update(of=("self",))
    application = applications.filter(pk=application_id, guardian_email=email).first()
    if application is None:
        raise invalid
    # Links emailed before submissions were stamped carry no stamp; they expire within
    # GUARDIAN_LINK_VALID_DAYS of that release.
    if "submitted" in payload and payload["submitted"] != submission_stamp(application):
        raise invalid
    if application.guardian_consent_at is not None:
        raise ConsentAlreadyRecorded(application)
    if application.status != ApplicationStatus.AWAITING_GUARDIAN_CONSENT:
        raise GuardianLinkError(_("This application no longer waits for a guardian's consent."))
    return application


def application_from_guardian_token(token: str) -> Application:
    """The application awaiting consent that a guardian's link points to. Reads only.

    Raises ConsentAlreadyRecorded when the link was used, GuardianLinkError when it
    cannot be used."""
    return _application_for(token, lock=False)


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
    application = _application_for(token, lock=True)
    now = timezone.now()
    application.guardian_name = consent.full_name
    application.guardian_relationship = consent.relationship
    application.guardian_relationship_detail = consent.relationship_detail
    application.guardian_consent_at = now
    application.guardian_email_verified_at = now
    application.status = ApplicationStatus.SUBMITTED
    application.save(
        update_fields=[
            "guardian_name",
            "guardian_relationship",
            "guardian_relationship_detail",
            "guardian_consent_at",
            "guardian_email_verified_at",
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
