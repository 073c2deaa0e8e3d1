"""Permission cases of the partnership pages, of an organisation's sign-up, details and
review. A partnership and its agreements exist only for the admins and coordinators of
its two sides (and platform admins): to everyone else, A's other members included, 404.
Only a side's admins act (answer, end, write and sign agreements); a platform admin
sees but does not act for an organisation (403)."""

from mentorat.organizations.models import Partnership, PartnershipKind, PartnershipStatus
from mentorat.partnerships.models import Agreement
from tests.conftest import Cast
from tests.permissions import ADMIN_OF_A, LOGIN, STAFF_OF_A, Case, everyone, org_a


def a_and_c(cast: Cast) -> Partnership:
    """The cast's active partnership between A and its partner C."""
    return Partnership.objects.get(organization=cast.org_a, partner=cast.org_c)


def partnership_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(a_and_c(cast).pk)}


def proposal_to_a(cast: Cast) -> dict[str, str]:
    """A proposal from C to A, which A's admins answer."""
    proposal = Partnership.objects.create(
        organization=cast.org_c,
        partner=cast.org_a,
        kind=PartnershipKind.REFERRAL,
        status=PartnershipStatus.PROPOSED,
    )
    return {"pk": str(proposal.pk)}


def agreement_kwargs(cast: Cast) -> dict[str, str]:
    agreement = Agreement.objects.create(partnership=a_and_c(cast), school_year=2026)
    return {"pk": str(agreement.pk)}


# Both sides' admins and coordinators, and platform admins.
PARTNERSHIP_STAFF = everyone(404) | {
    "anonymous": LOGIN,
    "admin_a": 200,
    "coordinator_a": 200,
    "partner_coordinator": 200,
    "platform_admin": 200,
}
# What only a side's admin does (A's admin here).
PARTNERSHIP_ADMIN = PARTNERSHIP_STAFF | {
    "coordinator_a": 403,
    "partner_coordinator": 403,
    "platform_admin": 403,
}
# An organisation's own partnership pages where it acts: its admins.
ACTS_FOR_A = ADMIN_OF_A | {"platform_admin": 403}

CASES: dict[str, Case] = {
    "organizations:signup": Case(everyone(200) | {"anonymous": LOGIN}),
    "organizations:edit": Case(ADMIN_OF_A, kwargs=org_a),
    "organizations:review": Case(
        everyone(404) | {"anonymous": LOGIN, "platform_admin": 200}, kwargs=org_a
    ),
    "partnerships:list": Case(STAFF_OF_A, kwargs=org_a),
    "partnerships:directory": Case(ACTS_FOR_A, kwargs=org_a),
    # The partner is a parameter (?partner=), not a path segment.
    "partnerships:propose": Case(ACTS_FOR_A, kwargs=org_a, data={"partner": "org-b"}),
    "partnerships:detail": Case(PARTNERSHIP_STAFF, kwargs=partnership_kwargs),
    "partnerships:accept": Case(
        PARTNERSHIP_ADMIN | {"admin_a": 302}, kwargs=proposal_to_a, method="post"
    ),
    "partnerships:decline": Case(PARTNERSHIP_ADMIN, kwargs=proposal_to_a),
    "partnerships:end": Case(PARTNERSHIP_ADMIN, kwargs=partnership_kwargs),
    "partnerships:agreement_new": Case(PARTNERSHIP_ADMIN, kwargs=partnership_kwargs),
    "partnerships:agreement_edit": Case(PARTNERSHIP_ADMIN, kwargs=agreement_kwargs),
    "partnerships:agreement_sign": Case(PARTNERSHIP_ADMIN, kwargs=agreement_kwargs),
    "partnerships:agreement_pdf": Case(PARTNERSHIP_STAFF, kwargs=agreement_kwargs),
    "partnerships:report": Case(PARTNERSHIP_STAFF, kwargs=partnership_kwargs),
    "partnerships:report_pdf": Case(PARTNERSHIP_STAFF, kwargs=partnership_kwargs),
}
