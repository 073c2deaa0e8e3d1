"""How many mentees a mentor takes in an edition: set by the mentor on their application,
or by a coordinator of the program. Runs (`inputs.mentor_capacities`), suggestions and
self-matching acceptances (`publication.lock_capacity`) all read the same row."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.matching import pairs
from mentorat.matching.models import MentorCapacity
from mentorat.matching.parameters import MAX_CAPACITY
from mentorat.matching.services.publication import default_capacity
from mentorat.programs.models import ParticipantRole

CLOSED = (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)


def check_capacity(capacity: int | None) -> None:
    """Raise DomainError unless `capacity` is empty or a whole number from 1 to the
    platform's maximum (the one the run form also enforces)."""
    if capacity is None:
        return
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise DomainError(_("Number of mentees: enter a whole number."))
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            _("Number of mentees: enter a whole number from 1 to %(max)s.") % {"max": MAX_CAPACITY}
        )


def set_mentor_capacity(
    *,
    application: Application,
    capacity: int | None,
    actor: User,
    request: HttpRequest | None = None,
) -> MentorCapacity:
    """Set the number of mentees of the mentor of `application` (None: the program's
    default). Holds the capacity row lock, like an acceptance, so a lower number cannot
    slip under the mentees the mentor has already been given."""
    check_capacity(capacity)
    if application.role != ParticipantRole.MENTOR:
        raise DomainError(_("Only mentors take a number of mentees."))
    if application.status in CLOSED:
        raise DomainError(_("This application is closed."))
    edition = application.edition
    default = default_capacity(edition.program_id)
    with transaction.atomic():
        MentorCapacity.objects.get_or_create(application=application)
        row = MentorCapacity.objects.select_for_update().get(application=application)
        taken = pairs.active_mentees_of(mentor_application_id=application.pk)
        if (capacity or default) < taken:
            raise DomainError(
                _(
                    "%(name)s already mentors %(n)s people in this edition: the number of "
                    "mentees cannot be lower."
                )
                % {"name": application.user.display_name, "n": taken}
            )
        before = row.capacity
        if before == capacity:
            return row
        row.capacity = capacity
        row.save(update_fields=["capacity"])
        record(
            action="matching.capacity.changed",
            actor=actor,
            organization=edition.program.organization,
            target=application,
            data={
                "before": before,
                "after": capacity,
                "by": "mentor" if actor.pk == application.user_id else "coordinator",
            },
            request=request,
        )
    return row
