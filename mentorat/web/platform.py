"""Reads for the platform admin's home page: every organisation and what waits platform-wide."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.organizations.models import (
    ApprovalStatus,
    Invitation,
    Organization,
    Partnership,
    PartnershipStatus,
    Role,
)
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus


@dataclass(frozen=True)
class PlatformOverview:
    """Organisations with their head counts, and the counts of things waiting."""

    organizations: QuerySet[Organization]
    pending_invitations: int
    pending_erasure_requests: int
    overdue_erasure_requests: int
    failed_emails: int
    pending_organizations: list[Organization]
    active_partnerships: int
    proposed_partnerships: int


def platform_overview() -> PlatformOverview:
    """The platform admin's overview, in a constant number of queries."""
    now = timezone.now()
    organizations = Organization.objects.annotate(
        member_count=Count("memberships__user", distinct=True),
        admin_count=Count("memberships", filter=Q(memberships__role=Role.ADMIN), distinct=True),
        program_count=Count("programs", distinct=True),
    ).order_by("name")
    pending = ErasureRequest.objects.filter(status=ErasureStatus.PENDING)
    return PlatformOverview(
        organizations=organizations,
        pending_invitations=Invitation.objects.filter(
            accepted_at__isnull=True, expires_at__gt=now
        ).count(),
        pending_erasure_requests=pending.count(),
        overdue_erasure_requests=pending.filter(deadline__lt=now).count(),
        failed_emails=EmailDelivery.objects.filter(status=DeliveryStatus.FAILED).count(),
        pending_organizations=list(
            Organization.objects.filter(approval_status=ApprovalStatus.PENDING).order_by(
                "created_at"
            )
        ),
        active_partnerships=Partnership.objects.filter(status=PartnershipStatus.ACTIVE).count(),
        proposed_partnerships=Partnership.objects.filter(status=PartnershipStatus.PROPOSED).count(),
    )
