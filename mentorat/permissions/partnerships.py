"""Who reviews organisations that sign up, and who sees and changes partnerships.

- Organisations waiting for approval are reviewed by platform admins only; to anyone
  else the review page does not exist (404).
- An organisation's partnerships (list, directory, proposals) are its admins' and
  coordinators' business; only its admins propose, answer, end and sign.
- A partnership and its agreements are seen by the admins and coordinators of both
  sides (and platform admins); to anyone else they do not exist (404)."""

from django.http import Http404

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, Partnership, Role
from mentorat.partnerships.models import Agreement
from mentorat.permissions.organizations import is_platform_admin, roles_in

STAFF = frozenset({Role.ADMIN, Role.COORDINATOR})


def access_organization_to_review(user: User, slug: str) -> Organization:
    """The organisation, for a platform admin; 404 for everyone else."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None or not is_platform_admin(user):
        raise Http404
    return organization


def can_view_partnerships(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or bool(roles_in(user, organization) & STAFF)


def can_manage_partnerships(user: User, organization: Organization) -> bool:
    """Propose partnerships and answer, end and sign them on the organisation's behalf:
    its admins only (a platform admin does not speak for an organisation)."""
    return Role.ADMIN in roles_in(user, organization)


def _sides(partnership: Partnership) -> tuple[Organization, Organization]:
    return partnership.organization, partnership.partner


def access_partnership(user: User, pk: int) -> Partnership:
    """The partnership if `user` is staff of either side (or a platform admin); else 404."""
    partnership = (
        Partnership.objects.select_related("organization", "partner").filter(pk=pk).first()
    )
    if partnership is None or not any(
        can_view_partnerships(user, side) for side in _sides(partnership)
    ):
        raise Http404
    return partnership


def access_agreement(user: User, pk: int) -> Agreement:
    """The agreement if `user` may see its partnership; else 404."""
    agreement = (
        Agreement.objects.select_related(
            "partnership__organization", "partnership__partner", "edition__program"
        )
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404
    access_partnership(user, agreement.partnership_id)
    return agreement


def can_answer(user: User, partnership: Partnership) -> bool:
    """Accept or decline a proposal: the admins of the organisation it was sent to."""
    return can_manage_partnerships(user, partnership.partner)


def managed_side(user: User, partnership: Partnership) -> Organization | None:
    """The side of the partnership `user` acts for (as its admin), or None."""
    for side in _sides(partnership):
        if can_manage_partnerships(user, side):
            return side
    return None


def can_manage_partnership(user: User, partnership: Partnership) -> bool:
    """End it, write and sign its agreements: the admins of either side."""
    return managed_side(user, partnership) is not None
