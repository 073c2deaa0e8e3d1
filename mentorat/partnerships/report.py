"""The yearly review of one partnership, for both sides' management: each agreement's
commitments against what happened, the opportunities each side offered the other (by
kind: places, candidates, filled) and the outcomes — internships, alternance, jobs — that
mentees reached through those offers.

Counts of people (candidates, filled places, outcomes) follow the reports' small-group
rule (`mentorat.lib.small_groups`): 1 to 4 people are shown hidden."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.timezone import localdate
from weasyprint import HTML

from mentorat.lib.small_groups import HIDDEN, is_small
from mentorat.mentorships.models import Situation
from mentorat.opportunities.models import Candidacy, OpportunityKind
from mentorat.organizations.models import Organization, Partnership
from mentorat.partnerships.selectors import (
    AgreementProgress,
    OfferRow,
    agreements_progress,
    offer_rows,
    school_year_of,
)


def shown(count: int) -> str:
    return HIDDEN if is_small(count) else str(count)


@dataclass(frozen=True)
class KindLine:
    """The opportunities of one kind a side offered the other in the year."""

    label: str
    opportunities: int
    places: int
    candidates: int
    filled: int
    outcomes: int

    @property
    def candidates_display(self) -> str:
        return shown(self.candidates)

    @property
    def filled_display(self) -> str:
        return shown(self.filled)

    @property
    def outcomes_display(self) -> str:
        return shown(self.outcomes)


@dataclass
class SideReport:
    organization: Organization
    other: Organization
    kinds: list[KindLine] = field(default_factory=list)
    # (situation label, count shown)
    outcomes: list[tuple[str, str]] = field(default_factory=list)
    outcomes_total: int = 0

    @property
    def outcomes_total_display(self) -> str:
        return shown(self.outcomes_total)


@dataclass
class PartnershipReport:
    partnership: Partnership
    year: int
    years: list[int]
    progress: list[AgreementProgress]
    sides: list[SideReport]

    @property
    def period_label(self) -> str:
        return f"{self.year}–{self.year + 1}"


def _agreement_years(agreements: list[AgreementProgress]) -> dict[int, set[int]]:
    years: dict[int, set[int]] = {}
    for item in agreements:
        if item.agreement.school_year is not None:
            years[item.agreement.pk] = {item.agreement.school_year}
        else:
            years[item.agreement.pk] = {school_year_of(e.starts_on) for e in item.editions}
    return years


def _side(
    organization: Organization, other: Organization, offers: list[OfferRow], year: int
) -> SideReport:
    mine = [
        row
        for row in offers
        if row.organization_id == organization.pk and other.pk in row.to and row.year == year
    ]
    by_kind: dict[str, list[OfferRow]] = defaultdict(list)
    for row in mine:
        by_kind[row.kind].append(row)
    report = SideReport(organization, other)
    for kind in OpportunityKind.values:
        rows = by_kind.get(kind)
        if not rows:
            continue
        report.kinds.append(
            KindLine(
                label=str(OpportunityKind(kind).label),
                opportunities=len(rows),
                places=sum(r.places for r in rows),
                candidates=sum(r.candidates for r in rows),
                filled=sum(r.filled for r in rows),
                outcomes=sum(r.outcomes for r in rows),
            )
        )
    situations = (
        Candidacy.objects.filter(opportunity_id__in=[r.pk for r in mine], outcome__isnull=False)
        .values("outcome__situation")
        .annotate(n=Count("id"))
        .order_by("outcome__situation")
    )
    for counted in situations:
        label = str(Situation(counted["outcome__situation"]).label)
        report.outcomes.append((label, shown(counted["n"])))
        report.outcomes_total += counted["n"]
    return report


def partnership_report(*, partnership: Partnership, year: int | None = None) -> PartnershipReport:
    """The review of `partnership` for school year `year` (default: the current one,
    or the latest with an agreement or an offer)."""
    sides = (partnership.organization, partnership.partner)
    progress_all = agreements_progress(agreements=partnership.agreements.all())
    offers = offer_rows(organization_ids={o.pk for o in sides})
    agreement_years = _agreement_years(progress_all)
    current = school_year_of(localdate())
    years = sorted(
        {y for ys in agreement_years.values() for y in ys}
        | {row.year for row in offers if row.to & {o.pk for o in sides}}
        | {current},
        reverse=True,
    )
    chosen = year if year is not None else current
    return PartnershipReport(
        partnership=partnership,
        year=chosen,
        years=years,
        progress=[p for p in progress_all if chosen in agreement_years[p.agreement.pk]],
        sides=[
            _side(sides[0], sides[1], offers, chosen),
            _side(sides[1], sides[0], offers, chosen),
        ],
    )


def report_pdf(report: PartnershipReport) -> bytes:
    """The yearly review as a PDF (weasyprint), in the active language."""
    html = render_to_string("partnerships/report_pdf.html", {"report": report})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
