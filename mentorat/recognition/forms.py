from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization
from mentorat.recognition.models import AttestationKind


class ThankYouNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your note to your mentor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your mentor chooses whether to show it on their engagement page."),
    )


class RecognitionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("For example: Mentor engagé·e 2026")
    )
    description = forms.CharField(
        label=_("What it recognises"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _MentorChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class AwardForm(forms.Form):
    mentor = _MentorChoice(label=_("Mentor"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, mentors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors  # type: ignore[attr-defined]


class AttestationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Attestation of"), choices=AttestationKind.choices)
    organization = forms.ModelChoiceField(
        label=_("Issued by"), queryset=Organization.objects.none()
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
