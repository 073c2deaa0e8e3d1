"""Forms of speed networking: the evening's settings and who takes part."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User
from mentorat.networking.models import NetworkingPlan


class PlanForm(forms.ModelForm[NetworkingPlan]):
    """R, k, favour_fewest, and the registered people who take part (all by default)."""

    people = forms.MultipleChoiceField(
        label=_("Who takes part"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Registered mentees and professionals; untick those to leave out."),
    )

    class Meta:
        model = NetworkingPlan
        fields = ("rounds", "table_size", "favour_fewest")

    def __init__(self, *args: Any, registered: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(u.pk), u.display_name) for u in registered]
        left_out = {int(pk) for pk in self.instance.left_out or []}
        field.initial = [str(u.pk) for u in registered if u.pk not in left_out]
        self.registered = registered

    def left_out(self) -> list[int]:
        """Registered people not ticked."""
        chosen = {int(pk) for pk in self.cleaned_data["people"]}
        return [u.pk for u in self.registered if u.pk not in chosen]
