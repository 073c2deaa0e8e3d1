"""Permission cases of the API: the key pages and the documentation join the URL matrix
(`CASES`, tests/test_permissions.py); every API operation has its own matrix
(`OPERATIONS`, tests/api/test_permission_matrix.py): each persona calls it with a key
they created, acting within their own organisation, with every scope.

The rules are the pages' rules (tests/permissions.py), read through the key's creator:
other organisations' objects answer 404, the same organisation without the right 403,
no key (or a signed-in browser session, which the API ignores) 401. Two differences,
both narrowing what a key can do: a key acts only within its own organisation (a person
who is also a member elsewhere brings nothing from there), and never with the
platform-admin right — the platform admin's key for A, where they hold no role, gets
404 like an outsider's."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from mentorat.api.models import ApiKey, Scope
from mentorat.events.models import Event, EventKind
from mentorat.matching.models import MatchRun
from mentorat.matching.services.publication import plan_publication
from mentorat.mentorships.models import Mentorship
from mentorat.opportunities.models import Opportunity, OpportunityStatus
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program
from tests.conftest import Cast
from tests.permissions import A_MEMBERS_WITHOUT_STAFF_ROLE, ADMIN_OF_A, Case, everyone
from tests.programs.factories import ObjectiveFactory

UNAUTHENTICATED = 401

# The URL matrix signs personas in with a session: the API answers 401 to all of them.
ADMIN_OF_A_POST = ADMIN_OF_A | {"admin_a": 302, "platform_admin": 302}


def _any_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": "programme-a", "pk": "1"}


def _org_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": cast.org_a.slug}


def _key_kwargs(cast: Cast) -> dict[str, str]:
    key = ApiKey.objects.create(
        organization=cast.org_a,
        name="sync",
        prefix="perm0001",
        secret_hash="0" * 64,
        scopes=[Scope.READ],
        created_by=cast.admin_a,
        expires_at=timezone.now() + timedelta(days=30),
    )
    return {"slug": cast.org_a.slug, "pk": str(key.pk)}


_SESSION_ONLY = everyone(UNAUTHENTICATED)

CASES: dict[str, Case] = {
    "api:key_list": Case(ADMIN_OF_A, kwargs=_org_kwargs),
    "api:key_revoke": Case(ADMIN_OF_A_POST, kwargs=_key_kwargs, method="post"),
    # The schema and its interactive documentation are public (no data in them).
    "api:v1:openapi-json": Case(everyone(200)),
    "api:v1:openapi-view": Case(everyone(200)),
    "api:v1:api-root": Case(everyone(404)),
}


# The API's own matrix -------------------------------------------------------------------


@dataclass
class World:
    """A program of one organisation with everything the operations reach: an
    edition, an objective, accepted mentees (of the organisation) and mentors (of a
    company it shares the program with), a run waiting for review, and a pair."""

    program: Program
    run: MatchRun
    pair: Mentorship
    event: Event
    opportunity: Opportunity

    @property
    def slug(self) -> str:
        return self.program.slug

    @property
    def edition_id(self) -> int:
        return self.run.edition_id

    @property
    def mentee_id(self) -> int:
        return self.run.proposals.order_by("pk").first().mentee_id  # type: ignore[union-attr]


def world(cast: Cast, organization: Organization) -> World:
    # Imported here: the factories need the database, this module is read at collection.
    from tests.matching.factories import cohort, finished_run, person

    slug = f"api-{organization.slug}"
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        c = cohort(organization, slug=slug)
        ObjectiveFactory(program=c.program)
        finished_run(c, user=cast.coordinator_a)
        Mentorship.objects.create(
            edition=c.edition,
            mentor_application=person(c.edition, "mentor", c.company),
            mentee_application=person(c.edition, "mentee", organization),
            started_on=timezone.localdate() - timedelta(days=10),
        )
        program = c.program
    run = MatchRun.objects.filter(edition__program=program).order_by("pk").first()
    pair = Mentorship.objects.filter(edition__program=program).order_by("pk").first()
    assert run is not None
    assert pair is not None
    return World(
        program=program,
        run=run,
        pair=pair,
        event=_event_of(organization),
        opportunity=_draft_offer_of(organization),
    )


def _event_of(organization: Organization) -> Event:
    """An event for the organisation's members (the default audience)."""
    start = timezone.now() + timedelta(days=3)
    return Event.objects.get_or_create(
        organization=organization,
        title="Lancement API",
        defaults={
            "kind": EventKind.KICK_OFF,
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "online_link": "https://visio.example.org/lancement",
            "created_by": organization.memberships.order_by("pk").first().user,  # type: ignore[union-attr]
        },
    )[0]


def _draft_offer_of(organization: Organization) -> Opportunity:
    """A draft: it exists for the organisation's staff only (the published ones, for
    their audience, are in tests/api/test_events_and_opportunities.py)."""
    return Opportunity.objects.get_or_create(
        organization=organization,
        title="Stage API",
        defaults={
            "kind": "internship",
            "deadline": timezone.localdate() + timedelta(days=30),
            "status": OpportunityStatus.DRAFT,
        },
    )[0]


@dataclass
class Operation:
    """One API operation: how to call it on the world of an organisation, the scope it
    needs, and the status each persona's key gets on organisation A's world."""

    method: str
    path: Callable[[World, Organization], str]
    scope: Scope
    expected: dict[str, int]
    body: Callable[[World], dict[str, Any]] = field(default=lambda w: {})


def _expect(
    *,
    staff: int,
    members: int = 403,
    partner: int = 404,
    other: int = 404,
    outsider: int = 404,
) -> dict[str, int]:
    """Statuses by persona: A's staff, A's members without a staff role, C's partner
    coordinator, B's coordinator (another organisation), the outsider and the platform
    admin (a key never carries the platform-admin right)."""
    return {
        "anonymous": UNAUTHENTICATED,
        "outsider": outsider,
        "platform_admin": outsider,
        "coordinator_b": other,
        "partner_coordinator": partner,
        "coordinator_a": staff,
        "admin_a": staff,
    } | dict.fromkeys(A_MEMBERS_WITHOUT_STAFF_ROLE, members)


# A program of A, shared with C: its management side is for A's staff; C's coordinator
# sees it, and only C's people in it; A's other members see it exists (403).
PROGRAM_AND_PARTNER = _expect(staff=200, partner=200)
RUNS_THE_PROGRAM = _expect(staff=200, partner=403)
# One of A's people in the program: C's coordinator cannot tell it exists.
A_PERSON = _expect(staff=200, partner=404)


def _program(suffix: str = "") -> Callable[[World, Organization], str]:
    return lambda w, org: f"/programs/{w.slug}{suffix}"


def _run(suffix: str = "") -> Callable[[World, Organization], str]:
    return lambda w, org: f"/programs/{w.slug}/runs/{w.run.pk}{suffix}"


def _publish_body(w: World) -> dict[str, Any]:
    return {"token": plan_publication(w.run).token}


def _import_body(w: World) -> dict[str, Any]:
    return {
        "edition_id": w.edition_id,
        "default_role": "mentee",
        "rows": [{"email": "new.person@example.org", "first_name": "Léa", "last_name": "Roux"}],
    }


OPERATIONS: dict[str, Operation] = {
    # The key's own organisation: any member of it (everyone has a key of their own
    # organisation here, B's and C's coordinators included).
    "organization": Operation(
        "get",
        lambda w, org: "/organization",
        Scope.READ,
        _expect(staff=200, members=200, partner=200, other=200),
    ),
    "organization_detail": Operation(
        "get",
        lambda w, org: f"/organizations/{org.slug}",
        Scope.READ,
        _expect(staff=200, members=200),
    ),
    # Programs of the key's organisation: its staff (B's and C's coordinators list theirs).
    "program_list": Operation(
        "get", lambda w, org: "/programs", Scope.READ, _expect(staff=200, partner=200, other=200)
    ),
    "program_detail": Operation("get", _program(), Scope.READ, PROGRAM_AND_PARTNER),
    "edition_list": Operation("get", _program("/editions"), Scope.READ, PROGRAM_AND_PARTNER),
    "objective_list": Operation("get", _program("/objectives"), Scope.READ, PROGRAM_AND_PARTNER),
    "application_list": Operation(
        "get", _program("/applications"), Scope.READ, PROGRAM_AND_PARTNER
    ),
    "application_detail": Operation(
        "get",
        lambda w, org: f"/programs/{w.slug}/applications/{w.mentee_id}",
        Scope.READ,
        A_PERSON,
    ),
    "application_profile": Operation(
        "get",
        lambda w, org: f"/programs/{w.slug}/applications/{w.mentee_id}/profile",
        Scope.READ,
        A_PERSON,
    ),
    # A partner imports its own people (into its own organisation, the key's).
    "application_import": Operation(
        "post",
        _program("/applications"),
        Scope.WRITE_PARTICIPANTS,
        _expect(staff=201, partner=201),
        body=_import_body,
    ),
    "run_list": Operation("get", _program("/runs"), Scope.READ, RUNS_THE_PROGRAM),
    "run_start": Operation(
        "post",
        lambda w, org: f"/programs/{w.slug}/editions/{w.edition_id}/runs",
        Scope.RUN_MATCHING,
        _expect(staff=202, partner=403),
    ),
    "run_detail": Operation("get", _run(), Scope.READ, RUNS_THE_PROGRAM),
    "proposal_list": Operation("get", _run("/proposals"), Scope.READ, RUNS_THE_PROGRAM),
    "run_publication": Operation("get", _run("/publication"), Scope.READ, RUNS_THE_PROGRAM),
    "run_publish": Operation(
        "post", _run("/publish"), Scope.RUN_MATCHING, RUNS_THE_PROGRAM, body=_publish_body
    ),
    "pair_list": Operation("get", _program("/pairs"), Scope.READ, PROGRAM_AND_PARTNER),
    "pair_detail": Operation(
        "get",
        lambda w, org: f"/programs/{w.slug}/pairs/{w.pair.pk}",
        Scope.READ,
        A_PERSON,
    ),
    "indicator_list": Operation("get", _program("/indicators"), Scope.REPORTS, PROGRAM_AND_PARTNER),
    # Lists filtered for the key's creator (what they hold is tested apart): every key.
    "event_list": Operation(
        "get",
        lambda w, org: "/events",
        Scope.READ,
        _expect(staff=200, members=200, partner=200, other=200, outsider=200),
    ),
    # An event for A's members: they see it; to everyone else it does not exist.
    "event_detail": Operation(
        "get",
        lambda w, org: f"/events/{w.event.pk}",
        Scope.READ,
        _expect(staff=200, members=200),
    ),
    # The offers of the key's organisation: its staff (B's and C's coordinators, theirs).
    "opportunity_list": Operation(
        "get",
        lambda w, org: "/opportunities",
        Scope.READ,
        _expect(staff=200, partner=200, other=200),
    ),
    # A draft offer of A: A's staff only; A's other members cannot tell it exists.
    "opportunity_detail": Operation(
        "get",
        lambda w, org: f"/opportunities/{w.opportunity.pk}",
        Scope.READ,
        _expect(staff=200, members=404),
    ),
}


def key_organization(cast: Cast, persona: str) -> Organization:
    """The organisation of each persona's key: their own (A for the outsider and the
    platform admin, who belong to none)."""
    if persona == "coordinator_b":
        return cast.org_b
    if persona == "partner_coordinator":
        return cast.org_c
    return cast.org_a


# Every operation in the URL matrix too: without a key, a signed-in session gets 401.
_NO_ARGUMENTS = {"organization", "program_list", "event_list", "opportunity_list"}
_PK_ONLY = {"event_detail", "opportunity_detail"}
_SLUG_ONLY = {"organization_detail", "program_detail", "edition_list", "objective_list"}
_SLUG_ONLY |= {"application_list", "application_import", "run_list", "pair_list"}
_SLUG_ONLY |= {"indicator_list"}


def _session_case(name: str, operation: Operation) -> Case:
    def kwargs(cast: Cast) -> dict[str, str]:
        if name in _NO_ARGUMENTS:
            return {}
        if name in _SLUG_ONLY:
            return {"slug": "programme-a"}
        if name in _PK_ONLY:
            return {"pk": "1"}
        return _any_kwargs(cast)

    return Case(_SESSION_ONLY, kwargs=kwargs, method=operation.method)


CASES |= {f"api:v1:{name}": _session_case(name, op) for name, op in OPERATIONS.items()}


def key_world(cast: Cast, n: int) -> dict[str, str]:
    """For tests/test_permission_mismatch.py: organisation n, administered by A's admin,
    and a key of its own."""
    # Imported here: the factories need the database, this module is read at collection.
    from tests.factories import MembershipFactory, OrganizationFactory

    organization = OrganizationFactory(slug=f"cles-{n}")
    MembershipFactory(user=cast.admin_a, organization=organization, role="admin")
    key = ApiKey.objects.create(
        organization=organization,
        name=f"key {n}",
        prefix=f"world{n:04d}",
        secret_hash="0" * 64,
        scopes=[Scope.READ],
        created_by=cast.admin_a,
        expires_at=timezone.now() + timedelta(days=30),
    )
    return {"slug": organization.slug, "pk": str(key.pk)}


# URL name → (world, persona); tests/test_permission_mismatch.py makes them cases.
MISMATCH_WORLDS: dict[str, tuple[Callable[[Cast, int], dict[str, str]], str]] = {
    "api:key_revoke": (key_world, "admin_a"),
}
