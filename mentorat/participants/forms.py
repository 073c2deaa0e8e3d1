from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.participants.consent_texts import current_text
from mentorat.participants.models import (
    AVAILABILITY_SLOTS,
    SENSITIVE_PRIORITY_GROUPS,
    Gender,
    Goal,
    Language,
    PriorityGroup,
    Profile,
    SensitiveDataKind,
    Skill,
)
from mentorat.participants.services import ProfileData
from mentorat.reference.regions import REGION_CHOICES
from mentorat.reference.rome import ROME_DOMAIN_CHOICES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Fields only relevant to one side; None means both.
_MENTEE_ONLY = {
    "target_occupation",
    "goals",
    "skills_wanted",
    "prefers_same_gender_mentor",
    "prefers_career_changer_mentor",
    "priority_groups",
    *(f"consent_{kind}" for kind in SensitiveDataKind.values),
    "birth_date",
}
_MENTOR_ONLY = {"years_of_experience", "skills_offered", "changed_careers"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _skills_field(
    label: "StrOrPromise", help_text: "StrOrPromise"
) -> "forms.ModelMultipleChoiceField[Skill]":
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Skill.objects.filter(is_curated=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class ProfileForm(forms.Form):
    """The profile part of the application forms and of the profile page. Optional
    fields say why they are asked. `role` hides the fields of the other side."""

    field = forms.CharField(
        label=_("Field of study or sector"),
        max_length=150,
        required=False,
        help_text=_("Used to suggest people from a related field."),
    )
    occupation = forms.CharField(
        label=_("Current occupation"),
        max_length=150,
        required=False,
        help_text=_("For example “Data analyst” or “BTS student”."),
    )
    target_occupation = forms.CharField(
        label=_("Occupation you are aiming for"),
        max_length=150,
        required=False,
        help_text=_("Used to suggest a mentor who works in it."),
    )
    rome_domain = forms.ChoiceField(
        label=_("Occupation domain"),
        choices=ROME_DOMAIN_CHOICES,
        required=False,
        help_text=_(
            "The domains of France Travail's ROME classification; used to group needs by field."
        ),
        widget=forms.Select,
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of professional experience"),
        min_value=0,
        max_value=70,
        required=False,
        help_text=_("Some programs ask for a minimum experience from mentors."),
    )
    skills_offered = _skills_field(
        _("Skills you can share"), _("Tick the skills you are comfortable passing on.")
    )
    skills_wanted = _skills_field(
        _("Skills you would like to develop"), _("Used to suggest a mentor who has them.")
    )
    other_skills = forms.CharField(
        label=_("Other skills"),
        max_length=300,
        required=False,
        help_text=_("Skills missing from the list, separated by commas."),
    )
    goals = forms.MultipleChoiceField(
        label=_("Your goals"),
        choices=Goal.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What you expect from mentoring; your mentor sees it to prepare the first meeting."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can hold a meeting in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=REGION_CHOICES,
        required=False,
        help_text=_("Used to suggest people you can meet in person."),
        widget=forms.Select,
    )
    remote_ok = forms.BooleanField(label=_("Remote meetings are fine for me"), required=False)
    availability = forms.MultipleChoiceField(
        label=_("When are you usually available?"),
        choices=AVAILABILITY_SLOTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional; used to suggest people available at the same times."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Asked because pupils under 15 need a guardian's consent, "
            "and minors are contacted only through the platform."
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("I prefer not to say")), *Gender.choices],
        required=False,
        help_text=_(
            "Optional. Used only to respect a preference for a mentor of the same gender "
            "and to follow gender-balance objectives."
        ),
        widget=forms.Select,
    )
    gender_self_description = forms.CharField(
        label=_("Gender, in your own words (optional)"), max_length=60, required=False
    )
    prefers_same_gender_mentor = forms.BooleanField(
        label=_("I would prefer a mentor of the same gender"), required=False
    )
    prefers_career_changer_mentor = forms.BooleanField(
        label=_("I would prefer a mentor who changed careers"), required=False
    )
    changed_careers = forms.BooleanField(
        label=_("I have changed careers myself"),
        required=False,
        help_text=_("Some career changers look for a mentor who went through it."),
    )
    priority_groups = forms.MultipleChoiceField(
        label=_("Do any of these apply to you? (optional)"),
        choices=PriorityGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Optional. Some programs give priority to these groups; only the coordinators see it."
        ),
    )

    def __init__(self, *args: Any, role: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_consent_fields()
        hidden = _MENTOR_ONLY if role == "mentee" else _MENTEE_ONLY if role == "mentor" else set()
        for name in hidden:
            del self.fields[name]

    def _add_consent_fields(self) -> None:
        """One explicit consent box per kind of sensitive data, right after the priority
        groups, showing the current version of its text (GDPR Art. 9.2.a: explicit and
        separate from the rest of the form)."""
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("priority_groups") + 1
        boxes = []
        for kind in SensitiveDataKind.values:
            text = current_text(kind)
            boxes.append(
                (
                    f"consent_{kind}",
                    forms.BooleanField(label=text.label, help_text=text.text, required=False),
                )
            )
        self.fields = dict(fields[:at] + boxes + fields[at:])

    def clean(self) -> dict[str, Any]:
        """A sensitive value ticked without its consent box is an error on the box (the
        service refuses it too, for writes that do not come from this form)."""
        data = super().clean() or {}
        for kind in SENSITIVE_PRIORITY_GROUPS:
            box = f"consent_{kind}"
            if box in self.fields and kind in data.get("priority_groups", []) and not data.get(box):
                self.add_error(
                    box,
                    _(
                        "Consent to health data: tick this box to give “%(value)s”, "
                        "or untick it in the list above."
                    )
                    % {"value": PriorityGroup(kind).label},
                )
        return data

    def clean_birth_date(self) -> date | None:
        value: date | None = self.cleaned_data.get("birth_date")
        if value is not None and not date(1900, 1, 1) <= value <= timezone.localdate():
            raise forms.ValidationError(_("Date of birth: this date is not possible."))
        return value

    @staticmethod
    def initial_from(profile: Profile | None) -> dict[str, Any]:
        if profile is None or profile.pk is None:
            return {"remote_ok": True}
        names = [
            "field",
            "occupation",
            "target_occupation",
            "rome_domain",
            "years_of_experience",
            "goals",
            "languages",
            "region",
            "remote_ok",
            "availability",
            "birth_date",
            "gender",
            "gender_self_description",
            "prefers_same_gender_mentor",
            "prefers_career_changer_mentor",
            "changed_careers",
            "priority_groups",
        ]
        initial: dict[str, Any] = {name: getattr(profile, name) for name in names}
        # A box stays ticked while its consent is active (the value is then present).
        for kind in SensitiveDataKind.values:
            initial[f"consent_{kind}"] = kind in profile.priority_groups
        initial["skills_offered"] = [s.pk for s in profile.skills_offered.all() if s.is_curated]
        initial["skills_wanted"] = [s.pk for s in profile.skills_wanted.all() if s.is_curated]
        return initial

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        extra = [s.strip() for s in data.get("other_skills", "").split(",") if s.strip()]
        values: dict[str, Any] = {}
        for name in ProfileData.__dataclass_fields__:
            if name in self.fields and name not in {"skills_offered", "skills_wanted"}:
                value = data.get(name)
                # Empty optional choices and numbers are stored as "" / None, not skipped.
                values[name] = (
                    "" if value is None and name in {"rome_domain", "region", "gender"} else value
                )
        if "skills_offered" in self.fields:
            values["skills_offered"] = [s.name for s in data["skills_offered"]] + extra
        if "skills_wanted" in self.fields:
            values["skills_wanted"] = [s.name for s in data["skills_wanted"]] + (
                [] if "skills_offered" in self.fields else extra
            )
        if "priority_groups" in self.fields:
            values["sensitive_consents"] = [
                kind for kind in SensitiveDataKind.values if data.get(f"consent_{kind}")
            ]
        return ProfileData(**values)
