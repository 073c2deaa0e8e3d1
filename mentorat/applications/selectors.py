from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.organizations.models import Organization
from mentorat.permissions.programs import shared_organization_ids
from mentorat.programs.models import Edition, MatchingSettings, ParticipantRole, Program
from mentorat.reference.rome import ROME_DOMAINS


@dataclass
class ApplicationFilters:
    status: str = ""
    role: str = ""
    organization_id: int | None = None
    rome_domain: str = ""
    edition_id: int | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str = ""


def applications_of(
    *, program: Program, scope: set[int] | None, filters: ApplicationFilters
) -> QuerySet[Application, dict[str, Any]]:
    """Applications of `program` visible within `scope` (organisation ids; None: all),
    filtered: one dict a row with the columns the list shows (`LIST_COLUMNS`; constant
    number of queries, no model instances: their creation was most of the page's CPU).
    Their guardian warnings are read apart, for the page shown (`guardian_warnings`)."""
    qs = Application.objects.filter(edition__program=program)
    if scope is not None:
        qs = qs.filter(organization_id__in=scope)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.organization_id:
        qs = qs.filter(organization_id=filters.organization_id)
    if filters.rome_domain:
        qs = qs.filter(user__profile__rome_domain=filters.rome_domain)
    if filters.edition_id:
        qs = qs.filter(edition_id=filters.edition_id)
    if filters.submitted_from:
        qs = qs.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to:
        qs = qs.filter(submitted_at__date__lte=filters.submitted_to)
    if filters.search:
        qs = qs.filter(
            Q(user__first_name__icontains=filters.search)
            | Q(user__last_name__icontains=filters.search)
            | Q(user__email__icontains=filters.search)
        )
    rows: QuerySet[Application, dict[str, Any]] = qs.order_by("-submitted_at", "-pk").values(
        *LIST_COLUMNS
    )
    return rows


#: The columns of the applications list's rows (the user's profile is optional: its
#: field is None without one).
LIST_COLUMNS = (
    "pk",
    "role",
    "status",
    "submitted_at",
    "is_minor",
    "contact_through_platform_only",
    "guardian_email",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__profile__rome_domain",
    "edition__name",
    "organization__name",
)


def _status_counts_query(
    *, program_id: int, scope: set[int] | None = None
) -> QuerySet[Application, tuple[str, int]]:
    qs = Application.objects.filter(edition__program_id=program_id)
    if scope is not None:
        qs = qs.filter(organization_id__in=scope)
    rows: QuerySet[Application, tuple[str, int]] = (
        qs.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return rows


def _program_organizations_query(
    *, program_id: int, organization_id: int
) -> QuerySet[Organization]:
    return Organization.objects.filter(
        Q(pk=organization_id) | Q(shared_programs__pk=program_id)
    ).distinct()


def _program_editions_query(*, program_id: int) -> QuerySet[Edition]:
    return Edition.objects.filter(program_id=program_id)


# The list's reads for the program's staff (scope None, the usual case), compiled once
# per process (mentorat.lib.compiled_sql): building them took more CPU than PostgreSQL
# spends answering them, and prepared they are no longer planned on every request.
_STATUS_COUNTS = CompiledQuery(_status_counts_query, program_id=int)
_PROGRAM_ORGANIZATIONS = CompiledQuery(
    _program_organizations_query, program_id=int, organization_id=int
)
_PROGRAM_EDITIONS = CompiledQuery(_program_editions_query, program_id=int)


def status_counts(*, program: Program, scope: set[int] | None) -> dict[str, int]:
    if scope is None:
        return dict(_STATUS_COUNTS.fetch(program_id=program.pk))
    return dict(_status_counts_query(program_id=program.pk, scope=scope))


def filter_choices(
    *, program: Program, scope: set[int] | None
) -> tuple[list[Organization], list[Edition]]:
    """The organisations and editions the applications list filters by: the program's
    organisation and its partners (`scope` None), or those of `scope` among the program's
    organisation and its partners; the program's editions, each pointing at `program`."""
    if scope is None:  # the program's organisation and its partners, in one query
        organizations: list[Organization] = _PROGRAM_ORGANIZATIONS.fetch(
            program_id=program.pk, organization_id=program.organization_id
        )
    else:  # partners' staff: their shared organisations are already read
        org_ids = ({program.organization_id} | shared_organization_ids(program)) & scope
        organizations = list(Organization.objects.filter(pk__in=org_ids))
    editions: list[Edition] = _PROGRAM_EDITIONS.fetch(program_id=program.pk)
    for edition in editions:
        edition.program = program
    return organizations, editions


def applications_of_user(*, user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(user=user)
        .select_related("edition", "edition__program", "edition__program__organization")
        .order_by("-submitted_at")
    )


# Guardian's address --------------------------------------------------------------------------
#
# A guardian's link proves that whoever consents reads the guardian's mailbox, not that
# they are a parent: a pupil can give a second address of their own. What the platform
# knows of the addresses involved is compared here:
# - the applicant's own addresses (their account's email, every address allauth holds for
#   them, and every email their audit entries were recorded under, i.e. the account's
#   email when they applied before or signed in before changing it): refused when they
#   apply, warned about afterwards (an address added or an email changed later);
# - another account's address (account email or one allauth holds): a warning when that
#   person is a minor (birth date under 18 or, without one, an application made as a
#   minor) since a minor cannot be a legal guardian; a milder note otherwise, since parents
#   may have accounts too (mentors, staff). The coordinator is told only which case
#   applies, never whose account it is: the pupil chose the address, so this answers no
#   question a coordinator could ask about an address of their choosing.

ADULT_AGE = 18  # under it, an application is flagged as a minor's


class GuardianAddressWarning(StrEnum):
    """Why a guardian's address is doubtful, most serious first."""

    APPLICANT_ADDRESS = "applicant_address"
    MINOR_ACCOUNT = "minor_account"
    OTHER_ACCOUNT = "other_account"


def addresses_used_by(*, user: User) -> set[str]:
    """Every email address `user` is known to have used, lowercased (two queries)."""
    addresses = {user.email.lower()}
    addresses |= {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    addresses |= set(
        AuditEntry.objects.filter(actor=user, actor_label__contains="@")
        .annotate(address=Lower("actor_label"))
        .values_list("address", flat=True)
        .distinct()
    )
    return addresses


def _adult_birth_date_limit(today: date) -> date:
    """People born after this day are under 18 on `today` (see `age_on`)."""
    year = today.year - ADULT_AGE
    if (today.month, today.day) == (2, 29):
        return date(year, 2, 28)
    return today.replace(year=year)


def with_guardian_warning(
    applications: QuerySet[Application], *, today: date | None = None
) -> QuerySet[Application]:
    """`applications` with `guardian_warning` annotated: a GuardianAddressWarning value,
    or "" (no guardian address, or nothing known against it). Subqueries of the same
    query, so a list page costs no extra query per row."""
    return _with_warning(
        applications, minor_born_after=_adult_birth_date_limit(today or timezone.localdate())
    )


def _with_warning(
    applications: QuerySet[Application], *, minor_born_after: date
) -> QuerySet[Application]:
    """`with_guardian_warning`, people born after `minor_born_after` being minors."""
    limit = minor_born_after
    guardian = Lower(OuterRef("guardian_email"))

    def minor(prefix: str = "") -> Q:
        return Q(**{f"{prefix}profile__birth_date__gt": limit}) | Q(
            **{
                f"{prefix}profile__birth_date__isnull": True,
                f"{prefix}applications__is_minor": True,
            }
        )

    # Other people's addresses are compared as stored, to use the email indexes: the
    # account's email and allauth's addresses are kept lowercase (UserManager, the
    # import, allauth since its 0006 migration), as guardian addresses are.
    other_accounts = User.objects.filter(email=OuterRef("guardian_email")).exclude(
        pk=OuterRef("user_id")
    )
    other_addresses = EmailAddress.objects.filter(email=OuterRef("guardian_email")).exclude(
        user_id=OuterRef("user_id")
    )
    own_addresses = EmailAddress.objects.annotate(address=Lower("email")).filter(
        user_id=OuterRef("user_id"), address=guardian
    )
    own_history = AuditEntry.objects.annotate(address=Lower("actor_label")).filter(
        actor_id=OuterRef("user_id"), address=guardian
    )
    return applications.annotate(
        guardian_warning=Case(
            When(guardian_email="", then=Value("")),
            When(
                Exact(Lower("user__email"), Lower("guardian_email"))
                | Exists(own_addresses)
                | Exists(own_history),
                then=Value(GuardianAddressWarning.APPLICANT_ADDRESS.value),
            ),
            When(
                Exists(other_accounts.filter(minor()))
                | Exists(other_addresses.filter(minor("user__"))),
                then=Value(GuardianAddressWarning.MINOR_ACCOUNT.value),
            ),
            When(
                Exists(other_accounts) | Exists(other_addresses),
                then=Value(GuardianAddressWarning.OTHER_ACCOUNT.value),
            ),
            default=Value(""),
            output_field=CharField(),
        )
    )


#: Rows a page of the applications list shows.
LIST_PAGE_SIZE = 50


_WARNING_COLUMNS = ("pk", "guardian_warning")  # the second is an annotation


def _page_warnings_query(
    minor_born_after: date, **ids: int
) -> QuerySet[Application, tuple[int, str]]:
    applications = Application.objects.filter(pk__in=list(ids.values()))
    rows: QuerySet[Application, tuple[int, str]] = (
        _with_warning(applications, minor_born_after=minor_born_after)
        .order_by()
        .values_list(*_WARNING_COLUMNS)
    )
    return rows


# The warnings of up to a page of applications, compiled once per process: building the
# warning's eight subqueries took more CPU than the rest of the list's queries. A page
# with fewer applications repeats its last id in the remaining places (same SQL).
_PAGE_WARNINGS = CompiledQuery(
    _page_warnings_query,
    minor_born_after=date,
    **{f"id{i}": int for i in range(LIST_PAGE_SIZE)},
)


def guardian_warnings(
    *, applications: Iterable[Mapping[str, Any]], today: date | None = None
) -> dict[int, str]:
    """The `with_guardian_warning` value of each of `applications` (rows of
    `applications_of`) that has a guardian's address, when that value is not "" (one
    query a page of `LIST_PAGE_SIZE`, none when no application has one)."""
    ids = [a["pk"] for a in applications if a["guardian_email"]]
    limit = _adult_birth_date_limit(today or timezone.localdate())
    warnings: dict[int, str] = {}
    for start in range(0, len(ids), LIST_PAGE_SIZE):
        chunk = ids[start : start + LIST_PAGE_SIZE]
        chunk += chunk[-1:] * (LIST_PAGE_SIZE - len(chunk))
        arguments = {f"id{i}": pk for i, pk in enumerate(chunk)}
        for pk, warning in _PAGE_WARNINGS.fetch(minor_born_after=limit, **arguments):
            if warning:
                warnings[pk] = str(warning)
    return warnings


# One application's warning (its review page), compiled once per process as a page's
# are: building the eight subqueries took a third of the review page's CPU, and
# PostgreSQL planned them anew on every request (~0.7 ms) where a prepared statement
# keeps its plan.
_ONE_WARNING = CompiledQuery(_page_warnings_query, minor_born_after=date, id0=int)


def guardian_address_warning(*, application: Application) -> str:
    """The `with_guardian_warning` value of one application (one query, none when it
    has no guardian's address)."""
    if not application.guardian_email:
        return ""
    limit = _adult_birth_date_limit(timezone.localdate())
    rows = _ONE_WARNING.fetch(minor_born_after=limit, id0=application.pk)
    return str(rows[0][1]) if rows else ""


# Right to a mentor -------------------------------------------------------------------------


# Pairs are read through their relations to the applications (`mentorships_as_mentee`,
# `mentorships_as_mentor`), so that applications imports nothing of mentorships, the
# layer above. The value is mentorships' `MentorshipStatus.ACTIVE` (a test keeps them equal).
ACTIVE_PAIR = "active"


def waiting_mentees(*, program: Program, scope: set[int] | None = None) -> QuerySet[Application]:
    """Accepted mentee applications of running editions without an active pair, longest
    wait first."""
    qs = Application.objects.filter(
        edition__program=program,
        edition__ends_on__gte=timezone.localdate(),
        role=ParticipantRole.MENTEE,
        status=ApplicationStatus.ACCEPTED,
    ).exclude(mentorships_as_mentee__status=ACTIVE_PAIR)
    if scope is not None:
        qs = qs.filter(organization_id__in=scope)
    return qs.select_related("user", "user__profile", "organization", "edition").order_by(
        "accepted_at"
    )


def available_mentors(*, program: Program, scope: set[int] | None = None) -> QuerySet[Application]:
    """Accepted mentor applications of running editions (`right_to_mentor` subtracts the
    mentees each already has from their capacity)."""
    qs = Application.objects.filter(
        edition__program=program,
        edition__ends_on__gte=timezone.localdate(),
        role=ParticipantRole.MENTOR,
        status=ApplicationStatus.ACCEPTED,
    )
    if scope is not None:
        qs = qs.filter(organization_id__in=scope)
    return qs


@dataclass
class FieldGap:
    rome_domain: str
    label: str
    mentees_waiting: int = 0
    longest_wait_days: int = 0
    total_wait_days: int = 0
    mentors: int = 0
    capacity: int = 0

    @property
    def average_wait_days(self) -> int:
        return round(self.total_wait_days / self.mentees_waiting) if self.mentees_waiting else 0

    @property
    def gap(self) -> int:
        """Mentees who would stay without a mentor with the capacity available."""
        return max(self.mentees_waiting - self.capacity, 0)


@dataclass
class RightToMentor:
    fields: list[FieldGap] = field(default_factory=list)
    capacity_per_mentor: int = 1

    @property
    def total(self) -> FieldGap:
        total = FieldGap(rome_domain="", label="")
        for row in self.fields:
            total.mentees_waiting += row.mentees_waiting
            total.total_wait_days += row.total_wait_days
            total.longest_wait_days = max(total.longest_wait_days, row.longest_wait_days)
            total.mentors += row.mentors
            total.capacity += row.capacity
        return total


def right_to_mentor(
    *, program: Program, scope: set[int] | None = None, now: datetime | None = None
) -> RightToMentor:
    """Per occupation domain: mentees waiting (no active pair), their waiting time since
    acceptance, the places still free with accepted mentors (each mentor's capacity, or
    the program's default, minus their active pairs) and the gap. Three queries whatever
    the numbers."""
    now = now or timezone.now()
    settings = MatchingSettings.objects.filter(program=program).first()
    capacity = settings.default_mentor_capacity if settings else 1
    labels = dict(ROME_DOMAINS)
    rows: dict[str, FieldGap] = {}

    def row(domain: str | None) -> FieldGap:
        domain = domain or ""
        if domain not in rows:
            rows[domain] = FieldGap(rome_domain=domain, label=str(labels.get(domain, "")))
        return rows[domain]

    for domain, accepted_at in waiting_mentees(program=program, scope=scope).values_list(
        "user__profile__rome_domain", "accepted_at"
    ):
        waited = max((now - (accepted_at or now)).days, 0)
        entry = row(domain)
        entry.mentees_waiting += 1
        entry.total_wait_days += waited
        entry.longest_wait_days = max(entry.longest_wait_days, waited)
    taken = Count("mentorships_as_mentor", filter=Q(mentorships_as_mentor__status=ACTIVE_PAIR))
    mentors = available_mentors(program=program, scope=scope).annotate(used=taken)
    for domain, explicit, used in mentors.values_list(
        "user__profile__rome_domain", "mentor_capacity__capacity", "used"
    ):
        entry = row(domain)
        entry.mentors += 1
        entry.capacity += max((explicit or capacity) - used, 0)
    ordered = sorted(rows.values(), key=lambda r: (-r.gap, -r.mentees_waiting, r.label))
    return RightToMentor(fields=ordered, capacity_per_mentor=capacity)


def has_active_pair(*, application: Application) -> bool:
    """Whether the applicant has an active pair in the application's edition, on the side
    of their role (withdrawing would end it)."""
    if application.role == ParticipantRole.MENTOR:
        pairs = application.mentorships_as_mentor
    else:
        pairs = application.mentorships_as_mentee
    return pairs.filter(status=ACTIVE_PAIR).exists()
