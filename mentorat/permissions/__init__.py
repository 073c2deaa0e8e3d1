"""Who may see or change what. Every view and endpoint asks here, nowhere else.

Vocabulary: `access_*` fetches an object and raises Http404 when the user may not know it
exists (other organisations), `can_*` answers a yes/no question about an object the user
already sees, `require` turns a `False` into PermissionDenied (403).
"""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
