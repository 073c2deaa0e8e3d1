"""Writing the resource library and goal templates, and adopting a template.

Callers check permissions first (`mentorat.permissions.resources`). Files go to the
private storage (no public address) and are streamed by a view that checks who asks."""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError, Problems
from mentorat.mentorships.models import Goal, Mentorship
from mentorat.mentorships.services.common import lock_pair, require_active
from mentorat.mentorships.services.pairs import GoalData, add_goal
from mentorat.participants.models import Skill
from mentorat.programs.models import Program
from mentorat.resources.models import (
    Audience,
    GoalAdoption,
    GoalTemplate,
    LibraryResource,
    Phase,
    ResourceKind,
)

#: The largest file a library accepts (a guide or a kit, not a video).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: File types a library accepts, by extension, with the type they are served as.
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
#: An adopted goal is due at the end of the edition, or this many days after adoption
#: when the edition ends sooner (the pair changes the date afterwards).
DEFAULT_GOAL_DAYS = 30


@dataclass(frozen=True)
class ResourceData:
    title: str
    kind: str
    audience: str
    phase: str
    description: str = ""
    url: str = ""
    whole_organization: bool = False


@dataclass(frozen=True)
class TemplateData:
    title: str
    measure: str
    description: str = ""
    skill_ids: tuple[int, ...] = ()
    whole_organization: bool = False


def _audit(
    action: str,
    *,
    program: Program,
    actor: User,
    target: Any,
    data: dict[str, Any],
    request: HttpRequest | None,
) -> None:
    record(
        action=f"resources.{action}",
        actor=actor,
        organization=program.organization,
        target=target,
        data={"program": program.pk, **data},
        request=request,
    )


def _check_file(upload: UploadedFile) -> str:
    """The type the file is served as; DomainError for a type or size not accepted."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in FILE_TYPES:
        raise DomainError(
            _("File: accepted types are %(types)s.")
            % {"types": ", ".join(sorted(t.lstrip(".") for t in FILE_TYPES))},
            field_errors={"file": [_("This type of file is not accepted.")]},
        )
    if (upload.size or 0) > MAX_FILE_BYTES:
        raise DomainError(
            _("File: at most %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
            field_errors={"file": [_("This file is too large.")]},
        )
    return FILE_TYPES[extension]


def _check_resource(data: ResourceData, *, has_file: bool) -> None:
    problems = Problems()
    if not data.title.strip():
        problems.add("title", _("Title: this field is required."))
    if data.kind not in ResourceKind.values:
        problems.add("kind", _("Kind: choose one of the options."))
    if data.audience not in Audience.values:
        problems.add("audience", _("For: choose one of the options."))
    if data.phase not in Phase.values:
        problems.add("phase", _("When: choose one of the options."))
    url = data.url.strip()
    if not url and not has_file:
        problems.add("url", _("Give a link or a file."))
    if url and not url.lower().startswith(("https://", "http://")):
        # The link is shown as is: nothing but a web address (no `javascript:`).
        problems.add("url", _("Link: give a web address starting with https://."))
    problems.raise_if_any()


def _set_file(resource: LibraryResource, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    content_type = _check_file(upload)
    if resource.file:
        resource.file.delete(save=False)
    resource.file.save(PurePath(upload.name or "file").name, upload, save=False)
    resource.file_name = PurePath(upload.name or "file").name[:200]
    resource.content_type = content_type


def _owner(program: Program, whole_organization: bool) -> dict[str, Any]:
    return {
        "organization_id": program.organization_id,
        "program": None if whole_organization else program,
    }


@transaction.atomic
def add_resource(
    *,
    program: Program,
    data: ResourceData,
    upload: UploadedFile | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> LibraryResource:
    """Add a resource to the program's library (or its organisation's, shared by all
    its programs). A link or a file is required; a file is checked (type, size)."""
    _check_resource(data, has_file=upload is not None)
    resource = LibraryResource(
        **_owner(program, data.whole_organization),
        title=data.title.strip(),
        kind=data.kind,
        description=data.description.strip(),
        url=data.url.strip(),
        audience=data.audience,
        phase=data.phase,
        created_by=actor,
    )
    _set_file(resource, upload)
    resource.save()
    _audit(
        "resource.added",
        program=program,
        actor=actor,
        target=resource,
        data={"title": resource.title},
        request=request,
    )
    return resource


@transaction.atomic
def update_resource(
    *,
    program: Program,
    resource: LibraryResource,
    data: ResourceData,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
    actor: User,
    request: HttpRequest | None = None,
) -> LibraryResource:
    """Rewrite a resource; a new file replaces the old one, `remove_file` drops it."""
    keeps_file = bool(resource.file) and not remove_file
    _check_resource(data, has_file=upload is not None or keeps_file)
    if remove_file and resource.file and upload is None:
        resource.file.delete(save=False)
        resource.file_name = resource.content_type = ""
    for name, value in _owner(program, data.whole_organization).items():
        setattr(resource, name, value)
    resource.title = data.title.strip()
    resource.kind = data.kind
    resource.description = data.description.strip()
    resource.url = data.url.strip()
    resource.audience = data.audience
    resource.phase = data.phase
    _set_file(resource, upload)
    resource.save()
    _audit(
        "resource.updated",
        program=program,
        actor=actor,
        target=resource,
        data={"title": resource.title},
        request=request,
    )
    return resource


@transaction.atomic
def delete_resource(
    *,
    program: Program,
    resource: LibraryResource,
    actor: User,
    request: HttpRequest | None = None,
) -> None:
    """Delete a resource and its file (the audit keeps its title)."""
    _audit(
        "resource.deleted",
        program=program,
        actor=actor,
        target=resource,
        data={"title": resource.title},
        request=request,
    )
    stored = resource.file.name if resource.file else ""
    resource.delete()
    if stored:
        storage = LibraryResource._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))


def _check_template(data: TemplateData) -> list[Skill]:
    problems = Problems()
    if not data.title.strip():
        problems.add("title", _("Goal: this field is required."))
    if not data.measure.strip():
        problems.add("measure", _("Measure of success: this field is required."))
    skills = list(Skill.objects.filter(pk__in=data.skill_ids))
    if len(skills) != len(set(data.skill_ids)):
        problems.add("skills", _("Skills: choose among the proposed skills."))
    problems.raise_if_any()
    return skills


@transaction.atomic
def add_template(
    *, program: Program, data: TemplateData, actor: User, request: HttpRequest | None = None
) -> GoalTemplate:
    """Add a goal template to the program (or its whole organisation)."""
    skills = _check_template(data)
    template = GoalTemplate.objects.create(
        **_owner(program, data.whole_organization),
        title=data.title.strip(),
        description=data.description.strip(),
        measure=data.measure.strip(),
        created_by=actor,
    )
    template.skills.set(skills)
    _audit(
        "goal_template.added",
        program=program,
        actor=actor,
        target=template,
        data={"title": template.title},
        request=request,
    )
    return template


@transaction.atomic
def update_template(
    *,
    program: Program,
    template: GoalTemplate,
    data: TemplateData,
    actor: User,
    request: HttpRequest | None = None,
) -> GoalTemplate:
    """Rewrite a template; goals already adopted from it stay as the pairs made them."""
    skills = _check_template(data)
    for name, value in _owner(program, data.whole_organization).items():
        setattr(template, name, value)
    template.title = data.title.strip()
    template.description = data.description.strip()
    template.measure = data.measure.strip()
    template.save()
    template.skills.set(skills)
    _audit(
        "goal_template.updated",
        program=program,
        actor=actor,
        target=template,
        data={"title": template.title},
        request=request,
    )
    return template


@transaction.atomic
def delete_template(
    *, program: Program, template: GoalTemplate, actor: User, request: HttpRequest | None = None
) -> None:
    """Delete a template; the goals pairs adopted from it stay theirs."""
    _audit(
        "goal_template.deleted",
        program=program,
        actor=actor,
        target=template,
        data={"title": template.title},
        request=request,
    )
    template.delete()


def adopted_goal_due_on(*, mentorship: Mentorship, today: date) -> date:
    """When an adopted goal is due: the end of the edition, unless it comes in less
    than `DEFAULT_GOAL_DAYS` (then that many days from today)."""
    fallback = max(today, mentorship.started_on) + timedelta(days=DEFAULT_GOAL_DAYS)
    ends_on = mentorship.edition.ends_on
    return ends_on if ends_on >= fallback else fallback


@transaction.atomic
def adopt_template(
    *,
    mentorship: Mentorship,
    template: GoalTemplate,
    actor: User,
    request: HttpRequest | None = None,
) -> Goal:
    """Give the pair a goal made from `template` (its title, measure and skills, due at
    the end of the edition), which the pair then edits like any goal. A template is
    adopted once per pair: a second time raises DomainError. Expects the template to be
    offered in the pair's program and `actor` to work in the pair."""
    require_active(lock_pair(mentorship))
    if GoalAdoption.objects.filter(template=template, mentorship=mentorship).exists():
        raise DomainError(
            _("Your pair has already adopted the goal “%(title)s”: change it in your goals.")
            % {"title": template.title}
        )
    goal = add_goal(
        mentorship=mentorship,
        data=GoalData(
            title=template.title,
            measure=template.measure,
            due_on=adopted_goal_due_on(mentorship=mentorship, today=timezone.localdate()),
            skill_ids=tuple(s.pk for s in template.skills.all()),
        ),
        actor=actor,
        request=request,
    )
    GoalAdoption.objects.create(
        template=template, mentorship=mentorship, goal=goal, adopted_by=actor
    )
    record(
        action="resources.goal_template.adopted",
        actor=actor,
        organization=mentorship.edition.program.organization,
        target=goal,
        data={"mentorship": mentorship.pk, "template": template.pk},
        request=request,
    )
    return goal
