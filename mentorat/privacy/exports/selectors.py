"""Reads of the exports pages."""

from django.db.models import Q, QuerySet

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization
from mentorat.permissions.privacy_exports import people_held_by
from mentorat.privacy.exports.models import ExportRequest

# People listed by one search on the organisation's exports page.
SEARCH_LIMIT = 20


def exports_of(person: User) -> QuerySet[ExportRequest]:
    """Every export of the person's data, theirs and those organisations made."""
    return ExportRequest.objects.filter(person=person).select_related("organization")


def exports_by(organization: Organization) -> QuerySet[ExportRequest]:
    """The exports the organisation's admins made, newest first."""
    return ExportRequest.objects.filter(organization=organization).select_related(
        "person", "requested_by"
    )


def search_people(organization: Organization, query: str) -> list[User]:
    """People the organisation holds whose name or email contains `query` (every word)."""
    people = people_held_by(organization)
    for word in query.split():
        people = people.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return list(people.order_by("last_name", "first_name", "email")[:SEARCH_LIMIT])
