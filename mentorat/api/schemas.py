"""What the API reads and writes (OpenAPI 3.1 through ninja's pydantic schemas)."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from mentorat.applications.imports.parsing import MAX_ROWS
from mentorat.participants.models import PriorityGroup
from mentorat.programs.models import Criterion, HardRule, MatchingMode

# Identifiers in paths and filters: within a 32-bit column, so no value reaches the
# database outside what it stores.
Id = int
ID_MAX = 2_147_483_647


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    city: str
    region: str
    website: str


class ProgramOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    summary: str
    is_published: bool
    organization: str = Field(description="Slug of the owning organisation.")
    created_at: datetime


class EditionOut(Schema):
    id: int
    name: str
    applications_open_on: date
    applications_close_on: date
    matching_on: date
    starts_on: date
    ends_on: date
    meetings_per_month: int
    duration_months: int


class ObjectiveOut(Schema):
    id: int
    indicator: str
    target: int
    unit: str
    months: int | None
    deadline: date | None
    rome_domain: str
    field: str


class ApplicationOut(Schema):
    id: int
    edition_id: int
    role: str
    status: str
    organization: str | None = Field(description="Slug of the person's organisation.")
    email: str
    first_name: str
    last_name: str
    submitted_at: datetime
    decided_at: datetime | None
    is_minor: bool
    updated_at: datetime


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next_cursor: str | None


class ProfileOut(Schema):
    application_id: int
    field: str
    occupation: str
    target_occupation: str
    rome_domain: str
    region: str
    years_of_experience: int | None
    goals: list[str]
    languages: list[str]
    remote_ok: bool
    skills_offered: list[str]
    skills_wanted: list[str]
    updated_at: datetime | None


class ApplicationsIn(Schema):
    """A batch of people, each a mapping of the bulk import's column codes (`email`,
    `first_name`, `last_name`, `role`, `status`, `organization`, `birth_date`, …) to
    text, checked exactly as an uploaded file: every row or none is imported."""

    edition_id: int = Field(ge=1, le=ID_MAX)
    organization: str | None = Field(
        default=None,
        max_length=80,
        description="Slug of the organisation of rows without one (default: the key's).",
    )
    default_role: str = Field(default="", max_length=8, description="mentor or mentee")
    rows: list[dict[str, str]] = Field(min_length=1, max_length=MAX_ROWS)


class ImportOut(Schema):
    created: int
    updated: int
    skipped: int
    invited: int
    accepted: int


class RunIn(Schema):
    """Parameters of a run; those left out come from the program's matching settings."""

    mode: MatchingMode | None = None
    weights: dict[Criterion, int] | None = Field(
        default=None, description="Weight of each criterion, from 0 to 10."
    )
    hard_rules: list[HardRule] | None = Field(default=None, max_length=20)
    priority_groups: list[PriorityGroup] | None = Field(default=None, max_length=20)
    default_capacity: int | None = Field(default=None, ge=1, le=20)
    women_share_target: int | None = Field(default=None, ge=0, le=100)


class RunOut(Schema):
    id: int
    number: int
    edition_id: int
    status: str
    phase: str
    mode: str
    parameters: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str


class RunPage(Schema):
    items: list[RunOut]
    next_cursor: str | None


class ExplanationPart(Schema):
    criterion: str
    label: str
    points: float


class ProposalOut(Schema):
    mentee_application_id: int
    mentor_application_id: int | None
    score: float | None
    best_points: int
    explanation: list[ExplanationPart]
    reason: dict[str, Any]
    locked: bool


class ProposalPage(Schema):
    items: list[ProposalOut]
    next_cursor: str | None


class PublicationOut(Schema):
    pairs: int
    skipped: int
    unmatched: int
    emails: int
    problem: str
    refusal: str
    token: str | None = Field(description="Send it back to publish exactly this plan.")


class PublishIn(Schema):
    token: str = Field(min_length=1, max_length=128)


class PublishedOut(Schema):
    published: int


class HealthOut(Schema):
    state: str
    reason: str
    advice: str


class PairOut(Schema):
    id: int
    edition_id: int
    mentor_application_id: int
    mentee_application_id: int
    status: str
    started_on: date | None
    ended_on: date | None
    health: HealthOut | None = Field(description="For active pairs.")


class PairPage(Schema):
    items: list[PairOut]
    next_cursor: str | None


class IndicatorOut(Schema):
    code: str
    label: str
    section: str
    value: float | None = Field(description="None when hidden (small group) or unknown.")
    population: int | None
    unit: str
    available: bool
    suppressed: bool


class EventOut(Schema):
    id: int
    organization: str = Field(description="Slug of the organising organisation.")
    co_hosts: list[str] = Field(description="Slugs of the co-hosting organisations.")
    kind: str
    title: str
    description: str
    format: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = Field(description="None: no limit.")
    registration_deadline: datetime | None
    audience: str
    audience_roles: str
    edition_id: int | None
    cancelled_at: datetime | None


class EventDetailOut(EventOut):
    online_link: str | None = Field(
        description="Given to the people holding a confirmed place and to the hosts only."
    )


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


class OpportunityOut(Schema):
    id: int
    organization: str = Field(description="Slug of the offering organisation.")
    kind: str
    title: str
    field: str
    rome_domain: str
    place: str
    starts_on: date | None
    ends_on: date | None
    deadline: date
    places: int
    description: str = Field(description="Markdown.")
    status: str
    published_at: datetime | None
    created_at: datetime


class OpportunityPage(Schema):
    items: list[OpportunityOut]
    next_cursor: str | None
