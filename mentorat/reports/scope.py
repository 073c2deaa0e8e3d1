"""What a report covers: a program, the filters chosen, and the organisations whose
people the reader may see (partner coordinators see their own people only)."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.utils import timezone

from mentorat.programs.models import Program


@dataclass(frozen=True)
class ReportFilters:
    """Filters of every report page and export; empty values mean "all".

    The period applies to the date of each thing counted: applications by submission
    date, pairs active at some point of the period, meetings, check-ins and outcomes by
    their own dates."""

    date_from: date | None = None
    date_to: date | None = None
    edition_id: int | None = None
    organization_id: int | None = None
    rome_domain: str = ""
    field: str = ""
    priority_group: str = ""

    def is_empty(self) -> bool:
        return self == ReportFilters()


@dataclass(frozen=True)
class Scope:
    program: Program
    filters: ReportFilters = field(default_factory=ReportFilters)
    # Organisation ids whose people the reader sees; None: everyone in the program.
    organizations: frozenset[int] | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    @property
    def period_end(self) -> date:
        """The last day counted: the end of the period, and never after today."""
        if self.filters.date_to is not None:
            return min(self.filters.date_to, self.today)
        return self.today

    def narrowed(self, *, rome_domain: str = "", field: str = "") -> "Scope":
        """The same scope restricted to one occupation domain or field (objectives)."""
        filters = self.filters
        if rome_domain:
            filters = replace(filters, rome_domain=rome_domain)
        if field:
            filters = replace(filters, field=field)
        return replace(self, filters=filters)
