"""Permission cases of the opportunities board. The cast's partner C offers an
internship to the mentees of A; the cast's mentor and mentee form a pair in a program of
A. An opportunity exists only for its audience (A's mentees), their mentors, A's staff
and C's staff; a candidacy only for C's staff, the candidate and her mentor: to anyone
else, 404. Managing the offer and its candidates is C's staff's; applying is the
audience's (403 for the others who see it)."""

from datetime import timedelta

from django.utils import timezone

from mentorat.opportunities.models import Candidacy, Opportunity, OpportunityStatus
from tests.conftest import Cast
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.permissions import LOGIN, STAFF_OF_A, Case, everyone, org_a
from tests.programs.factories import ProgramFactory


def offer_of_c(cast: Cast) -> Opportunity:
    """C's published internship for the mentees of A, with the cast's pair in place."""
    found = Opportunity.objects.filter(organization=cast.org_c).first()
    if found is not None:
        return found
    edition = RunningEditionFactory(program=ProgramFactory(organization=cast.org_a))
    MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)
    opportunity = Opportunity.objects.create(
        organization=cast.org_c,
        kind="internship",
        title="Stage comptabilité",
        deadline=timezone.localdate() + timedelta(days=30),
        status=OpportunityStatus.PUBLISHED,
        contact=cast.partner_coordinator,
    )
    opportunity.audience_organizations.add(cast.org_a)
    return opportunity


def opportunity_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(offer_of_c(cast).pk)}


def candidacy_kwargs(cast: Cast) -> dict[str, str]:
    candidacy, _created = Candidacy.objects.get_or_create(
        opportunity=offer_of_c(cast), candidate=cast.mentee, defaults={"message": "Bonjour"}
    )
    return {"pk": str(candidacy.pk)}


# Who sees the offer: its audience (A's mentees), their mentors, A's staff, C's staff.
SEES_OFFER = everyone(404) | {
    "anonymous": LOGIN,
    "mentee": 200,
    "minor": 200,
    "mentor": 200,
    "other_side": 200,
    "coordinator_a": 200,
    "admin_a": 200,
    "partner_coordinator": 200,
}
# Who manages it: C's staff; the others who see it are refused.
MANAGES_OFFER = SEES_OFFER | dict.fromkeys(
    ("mentee", "minor", "mentor", "other_side", "coordinator_a", "admin_a"), 403
)
APPLIES = SEES_OFFER | dict.fromkeys(
    ("mentor", "other_side", "coordinator_a", "admin_a", "partner_coordinator"), 403
)
# Who sees a candidacy: C's staff, the candidate, her mentor.
SEES_CANDIDACY = everyone(404) | {
    "anonymous": LOGIN,
    "mentee": 200,
    "mentor": 200,
    "partner_coordinator": 200,
}
DECIDES = SEES_CANDIDACY | {"mentee": 403, "mentor": 403, "partner_coordinator": 302}
RECOMMENDS = SEES_CANDIDACY | {"mentee": 403, "partner_coordinator": 403, "mentor": 302}

# An organisation's own offers: its staff (a platform admin does not act for it).
STAFF_OF_A_ACTS = STAFF_OF_A | {"platform_admin": 403}

CASES: dict[str, Case] = {
    "opportunities:list": Case(everyone(200) | {"anonymous": LOGIN}),
    "opportunities:organization_list": Case(STAFF_OF_A_ACTS, kwargs=org_a),
    "opportunities:new": Case(STAFF_OF_A_ACTS, kwargs=org_a),
    "opportunities:detail": Case(SEES_OFFER, kwargs=opportunity_kwargs),
    "opportunities:edit": Case(MANAGES_OFFER, kwargs=opportunity_kwargs),
    "opportunities:publish": Case(
        MANAGES_OFFER | {"partner_coordinator": 302}, kwargs=opportunity_kwargs, method="post"
    ),
    "opportunities:close": Case(
        MANAGES_OFFER | {"partner_coordinator": 302}, kwargs=opportunity_kwargs, method="post"
    ),
    "opportunities:apply": Case(APPLIES, kwargs=opportunity_kwargs),
    "opportunities:candidates": Case(MANAGES_OFFER, kwargs=opportunity_kwargs),
    "opportunities:candidacy": Case(SEES_CANDIDACY, kwargs=candidacy_kwargs),
    "opportunities:recommend": Case(RECOMMENDS, kwargs=candidacy_kwargs, method="post"),
    "opportunities:decide": Case(
        DECIDES, kwargs=candidacy_kwargs, method="post", data={"decision": "shortlist"}
    ),
    "opportunities:outcome": Case(DECIDES, kwargs=candidacy_kwargs, method="post"),
}
