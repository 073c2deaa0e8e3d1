"""Check-ins (*points d'étape*): short surveys to each side of a pair after the first
meeting, every month and at the end; answered in the app or from the emailed links.

Each score in the email is its own link carrying a signed token (`django.core.signing`)
with the check-in, its respondent and the score (`mentorat.mentorships.links`). A check-in is
answered once; through its link the respondent may then add details or correct the score
(`revise_check_in`), since the one-click answer may have been given in a hurry."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.mentorships import tasks
from mentorat.mentorships.links import SCORES, check_in_payload, payload_id
from mentorat.mentorships.models import (
    CheckIn,
    CheckInOccasion,
    CheckInQuestion,
    CheckInQuestionKind,
    Mentorship,
    MentorshipStatus,
)
from mentorat.mentorships.services.common import audit_pair
from mentorat.programs.models import ParticipantRole, Program


@dataclass(frozen=True)
class CheckInLink:
    check_in: CheckIn
    satisfaction: int | None  # the score of a one-click link, None for the plain link


def check_in_from_token(token: str) -> CheckInLink:
    """The check-in (and score) a link points to; DomainError if the link is altered,
    expired or no longer matches its respondent."""
    payload = check_in_payload(token)
    score = payload.get("s")
    if score is not None and score not in SCORES:
        raise DomainError(_("This link is not valid."))
    check_in = (
        CheckIn.objects.select_related("mentorship", "mentorship__edition__program", "respondent")
        .filter(pk=payload_id(payload, "c"), respondent_id=payload_id(payload, "u"))
        .first()
    )
    if check_in is None:
        raise DomainError(_("This link is not valid."))
    return CheckInLink(check_in=check_in, satisfaction=score)


def create_check_ins(
    *, mentorship: Mentorship, occasion: str, now: datetime, period: int = 0
) -> int:
    """Create the check-in of `occasion` for both sides (once: the unique constraint makes
    this idempotent) and email them. Returns how many were created."""
    created = 0
    for role, person_id in (
        (ParticipantRole.MENTOR, mentorship.mentor_user_id),
        (ParticipantRole.MENTEE, mentorship.mentee_user_id),
    ):
        check_in, is_new = CheckIn.objects.get_or_create(
            mentorship=mentorship,
            respondent_id=person_id,
            occasion=occasion,
            period=period,
            defaults={"role": role, "sent_at": now},
        )
        if is_new:
            created += 1
            transaction.on_commit(partial(tasks.send_check_in_email.enqueue, check_in.pk))
    return created


def months_between(start: date, end: date) -> int:
    """Whole months from date `start` to date `end` (0 if `end` is before a full month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def send_due_check_ins(*, now: datetime) -> int:
    """Create the monthly check-ins that are due: month N of an active pair once N full
    months have passed since its start (missed months are not sent late). Idempotent."""
    today = timezone.localdate(now)
    created = 0
    # The two applications give the respondents' user ids (`create_check_ins`).
    pairs = Mentorship.objects.filter(
        status=MentorshipStatus.ACTIVE, started_on__lte=today
    ).select_related("edition", "mentor_application", "mentee_application")
    for mentorship in pairs:
        month = months_between(mentorship.started_on, today)
        if month < 1:
            continue
        with transaction.atomic():
            created += create_check_ins(
                mentorship=mentorship, occasion=CheckInOccasion.MONTHLY, now=now, period=month
            )
    return created


@dataclass(frozen=True)
class CheckInAnswer:
    satisfaction: int
    progress: int | None = None
    recommend: int | None = None
    comment: str = ""
    answers: dict[str, Any] | None = None


def clean_extra_answers(*, questions: list[CheckInQuestion], raw: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for question in questions:
        value = raw.get(str(question.pk))
        if value in (None, ""):
            continue
        if question.kind == CheckInQuestionKind.SCALE:
            try:
                number = int(str(value))
            except (TypeError, ValueError):
                number = 0
            if not 1 <= number <= 5:
                raise DomainError(
                    _("“%(question)s”: give a number from 1 to 5.") % {"question": question.label}
                )
            value = number
        elif question.kind == CheckInQuestionKind.YES_NO:
            if value not in (True, False, "yes", "no"):
                raise DomainError(
                    _("“%(question)s”: answer yes or no.") % {"question": question.label}
                )
            value = value in (True, "yes")
        else:
            value = str(value).strip()[:2000]
        cleaned[str(question.pk)] = {"question": question.label, "answer": value}
    return cleaned


def _save_answer(
    check_in: CheckIn,
    answer: CheckInAnswer,
    *,
    action: str,
    actor: User | None,
    request: HttpRequest | None,
) -> CheckIn:
    if answer.satisfaction not in SCORES:
        raise DomainError(_("Satisfaction: choose a score from 1 to 5."))
    if answer.progress is not None and not 1 <= answer.progress <= 5:
        raise DomainError(_("Progress: choose a score from 1 to 5."))
    if answer.recommend is not None and not 0 <= answer.recommend <= 10:
        raise DomainError(_("Recommendation: choose a score from 0 to 10."))
    program = check_in.mentorship.edition.program
    extra = clean_extra_answers(
        questions=list(CheckInQuestion.objects.filter(program=program)), raw=answer.answers or {}
    )
    check_in.satisfaction = answer.satisfaction
    check_in.progress = answer.progress
    check_in.recommend = answer.recommend
    check_in.comment = answer.comment.strip()[:5000]
    check_in.answers = extra
    check_in.answered_at = check_in.answered_at or timezone.now()
    check_in.save(
        update_fields=[
            "satisfaction",
            "progress",
            "recommend",
            "comment",
            "answers",
            "answered_at",
        ]
    )
    audit_pair(
        action,
        check_in.mentorship,
        actor=actor or check_in.respondent,
        request=request,
        target=check_in,
        data={"occasion": check_in.occasion, "satisfaction": answer.satisfaction},
    )
    return check_in


@transaction.atomic
def answer_check_in(
    *,
    check_in: CheckIn,
    answer: CheckInAnswer,
    actor: User | None,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Record the respondent's answer (once). `actor` is None when answered through the
    signed link without signing in."""
    locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if locked.answered_at is not None:
        raise DomainError(_("You have already answered this check-in. Thank you!"))
    return _save_answer(check_in, answer, action="check_in.answered", actor=actor, request=request)


@transaction.atomic
def revise_check_in(
    *,
    check_in: CheckIn,
    answer: CheckInAnswer,
    actor: User | None,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Replace an answered check-in's answer: the details added after a one-click score,
    or a corrected score. Only offered through the respondent's signed link (the caller
    checks it), so it ends when the link expires."""
    locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if locked.answered_at is None:
        raise DomainError(_("This check-in has not been answered yet."))
    check_in.answered_at = locked.answered_at
    return _save_answer(check_in, answer, action="check_in.revised", actor=actor, request=request)


# Program questions (coordinators) ------------------------------------------------------------


@transaction.atomic
def add_check_in_question(
    *, program: Program, label: str, kind: str, actor: User, request: HttpRequest | None = None
) -> CheckInQuestion:
    label = label.strip()
    if not label:
        raise DomainError(_("Question: this field is required."))
    if kind not in CheckInQuestionKind.values:
        raise DomainError(_("Kind of answer: choose one of the proposed kinds."))
    position = CheckInQuestion.objects.filter(program=program).count()
    question = CheckInQuestion.objects.create(
        program=program, label=label, kind=kind, position=position
    )
    record(
        action="mentorships.check_in_question.added",
        actor=actor,
        organization=program.organization,
        target=question,
        request=request,
    )
    return question


@transaction.atomic
def update_check_in_question(
    *, question: CheckInQuestion, label: str, actor: User, request: HttpRequest | None = None
) -> CheckInQuestion:
    label = label.strip()
    if not label:
        raise DomainError(_("Question: this field is required."))
    question.label = label
    question.save(update_fields=["label"])
    record(
        action="mentorships.check_in_question.updated",
        actor=actor,
        organization=question.program.organization,
        target=question,
        request=request,
    )
    return question


@transaction.atomic
def delete_check_in_question(
    *, question: CheckInQuestion, actor: User, request: HttpRequest | None = None
) -> None:
    """Answers already given keep the question's text (stored with each answer)."""
    record(
        action="mentorships.check_in_question.deleted",
        actor=actor,
        organization=question.program.organization,
        target=question,
        request=request,
    )
    question.delete()
