"""Forms of the exports pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonSearchForm(forms.Form):
    """Find a person of the organisation by name or email (sent by POST: no personal
    data in addresses or server logs)."""

    query = forms.CharField(
        label=_("Name or email address"),
        min_length=2,
        max_length=100,
        strip=True,
    )


class PersonChoiceForm(forms.Form):
    """The person an admin exports the data of."""

    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
