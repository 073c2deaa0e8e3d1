from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Organization, OrganizationKind
from mentorat.participants.models import PriorityGroup
from mentorat.programs.models import (
    MAX_ANSWER_DAYS,
    Criterion,
    CustomQuestion,
    Edition,
    EligibilityKind,
    HardRule,
    Indicator,
    MatchingMode,
    MatchingSettings,
    MinorMeetingModes,
    ObjectiveUnit,
    ProgramKind,
    QuestionKind,
    RuleRole,
)
from mentorat.programs.services import check_edition_dates
from mentorat.reference.rome import ROME_DOMAIN_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgramCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=ProgramKind.choices,
        help_text=_(
            "The type pre-fills objectives, matching criteria and rhythm; "
            "you can change them afterwards."
        ),
    )
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    is_published = forms.BooleanField(
        label=_("Published"),
        required=False,
        help_text=_("A published program has a public page where people can apply."),
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Shared with partner organisations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their coordinators will see the program and the applications of their own people."
        ),
    )
    # Protection of minors (pairs whose mentee applied under 18).
    safeguarding_required = forms.BooleanField(
        label=_("Mentors must have a safeguarding check before being paired with a minor"),
        required=False,
        help_text=_(
            "A coordinator records each mentor's check (criminal record extract, "
            "certificate of honourability…); the matching never pairs a mentee under 18 "
            "with a mentor without one. Adults' pairs are not concerned."
        ),
    )
    minor_meeting_modes = forms.ChoiceField(
        label=_("Meetings with a minor"),
        choices=MinorMeetingModes.choices,
        widget=forms.RadioSelect,
        help_text=_("What the meeting form offers, and proposes first, to a pair with a minor."),
    )
    minor_phone_calls = forms.BooleanField(
        label=_("Allow phone calls with a minor"),
        required=False,
        help_text=_("Off: a pair with a minor cannot plan a phone call."),
    )

    #: The fields of the protection of minors, as `Program` names them.
    MINORS_FIELDS = ("safeguarding_required", "minor_meeting_modes", "minor_phone_calls")

    def __init__(self, *args: Any, partners: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shared_with"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Organization.objects.filter(pk__in=[p.pk for p in partners])


class MatchingSettingsForm(forms.Form):
    mode = forms.ChoiceField(label=_("Matching mode"), choices=MatchingMode.choices)
    default_mentor_capacity = forms.IntegerField(
        label=_("Default number of mentees per mentor"), min_value=1, max_value=20
    )
    hard_rules = forms.MultipleChoiceField(
        label=_("Hard rules"),
        choices=HardRule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A proposed pair must respect every rule ticked here."),
    )
    priority_groups = forms.MultipleChoiceField(
        label=_("Priority groups"),
        choices=PriorityGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mentees of these groups are matched first."),
    )
    women_share_target = forms.IntegerField(
        label=_("Target share of women among matched mentees (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave empty for no parity target."),
    )
    answer_days = forms.IntegerField(
        label=_("Days to answer an introduction"),
        min_value=1,
        max_value=MAX_ANSWER_DAYS,
        help_text=_(
            "After a pair is published, mentor and mentee have this many days to confirm "
            "or say it is not a good fit."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[f"weight_{criterion.value}"] = forms.IntegerField(
                label=_("Weight: %(criterion)s") % {"criterion": criterion.label},
                min_value=0,
                max_value=10,
                initial=1,
                help_text=_("0 ignores the criterion, 10 makes it decisive."),
            )

    @staticmethod
    def initial_from(settings: MatchingSettings) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "mode": settings.mode,
            "default_mentor_capacity": settings.default_mentor_capacity,
            "hard_rules": settings.hard_rules,
            "priority_groups": settings.priority_groups,
            "women_share_target": settings.women_share_target,
            "answer_days": settings.answer_days,
        }
        for criterion in Criterion:
            initial[f"weight_{criterion.value}"] = settings.criteria_weights.get(criterion.value, 0)
        return initial

    def weights(self) -> dict[str, int]:
        return {c.value: self.cleaned_data[f"weight_{c.value}"] for c in Criterion}


class ObjectiveForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    target = forms.IntegerField(label=_("Target value"), min_value=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=ObjectiveUnit.choices)
    months = forms.IntegerField(
        label=_("N (months or days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("The N of the indicator, e.g. 6 for “supported at least 6 months”."),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    rome_domain = forms.ChoiceField(
        label=_("Only for this occupation domain"), choices=ROME_DOMAIN_CHOICES, required=False
    )
    field = forms.CharField(label=_("Only for this field"), max_length=150, required=False)


class EditionForm(forms.ModelForm[Edition]):
    class Meta:
        model = Edition
        fields = (
            "name",
            "applications_open_on",
            "applications_close_on",
            "matching_on",
            "starts_on",
            "ends_on",
            "meetings_per_month",
            "duration_months",
        )
        widgets = {
            "applications_open_on": DateInput(),
            "applications_close_on": DateInput(),
            "matching_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Dates out of order show with the form's other errors, each on its field (the
        # service checks them again when saving).
        dates: dict[str, date] = {
            name: data[name] for name in EDITION_DATES if data.get(name) is not None
        }
        if len(dates) == len(EDITION_DATES):
            try:
                check_edition_dates(**dates)
            except DomainError as error:
                for name, messages in error.field_errors.items():
                    for message in messages:
                        self.add_error(name, message)
        return data


EDITION_DATES = (
    "applications_open_on",
    "applications_close_on",
    "matching_on",
    "starts_on",
    "ends_on",
)


class CharterForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the charter"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Publishing creates a new version; participants accept the latest one."),
    )


class EligibilityRuleForm(forms.Form):
    role = forms.ChoiceField(label=_("Applies to"), choices=RuleRole.choices)
    kind = forms.ChoiceField(label=_("Rule"), choices=EligibilityKind.choices)
    number = forms.IntegerField(
        label=_("Number"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("Years or age, for the rules that need one."),
    )
    organization_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "—"), *OrganizationKind.choices],
        required=False,
    )


class QuestionForm(forms.ModelForm[CustomQuestion]):
    choices_text = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("For single and multiple choice questions: one choice per line."),
    )

    class Meta:
        model = CustomQuestion
        fields = ("label", "help_text", "kind", "role", "required")
        labels = {"kind": _("Kind of answer"), "role": _("Asked to")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = QuestionKind.choices  # type: ignore[attr-defined]

    def choice_list(self) -> list[str]:
        return [
            c.strip() for c in self.cleaned_data.get("choices_text", "").splitlines() if c.strip()
        ]
