"""A run's proposals as a CSV file, with the compatibility shown on the pages.

French files use `;` and a decimal comma (what a French Excel opens directly), English
ones `,` and a decimal point; both start with a byte order mark so that spreadsheets read
the accents as UTF-8. Text a spreadsheet would read as a formula is prefixed with a quote."""

import csv
import io

from django.utils import formats
from django.utils.translation import gettext as _

from mentorat.matching import selectors
from mentorat.matching.explain import proposal_compatibility, run_best_points
from mentorat.matching.models import MatchRun

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _number(value: float) -> str:
    return formats.number_format(value, 0 if float(value).is_integer() else 1, use_l10n=True)


def proposals_csv(*, run: MatchRun, language: str) -> bytes:
    """Every proposal of the run (unmatched mentees too, with the reason): the two people,
    their organisations, the compatibility in percent, the points it comes from, the best
    possible points and the breakdown in words. Two queries whatever the size."""
    best = run_best_points(run)
    key = "en" if language == "en" else "fr"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if language == "en" else ";")
    writer.writerow(
        [
            _("Mentee"),
            _("Mentee's organisation"),
            _("Mentor"),
            _("Mentor's organisation"),
            _("Compatibility (%)"),
            _("Points"),
            _("Best possible points"),
            _("Why"),
        ]
    )
    rows = selectors.proposals_of(run=run, filters=selectors.ProposalFilters())
    for p in rows:
        compat = proposal_compatibility(p, best=best)
        shown = compat.percent if compat is not None else None
        if p.mentor is not None:
            why = " · ".join(
                f"{text} +{_number(points)}" for text, points in p.explanation_parts(key) if points
            )
        else:
            why = str((p.reason or {}).get(key, ""))
        writer.writerow(
            [
                _text(p.mentee.user.display_name),
                _text(p.mentee.organization.name if p.mentee.organization else ""),
                _text(p.mentor.user.display_name if p.mentor else ""),
                _text(p.mentor.organization.name if p.mentor and p.mentor.organization else ""),
                "" if shown is None else shown,
                "" if compat is None else _number(compat.points),
                _number(best),
                _text(why),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
