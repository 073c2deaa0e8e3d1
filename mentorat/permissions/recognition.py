"""Who may see a mentor's engagement, write or show a thank-you note, award
recognitions, and download or revoke attestations and badges.

A mentor's engagement page is theirs; platform admins see it, and so do the staff
(coordinators and admins) of: the mentor's own organisations (which hold the membership
and issue the training attestations); the organisation owning a program the mentor takes
part in (an accepted mentor application, or a pair as mentor); and a partner organisation
that program is shared with, as far as the partner follows the mentor there (the mentor
is one of its people, or mentors one of its people: the pairs it sees in summary).
Everyone else (a partner the program is not shared with, other mentors, the mentees)
cannot tell the person exists (404). The thank-you
notes on it: all of them for the mentor, only those the mentor chose to show for the
staff. An attestation or a badge is downloaded by its holder and the staff of the
organisation that issued it, who alone revoke it (the holder knows it: 403). The
public verification page, the JWKS, the did:web document and the status lists are
public: they show what the document itself shows, nothing more."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record_security_event
from mentorat.mentorships.models import Mentorship
from mentorat.organizations.models import Membership
from mentorat.permissions.organizations import is_platform_admin
from mentorat.permissions.programs import staff_organization_ids
from mentorat.programs.models import ParticipantRole
from mentorat.recognition.models import Attestation, Credential, ThankYouNote


def _follows_in_a_program(staff: set[int], mentor: User) -> bool:
    """Whether one of the `staff` organisations owns a program `mentor` takes part in, or
    is a partner it is shared with that follows the mentor there (one query)."""
    follows = Q(edition__program__organization_id__in=staff)
    for org_id in staff:
        # As partner: the program is shared with that same organisation, and the mentor
        # is one of its people or mentors one of them (as `followed_mentorships_filter`).
        theirs = Q(organization_id=org_id) | Q(
            mentorships_as_mentor__mentee_application__user__memberships__organization_id=org_id
        )
        follows |= Q(edition__program__shared_with=org_id) & theirs
    taking_part = Q(status=ApplicationStatus.ACCEPTED) | Q(mentorships_as_mentor__isnull=False)
    return (
        Application.objects.filter(user=mentor, role=ParticipantRole.MENTOR)
        .filter(taking_part)
        .filter(follows)
        .exists()
    )


def can_view_engagement(user: User, mentor: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == mentor.pk or is_platform_admin(user):
        return True
    staff = staff_organization_ids(user)
    if not staff:
        return False
    # The mentor's own organisations (memberships) see them; else a program decides.
    if Membership.objects.filter(user=mentor, organization_id__in=staff).exists():
        return True
    return _follows_in_a_program(staff, mentor)


def access_engagement(user: User, pk: int, *, request: HttpRequest | None = None) -> User:
    """The mentor whose engagement page `user` may see; else 404."""
    mentor = User.objects.filter(pk=pk, is_active=True).first()
    if mentor is not None and can_view_engagement(user, mentor):
        return mentor
    if mentor is not None and user.is_authenticated:
        record_security_event(
            kind="access.engagement.denied", user=user, target=mentor, request=request
        )
    raise Http404


def sees_hidden_notes(user: User, mentor: User) -> bool:
    """Notes the mentor has not chosen to show are the mentor's alone."""
    return user.pk == mentor.pk


def can_write_thank_you_note(user: User, mentorship: Mentorship) -> bool:
    """The mentee of an ended pair."""
    return user.pk == mentorship.mentee_user_id and not mentorship.is_active


def access_own_note(user: User, pk: int) -> ThankYouNote:
    """A note written to `user` as mentor; else 404."""
    note = (
        ThankYouNote.objects.select_related("mentorship__mentor_application")
        .filter(pk=pk, mentorship__mentor_application__user=user)
        .first()
    )
    if note is None:
        raise Http404
    return note


def _issuer_staff(user: User, organization_id: int) -> bool:
    return is_platform_admin(user) or organization_id in staff_organization_ids(user)


def can_revoke_attestation(user: User, attestation: Attestation) -> bool:
    return _issuer_staff(user, attestation.organization_id)


def can_revoke_credential(user: User, credential: Credential) -> bool:
    return _issuer_staff(user, credential.organization_id)


def access_attestation(user: User, public_id: str, *, revoke: bool = False) -> Attestation:
    """The attestation for its holder or the issuer's staff (404 for anyone else); to
    revoke, the staff only (403 for the holder)."""
    attestation = (
        Attestation.objects.select_related("organization", "holder")
        .filter(public_id=public_id)
        .first()
    )
    if attestation is None or not user.is_authenticated:
        raise Http404
    staff = can_revoke_attestation(user, attestation)
    if not staff and user.pk != attestation.holder_id:
        raise Http404
    if revoke and not staff:
        raise PermissionDenied
    return attestation


def access_credential(user: User, public_id: str, *, revoke: bool = False) -> Credential:
    """A badge for its holder or the issuer's staff (404 for anyone else); to revoke,
    the staff only (403 for the holder)."""
    try:
        credential = (
            Credential.objects.select_related("organization", "holder")
            .filter(public_id=public_id)
            .first()
        )
    except ValueError:  # not a UUID
        credential = None
    if credential is None or not user.is_authenticated:
        raise Http404
    staff = can_revoke_credential(user, credential)
    if not staff and user.pk != credential.holder_id:
        raise Http404
    if revoke and not staff:
        raise PermissionDenied
    return credential
