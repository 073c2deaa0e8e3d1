from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User
from mentorat.accounts.services import accept_privacy_notice
from mentorat.legal.models import LegalPageKind


class SignupExtraForm(forms.Form):
    """Extra sign-up fields; allauth calls `signup()` once the account exists."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    accept_privacy = forms.BooleanField(label=_("I have read the privacy notice"), required=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        url = reverse("legal:page", kwargs={"kind": LegalPageKind.PRIVACY})
        self.fields["accept_privacy"].help_text = format_html(
            '<a href="{}">{}</a>', url, _("Read the privacy notice")
        )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.language = (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2]
        user.save(update_fields=["first_name", "last_name", "language"])
        accept_privacy_notice(user=user)
