"""Training modules for tests: a published module of an organisation with sections and
a quiz whose right answers are known."""

from django.core.files.base import ContentFile

from mentorat.organizations.models import Organization
from mentorat.training.models import (
    Choice,
    Module,
    ModuleStatus,
    Question,
    QuestionKind,
    Section,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def make_module(
    organization: Organization | None,
    *,
    title: str = "Écouter son binôme",
    status: str = ModuleStatus.PUBLISHED,
    sections: int = 2,
    with_quiz: bool = True,
    with_image: bool = False,
    group: str = "",
    language: str = "fr",
) -> Module:
    """A module with `sections` sections and, with a quiz, two questions: Q1 single
    choice (right: "Oui"), Q2 multiple choice (right: "A" and "C"); passing score 100 %."""
    module = Module.objects.create(
        organization=organization,
        group=group or f"test-{Module.objects.count() + 1}-{title}",
        title=title,
        language=language,
        status=status,
        passing_score=100,
    )
    for n in range(1, sections + 1):
        section = Section(module=module, position=n, title=f"Partie {n}", body=f"Texte **{n}**")
        if with_image and n == 1:
            section.image.save("schema.png", ContentFile(PNG), save=False)
            section.image_type, section.image_alt = "image/png", "Un schéma"
        section.save()
    if with_quiz:
        q1 = Question.objects.create(
            module=module, position=1, text="Faut-il écouter ?", explanation="Oui, **toujours**."
        )
        Choice.objects.create(question=q1, position=1, text="Oui", is_correct=True)
        Choice.objects.create(question=q1, position=2, text="Non")
        q2 = Question.objects.create(
            module=module,
            position=2,
            text="Lesquelles ?",
            kind=QuestionKind.MULTIPLE,
            explanation="A et C.",
        )
        for n, (text, right) in enumerate((("A", True), ("B", False), ("C", True)), start=1):
            Choice.objects.create(question=q2, position=n, text=text, is_correct=right)
    return module


def answers(module: Module, *, right: bool) -> dict[int, set[int]]:
    """Every question answered right, or every one wrong (the first wrong choice)."""
    found = {}
    for question in module.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        if right:
            found[question.pk] = {c.pk for c in choices if c.is_correct}
        else:
            found[question.pk] = {next(c.pk for c in choices if not c.is_correct)}
    return found


def form_data(module: Module, *, right: bool) -> dict[str, list[str]]:
    """The quiz form's POST body for `answers`."""
    return {f"q{q}": [str(c) for c in ids] for q, ids in answers(module, right=right).items()}
