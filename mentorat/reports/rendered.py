"""Heavy report outputs drawn once and kept in the shared cache: chart images and annual
PDFs, under the digest of the figures they show (other figures, another key: never a
stale file). Web processes read them without loading matplotlib or weasyprint; the
drawing happens in background tasks where a worker runs them (`reports.tasks`):

- charts of a program are drawn again, in each language, shortly after its data change
  (any audit entry of its organisation, at most once a minute per organisation), so the
  report page's images are ready before anyone asks;
- an annual PDF not kept yet is built by a task while the page asking for it waits
  (it reloads itself); the same request then downloads the kept file.

With the immediate task backend (development, tests) nothing is precomputed and the PDF
is built during the request, as before."""

import hashlib

from django.core.cache import cache
from django.utils import translation

from mentorat.reports.report import ProgramReport
from mentorat.reports.tables import Table

CHART_SECONDS = 24 * 3600
PDF_SECONDS = 24 * 3600
#: a PDF being built is not queued again for this long (a worker that died lets it go).
BUILDING_SECONDS = 120
#: an organisation's program charts are drawn again at most this often.
PRECOMPUTE_SECONDS = 60


def chart_key(table: Table) -> str:
    return f"reports-chart:{table.digest()}"


def kept_chart(table: Table) -> bytes | None:
    return kept_svg_by_digest(table.digest())


def kept_svg_by_digest(digest: str) -> bytes | None:
    """The chart kept under `digest` (the `v` of a chart's address), if any."""
    svg: bytes | None = cache.get(f"reports-chart:{digest}")
    return svg


def chart_svg(table: Table) -> bytes:
    """The chart of `table`: kept, or drawn now and kept."""
    svg = kept_chart(table)
    if svg is None:
        # matplotlib loads only when a chart must be drawn: most requests find it kept.
        from mentorat.reports.charts import draw

        svg = draw(table)
        cache.set(chart_key(table), svg, CHART_SECONDS)
    return svg


def pdf_key(report: ProgramReport, *, year: int | None) -> str:
    """The annual PDF's key: its program, period, language, reader's scope and figures."""
    scope = report.scope
    what = repr(
        (
            scope.program.pk,
            scope.program.name,
            year,
            translation.get_language(),
            scope.today,
            scope.filters,
            sorted(scope.organizations) if scope.organizations is not None else None,
            [table.digest() for table in report.tables.values()],
        )
    )
    return "reports-pdf:" + hashlib.sha256(what.encode()).hexdigest()


def kept_pdf(key: str) -> bytes | None:
    pdf: bytes | None = cache.get(key)
    return pdf


def keep_pdf(key: str, pdf: bytes) -> None:
    cache.set(key, pdf, PDF_SECONDS)
    cache.delete(f"{key}:building")


def claim_pdf_build(key: str) -> bool:
    """True for the one request that should queue the build of `key` (shared cache:
    true across processes); false while a build is under way."""
    return bool(cache.add(f"{key}:building", 1, BUILDING_SECONDS))


def claim_precompute(organization_id: int) -> bool:
    """True at most once per `PRECOMPUTE_SECONDS` per organisation, across processes."""
    return bool(cache.add(f"reports-precompute:{organization_id}", 1, PRECOMPUTE_SECONDS))
