"""A run's proposals as a CSV file, with the compatibility shown on the pages.

Written by `mentorat.lib.csv_export`: French files use `;` and a decimal comma (what a
French Excel opens directly), English ones `,` and a decimal point; both start with a byte
order mark, and text a spreadsheet would read as a formula is prefixed with a quote."""

from django.utils import formats
from django.utils.translation import gettext as _

from mentorat.lib.csv_export import Cell, csv_bytes
from mentorat.matching import selectors
from mentorat.matching.explain import proposal_compatibility, run_best_points
from mentorat.matching.models import MatchRun


def _number(value: float) -> str:
    return formats.number_format(value, 0 if float(value).is_integer() else 1, use_l10n=True)


def proposals_csv(*, run: MatchRun, language: str) -> bytes:
    """Every proposal of the run (unmatched mentees too, with the reason): the two people,
    their organisations, the compatibility in percent, the points it comes from, the best
    possible points and the breakdown in words. Two queries whatever the size."""
    best = run_best_points(run)
    key = "en" if language == "en" else "fr"
    table: list[list[Cell]] = [
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
    ]
    rows = selectors.proposals_of(run=run, filters=selectors.ProposalFilters())
    for p in rows:
        compat = proposal_compatibility(p, best=best)
        shown = compat.percent if compat is not None else None
        if p.mentor is not None:
            # Parts without points are notes ("Place réservée au partenariat X").
            why = " · ".join(
                f"{text} +{_number(points)}" if points else text
                for text, points in p.explanation_parts(key)
                if points or text
            )
        else:
            why = str((p.reason or {}).get(key, ""))
        table.append(
            [
                p.mentee.user.display_name,
                p.mentee.organization.name if p.mentee.organization else "",
                p.mentor.user.display_name if p.mentor else "",
                p.mentor.organization.name if p.mentor and p.mentor.organization else "",
                shown,
                None if compat is None else round(compat.points, 1),
                best,
                why,
            ]
        )
    return csv_bytes(table, language=language)
