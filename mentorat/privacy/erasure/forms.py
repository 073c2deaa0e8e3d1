"""Forms of the erasure pages: the person's confirmation and an admin's refusal."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User


class ErasureRequestForm(forms.Form):
    """The person confirms they understand, and proves it is them with their password
    (people who sign in without a password only tick the box)."""

    understood = forms.BooleanField(
        label=_(
            "I understand that my account will be closed and my personal data erased, "
            "and that this cannot be undone."
        ),
        required=True,
        error_messages={"required": _("Confirmation: tick the box to confirm your request.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Password: enter your password to confirm.")},
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        if not person.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("Password: this is not your password."))
        return password


class RefusalForm(forms.Form):
    """Why the organisation keeps the data; the person reads it."""

    reason = forms.CharField(
        label=_("Reason for the refusal (sent to the person)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Reason: explain why the data must be kept.")},
    )
