"""Reads of webhooks for their pages."""

from django.db.models import Count, Prefetch, Q, QuerySet

from mentorat.organizations.models import Organization
from mentorat.webhooks.models import Attempt, Delivery, DeliveryStatus, Endpoint


def endpoints_of(organization: Organization) -> QuerySet[Endpoint]:
    """The organisation's endpoints with their count of deliveries given up."""
    return Endpoint.objects.filter(organization=organization).annotate(
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED))
    )


def delivery_log(endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's deliveries, newest first, each with its attempts (newest first)."""
    return Delivery.objects.filter(endpoint=endpoint).prefetch_related(
        Prefetch("attempt_log", queryset=Attempt.objects.order_by("-at", "-id"))
    )
