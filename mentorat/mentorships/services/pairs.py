"""Pairs: creation (called by the matching publication of issue 5), the workspace's
goals, skills and resources, closure, outcomes and reminder preferences.

Callers check permissions first (`mentorat.permissions.mentorships`); these functions
enforce the business rules, write the audit trail and enqueue the emails."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.lib.errors import DomainError, Problems
from mentorat.mentorships.links import payload_id, reminders_stop_payload
from mentorat.mentorships.models import (
    AssessmentPhase,
    CheckInOccasion,
    EndReason,
    Goal,
    GoalStatus,
    GoalUpdate,
    Mentorship,
    MentorshipStatus,
    Outcome,
    OutcomeStage,
    Resource,
    Situation,
    SkillAssessment,
)
from mentorat.mentorships.services.check_ins import create_check_ins
from mentorat.mentorships.services.common import audit_pair, lock_pair, require_active
from mentorat.participants.models import Skill
from mentorat.programs.models import ParticipantRole

# Creation ----------------------------------------------------------------------------------


@transaction.atomic
def create_mentorship(
    *,
    mentor: Application,
    mentee: Application,
    score: float | None = None,
    explanation: dict[str, Any] | None = None,
    started_on: date | None = None,
    actor: User | None = None,
) -> Mentorship:
    """Create an active pair between two applications of one edition (both answers
    pending).

    Starts on the edition's start date, or today if the edition has already started,
    unless `started_on` is given. Raises DomainError if the mentee already has an active
    pair in this edition, if the applications are of two editions or if mentor and mentee
    are the same person. Does not email anyone: the publication (issue 5) announces the
    pairs."""
    if mentor.user_id == mentee.user_id:
        raise DomainError(_("Mentor and mentee must be two different people."))
    if mentor.edition_id != mentee.edition_id:
        raise DomainError(_("Mentor and mentee must take part in the same edition."))
    edition = mentee.edition
    today = timezone.localdate()
    start = started_on or max(edition.starts_on, today)
    name = mentee.user.display_name
    if Mentorship.objects.filter(
        mentee_application=mentee, status=MentorshipStatus.ACTIVE
    ).exists():
        raise DomainError(_("%(name)s already has a mentor in this edition.") % {"name": name})
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(
                edition=edition,
                mentor_application=mentor,
                mentee_application=mentee,
                score=score,
                explanation=explanation or {},
                started_on=start,
                created_by=actor,
            )
    except IntegrityError as error:  # a concurrent creation for the same mentee
        raise DomainError(
            _("%(name)s already has a mentor in this edition.") % {"name": name}
        ) from error
    audit_pair(
        "mentorship.created",
        mentorship,
        actor=actor,
        data={"mentor": mentor.user_id, "mentee": mentee.user_id, "score": score},
    )
    return mentorship


# Workspace: resources, goals, skills ---------------------------------------------------------


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise DomainError(_("Title: this field is required."))
    return title


@transaction.atomic
def add_resource(
    *, mentorship: Mentorship, title: str, url: str, actor: User, request: HttpRequest | None = None
) -> Resource:
    require_active(lock_pair(mentorship))
    resource = Resource.objects.create(
        mentorship=mentorship, title=_check_title(title), url=url, added_by=actor
    )
    audit_pair("resource.added", mentorship, actor=actor, request=request, target=resource)
    return resource


@transaction.atomic
def update_resource(
    *, resource: Resource, title: str, url: str, actor: User, request: HttpRequest | None = None
) -> Resource:
    """Either person of the pair may correct a shared link, whoever added it."""
    mentorship = resource.mentorship
    require_active(lock_pair(mentorship))
    resource.title = _check_title(title)
    resource.url = url
    resource.save(update_fields=["title", "url"])
    audit_pair("resource.updated", mentorship, actor=actor, request=request, target=resource)
    return resource


@transaction.atomic
def remove_resource(*, resource: Resource, actor: User, request: HttpRequest | None = None) -> None:
    """Either person of the pair may remove a shared link; the audit keeps its title."""
    mentorship = resource.mentorship
    require_active(lock_pair(mentorship))
    audit_pair(
        "resource.removed",
        mentorship,
        actor=actor,
        request=request,
        target=resource,
        data={"title": resource.title},
    )
    resource.delete()


@dataclass(frozen=True)
class GoalData:
    title: str
    measure: str
    due_on: date
    skill_ids: tuple[int, ...] = ()


def _check_goal(mentorship: Mentorship, data: GoalData) -> list[Skill]:
    """Validate a goal's fields, reporting every problem at once (each on its field);
    returns its skills."""
    problems = Problems()
    if not data.title.strip():
        problems.add("title", _("Goal: this field is required."))
    if not data.measure.strip():
        problems.add("measure", _("How we will measure it: this field is required."))
    if data.due_on < mentorship.started_on:
        problems.add("due_on", _("By when: the date must be after the start of the mentorship."))
    skills = list(Skill.objects.filter(pk__in=data.skill_ids))
    if len(skills) != len(set(data.skill_ids)):
        problems.add("skills", _("Skills: choose among the proposed skills."))
    problems.raise_if_any()
    return skills


@transaction.atomic
def add_goal(
    *, mentorship: Mentorship, data: GoalData, actor: User, request: HttpRequest | None = None
) -> Goal:
    """Add a goal (what, how to measure it, by when) linked to skills."""
    require_active(lock_pair(mentorship))
    skills = _check_goal(mentorship, data)
    goal = Goal.objects.create(
        mentorship=mentorship,
        title=data.title.strip(),
        measure=data.measure.strip(),
        due_on=data.due_on,
        created_by=actor,
    )
    goal.skills.set(skills)
    audit_pair("goal.added", mentorship, actor=actor, request=request, target=goal)
    return goal


@transaction.atomic
def update_goal(
    *, goal: Goal, data: GoalData, actor: User, request: HttpRequest | None = None
) -> Goal:
    """Rewrite a goal's what, measure, date and skills (its progress is kept)."""
    mentorship = goal.mentorship
    require_active(lock_pair(mentorship))
    skills = _check_goal(mentorship, data)
    goal.title = data.title.strip()
    goal.measure = data.measure.strip()
    goal.due_on = data.due_on
    goal.save(update_fields=["title", "measure", "due_on", "updated_at"])
    goal.skills.set(skills)
    audit_pair(
        "goal.updated",
        mentorship,
        actor=actor,
        request=request,
        target=goal,
        data={"skills": sorted(s.pk for s in skills)},
    )
    return goal


@transaction.atomic
def update_goal_progress(
    *,
    goal: Goal,
    progress: int,
    status: str,
    note: str,
    actor: User,
    request: HttpRequest | None = None,
) -> GoalUpdate:
    mentorship = goal.mentorship
    require_active(lock_pair(mentorship))
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress: give a percentage between 0 and 100."))
    if status not in GoalStatus.values:
        raise DomainError(_("Status: unknown value “%(value)s”.") % {"value": status})
    if status == GoalStatus.ACHIEVED:
        progress = 100
    update = GoalUpdate.objects.create(
        goal=goal, author=actor, progress=progress, status=status, note=note.strip()
    )
    goal.progress = progress
    goal.status = status
    goal.save(update_fields=["progress", "status", "updated_at"])
    audit_pair(
        "goal.progress_updated",
        mentorship,
        actor=actor,
        request=request,
        target=goal,
        data={"progress": progress, "status": status},
    )
    return update


@transaction.atomic
def save_assessment(
    *,
    mentorship: Mentorship,
    phase: str,
    levels: dict[int, int],
    actor: User,
    request: HttpRequest | None = None,
) -> list[SkillAssessment]:
    """Save the actor's 1–5 ratings of the mentee's skills for `phase`: a self-assessment
    when the actor is the mentee, the mentor's rating otherwise."""
    require_active(lock_pair(mentorship))
    role = mentorship.role_of(actor.pk)
    if role is None:
        raise DomainError(_("Only the mentor and the mentee rate skills."))
    if phase not in AssessmentPhase.values:
        raise DomainError(_("Unknown assessment phase."))
    if not levels:
        raise DomainError(_("Skills: rate at least one skill."))
    skills = {s.pk: s for s in Skill.objects.filter(pk__in=levels)}
    saved = []
    for skill_id, level in levels.items():
        if skill_id not in skills:
            raise DomainError(_("Skills: choose among the proposed skills."))
        if not 1 <= level <= 5:
            raise DomainError(
                _("%(skill)s: give a level from 1 to 5.") % {"skill": skills[skill_id].name}
            )
        assessment, _created = SkillAssessment.objects.update_or_create(
            mentorship=mentorship,
            skill=skills[skill_id],
            phase=phase,
            rater_role=role,
            defaults={"level": level, "rated_by": actor},
        )
        saved.append(assessment)
    audit_pair(
        "skills.assessed",
        mentorship,
        actor=actor,
        request=request,
        data={"phase": phase, "role": role, "skills": sorted(levels)},
    )
    return saved


# Reminders preference ----------------------------------------------------------------------


def reminders_stop_from_token(token: str) -> tuple[Mentorship, User]:
    """The pair and person a stop link names; DomainError if it is altered, expired or the
    person is no longer in the pair."""
    payload = reminders_stop_payload(token)
    mentorship = (
        Mentorship.objects.select_related(
            "edition__program__organization", "mentor_application__user", "mentee_application__user"
        )
        .filter(pk=payload_id(payload, "m"))
        .first()
    )
    user_id = payload_id(payload, "u")
    if mentorship is None or user_id not in (mentorship.mentor_user_id, mentorship.mentee_user_id):
        raise DomainError(_("This link is not valid."))
    person = mentorship.mentor if user_id == mentorship.mentor_user_id else mentorship.mentee
    return mentorship, person


def reminders_stopped(*, mentorship: Mentorship, user: User) -> bool:
    if user.pk == mentorship.mentor_user_id:
        return mentorship.mentor_reminders_off
    return mentorship.mentee_reminders_off


@transaction.atomic
def set_reminders(
    *,
    mentorship: Mentorship,
    user: User,
    enabled: bool,
    via: str = "app",
    request: HttpRequest | None = None,
) -> None:
    """Stop (or restart) the reminders `user` receives about this pair. Asking for the
    current state changes nothing (a stop link opened twice writes one audit entry)."""
    role = mentorship.role_of(user.pk)
    if role is None:
        raise DomainError(_("Only the mentor and the mentee receive these reminders."))
    field = "mentor_reminders_off" if role == ParticipantRole.MENTOR else "mentee_reminders_off"
    updated = (
        Mentorship.objects.filter(pk=mentorship.pk)
        .exclude(**{field: not enabled})
        .update(**{field: not enabled})
    )
    setattr(mentorship, field, not enabled)
    if not updated:
        return
    audit_pair(
        "reminders.enabled" if enabled else "reminders.stopped",
        mentorship,
        actor=user,
        request=request,
        data={"via": via},
    )


# Closure and outcomes ----------------------------------------------------------------------


@transaction.atomic
def end_mentorship(
    *,
    mentorship: Mentorship,
    reason: str,
    note: str = "",
    actor: User | None,
    ended_on: date | None = None,
    request: HttpRequest | None = None,
) -> Mentorship:
    """End an active pair with a reason; both sides then receive the final check-in
    (except after "not a good fit").

    Issue 5's "not a good fit" answers end the pair with `EndReason.NOT_A_FIT`; the
    mentee can then be matched again (`selectors.mentees_to_rematch`)."""
    require_active(lock_pair(mentorship))
    if reason not in EndReason.values:
        raise DomainError(_("Reason: choose one of the proposed reasons."))
    if reason == EndReason.OTHER and not note.strip():
        raise DomainError(_("Details: explain the reason when you choose “Other reason”."))
    today = timezone.localdate()
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_on = ended_on or today
    mentorship.end_reason = reason
    mentorship.end_note = note.strip()
    mentorship.ended_by = actor
    mentorship.save(update_fields=["status", "ended_on", "end_reason", "end_note", "ended_by"])
    audit_pair(
        "mentorship.ended", mentorship, actor=actor, request=request, data={"reason": reason}
    )
    # The final check-in email tells both people that the pair has ended. A pair refused
    # as "not a good fit" gets none: the answer already says why, and they barely met.
    if reason != EndReason.NOT_A_FIT:
        create_check_ins(mentorship=mentorship, occasion=CheckInOccasion.FINAL, now=timezone.now())
    return mentorship


def end_finished_mentorships(*, today: date) -> int:
    """End, with reason "program ended", the active pairs whose edition ended before
    `today`. Idempotent; returns how many pairs were ended."""
    count = 0
    finished = Mentorship.objects.filter(
        status=MentorshipStatus.ACTIVE, edition__ends_on__lt=today
    ).select_related(
        # The applications give the final check-ins' respondents (`create_check_ins`).
        "edition__program__organization",
        "mentor_application",
        "mentee_application",
    )
    for mentorship in finished:
        end_mentorship(
            mentorship=mentorship,
            reason=EndReason.PROGRAM_ENDED,
            actor=None,
            ended_on=mentorship.edition.ends_on,
        )
        count += 1
    return count


@transaction.atomic
def record_outcome(
    *,
    mentorship: Mentorship,
    stage: str,
    situation: str,
    detail: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Outcome:
    """Record (or correct) the mentee's situation at the end or six months later."""
    if stage not in OutcomeStage.values:
        raise DomainError(_("Unknown stage."))
    if situation not in Situation.values:
        raise DomainError(_("Situation: choose one of the proposed situations."))
    if situation == Situation.OTHER and not detail.strip():
        raise DomainError(_("Details: describe the situation when you choose “Other”."))
    if stage == OutcomeStage.SIX_MONTHS and mentorship.status != MentorshipStatus.ENDED:
        raise DomainError(_("The six-month situation is recorded after the mentorship ends."))
    outcome, _created = Outcome.objects.update_or_create(
        mentorship=mentorship,
        stage=stage,
        defaults={
            "situation": situation,
            "detail": detail.strip(),
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit_pair(
        "outcome.recorded",
        mentorship,
        actor=actor,
        request=request,
        target=outcome,
        data={"stage": stage, "situation": situation},
    )
    return outcome
