"""Forms of the training pages: a module, a section, a quiz question, an assignment,
and the quiz itself (built from the module's questions)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization
from mentorat.training.models import (
    Audience,
    Language,
    Module,
    ModuleStatus,
    Question,
    QuestionKind,
    Requirement,
)
from mentorat.training.services import (
    IMAGE_TYPES,
    MAX_CHOICES,
    MAX_IMAGE_BYTES,
    ChoiceData,
    ModuleData,
    QuestionData,
    SectionData,
)


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, initial=15
    )
    passing_score = forms.IntegerField(
        label=_("Passing score (%)"),
        min_value=1,
        max_value=100,
        initial=80,
        help_text=_("Share of quiz questions answered right needed to complete the module."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ModuleStatus.choices,
        help_text=_("A draft is only seen by your organisation's coordinators (preview)."),
    )
    shared_with = forms.MultipleChoiceField(
        label=_("Share with partner organisations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their members can follow it and their programs can assign it."),
    )

    def __init__(self, *args: Any, partners: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shared_with"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(o.pk), o.name) for o in partners]
        if not partners:
            del self.fields["shared_with"]

    def module_data(self) -> ModuleData:
        d = self.cleaned_data
        return ModuleData(
            title=d["title"],
            summary=d["summary"],
            language=d["language"],
            duration_minutes=d["duration_minutes"],
            passing_score=d["passing_score"],
            status=d["status"],
            shared_with=tuple(int(pk) for pk in d.get("shared_with", [])),
        )


def module_initial(module: Module) -> dict[str, Any]:
    return {
        "title": module.title,
        "summary": module.summary,
        "language": module.language,
        "duration_minutes": module.duration_minutes,
        "passing_score": module.passing_score,
        "status": module.status,
        "shared_with": [str(pk) for pk in module.shared_with.values_list("pk", flat=True)],
    }


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, *italics*, lists, ### headings, [links](https://…)."),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("https link to YouTube, Vimeo, Dailymotion or a PeerTube video."),
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("%(types)s; %(mb)s MB at most.")
        % {
            "types": ", ".join(sorted(t.lstrip(".") for t in IMAGE_TYPES)),
            "mb": MAX_IMAGE_BYTES // (1024 * 1024),
        },
    )
    image_alt = forms.CharField(
        label=_("Image description"),
        required=False,
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)

    def __init__(self, *args: Any, has_image: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_image:
            del self.fields["remove_image"]

    def section_data(self) -> SectionData:
        d = self.cleaned_data
        return SectionData(
            title=d["title"], body=d["body"], video_url=d["video_url"], image_alt=d["image_alt"]
        )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown after answering, whether the answer was right or not."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_CHOICES + 1):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=_("Answer %(n)s") % {"n": i}, max_length=300, required=False
            )
            self.fields[f"correct_{i}"] = forms.BooleanField(
                label=_("Answer %(n)s is right") % {"n": i}, required=False
            )

    def question_data(self) -> QuestionData:
        d = self.cleaned_data
        return QuestionData(
            text=d["text"],
            kind=d["kind"],
            explanation=d["explanation"],
            choices=tuple(
                ChoiceData(text=d[f"choice_{i}"], is_correct=d[f"correct_{i}"])
                for i in range(1, MAX_CHOICES + 1)
            ),
        )


def question_initial(question: Question) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "text": question.text,
        "kind": question.kind,
        "explanation": question.explanation,
    }
    for i, choice in enumerate(question.choices.all(), start=1):
        initial[f"choice_{i}"] = choice.text
        initial[f"correct_{i}"] = choice.is_correct
    return initial


class ModuleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Module) -> str:
        return f"{obj.title} ({obj.get_language_display()})"


class AssignmentForm(forms.Form):
    module = ModuleChoiceField(label=_("Module"), queryset=Module.objects.none())
    audience = forms.ChoiceField(label=_("For"), choices=Audience.choices)
    requirement = forms.ChoiceField(label=_("Requirement"), choices=Requirement.choices)
    days = forms.IntegerField(
        label=_("Days after joining"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Only for “within N days of joining”."),
    )

    def __init__(self, *args: Any, modules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["module"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = modules


class QuizForm(forms.Form):
    """One field per question: radio buttons for one right answer, checkboxes for
    several; `answers()` gives question id → chosen choice ids."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            choices = [(str(c.pk), c.text) for c in question.choices.all()]
            label = f"{number}. {question.text}"
            if question.kind == QuestionKind.MULTIPLE:
                self.fields[f"q{question.pk}"] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Several answers may be right."),
                )
            else:
                self.fields[f"q{question.pk}"] = forms.ChoiceField(
                    label=label, choices=choices, widget=forms.RadioSelect
                )

    def answers(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}") or []
            values = [value] if isinstance(value, str) else value
            found[question.pk] = {int(v) for v in values}
        return found
