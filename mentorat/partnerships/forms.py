from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import (
    OrganizationKind,
    Partnership,
    PartnershipKind,
)
from mentorat.partnerships.models import CommitmentKind
from mentorat.programs.models import Edition


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganizationKind.choices]
    )
    city = forms.CharField(label=_("City"), required=False)


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of partnership"), choices=PartnershipKind.choices)
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the other organisation's admins)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignatureForm(forms.Form):
    signatory_name = forms.CharField(label=_("Name of the signatory"), max_length=150)
    signatory_role = forms.CharField(
        label=_("Role of the signatory"),
        max_length=150,
        help_text=_("For example: head teacher, HR director, president."),
    )


def commitment_field_name(organization_id: int, kind: str) -> str:
    return f"c_{organization_id}_{kind}"


class AgreementForm(forms.Form):
    """The period, terms and one quantity per side and kind of commitment."""

    school_year = forms.IntegerField(
        label=_("School year (first year, such as 2026 for 2026–2027)"),
        required=False,
        min_value=2000,
        max_value=2100,
    )
    edition = forms.ModelChoiceField(
        label=_("Or one program edition"), required=False, queryset=Edition.objects.none()
    )
    terms = forms.CharField(
        label=_("Terms"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, partnership: Partnership, editions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        edition_field = self.fields["edition"]
        assert isinstance(edition_field, forms.ModelChoiceField)
        edition_field.queryset = editions
        self.sides = []
        for organization in (partnership.organization, partnership.partner):
            names = []
            for kind in CommitmentKind:
                name = commitment_field_name(organization.pk, kind.value)
                self.fields[name] = forms.IntegerField(
                    label=kind.label, required=False, min_value=0, max_value=100000
                )
                names.append(name)
            self.sides.append((organization, names))

    def side_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (organization, [self[name] for name in names]) for organization, names in self.sides
        ]

    def commitments(self) -> dict[tuple[int, str], int]:
        found = {}
        for organization, _names in self.sides:
            for kind in CommitmentKind:
                value = self.cleaned_data.get(commitment_field_name(organization.pk, kind.value))
                if value:
                    found[(organization.pk, kind.value)] = value
        return found
