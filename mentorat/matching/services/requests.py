"""Self-matching: a mentee requests up to N suggested mentors; a mentor accepts (within
capacity, under a row lock) or declines with a reason; pending requests are reminded
after 3 and 10 days and expire after `MATCHING_REQUEST_EXPIRY_DAYS`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.matching import pairs
from mentorat.matching.explain import check_request, program_best_points, stored_explanation
from mentorat.matching.models import DeclineReason, MentorRequest, RequestStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.publication import (
    default_capacity,
    introductions,
    lock_applications,
    lock_capacity,
)
from mentorat.matching.services.runs import explanation_json
from mentorat.matching.tasks import send_request_email
from mentorat.mentorships.models import Mentorship, MentorshipStatus, PairAnswer
from mentorat.mentorships.services.pairs import create_mentorship
from mentorat.programs.models import MatchingMode, MatchingSettings
from mentorat.safeguarding.services import require_checked_mentors

REMINDER_DAYS = (3, 10)


def max_pending_requests() -> int:
    return int(settings.MATCHING_MAX_PENDING_REQUESTS)


def expiry_days() -> int:
    return int(settings.MATCHING_REQUEST_EXPIRY_DAYS)


def self_matching_parameters(application: Application) -> RunParameters:
    program = application.edition.program
    matching = MatchingSettings.objects.filter(program=program).first()
    if matching is None or matching.mode != MatchingMode.SELF_MATCHING:
        raise DomainError(_("In this program, the coordinators choose the pairs."))
    return RunParameters.from_settings(matching)


def _notify(request_id: int, event: str, *, notify: bool = True) -> None:
    if notify:
        transaction.on_commit(lambda: send_request_email.enqueue(request_id, event))


def request_mentor(
    *,
    application: Application,
    mentor_id: int,
    message: str = "",
    actor: User,
    language: str = "fr",
    request: HttpRequest | None = None,
    notify: bool = True,
) -> MentorRequest:
    """Send a request from the mentee of `application` to a mentor of the same edition
    (`notify` False: no email, for the demo data set's past requests)."""
    parameters = self_matching_parameters(application)
    with transaction.atomic():
        # Lock the mentee's application: their pending count cannot race (first in
        # `publication.LOCK_ORDER`, like the answers).
        lock_applications([application.pk])
        edition = application.edition
        paired, _load = pairs.active_load(edition=edition)
        if application.pk in paired:
            raise DomainError(_("You already have a mentor in this program."))
        pending = MentorRequest.objects.filter(mentee=application, status=RequestStatus.PENDING)
        if pending.filter(mentor_id=mentor_id).exists():
            raise DomainError(_("You have already asked this mentor; wait for the answer."))
        if pending.count() >= max_pending_requests():
            limit = max_pending_requests()
            raise DomainError(
                ngettext(
                    "You can wait for at most %(n)s answer at a time.",
                    "You can wait for at most %(n)s answers at a time.",
                    limit,
                )
                % {"n": limit}
            )
        if MentorRequest.objects.filter(
            mentee=application, mentor_id=mentor_id, status=RequestStatus.DECLINED
        ).exists():
            raise DomainError(_("This mentor has already declined your request."))
        check = check_request(
            edition=edition,
            parameters=parameters,
            mentee_id=application.pk,
            mentor_id=mentor_id,
            language=language,
        )
        if check.free <= 0:
            raise DomainError(_("This mentor has no place left."))
        found = MentorRequest.objects.create(
            edition=edition,
            mentee=application,
            mentor_id=mentor_id,
            message=message.strip()[:1000],
            score=check.score,
            explanation=explanation_json(check.explanation.parts),
            expires_at=timezone.now() + timedelta(days=expiry_days()),
        )
        record(
            action="matching.request.sent",
            actor=actor,
            organization=edition.program.organization,
            target=found,
            data={"mentor": mentor_id, "score": check.score},
            request=request,
        )
        _notify(found.pk, "received", notify=notify)
    return found


def answer_request(
    *,
    mentor_request: MentorRequest,
    accept: bool,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
    notify: bool = True,
) -> MentorRequest:
    """The mentor's answer. Accepting creates the mentorship if the mentor still has a
    place: the capacity row is locked first, so two acceptances at the same moment are
    counted one after the other and never exceed it.

    Rows are locked in the order every pairing service follows (`publication.LOCK_ORDER`):
    the applications of the mentee and of the mentor (by pk), then the mentee's requests
    (by pk), then the mentor's capacity, then the pair is inserted. Two mentors accepting
    requests of the same mentee at the same moment therefore queue on the mentee's
    application instead of each holding one request and waiting for the other's (the
    PostgreSQL deadlock of issue 14): the second one finds the request withdrawn."""
    with transaction.atomic():
        ids = (
            MentorRequest.objects.filter(pk=mentor_request.pk)
            .values_list("mentee_id", "mentor_id")
            .first()
        )
        if ids is None:
            raise DomainError(_("This request has already been answered or has expired."))
        lock_applications(ids)
        list(
            MentorRequest.objects.select_for_update()
            .filter(Q(pk=mentor_request.pk) | Q(mentee_id=ids[0], status=RequestStatus.PENDING))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        found = MentorRequest.objects.select_related(
            "mentor__user", "mentee__user", "edition__program__organization"
        ).get(pk=mentor_request.pk)
        if found.mentor.user_id != actor.pk:
            raise DomainError(_("This request is addressed to someone else."))
        if found.status != RequestStatus.PENDING:
            if Mentorship.objects.filter(
                mentee_application_id=found.mentee_id, status=MentorshipStatus.ACTIVE
            ).exists():
                raise DomainError(
                    _(
                        "This person found another mentor in the meantime: their request "
                        "is withdrawn."
                    )
                )
            raise DomainError(_("This request has already been answered or has expired."))
        if timezone.now() >= found.expires_at:
            raise DomainError(_("This request has expired."))
        if {found.mentee.status, found.mentor.status} != {ApplicationStatus.ACCEPTED}:
            raise DomainError(_("This request is no longer valid: an application was withdrawn."))
        organization = found.edition.program.organization
        if not accept:
            if reason not in DeclineReason.values:
                raise DomainError(_("Choose a reason to decline."))
            found.status = RequestStatus.DECLINED
            found.decline_reason = reason
            found.answered_at = timezone.now()
            found.save(update_fields=["status", "decline_reason", "answered_at"])
            record(
                action="matching.request.declined",
                actor=actor,
                organization=organization,
                target=found,
                data={"reason": reason},
                request=request,
            )
            _notify(found.pk, "declined", notify=notify)
            return found
        capacity = lock_capacity(
            mentor=found.mentor, default=default_capacity(found.edition.program_id)
        )
        taken = pairs.active_mentees_of(mentor_application_id=found.mentor_id)
        if taken >= capacity:
            raise DomainError(
                ngettext(
                    "You already mentor %(n)s person in this program, your maximum.",
                    "You already mentor %(n)s people in this program, your maximum.",
                    capacity,
                )
                % {"n": capacity}
            )
        # The protection of minors, read now: the check may have been revoked since the
        # request was sent.
        require_checked_mentors(
            program=found.edition.program, pairs=[(found.mentor, found.mentee)], as_mentor=True
        )
        mentorship: Mentorship = create_mentorship(
            mentor=found.mentor,
            mentee=found.mentee,
            score=found.score,
            # The points out of the best the program allows now, kept with the pair.
            explanation=stored_explanation(
                found.explanation,
                best=program_best_points(found.edition.program_id),
                request=found.pk,
            ),
            actor=actor,
        )
        found.status = RequestStatus.ACCEPTED
        found.answered_at = timezone.now()
        found.save(update_fields=["status", "answered_at"])
        # The mentee asked and the mentor accepted: both have already said yes, so the
        # pair is not asked to confirm again (nor listed as waiting for answers).
        Mentorship.objects.filter(pk=mentorship.pk).update(
            mentee_answer=PairAnswer.CONFIRMED,
            mentee_answered_at=found.created_at,
            mentor_answer=PairAnswer.CONFIRMED,
            mentor_answered_at=found.answered_at,
        )
        introductions([mentorship.pk], request=found, now=found.answered_at)
        # The mentee has a mentor: their other requests are withdrawn.
        others = list(
            MentorRequest.objects.filter(
                mentee_id=found.mentee_id, status=RequestStatus.PENDING
            ).exclude(pk=found.pk)
        )
        MentorRequest.objects.filter(pk__in=[o.pk for o in others]).update(
            status=RequestStatus.CANCELLED, answered_at=timezone.now()
        )
        record(
            action="matching.request.accepted",
            actor=actor,
            organization=organization,
            target=found,
            data={"mentorship": mentorship.pk, "cancelled": [o.pk for o in others]},
            request=request,
        )
        _notify(found.pk, "accepted", notify=notify)
    return found


@dataclass(frozen=True)
class RequestRound:
    reminded: int
    expired: int


def process_pending_requests(*, now: datetime | None = None) -> RequestRound:
    """Remind mentors of pending requests after 3 and 10 days; expire the overdue ones.
    Idempotent (each reminder is counted on the request)."""
    now = now or timezone.now()
    reminded = expired = 0
    pending = MentorRequest.objects.filter(status=RequestStatus.PENDING)
    for found in pending.filter(expires_at__lte=now).select_related("edition__program"):
        with transaction.atomic():
            count = MentorRequest.objects.filter(pk=found.pk, status=RequestStatus.PENDING).update(
                status=RequestStatus.EXPIRED, answered_at=now
            )
            if count:
                expired += 1
                record(
                    action="matching.request.expired",
                    organization=found.edition.program.organization,
                    target=found,
                )
                _notify(found.pk, "expired")
    # Highest level first, so that a request found late gets one reminder, not two.
    for level, days in reversed(list(enumerate(REMINDER_DAYS, start=1))):
        due = pending.filter(
            expires_at__gt=now,
            reminders_sent__lt=level,
            created_at__lte=now - timedelta(days=days),
        )
        for found in due:
            with transaction.atomic():
                if MentorRequest.objects.filter(
                    pk=found.pk, status=RequestStatus.PENDING, reminders_sent__lt=level
                ).update(reminders_sent=level):
                    reminded += 1
                    _notify(found.pk, "reminder")
    return RequestRound(reminded=reminded, expired=expired)
