"""The organisation's retention settings form. Every error names its field, in the
reader's language; the service checks the same bounds again."""

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from mentorat.privacy.retention.periods import (
    APPLICATIONS_MONTHS_BOUNDS,
    AUDIT_MONTHS_BOUNDS,
    PARTICIPANTS_YEARS_BOUNDS,
    RetentionPeriods,
)


def _bounded(
    *, label: Any, bounds: tuple[int, int], help_text: Any, error: Any
) -> forms.IntegerField:
    low, high = bounds
    # Lazy, so that the message is translated in the language of each request.
    message = lazy(lambda: str(error) % {"low": low, "high": high}, str)()
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class RetentionPolicyForm(forms.Form):
    """Three periods, each within its bounds."""

    participants_years = _bounded(
        label=_("Participants' data (years)"),
        bounds=PARTICIPANTS_YEARS_BOUNDS,
        help_text=_("Counted from the end of the last program edition the person took part in."),
        error=_("Participants' data: enter a number of years between %(low)d and %(high)d."),
    )
    applications_months = _bounded(
        label=_("Declined or withdrawn applications (months)"),
        bounds=APPLICATIONS_MONTHS_BOUNDS,
        help_text=_(
            "Counted from the decision or the withdrawal; the application is then "
            "anonymised and still counted in the figures."
        ),
        error=_(
            "Declined or withdrawn applications: enter a number of months between "
            "%(low)d and %(high)d."
        ),
    )
    audit_months = _bounded(
        label=_("Audit log entries (months)"),
        bounds=AUDIT_MONTHS_BOUNDS,
        help_text=_("Older entries of this organisation's audit log are deleted."),
        error=_("Audit log entries: enter a number of months between %(low)d and %(high)d."),
    )

    @staticmethod
    def initial_from(periods: RetentionPeriods) -> dict[str, int]:
        """The form's initial values: the periods in force."""
        return {
            "participants_years": periods.participants_years,
            "applications_months": periods.applications_months,
            "audit_months": periods.audit_months,
        }
