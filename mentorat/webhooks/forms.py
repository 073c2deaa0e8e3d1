from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.webhooks import http
from mentorat.webhooks.events import SUBSCRIBABLE
from mentorat.webhooks.models import Endpoint

#: An organisation's endpoints, at most (each event is sent to every subscribed one).
MAX_ENDPOINTS = 20


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Receiving address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Your server's address that will receive a POST request for each event."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What this webhook is for, to recognise it in the list."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(t.value, t.label) for t in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    def __init__(
        self, *args: Any, organization_id: int, endpoint: Endpoint | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        self.endpoint = endpoint

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            http.check_url(url)
        except http.UnsafeUrl as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        others = Endpoint.objects.filter(organization_id=self.organization_id)
        if self.endpoint is None and others.count() >= MAX_ENDPOINTS:
            raise forms.ValidationError(
                _("An organisation can have at most %(max)d webhooks: remove one first.")
                % {"max": MAX_ENDPOINTS}
            )
        return cleaned
