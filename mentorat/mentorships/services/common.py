"""Helpers every service of a pair uses: its audit entry, its row lock, the check that it
is still active. Kept apart from the services so that they can call one another in any
direction (ending a pair creates the final check-ins, a meeting the first one)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Mentorship, MentorshipStatus


def audit_pair(
    action: str,
    mentorship: Mentorship,
    *,
    actor: User | None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    target: Any = None,
) -> None:
    """Record `mentorships.<action>` about the pair (or `target`) in its organisation."""
    record(
        action=f"mentorships.{action}",
        actor=actor,
        organization=mentorship.edition.program.organization,
        target=target if target is not None else mentorship,
        data={"mentorship": mentorship.pk, **(data or {})},
        request=request,
    )


def lock_pair(mentorship: Mentorship) -> Mentorship:
    """Re-read the pair under a row lock (status checks then hold until commit)."""
    locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    mentorship.status = locked.status
    return mentorship


def require_active(mentorship: Mentorship) -> None:
    """DomainError if the pair has ended: it can no longer be changed."""
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise DomainError(_("This mentorship has ended: it can no longer be changed."))
