"""Forms of the library pages: a resource and a goal template."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.participants.models import Skill
from mentorat.resources.models import Audience, Phase, ResourceKind
from mentorat.resources.services import FILE_TYPES, MAX_FILE_BYTES, ResourceData, TemplateData

WHOLE_ORGANIZATION = _("Offer it in every program of the organisation")


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    audience = forms.ChoiceField(label=_("For"), choices=Audience.choices, initial=Audience.BOTH)
    phase = forms.ChoiceField(
        label=_("When"),
        choices=Phase.choices,
        help_text=_(
            "Shown to each pair at that time: before their first meeting, during the "
            "mentorship, or when closing (the last 30 days of the edition, or once ended)."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **bold**, *italics*, lists, [links](https://…)."),
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("%(types)s; %(mb)s MB at most. Only the program's people can download it.")
        % {
            "types": ", ".join(sorted(t.lstrip(".") for t in FILE_TYPES)),
            "mb": MAX_FILE_BYTES // (1024 * 1024),
        },
    )
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)
    whole_organization = forms.BooleanField(label=WHOLE_ORGANIZATION, required=False)

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_file:
            del self.fields["remove_file"]

    def resource_data(self) -> ResourceData:
        d = self.cleaned_data
        return ResourceData(
            title=d["title"],
            kind=d["kind"],
            audience=d["audience"],
            phase=d["phase"],
            description=d["description"],
            url=d["url"],
            whole_organization=d["whole_organization"],
        )


class GoalTemplateForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=200,
        help_text=_("e.g. “Find a work-study contract”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: how to go about it, steps, tips."),
    )
    measure = forms.CharField(
        label=_("Measure of success"),
        max_length=300,
        help_text=_("e.g. “Three interviews obtained”."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Suggested skills"),
        queryset=Skill.objects.filter(is_curated=True).order_by("kind", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    whole_organization = forms.BooleanField(label=WHOLE_ORGANIZATION, required=False)

    def template_data(self) -> TemplateData:
        d = self.cleaned_data
        return TemplateData(
            title=d["title"],
            measure=d["measure"],
            description=d["description"],
            skill_ids=tuple(s.pk for s in d["skills"]),
            whole_organization=d["whole_organization"],
        )
