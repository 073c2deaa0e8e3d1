from django.db.models import Count, Prefetch, Q, QuerySet

from mentorat.accounts.models import User
from mentorat.organizations.models import Membership, Organization, Partnership
from mentorat.permissions.organizations import is_platform_admin


def organizations_for(*, user: User) -> QuerySet[Organization]:
    qs = (
        Organization.objects.all()
        if is_platform_admin(user)
        else Organization.objects.filter(memberships__user=user).distinct()
    )
    return qs.annotate(member_count=Count("memberships__user", distinct=True)).order_by("name")


def members_of(*, organization: Organization, search: str = "", role: str = "") -> QuerySet[User]:
    """People with at least one role in the organisation, with their roles prefetched."""
    people = User.objects.filter(memberships__organization=organization)
    if role:
        people = people.filter(memberships__organization=organization, memberships__role=role)
    if search:
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return (
        people.distinct()
        .order_by("last_name", "first_name", "email")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organization=organization),
                to_attr="roles_here",
            )
        )
    )


def partnerships_of(*, organization: Organization) -> QuerySet[Partnership]:
    return Partnership.objects.filter(
        Q(organization=organization) | Q(partner=organization)
    ).select_related("organization", "partner")


def role_counts(*, organization: Organization) -> dict[str, int]:
    return dict(
        Membership.objects.filter(organization=organization)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
