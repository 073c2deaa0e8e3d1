"""The platform's starter set of training modules, written for Mentorat in French
(`fr.py`) and English (`en.py`): the same modules, in the same order, with the same
keys. `load_starter_set` writes them (no organisation: every organisation sees them),
updating rows in place by position so that running it again changes nothing and past
quiz attempts keep pointing at the same questions and answers."""

from dataclasses import dataclass

from django.db import transaction

from mentorat.training.models import Choice, Module, ModuleStatus, Question, QuestionKind, Section


@dataclass(frozen=True)
class StarterQuestion:
    text: str
    explanation: str
    choices: tuple[tuple[str, bool], ...]  # (answer, is right)

    @property
    def kind(self) -> str:
        right = sum(1 for _text, ok in self.choices if ok)
        return QuestionKind.MULTIPLE if right > 1 else QuestionKind.SINGLE


@dataclass(frozen=True)
class StarterModule:
    key: str
    title: str
    summary: str
    minutes: int
    sections: tuple[tuple[str, str], ...]  # (title, Markdown body)
    questions: tuple[StarterQuestion, ...]


def starter_group(key: str) -> str:
    return f"starter-{key}"


def _sync(module: Module, data: StarterModule) -> bool:
    """Sections and questions of `module` as in `data`; whether anything changed."""
    changed = False
    for position, (title, body) in enumerate(data.sections, start=1):
        _section, made = Section.objects.update_or_create(
            module=module, position=position, defaults={"title": title, "body": body.strip()}
        )
        changed |= made
    extra, _ = Section.objects.filter(module=module, position__gt=len(data.sections)).delete()
    changed |= bool(extra)
    for position, item in enumerate(data.questions, start=1):
        question, made = Question.objects.update_or_create(
            module=module,
            position=position,
            defaults={"text": item.text, "kind": item.kind, "explanation": item.explanation},
        )
        changed |= made
        for number, (text, right) in enumerate(item.choices, start=1):
            _choice, made = Choice.objects.update_or_create(
                question=question, position=number, defaults={"text": text, "is_correct": right}
            )
            changed |= made
        Choice.objects.filter(question=question, position__gt=len(item.choices)).delete()
    Question.objects.filter(module=module, position__gt=len(data.questions)).delete()
    return changed


@transaction.atomic
def load_starter_set() -> tuple[int, int]:
    """Create or update every starter module in both languages. Returns (created,
    updated) counts of modules."""
    # Imported here so that reading the dataclasses above never loads the texts.
    from mentorat.training.starter import en, fr

    created = updated = 0
    for language, modules in (("fr", fr.MODULES), ("en", en.MODULES)):
        for data in modules:
            module, made = Module.objects.update_or_create(
                group=starter_group(data.key),
                language=language,
                defaults={
                    "organization": None,
                    "title": data.title,
                    "summary": data.summary,
                    "duration_minutes": data.minutes,
                    "status": ModuleStatus.PUBLISHED,
                    "passing_score": 60 if len(data.questions) <= 3 else 75,
                },
            )
            changed = _sync(module, data)
            created += int(made)
            updated += int(changed and not made)
    return created, updated
