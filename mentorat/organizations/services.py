from collections.abc import Collection
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError, Problems
from mentorat.organizations import tasks
from mentorat.organizations.identifiers import check_siret, check_uai
from mentorat.organizations.links import invitation_id
from mentorat.organizations.models import (
    ApprovalStatus,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipKind,
    Role,
)
from mentorat.permissions.organizations import forget_roles


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organization(
    *,
    name: str,
    kind: OrganizationKind | str,
    city: str = "",
    region: str = "",
    description: str = "",
    slug: str = "",
    created_by: User | None = None,
) -> Organization:
    organization = Organization.objects.create(
        name=name,
        slug=slug or _unique_slug(name),
        kind=kind,
        city=city,
        region=region,
        description=description,
    )
    record(
        action="organizations.organization.created",
        actor=created_by,
        organization=organization,
        target=organization,
    )
    return organization


# Kinds that sign up with a SIRET (required) or a UAI (required); a training body may
# give its SIRET.
SIRET_KINDS = frozenset({OrganizationKind.COMPANY, OrganizationKind.ASSOCIATION})
UAI_KINDS = frozenset({OrganizationKind.UNIVERSITY, OrganizationKind.VOCATIONAL_SCHOOL})
SIGNUP_KINDS = (*UAI_KINDS, *SIRET_KINDS, OrganizationKind.TRAINING_BODY)


def check_identity(
    *, name: str, kind: str, siret: str, uai: str, exclude: Organization | None = None
) -> tuple[str, str]:
    """The normalised SIRET and UAI for an organisation of `kind`, or DomainError listing
    every problem by field: the identifier the kind needs is required and checked (its
    check digit or letter), another organisation may not hold it already."""
    problems = Problems()
    if not name.strip():
        problems.add("name", _("Name: this field is required."))
    if kind not in SIGNUP_KINDS:
        problems.add("kind", _("Kind: choose one of the options."))
    others = Organization.objects.all()
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    siret = siret.strip()
    uai = uai.strip()
    if siret or kind in SIRET_KINDS:
        try:
            siret = check_siret(siret)
        except ValueError as error:
            problems.add("siret", str(error))
        else:
            if others.filter(siret=siret).exists():
                problems.add(
                    "siret", _("SIRET: an organisation with this number is already registered.")
                )
    if uai or kind in UAI_KINDS:
        try:
            uai = check_uai(uai)
        except ValueError as error:
            problems.add("uai", str(error))
        else:
            if others.filter(uai=uai).exists():
                problems.add(
                    "uai", _("UAI: an organisation with this number is already registered.")
                )
    problems.raise_if_any()
    return siret, uai


@transaction.atomic
def sign_up_organization(  # noqa: PLR0913 — one keyword per field of the sign-up form
    *,
    user: User,
    name: str,
    kind: str,
    siret: str = "",
    uai: str = "",
    address: str = "",
    city: str = "",
    region: str = "",
    website: str = "",
    description: str = "",
    request: HttpRequest | None = None,
) -> Organization:
    """An organisation registered by one of its people, who becomes its admin. It waits
    for a platform admin's approval (`approve_organization`): meanwhile it can prepare
    but not invite, publish nor propose partnerships."""
    siret, uai = check_identity(name=name, kind=kind, siret=siret, uai=uai)
    organization = Organization.objects.create(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        siret=siret,
        uai=uai,
        address=address.strip(),
        city=city.strip(),
        region=region,
        website=website,
        description=description,
        approval_status=ApprovalStatus.PENDING,
    )
    record(
        action="organizations.organization.signed_up",
        actor=user,
        organization=organization,
        target=organization,
        data={"kind": kind, "siret": siret, "uai": uai},
        request=request,
    )
    add_membership(user=user, organization=organization, role=Role.ADMIN, actor=user)
    return organization


@transaction.atomic
def update_organization(  # noqa: PLR0913 — one keyword per field of the details form
    *,
    organization: Organization,
    actor: User,
    name: str,
    siret: str,
    uai: str,
    address: str,
    city: str,
    region: str,
    website: str,
    description: str,
    request: HttpRequest | None = None,
) -> Organization:
    """Change the organisation's details (its admins). A refused organisation that
    corrects them is submitted again for approval."""
    siret, uai = check_identity(
        name=name,
        kind=organization.kind
        if organization.kind in SIGNUP_KINDS
        else OrganizationKind.TRAINING_BODY,
        siret=siret,
        uai=uai,
        exclude=organization,
    )
    organization.name = name.strip()
    organization.siret, organization.uai = siret, uai
    organization.address, organization.city = address.strip(), city.strip()
    organization.region, organization.website = region, website
    organization.description = description
    resubmitted = organization.approval_status == ApprovalStatus.REFUSED
    if resubmitted:
        organization.approval_status = ApprovalStatus.PENDING
    organization.save()
    record(
        action="organizations.organization.resubmitted"
        if resubmitted
        else "organizations.organization.updated",
        actor=actor,
        organization=organization,
        target=organization,
        request=request,
    )
    return organization


def _decide(
    *,
    organization: Organization,
    status: ApprovalStatus,
    reason: str,
    actor: User,
    request: HttpRequest | None,
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.approval_status != ApprovalStatus.PENDING:
        raise DomainError(_("This organisation is not waiting for a decision any more."))
    organization.approval_status = status
    organization.approval_reason = reason.strip()
    organization.decided_at = timezone.now()
    organization.decided_by = actor
    organization.save(
        update_fields=["approval_status", "approval_reason", "decided_at", "decided_by"]
    )
    record(
        action=f"organizations.organization.{status}",
        actor=actor,
        organization=organization,
        target=organization,
        data={"reason": organization.approval_reason},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_approval_email.enqueue(organization.pk))
    return organization


@transaction.atomic
def approve_organization(
    *, organization: Organization, actor: User, reason: str = "", request: HttpRequest | None = None
) -> Organization:
    """Approve an organisation waiting for it (platform admins) and email its admins."""
    return _decide(
        organization=organization,
        status=ApprovalStatus.APPROVED,
        reason=reason,
        actor=actor,
        request=request,
    )


@transaction.atomic
def refuse_organization(
    *, organization: Organization, actor: User, reason: str, request: HttpRequest | None = None
) -> Organization:
    """Refuse an organisation waiting for approval, with the reason its admins are sent."""
    if not reason.strip():
        raise DomainError(
            _("Reason: say why, the organisation's admin receives it."),
            field_errors={"reason": [_("Reason: say why, the organisation's admin receives it.")]},
        )
    return _decide(
        organization=organization,
        status=ApprovalStatus.REFUSED,
        reason=reason,
        actor=actor,
        request=request,
    )


def check_approved(organization: Organization) -> None:
    """DomainError unless the organisation has been approved by a platform admin."""
    if not organization.is_approved:
        raise DomainError(
            _(
                "%(organization)s is waiting for the platform's approval: until then it can "
                "prepare its programs but not invite people, publish or propose partnerships."
            )
            % {"organization": organization.name}
        )


@transaction.atomic
def add_membership(
    *,
    user: User,
    organization: Organization,
    role: Role | str,
    actor: User | None = None,
) -> Membership:
    """Give `user` a role in `organization`; adding an existing role changes nothing."""
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    if created:
        record(
            action="organizations.membership.added",
            actor=actor,
            organization=organization,
            target=membership,
            data={"user": user.email, "role": str(role)},
        )
    forget_roles(user)
    return membership


@transaction.atomic
def create_partnership(
    *,
    organization: Organization,
    partner: Organization,
    kind: PartnershipKind | str,
    description: str = "",
    actor: User | None = None,
) -> Partnership:
    if organization.pk == partner.pk:
        raise DomainError(_("An organisation cannot be its own partner."))
    partnership = Partnership.objects.create(
        organization=organization, partner=partner, kind=kind, description=description
    )
    for side in (organization, partner):
        record(
            action="organizations.partnership.created",
            actor=actor,
            organization=side,
            target=partnership,
        )
    return partnership


@transaction.atomic
def invite_member(
    *,
    organization: Organization,
    email: str,
    role: Role | str,
    invited_by: User,
    request: HttpRequest | None = None,
) -> Invitation:
    """Create an invitation and send its email (through the task queue).

    Expects the caller to have checked that `invited_by` may invite to this role. An
    organisation not yet approved cannot invite (DomainError)."""
    check_approved(organization)
    email = email.strip().lower()
    if Membership.objects.filter(
        organization=organization, user__email__iexact=email, role=role
    ).exists():
        raise DomainError(_("This person already has this role in the organisation."))
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    record(
        action="organizations.invitation.sent",
        actor=invited_by,
        organization=organization,
        target=invitation,
        data={"email": email, "role": str(role)},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_invitation_email.enqueue(invitation.pk))
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to, or DomainError if the link is bad or stale."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id(token))
        .first()
    )
    if invitation is None:
        raise DomainError(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise DomainError(_("This invitation has expired. Ask for a new one."))
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user: User, request: HttpRequest | None = None) -> Membership:
    invitation = invitation_from_token(token)
    # Lock so that a double click cannot use the invitation twice.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise DomainError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    try:
        membership = add_membership(
            user=user, organization=invitation.organization, role=invitation.role, actor=user
        )
    except IntegrityError as exc:  # pragma: no cover - guarded by get_or_create
        raise DomainError(_("This invitation could not be accepted.")) from exc
    record(
        action="organizations.invitation.accepted",
        actor=user,
        organization=invitation.organization,
        target=invitation,
        request=request,
    )
    return membership


def _check_an_admin_remains(*, organization: Organization, user: User, keeps_admin: bool) -> None:
    """Raise DomainError if `user` is the organisation's last admin and would stop being one.

    Locks the admin rows so that two admins removing each other at once cannot both
    succeed."""
    admins = list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Role.ADMIN)
        .values_list("user_id", flat=True)
    )
    if not keeps_admin and admins == [user.pk]:
        raise DomainError(
            _("An organisation needs at least one admin: give the role to someone else first.")
        )


@transaction.atomic
def set_member_roles(
    *,
    organization: Organization,
    user: User,
    roles: Collection[Role | str],
    actor: User,
    request: HttpRequest | None = None,
) -> None:
    """Give `user` exactly `roles` in `organization` (at least one), adding and removing
    memberships in one transaction, with one audit entry if anything changed.

    Expects `user` to be a member and the caller to have checked that `actor` may manage
    members. The last admin keeps their role (DomainError)."""
    wanted = {Role(role) for role in roles}
    if not wanted:
        raise DomainError(_("Choose at least one role, or remove the person instead."))
    held = {
        Role(role)
        for role in Membership.objects.filter(organization=organization, user=user).values_list(
            "role", flat=True
        )
    }
    if not held:
        raise DomainError(_("This person is not a member of the organisation."))
    if wanted == held:
        return
    _check_an_admin_remains(organization=organization, user=user, keeps_admin=Role.ADMIN in wanted)
    Membership.objects.filter(organization=organization, user=user, role__in=held - wanted).delete()
    for role in wanted - held:
        Membership.objects.create(organization=organization, user=user, role=role)
    record(
        action="organizations.membership.roles_changed",
        actor=actor,
        organization=organization,
        target=user,
        data={
            "user": user.email,
            "before": sorted(str(r) for r in held),
            "after": sorted(str(r) for r in wanted),
        },
        request=request,
    )
    forget_roles(user)


@transaction.atomic
def remove_member(
    *,
    organization: Organization,
    user: User,
    actor: User,
    request: HttpRequest | None = None,
) -> None:
    """Remove all of `user`'s roles in `organization` (their account and their past
    applications and mentorships stay), with one audit entry.

    Expects the caller to have checked that `actor` may manage members. The last admin
    cannot be removed (DomainError)."""
    memberships = Membership.objects.filter(organization=organization, user=user)
    roles = sorted(memberships.values_list("role", flat=True))
    if not roles:
        raise DomainError(_("This person is not a member of the organisation."))
    _check_an_admin_remains(organization=organization, user=user, keeps_admin=False)
    memberships.delete()
    record(
        action="organizations.membership.removed",
        actor=actor,
        organization=organization,
        target=user,
        data={"user": user.email, "roles": roles},
        request=request,
    )
    forget_roles(user)
