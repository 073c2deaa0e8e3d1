"""Writing training modules (organisations' staff), following them (learners) and
assigning them (programs' staff).

Callers check permissions first (`mentorat.permissions.training`). Every write runs in
a transaction; staff changes are audited. A completion is written once per person and
module, and `signals.module_completed` is sent once, after the commit that wrote it."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError, Problems
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program
from mentorat.programs.services import partner_organizations
from mentorat.training import selectors, signals, tasks
from mentorat.training.models import (
    Assignment,
    Attempt,
    Audience,
    Choice,
    Completion,
    Language,
    Module,
    ModuleStatus,
    Question,
    QuestionKind,
    Requirement,
    Section,
    SectionRead,
)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
#: Video hosts accepted as they are; PeerTube instances are recognised by their paths.
VIDEO_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
    "vimeo.com",
    "player.vimeo.com",
    "www.dailymotion.com",
    "dai.ly",
}
PEERTUBE_PATHS = ("/w/", "/videos/watch/", "/videos/embed/")
MAX_CHOICES = 6
#: One reminder a week per person at most, like the pairs' reminders.
REMINDER_INTERVAL = timedelta(days=7)


@dataclass(frozen=True)
class ModuleData:
    title: str
    summary: str = ""
    language: str = Language.FRENCH
    duration_minutes: int = 15
    passing_score: int = 80
    status: str = ModuleStatus.DRAFT
    shared_with: tuple[int, ...] = ()


@dataclass(frozen=True)
class SectionData:
    title: str
    body: str = ""
    video_url: str = ""
    image_alt: str = ""


@dataclass(frozen=True)
class ChoiceData:
    text: str
    is_correct: bool = False


@dataclass(frozen=True)
class QuestionData:
    text: str
    kind: str
    explanation: str
    choices: tuple[ChoiceData, ...]


def _audit(
    action: str, *, module: Module, actor: User | None, request: HttpRequest | None, **data: Any
) -> None:
    record(
        action=f"training.{action}",
        actor=actor,
        organization=module.organization,
        target=module,
        data={"module": module.pk, **data},
        request=request,
    )


# --- Modules ------------------------------------------------------------------------------


def check_video_url(url: str) -> str:
    """`url` if it is an https link to a known video host (YouTube, Vimeo, Dailymotion)
    or a PeerTube video page; else a DomainError. Empty stays empty."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    peertube = any(parts.path.startswith(prefix) for prefix in PEERTUBE_PATHS)
    if parts.scheme != "https" or not host or not (host in VIDEO_HOSTS or peertube):
        raise DomainError(
            _("Video link: only https links to YouTube, Vimeo, Dailymotion or a PeerTube video."),
            field_errors={
                "video_url": [
                    _("Only https links to YouTube, Vimeo, Dailymotion or a PeerTube video.")
                ]
            },
        )
    return url


def _check_module(data: ModuleData, organization: Organization | None) -> list[Organization]:
    problems = Problems()
    if not data.title.strip():
        problems.add("title", _("Title: this field is required."))
    if data.language not in Language.values:
        problems.add("language", _("Language: choose one of the options."))
    if data.status not in ModuleStatus.values:
        problems.add("status", _("Status: choose one of the options."))
    if not 0 < data.passing_score <= 100:
        problems.add("passing_score", _("Passing score: between 1 and 100 %."))
    if not 0 < data.duration_minutes <= 600:
        problems.add("duration_minutes", _("Duration: between 1 and 600 minutes."))
    partners: list[Organization] = []
    if data.shared_with:
        allowed = (
            {o.pk: o for o in partner_organizations(organization=organization)}
            if organization
            else {}
        )
        unknown = [pk for pk in data.shared_with if pk not in allowed]
        if unknown:
            problems.add(
                "shared_with", _("Share: only with organisations in an active partnership.")
            )
        partners = [allowed[pk] for pk in data.shared_with if pk in allowed]
    problems.raise_if_any()
    return partners


def _check_translation_free(group: str, language: str, exclude: int | None = None) -> None:
    siblings = Module.objects.filter(group=group, language=language)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude)
    if siblings.exists():
        raise DomainError(
            _("Language: this module already has a version in that language."),
            field_errors={"language": [_("This module already has a version in that language.")]},
        )


@transaction.atomic
def create_module(
    *,
    organization: Organization,
    data: ModuleData,
    actor: User,
    translation_of: Module | None = None,
    request: HttpRequest | None = None,
) -> Module:
    """A new module of `organization` (a draft unless `data` says published); as the
    translation of `translation_of` (same group, another language) when given."""
    partners = _check_module(data, organization)
    group = (
        translation_of.group if translation_of else f"org{organization.pk}-{secrets.token_hex(6)}"
    )
    if translation_of is not None:
        if translation_of.organization_id != organization.pk:
            raise DomainError(_("Only a module of your organisation can be translated here."))
        _check_translation_free(group, data.language)
    module = Module.objects.create(
        organization=organization,
        group=group,
        title=data.title.strip(),
        summary=data.summary.strip(),
        language=data.language,
        duration_minutes=data.duration_minutes,
        passing_score=data.passing_score,
        status=data.status,
        created_by=actor,
    )
    module.shared_with.set(partners)
    _audit("module.created", module=module, actor=actor, request=request)
    return module


@transaction.atomic
def update_module(
    *, module: Module, data: ModuleData, actor: User, request: HttpRequest | None = None
) -> Module:
    partners = _check_module(data, module.organization)
    _check_translation_free(module.group, data.language, exclude=module.pk)
    if data.status == ModuleStatus.PUBLISHED and not module.sections.exists():
        raise DomainError(
            _("Status: add at least one section before publishing."),
            field_errors={"status": [_("Add at least one section before publishing.")]},
        )
    module.title = data.title.strip()
    module.summary = data.summary.strip()
    module.language = data.language
    module.duration_minutes = data.duration_minutes
    module.passing_score = data.passing_score
    module.status = data.status
    module.save()
    before = set(module.shared_with.values_list("pk", flat=True))
    module.shared_with.set(partners)
    _audit(
        "module.updated",
        module=module,
        actor=actor,
        request=request,
        status=module.status,
        shared_with=sorted(p.pk for p in partners),
        shared_before=sorted(before),
    )
    return module


# --- Sections -----------------------------------------------------------------------------


def _check_image(upload: UploadedFile) -> str:
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in IMAGE_TYPES:
        raise DomainError(
            _("Image: accepted types are %(types)s.")
            % {"types": ", ".join(sorted(t.lstrip(".") for t in IMAGE_TYPES))},
            field_errors={"image": [_("This type of file is not accepted.")]},
        )
    if (upload.size or 0) > MAX_IMAGE_BYTES:
        raise DomainError(
            _("Image: at most %(mb)s MB.") % {"mb": MAX_IMAGE_BYTES // (1024 * 1024)},
            field_errors={"image": [_("This file is too large.")]},
        )
    return IMAGE_TYPES[extension]


def _fill_section(section: Section, data: SectionData, upload: UploadedFile | None) -> None:
    problems = Problems()
    if not data.title.strip():
        problems.add("title", _("Title: this field is required."))
    problems.raise_if_any()
    section.title = data.title.strip()
    section.body = data.body
    section.video_url = check_video_url(data.video_url)
    section.image_alt = data.image_alt.strip()
    if upload is not None:
        section.image_type = _check_image(upload)
        section.image.save(upload.name or "image", upload, save=False)


@transaction.atomic
def add_section(
    *,
    module: Module,
    data: SectionData,
    upload: UploadedFile | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> Section:
    """A new section at the end of `module`."""
    last = module.sections.aggregate(m=Max("position"))["m"]
    section = Section(module=module, position=(last or 0) + 1)
    _fill_section(section, data, upload)
    section.save()
    _audit("section.added", module=module, actor=actor, request=request, section=section.pk)
    return section


@transaction.atomic
def update_section(
    *,
    section: Section,
    data: SectionData,
    upload: UploadedFile | None = None,
    remove_image: bool = False,
    actor: User,
    request: HttpRequest | None = None,
) -> Section:
    if remove_image and section.image:
        section.image.delete(save=False)
        section.image_type = ""
    _fill_section(section, data, upload)
    section.save()
    _audit(
        "section.updated", module=section.module, actor=actor, request=request, section=section.pk
    )
    return section


@transaction.atomic
def delete_section(*, section: Section, actor: User, request: HttpRequest | None = None) -> None:
    module = section.module
    if module.is_published and module.sections.count() == 1:
        raise DomainError(_("A published module keeps at least one section."))
    _audit("section.deleted", module=module, actor=actor, request=request, title=section.title)
    if section.image:
        section.image.delete(save=False)
    section.delete()


# --- Questions ----------------------------------------------------------------------------


def _check_question(data: QuestionData) -> list[ChoiceData]:
    problems = Problems()
    choices = [c for c in data.choices if c.text.strip()]
    if not data.text.strip():
        problems.add("text", _("Question: this field is required."))
    if not data.explanation.strip():
        problems.add("explanation", _("Explanation: this field is required."))
    if data.kind not in QuestionKind.values:
        problems.add("kind", _("Kind: choose one of the options."))
    right = sum(1 for c in choices if c.is_correct)
    if len(choices) < 2:
        problems.add("choices", _("Answers: write at least two."))
    elif len(choices) > MAX_CHOICES:
        problems.add("choices", _("Answers: at most %(n)s.") % {"n": MAX_CHOICES})
    elif right == 0:
        problems.add("choices", _("Answers: tick at least one right answer."))
    elif data.kind == QuestionKind.SINGLE and right > 1:
        problems.add(
            "choices", _("Answers: a question with one right answer has exactly one ticked.")
        )
    problems.raise_if_any()
    return choices


def _write_choices(question: Question, choices: list[ChoiceData]) -> None:
    question.choices.all().delete()
    Choice.objects.bulk_create(
        [
            Choice(question=question, position=i, text=c.text.strip(), is_correct=c.is_correct)
            for i, c in enumerate(choices, start=1)
        ]
    )


@transaction.atomic
def add_question(
    *, module: Module, data: QuestionData, actor: User, request: HttpRequest | None = None
) -> Question:
    choices = _check_question(data)
    last = module.questions.aggregate(m=Max("position"))["m"]
    question = Question.objects.create(
        module=module,
        position=(last or 0) + 1,
        text=data.text.strip(),
        kind=data.kind,
        explanation=data.explanation.strip(),
    )
    _write_choices(question, choices)
    _audit("question.added", module=module, actor=actor, request=request, question=question.pk)
    return question


@transaction.atomic
def update_question(
    *, question: Question, data: QuestionData, actor: User, request: HttpRequest | None = None
) -> Question:
    """Change a question and its answers (past attempts keep their score)."""
    choices = _check_question(data)
    question.text = data.text.strip()
    question.kind = data.kind
    question.explanation = data.explanation.strip()
    question.save()
    _write_choices(question, choices)
    _audit(
        "question.updated",
        module=question.module,
        actor=actor,
        request=request,
        question=question.pk,
    )
    return question


@transaction.atomic
def delete_question(*, question: Question, actor: User, request: HttpRequest | None = None) -> None:
    _audit(
        "question.deleted", module=question.module, actor=actor, request=request, text=question.text
    )
    question.delete()


# --- Learning -----------------------------------------------------------------------------


def _complete(*, user: User, module: Module) -> Completion | None:
    """Record that `user` completed `module` (once); send `module_completed` after the
    commit that wrote it. None when it was completed already."""
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                user=user, module=module, completed_at=timezone.now()
            )
    except IntegrityError:
        return None
    transaction.on_commit(
        partial(
            signals.module_completed.send,
            sender=Completion,
            user_id=user.pk,
            module_id=module.pk,
            completed_at=completion.completed_at,
        )
    )
    return completion


@transaction.atomic
def mark_section_read(*, user: User, section: Section) -> bool:
    """`user` read `section`. A module without quiz is completed when its last section
    is read. Returns whether the module got completed now."""
    module = section.module
    SectionRead.objects.get_or_create(user=user, section=section, defaults={"module": module})
    if module.questions.exists():
        return False
    read = SectionRead.objects.filter(user=user, module=module).count()
    if read >= module.sections.count():
        return _complete(user=user, module=module) is not None
    return False


def score_answers(
    questions: list[Question], answers: dict[int, set[int]]
) -> tuple[int, dict[int, bool]]:
    """Percentage of questions answered exactly right (every right choice ticked, no
    wrong one), and which were."""
    right: dict[int, bool] = {}
    for question in questions:
        expected = {c.pk for c in question.choices.all() if c.is_correct}
        right[question.pk] = answers.get(question.pk, set()) == expected
    score = round(100 * sum(right.values()) / len(questions)) if questions else 100
    return score, right


@transaction.atomic
def submit_attempt(*, user: User, module: Module, answers: dict[int, set[int]]) -> Attempt:
    """Score `answers` (question id → choice ids) to `module`'s quiz and keep them.
    Passing completes the module (once). Every question must be answered."""
    questions = selectors.module_questions(module=module)
    if not questions:
        raise DomainError(_("This module has no quiz."))
    problems = Problems()
    for question in questions:
        chosen = answers.get(question.pk, set())
        valid = {c.pk for c in question.choices.all()}
        if not chosen:
            problems.add(f"q{question.pk}", _("Answer this question."))
        elif not chosen <= valid:
            problems.add(f"q{question.pk}", _("Choose among the answers shown."))
        elif question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            problems.add(f"q{question.pk}", _("Choose one answer."))
    problems.raise_if_any()
    score, _right = score_answers(questions, answers)
    attempt = Attempt.objects.create(
        user=user,
        module=module,
        answers={str(q.pk): sorted(answers.get(q.pk, set())) for q in questions},
        score=score,
        passed=score >= module.passing_score,
    )
    if attempt.passed:
        _complete(user=user, module=module)
    return attempt


# --- Assignments --------------------------------------------------------------------------


@transaction.atomic
def assign_module(
    *,
    program: Program,
    module: Module,
    audience: str,
    requirement: str,
    days: int | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Assignment:
    """`program` asks its `audience` to follow `module` (one the program's organisation
    may use: its own, shared with it, or the starter set)."""
    problems = Problems()
    if not selectors.assignable_modules(program=program).filter(pk=module.pk).exists():
        problems.add("module", _("Module: choose a published module not assigned yet."))
    if audience not in Audience.values:
        problems.add("audience", _("For: choose one of the options."))
    if requirement not in Requirement.values:
        problems.add("requirement", _("Requirement: choose one of the options."))
    if requirement == Requirement.WITHIN_DAYS and not (days and 0 < days <= 365):
        problems.add("days", _("Days: between 1 and 365 for “within N days”."))
    problems.raise_if_any()
    assignment = Assignment.objects.create(
        program=program,
        module=module,
        audience=audience,
        requirement=requirement,
        days=days if requirement == Requirement.WITHIN_DAYS else None,
        created_by=actor,
    )
    record(
        action="training.assignment.added",
        actor=actor,
        organization=program.organization,
        target=assignment,
        data={"program": program.pk, "module": module.pk, "requirement": requirement},
        request=request,
    )
    return assignment


@transaction.atomic
def unassign_module(
    *, assignment: Assignment, actor: User, request: HttpRequest | None = None
) -> None:
    record(
        action="training.assignment.removed",
        actor=actor,
        organization=assignment.program.organization,
        target=assignment.program,
        data={"program": assignment.program_id, "module": assignment.module_id},
        request=request,
    )
    assignment.delete()


# --- Reminders ----------------------------------------------------------------------------


def week_of(day: date) -> str:
    """The Monday of `day`'s week: the occasion key of a weekly reminder."""
    return (day - timedelta(days=day.weekday())).isoformat()


def send_training_reminders(*, today: date) -> int:
    """Queue one reminder per person with required modules past their deadline, at most
    once a week per person (the delivery ledger keys it by person and week, so running
    it again the same week sends nothing). Returns the number of people concerned.
    Called daily by `manage.py remind_training`."""
    overdue = selectors.overdue_by_person(today=today)
    week = week_of(today)
    for user_id in overdue:
        transaction.on_commit(partial(tasks.send_training_reminder.enqueue, user_id, week))
    return len(overdue)
