"""A participant who leaves an edition: their application is withdrawn, their active
pairs end and their pending self-matching requests are cancelled, in one transaction.

This sits in matching, above applications and mentorships, so that applications knows
nothing of pairs or requests: pages call `withdraw_participant`, never
`withdraw_application` alone."""

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.applications.services.withdrawal import withdraw_application
from mentorat.audit.services import record
from mentorat.matching.models import MentorRequest, RequestStatus
from mentorat.mentorships.models import EndReason, Mentorship, MentorshipStatus
from mentorat.mentorships.services.pairs import end_mentorship
from mentorat.programs.models import ParticipantRole


@transaction.atomic
def withdraw_participant(
    *, application: Application, actor: User, request: HttpRequest | None = None
) -> Application:
    """Withdraw `application` (see `withdraw_application` for what is refused). The
    person's active pairs of the edition end as "mentor left" or "mentee left", so that
    their mentees are matched again and nobody waits for someone who has gone; their
    pending requests, sent or received, are cancelled, each with an audit entry
    `matching.request.cancelled`. Callers check that `actor` may withdraw it."""
    application = withdraw_application(application=application, actor=actor, request=request)
    mentor = application.role == ParticipantRole.MENTOR
    reason = EndReason.MENTOR_LEFT if mentor else EndReason.MENTEE_LEFT
    side = Q(mentor_application=application) if mentor else Q(mentee_application=application)
    ended = Mentorship.objects.filter(side, status=MentorshipStatus.ACTIVE).select_related(
        "edition__program__organization", "mentor_application", "mentee_application"
    )
    for mentorship in ended:
        end_mentorship(mentorship=mentorship, reason=reason, actor=actor, request=request)
    now = timezone.now()
    pending = (
        MentorRequest.objects.select_for_update()
        .filter(Q(mentee=application) | Q(mentor=application), status=RequestStatus.PENDING)
        .order_by("pk")
    )
    organization = application.edition.program.organization
    for found in pending:
        found.status = RequestStatus.CANCELLED
        found.answered_at = now
        found.save(update_fields=["status", "answered_at"])
        record(
            action="matching.request.cancelled",
            actor=actor,
            organization=organization,
            target=found,
            data={"withdrawn_application": application.pk},
            request=request,
        )
    return application
