from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Role


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
