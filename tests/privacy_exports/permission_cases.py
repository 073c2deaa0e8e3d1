"""Permission cases of the export pages (tests/test_permissions.py).

An export is the person's own thing: nobody else can tell it exists (404), colleagues
included, except, for an export an organisation made for a postal request, that
organisation's admins. The organisation's exports page is for its admins (coordinators
and other members of A: 403; other organisations: 404)."""

from django.utils import timezone

from mentorat.privacy.exports.models import ExportRequest, ExportStatus
from tests.conftest import Cast
from tests.permissions import ADMIN_OF_A, LOGIN, Case, everyone, org_a

ADMIN_OF_A_POST = ADMIN_OF_A | {"admin_a": 302, "platform_admin": 302}
# The mentee's export made by A's admins: the mentee and A's admins; nobody else knows it.
MENTEES_EXPORT_MADE_BY_A = everyone(404) | {
    "anonymous": LOGIN,
    "mentee": 200,
    "admin_a": 200,
    "platform_admin": 200,
}


def mentees_export(cast: Cast) -> dict[str, str]:
    """A ready export of the mentee's data that A's admin made. Its file is absent: a
    permitted download answers with a message and a redirect (302)."""
    now = timezone.now()
    export = ExportRequest.objects.create(
        person=cast.mentee,
        requested_by=cast.admin_a,
        organization=cast.org_a,
        status=ExportStatus.READY,
        ready_at=now,
        expires_at=now + timezone.timedelta(days=7),
        file="exports/absent.zip",
    )
    return {"public_id": str(export.public_id)}


# The body of the "produce the export" POST: the mentee's id, known once the cast exists
# (filled in by `org_a_for_the_mentee`, which the matrix calls before posting).
_CREATE_DATA: dict[str, str] = {}


def org_a_for_the_mentee(cast: Cast) -> dict[str, str]:
    _CREATE_DATA["person"] = str(cast.mentee.pk)
    return org_a(cast)


CASES = {
    "privacy:my_data": Case(everyone(200) | {"anonymous": LOGIN}),
    "privacy:export_request": Case(everyone(302), method="post"),
    "privacy:export_detail": Case(MENTEES_EXPORT_MADE_BY_A, kwargs=mentees_export),
    "privacy:export_download": Case(
        MENTEES_EXPORT_MADE_BY_A | {"mentee": 302, "admin_a": 302, "platform_admin": 302},
        kwargs=mentees_export,
        method="post",
    ),
    "privacy:org_exports": Case(ADMIN_OF_A, kwargs=org_a),
    "privacy:org_export_create": Case(
        ADMIN_OF_A_POST,
        kwargs=org_a_for_the_mentee,
        method="post",
        data=_CREATE_DATA,
    ),
}
