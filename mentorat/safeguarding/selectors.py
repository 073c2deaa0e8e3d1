"""Reads: which mentors have a check that counts in a program on a day, and the list of
an edition's mentors with their check status.

A check counts in a program when it was recorded by the program's owner or by a partner
organisation the program is shared with, is not revoked, and is valid on the day."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.permissions.safeguarding import counting_organization_ids
from mentorat.programs.models import Edition, ParticipantRole, Program
from mentorat.safeguarding.models import SafeguardingCheck, SafeguardingCheckQuerySet


def checks_in(program: Program) -> SafeguardingCheckQuerySet:
    """Every check (any state) of an organisation whose checks count in `program`."""
    return SafeguardingCheck.objects.filter(organization_id__in=counting_organization_ids(program))


def checked_user_ids(*, program: Program, user_ids: Iterable[int], on: date) -> set[int]:
    """Those of `user_ids` with a check counting in `program` on `on` (one query)."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    return set(
        checks_in(program)
        .valid_on(on)
        .filter(mentor_id__in=ids)
        .values_list("mentor_id", flat=True)
        .distinct()
    )


def is_required(program: Program, *, mentee_is_minor: bool) -> bool:
    """Does a pair with this mentee need a checked mentor in `program`?"""
    return bool(program.safeguarding_required and mentee_is_minor)


def unchecked_pairs(
    *, program: Program, pairs: Collection[tuple[Application, Application]], on: date
) -> list[tuple[Application, Application]]:
    """The (mentor, mentee) pairs of `pairs` that the program's rule forbids on `on`: a
    minor mentee and a mentor without a check counting in `program` (one query)."""
    concerned = [
        (mentor, mentee)
        for mentor, mentee in pairs
        if is_required(program, mentee_is_minor=mentee.is_minor)
    ]
    if not concerned:
        return []
    checked = checked_user_ids(
        program=program, user_ids=[mentor.user_id for mentor, _mentee in concerned], on=on
    )
    return [(mentor, mentee) for mentor, mentee in concerned if mentor.user_id not in checked]


@dataclass(frozen=True)
class MentorStatus:
    """One accepted mentor of an edition with the checks that concern the viewer."""

    application: Application
    checks: tuple[SafeguardingCheck, ...]
    valid: SafeguardingCheck | None
    #: minors among the mentor's active mentees in this edition
    minors_mentored: int


def edition_mentors(*, edition: Edition, scope: set[int] | None, on: date) -> list[MentorStatus]:
    """The edition's accepted mentors (those of `scope`'s organisations; None: all),
    by name, each with the checks counting in the program, newest first (three queries
    whatever their number)."""
    program = edition.program
    applications = list(
        Application.objects.filter(
            edition=edition, role=ParticipantRole.MENTOR, status=ApplicationStatus.ACCEPTED
        )
        .filter(**({} if scope is None else {"organization_id__in": scope}))
        .select_related("user", "organization")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    by_user: dict[int, list[SafeguardingCheck]] = {}
    for check in (
        checks_in(program)
        .filter(mentor_id__in=[a.user_id for a in applications])
        .select_related("organization", "recorded_by", "revoked_by")
        .order_by("-checked_on", "-pk")
    ):
        by_user.setdefault(check.mentor_id, []).append(check)
    minors = _minors_by_mentor(edition=edition, mentor_ids=[a.pk for a in applications])
    out = []
    for application in applications:
        checks = tuple(by_user.get(application.user_id, ()))
        out.append(
            MentorStatus(
                application=application,
                checks=checks,
                valid=next((c for c in checks if c.is_valid_on(on)), None),
                minors_mentored=minors.get(application.pk, 0),
            )
        )
    return out


def _minors_by_mentor(*, edition: Edition, mentor_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for mentor_id in Mentorship.objects.filter(
        edition=edition,
        status=MentorshipStatus.ACTIVE,
        mentor_application_id__in=mentor_ids,
        mentee_application__is_minor=True,
    ).values_list("mentor_application_id", flat=True):
        counts[mentor_id] = counts.get(mentor_id, 0) + 1
    return counts


def minor_mentees_waiting(*, edition: Edition) -> int:
    """Accepted mentees of the edition who applied under 18."""
    return Application.objects.filter(
        edition=edition,
        role=ParticipantRole.MENTEE,
        status=ApplicationStatus.ACCEPTED,
        is_minor=True,
    ).count()
