from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.matching.models import DeclineReason
from mentorat.matching.parameters import MAX_CAPACITY, MAX_WEIGHT, RunParameters
from mentorat.matching.selectors import SORTS
from mentorat.organizations.models import Organization, Partnership
from mentorat.participants.models import PriorityGroup
from mentorat.programs.models import Criterion, Edition, HardRule, MatchingMode
from mentorat.reference.rome import ROME_DOMAIN_CHOICES


class StartRunForm(forms.Form):
    """The program's settings, which the coordinator may adjust for this run only."""

    edition = forms.ModelChoiceField(queryset=Edition.objects.none(), label=_("Edition"))
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            (MatchingMode.OPTIMAL, _("Optimal: most mentees matched, then the best scores")),
            (MatchingMode.STABLE, _("Stable: no mentee and mentor would both prefer each other")),
        ],
    )
    default_capacity = forms.IntegerField(
        label=_("Mentees per mentor (unless set for a mentor)"),
        min_value=1,
        max_value=MAX_CAPACITY,
    )
    hard_rules = forms.MultipleChoiceField(
        label=_("Hard rules"),
        choices=[
            (r.value, r.label)
            for r in HardRule
            if r not in (HardRule.SAME_REGION_UNLESS_REMOTE, HardRule.COMMON_LANGUAGE)
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A common language and the same region (unless both accept remote meetings) "
            "are always required."
        ),
    )
    priority_groups = forms.MultipleChoiceField(
        label=_("Priority groups (matched first)"),
        choices=PriorityGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, editions: list[Edition], parameters: RunParameters, **kwargs: Any
    ) -> None:
        initial = {
            "edition": editions[0].pk if editions else None,
            "mode": parameters.mode,
            "default_capacity": parameters.default_capacity,
            "hard_rules": list(parameters.hard_rules),
            "priority_groups": list(parameters.priority_groups),
        } | {f"w_{c.value}": parameters.weight(c.value) for c in Criterion}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = Edition.objects.filter(  # type: ignore[attr-defined]
            pk__in=[e.pk for e in editions]
        )
        self.women_share_target = parameters.women_share_target
        for criterion in Criterion:
            if criterion == Criterion.LANGUAGES:
                continue
            self.fields[f"w_{criterion.value}"] = forms.IntegerField(
                label=criterion.label, min_value=0, max_value=MAX_WEIGHT
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("w_")]

    def parameters(self) -> RunParameters:
        data = self.cleaned_data
        return RunParameters(
            mode=data["mode"],
            weights={name[2:]: int(value) for name, value in data.items() if name.startswith("w_")},
            hard_rules=tuple(data["hard_rules"]),
            priority_groups=tuple(data["priority_groups"]),
            default_capacity=data["default_capacity"],
            women_share_target=self.women_share_target,
        )


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All")),
            ("matched", _("Pairs")),
            ("unmatched", _("Unmatched mentees")),
            ("locked", _("Locked pairs")),
            ("manual", _("Changed by hand")),
        ],
    )
    organization = forms.ModelChoiceField(
        label=_("Mentee's organisation"),
        queryset=Organization.objects.none(),
        required=False,
    )
    rome_domain = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("All")), *ROME_DOMAIN_CHOICES[1:]]
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[(key, key) for key in SORTS],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organizations]
        )


class AssignForm(forms.Form):
    mentor = forms.IntegerField(label=_("Mentor"), required=False)
    swap_with = forms.IntegerField(required=False)


class ExcludeForm(forms.Form):
    mentor = forms.IntegerField()
    note = forms.CharField(label=_("Why (optional)"), required=False, max_length=300)


class RequestForm(forms.Form):
    mentor = forms.IntegerField()
    message = forms.CharField(
        label=_("A few words for the mentor (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("I accept")), ("decline", _("I decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for declining"),
        required=False,
        choices=[("", "—"), *DeclineReason.choices],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not data.get("reason"):
            self.add_error("reason", _("Choose a reason to decline."))
        return data


class PairAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("confirmed", _("I confirm")), ("not_a_fit", _("Not a good fit"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why is it not a good fit?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == "not_a_fit" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tell the coordinator why, in a few words."))
        return data


class CapacityForm(forms.Form):
    """A mentor's number of mentees in an edition; empty: the program's default."""

    capacity = forms.IntegerField(
        label=_("Number of mentees"),
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
    )


class ReservationForm(forms.Form):
    """Reserve some of an organisation's mentor places for a partner's mentees."""

    side = forms.ChoiceField(label=_("Partnership"))
    places = forms.IntegerField(
        label=_("Reserved places"),
        min_value=0,
        max_value=10_000,
        help_text=_("0 removes the reservation."),
    )

    def __init__(self, *args: Any, partnerships: list[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnerships = {p.pk: p for p in partnerships}
        choices = []
        for partnership in partnerships:
            for giver, receiver in (
                (partnership.organization, partnership.partner),
                (partnership.partner, partnership.organization),
            ):
                choices.append(
                    (
                        f"{partnership.pk}:{giver.pk}",
                        _("Places of %(giver)s for the mentees of %(receiver)s")
                        % {"giver": giver.name, "receiver": receiver.name},
                    )
                )
        field = self.fields["side"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen(self) -> tuple[Partnership, Organization]:
        """The partnership and the organisation whose mentors' places are reserved."""
        partnership_pk, organization_pk = (int(x) for x in self.cleaned_data["side"].split(":"))
        partnership = self.partnerships[partnership_pk]
        giver = (
            partnership.organization
            if partnership.organization_id == organization_pk
            else partnership.partner
        )
        return partnership, giver
