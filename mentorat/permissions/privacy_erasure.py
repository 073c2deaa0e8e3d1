"""Who handles erasure requests (GDPR Art. 17).

A person asks for their own erasure only (their page shows nothing of anyone else). An
organisation's admins, and platform admins, handle the requests of the people whose data
the organisation holds; a request the organisation does not handle cannot be told to
exist (404), whoever asks, so that nothing leaks about people of other organisations.
Coordinators and the other members of the organisation get 403."""

from django.http import Http404

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, Role
from mentorat.permissions.organizations import is_platform_admin, roles_in
from mentorat.privacy.erasure.models import ErasureRequest


def can_handle_erasure_requests(user: User, organization: Organization) -> bool:
    """Organisation admins (and platform admins) see and decide its erasure requests."""
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)


def access_erasure_request(organization: Organization, pk: int) -> ErasureRequest:
    """The request `pk` if `organization` handles it; else 404. Call it once
    `can_handle_erasure_requests` has allowed the user."""
    found = (
        ErasureRequest.objects.filter(pk=pk, organizations=organization)
        .select_related("person", "decided_by")
        .first()
    )
    if found is None:
        raise Http404
    return found
