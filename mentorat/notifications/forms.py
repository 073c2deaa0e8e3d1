"""The notification preferences form: one checkbox per kind one can turn off, and when
to be told of new messages (whose "never" is the messages kind turned off)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.notifications.kinds import DESCRIPTIONS, MANDATORY, EmailKind, MessageFrequency

# The kinds shown as a checkbox (messages have their frequency instead).
SWITCHABLE = [k for k in EmailKind if k not in MANDATORY and k != EmailKind.MESSAGES]


class PreferencesForm(forms.Form):
    message_frequency = forms.ChoiceField(
        label=_("New messages in my conversations"),
        choices=MessageFrequency.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message_frequency"].help_text = str(DESCRIPTIONS[EmailKind.MESSAGES])
        for kind in SWITCHABLE:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label,
                help_text=str(DESCRIPTIONS[kind]),
                required=False,
                widget=forms.CheckboxInput(attrs={"aria-describedby": f"id_{kind.value}_helptext"}),
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[kind.value] for kind in SWITCHABLE]

    def turned_off(self) -> set[EmailKind]:
        return {kind for kind in SWITCHABLE if not self.cleaned_data[kind.value]}

    def frequency(self) -> MessageFrequency:
        return MessageFrequency(self.cleaned_data["message_frequency"])


def initial_for(turned_off: set[EmailKind], frequency: MessageFrequency) -> dict[str, object]:
    return {"message_frequency": frequency} | {
        kind.value: kind not in turned_off for kind in SWITCHABLE
    }
