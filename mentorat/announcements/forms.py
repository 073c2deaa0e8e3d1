from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.announcements.models import Segment
from mentorat.announcements.selectors import NO_PAIR
from mentorat.applications.models import ApplicationStatus
from mentorat.mentorships.health import HealthState
from mentorat.programs.models import Edition, ParticipantRole, Program
from mentorat.reference.regions import REGIONS

ANY = ("", _("Any"))


class AnnouncementForm(forms.Form):
    edition = forms.ModelChoiceField(queryset=Edition.objects.none(), label=_("Edition"))
    segment = forms.ChoiceField(
        label=_("Recipients"), choices=Segment.choices, widget=forms.RadioSelect
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[ANY, *ParticipantRole.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Application status"),
        choices=ApplicationStatus.choices,
        initial=ApplicationStatus.ACCEPTED,
        required=False,
    )
    health = forms.ChoiceField(
        label=_("Pair health"),
        choices=[
            ANY,
            *[(state.code, state.label) for state in HealthState],
            (NO_PAIR, _("No active pair")),
        ],
        required=False,
    )
    region = forms.ChoiceField(label=_("Region"), choices=[ANY, *REGIONS], required=False)
    field = forms.CharField(label=_("Field of study or sector contains"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italics*, lists and links."),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editions = Edition.objects.filter(program=program).order_by("-starts_on")
        self.fields["edition"].queryset = editions  # type: ignore[attr-defined]
        self.fields["edition"].empty_label = None  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        return {
            key: self.cleaned_data.get(key) or ""
            for key in ("role", "status", "health", "region", "field")
        }
