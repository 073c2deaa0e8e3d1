"""The form recording a safeguarding check; the rules live in `services.record_check`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.programs.forms import DateInput
from mentorat.safeguarding.models import CheckKind


class CheckForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of check"), choices=CheckKind.choices, widget=forms.RadioSelect
    )
    kind_detail = forms.CharField(
        label=_("Details of the check"),
        max_length=200,
        required=False,
        help_text=_("For “Other”: which check was made, e.g. the authority that made it."),
    )
    checked_on = forms.DateField(
        label=_("Date of the check"),
        widget=DateInput(),
        help_text=_("The date of the document or of the consultation."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "Optional. After this date the check no longer counts and the mentor is not "
            "paired with minors until a new one is recorded."
        ),
    )
    document_not_kept = forms.BooleanField(
        label=_("I have seen the document and I keep no copy of it"),
        help_text=_(
            "The platform never stores the document itself (criminal record extract, "
            "certificate): only the kind of check, its date and who recorded it. Give the "
            "document back to the mentor or destroy it."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CheckKind.OTHER and not str(data.get("kind_detail", "")).strip():
            self.add_error("kind_detail", _("Details of the check: say which check was made."))
        checked_on, valid_until = data.get("checked_on"), data.get("valid_until")
        if checked_on and valid_until and valid_until < checked_on:
            self.add_error(
                "valid_until", _("Valid until: this date must come after the date of the check.")
            )
        return data
