from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User
from mentorat.mentorships.models import Situation
from mentorat.opportunities.models import OpportunityKind
from mentorat.opportunities.services import OUTCOME_SITUATIONS, OpportunityData
from mentorat.organizations.models import Organization, Role
from mentorat.programs.models import Program
from mentorat.reference.rome import ROME_DOMAIN_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OpportunityKind.choices]
    )
    rome_domain = forms.ChoiceField(
        label=_("Occupation domain"),
        required=False,
        choices=[("", _("All domains")), *ROME_DOMAIN_CHOICES[1:]],
    )
    place = forms.CharField(label=_("Place"), required=False)
    deadline_before = forms.DateField(
        label=_("Deadline on or before"), required=False, widget=DateInput
    )


class ProgramChoiceField(forms.ModelMultipleChoiceField[Program]):
    def label_from_instance(self, obj: Program) -> str:
        return f"{obj.name} ({obj.organization.name})"


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OpportunityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    field = forms.CharField(
        label=_("Field"),
        max_length=150,
        required=False,
        help_text=_("For example: accounting, web development, logistics."),
    )
    rome_domain = forms.ChoiceField(
        label=_("Occupation domain (ROME)"), required=False, choices=ROME_DOMAIN_CHOICES
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput)
    deadline = forms.DateField(label=_("Deadline to apply"), widget=DateInput)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=999, initial=1)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italics*, lists with -, links."),
    )
    audience_organizations = forms.ModelMultipleChoiceField(
        label=_("For the mentees of these organisations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience_programs = ProgramChoiceField(
        label=_("For the mentees of these programs"),
        queryset=Program.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"), queryset=User.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        organizations: list[Organization],
        programs: list[Program],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        orgs = self.fields["audience_organizations"]
        progs = self.fields["audience_programs"]
        contact = self.fields["contact"]
        assert isinstance(orgs, forms.ModelMultipleChoiceField)
        assert isinstance(progs, forms.ModelMultipleChoiceField)
        assert isinstance(contact, forms.ModelChoiceField)
        orgs.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        progs.queryset = Program.objects.filter(pk__in=[p.pk for p in programs]).select_related(
            "organization"
        )
        contact.queryset = User.objects.filter(
            memberships__organization=organization,
            memberships__role__in=(Role.ADMIN, Role.COORDINATOR),
        ).distinct()

    def data_for_service(self) -> OpportunityData:
        c = self.cleaned_data
        return OpportunityData(
            kind=c["kind"],
            title=c["title"],
            deadline=c["deadline"],
            field=c["field"],
            rome_domain=c["rome_domain"],
            place=c["place"],
            starts_on=c["starts_on"],
            ends_on=c["ends_on"],
            places=c["places"],
            description=c["description"],
            contact=c["contact"],
            audience_programs=tuple(c["audience_programs"]),
            audience_organizations=tuple(c["audience_organizations"]),
        )


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the organisation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why this interests you, what you would bring, when you are available."),
        required=False,
    )


class OutcomeForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation"), choices=())

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = OUTCOME_SITUATIONS.get(kind, ())
        field = self.fields["situation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, Situation(s).label) for s in allowed]
