"""Recording and revoking mentors' safeguarding checks, and the guard every pairing path
calls before a mentor is given a minor.

Callers check permissions first (`mentorat.permissions.safeguarding`). The document a
check rests on is never stored: only its kind, its date and how long it counts."""

from collections.abc import Collection
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Organization
from mentorat.permissions.safeguarding import counting_organization_ids
from mentorat.programs.models import ParticipantRole, Program
from mentorat.safeguarding import selectors
from mentorat.safeguarding.models import CheckKind, SafeguardingCheck

#: How far back a check may be dated (a typo such as 1925 is refused).
OLDEST_CHECK_YEARS = 20


def _check_values(
    *, kind: str, kind_detail: str, checked_on: date, valid_until: date | None, today: date
) -> str:
    """Validate a check's values; returns the detail as stored."""
    if kind not in CheckKind.values:
        raise DomainError(_("Kind of check: choose one of the options."))
    detail = kind_detail.strip()
    if kind == CheckKind.OTHER and not detail:
        raise DomainError(_("Details of the check: say which check was made."))
    if checked_on > today:
        raise DomainError(_("Date of the check: it cannot be in the future."))
    if checked_on.year < today.year - OLDEST_CHECK_YEARS:
        raise DomainError(_("Date of the check: this date is too old."))
    if valid_until is not None and valid_until < checked_on:
        raise DomainError(_("Valid until: this date must come after the date of the check."))
    return detail if kind == CheckKind.OTHER else ""


@transaction.atomic
def record_check(
    *,
    program: Program,
    mentor: Application,
    organization: Organization,
    kind: str,
    checked_on: date,
    valid_until: date | None = None,
    kind_detail: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> SafeguardingCheck:
    """Record that `organization` checked the mentor of `mentor` (an accepted mentor
    application of `program`); the check then counts in every program of the owner and
    its partners sharing it. Raises DomainError naming the field on a bad value."""
    detail = _check_values(
        kind=kind,
        kind_detail=kind_detail,
        checked_on=checked_on,
        valid_until=valid_until,
        today=timezone.localdate(),
    )
    if organization.pk not in counting_organization_ids(program):
        raise DomainError(_("Only the program's organisations can record a check."))
    if (
        mentor.edition.program_id != program.pk
        or mentor.role != ParticipantRole.MENTOR
        or mentor.status != ApplicationStatus.ACCEPTED
    ):
        raise DomainError(_("Checks are recorded for the program's accepted mentors only."))
    check = SafeguardingCheck.objects.create(
        mentor_id=mentor.user_id,
        organization=organization,
        kind=kind,
        kind_detail=detail,
        checked_on=checked_on,
        valid_until=valid_until,
        recorded_by=actor,
    )
    record(
        action="safeguarding.check.recorded",
        actor=actor,
        organization=organization,
        target=check,
        data={
            "mentor": mentor.user_id,
            "program": program.pk,
            "kind": kind,
            "checked_on": checked_on.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
        request=request,
    )
    return check


@transaction.atomic
def revoke_check(
    *, check: SafeguardingCheck, actor: User, request: HttpRequest | None = None
) -> SafeguardingCheck:
    """Revoke a check: it no longer counts, from now on. Pairs already published stay
    (the coordinators decide about them); the next runs and publications refuse the
    mentor for minors."""
    locked = SafeguardingCheck.objects.select_for_update().select_related("organization")
    check = locked.get(pk=check.pk)
    if check.revoked_at is not None:
        raise DomainError(_("This check has already been revoked."))
    check.revoked_at = timezone.now()
    check.revoked_by = actor
    check.save(update_fields=["revoked_at", "revoked_by"])
    record(
        action="safeguarding.check.revoked",
        actor=actor,
        organization=check.organization,
        target=check,
        data={"mentor": check.mentor_id, "kind": check.kind},
        request=request,
    )
    return check


def require_checked_mentors(
    *,
    program: Program,
    pairs: Collection[tuple[Application, Application]],
    on: date | None = None,
    as_mentor: bool = False,
) -> None:
    """Refuse (DomainError) when one of the (mentor, mentee) `pairs` gives a minor a
    mentor without a check counting in `program` on `on` (today by default), if the
    program requires checks. `as_mentor`: the message speaks to the mentor. One query."""
    refused = selectors.unchecked_pairs(program=program, pairs=pairs, on=on or timezone.localdate())
    if not refused:
        return
    if as_mentor:
        raise DomainError(
            _(
                "You cannot be paired with a minor before the coordinators record your "
                "safeguarding check (criminal record extract or certificate of honourability)."
            )
        )
    raise DomainError(
        _(
            "%(mentor)s cannot be paired with a minor: no safeguarding check of theirs is "
            "recorded for this program. Record it, or change this pair."
        )
        % {"mentor": refused[0][0].user.display_name}
    )
