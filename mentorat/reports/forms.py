from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization
from mentorat.participants.models import PriorityGroup
from mentorat.programs.models import Program
from mentorat.reference.rome import ROME_DOMAINS
from mentorat.reports.scope import ReportFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportFilterForm(forms.Form):
    """The filters of a program's report; an invalid filter is shown and ignored."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    edition = forms.TypedChoiceField(label=_("Edition"), required=False, coerce=int)
    organization = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int)
    rome_domain = forms.ChoiceField(label=_("Occupation domain"), required=False)
    field = forms.CharField(label=_("Field of study or sector"), required=False, max_length=150)
    priority_group = forms.ChoiceField(label=_("Priority group"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        program: Program,
        organizations: list[Organization],
    ) -> None:
        super().__init__(data)
        everyone = [("", _("All"))]
        self.fields["edition"].choices = everyone + [  # type: ignore[attr-defined]
            (e.pk, e.name) for e in program.editions.all()
        ]
        self.fields["organization"].choices = everyone + [  # type: ignore[attr-defined]
            (o.pk, o.name) for o in organizations
        ]
        self.fields["rome_domain"].choices = everyone + list(ROME_DOMAINS)  # type: ignore[attr-defined]
        self.fields["priority_group"].choices = everyone + list(PriorityGroup.choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period must come before its end."))
        return cleaned

    def report_filters(self) -> ReportFilters:
        """The valid filters (all of them empty when the form is invalid)."""
        if not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data
        return ReportFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            edition_id=data["edition"] or None,
            organization_id=data["organization"] or None,
            rome_domain=data["rome_domain"] or "",
            field=(data["field"] or "").strip(),
            priority_group=data["priority_group"] or "",
        )
