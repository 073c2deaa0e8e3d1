from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import OrganizationKind, Role
from mentorat.reference.regions import REGION_CHOICES


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.value, r.label) for r in roles]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or email"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class MemberRolesForm(forms.Form):
    """The roles a person holds in an organisation, as ticked by its admin."""

    roles = forms.MultipleChoiceField(
        label=_("Roles in the organisation"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role, or remove the person instead.")},
    )


class OrganizationDetailsForm(forms.Form):
    """An organisation's details, as its admin gives them (checked by the services)."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=20,
        help_text=_("14 digits; required for companies and associations."),
    )
    uai = forms.CharField(
        label=_("UAI"),
        required=False,
        max_length=10,
        help_text=_("7 digits and a letter, such as 0750655E; required for schools."),
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", "—"), *REGION_CHOICES]
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class OrganizationSignupForm(OrganizationDetailsForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k.value, k.label)
            for k in (
                OrganizationKind.UNIVERSITY,
                OrganizationKind.VOCATIONAL_SCHOOL,
                OrganizationKind.COMPANY,
                OrganizationKind.ASSOCIATION,
                OrganizationKind.TRAINING_BODY,
            )
        ],
    )
    field_order = ("name", "kind", "siret", "uai", "address", "city", "region", "website")


class ReviewForm(forms.Form):
    """The platform admin's decision on an organisation that signed up."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the organisation's admin; required to refuse)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
