"""Who may see or act on a mentoring pair.

The pair's workspace belongs to the mentor and the mentee. Coordinators follow pairs in
summary (never private notes): staff of the program's owner see every pair of the
program; staff of a partner organisation the program is shared with see the pairs where
the mentor or the mentee is one of their people. Everyone else gets 404."""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.audit.services import record_security_event
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.mentorships.models import CheckIn, Meeting, Mentorship
from mentorat.organizations.models import Membership
from mentorat.permissions.organizations import is_platform_admin
from mentorat.permissions.programs import (
    is_program_staff,
    partner_scope,
    shared_organization_ids,
    staff_organization_ids,
)

if TYPE_CHECKING:
    from mentorat.mentorships.models import CheckIn, Meeting, Mentorship
    from mentorat.programs.models import Program


def is_pair_member(user: User, mentorship: "Mentorship") -> bool:
    return user.is_authenticated and user.pk in (
        mentorship.mentor_user_id,
        mentorship.mentee_user_id,
    )


def follows_mentorship(user: User, mentorship: "Mentorship") -> bool:
    """Coordinator view: program staff, or partner staff for pairs with their people."""
    program = mentorship.edition.program
    if is_program_staff(user, program):
        return True
    scope = partner_scope(user, program)
    if not scope:
        return False
    return Membership.objects.filter(
        organization_id__in=scope,
        user_id__in=(mentorship.mentor_user_id, mentorship.mentee_user_id),
    ).exists()


def followed_mentorships_filter(user: User) -> Q:
    """A filter on Mentorship for the pairs `user` follows as coordinator (bulk form of
    `follows_mentorship`, for dashboards)."""
    if is_platform_admin(user):
        return Q()
    staff_orgs = staff_organization_ids(user)
    if not staff_orgs:
        return Q(pk__in=[])
    followed = Q(edition__program__organization_id__in=staff_orgs)
    # As partner staff: the program is shared with that same organisation, and one side
    # of the pair belongs to it (staff of C and D do not follow, through C's share, the
    # pairs of D's people).
    for org_id in staff_orgs:
        followed |= Q(edition__program__shared_with=org_id) & (
            Q(mentor_application__user__memberships__organization_id=org_id)
            | Q(mentee_application__user__memberships__organization_id=org_id)
        )
    return followed


def mentorship_scope(user: User, program: "Program") -> set[int] | None:
    """Organisation ids whose people's pairs `user` follows in `program`; None: all."""
    if is_program_staff(user, program):
        return None
    return partner_scope(user, program)


def can_follow_program_mentorships(user: User, program: "Program") -> bool:
    return is_program_staff(user, program) or bool(
        staff_organization_ids(user) & shared_organization_ids(program)
    )


def _mentorship_query(*, pk: int) -> "QuerySet[Mentorship]":
    return Mentorship.objects.select_related(
        "edition",
        "edition__program",
        "edition__program__organization",
        "mentor_application__user",
        "mentee_application__user",
    ).filter(pk=pk)


# Compiled once per process (mentorat.lib.compiled_sql): every page of a pair opens it,
# and its five joins took the ORM more CPU to build than the database to answer.
_MENTORSHIP = CompiledQuery(_mentorship_query, pk=int)


def access_mentorship(user: User, pk: int, *, request: HttpRequest | None = None) -> "Mentorship":
    """The pair if `user` is in it or follows it as coordinator; else 404 (a signed-in
    person's refusal goes to the platform's security log, not the organisation's)."""
    found = _MENTORSHIP.fetch(pk=pk)
    if not found:
        raise Http404
    mentorship: Mentorship = found[0]
    if is_pair_member(user, mentorship) or follows_mentorship(user, mentorship):
        return mentorship
    if user.is_authenticated:
        record_security_event(
            kind="access.mentorship.denied", user=user, target=mentorship, request=request
        )
    raise Http404


def can_work_in(user: User, mentorship: "Mentorship") -> bool:
    """Write in the workspace (goals, meetings, logs): the pair, while it is active."""
    return is_pair_member(user, mentorship) and mentorship.is_active


def can_end_mentorship(user: User, mentorship: "Mentorship") -> bool:
    return mentorship.is_active and (
        is_pair_member(user, mentorship) or is_program_staff(user, mentorship.edition.program)
    )


def can_record_outcome(user: User, mentorship: "Mentorship") -> bool:
    """The mentee or the program's coordinators record the mentee's situation."""
    return user.pk == mentorship.mentee_user_id or is_program_staff(
        user, mentorship.edition.program
    )


def access_meeting(user: User, mentorship: "Mentorship", pk: int) -> "Meeting":
    """A meeting of a pair `user` is in (coordinators do not open meetings)."""
    meeting = Meeting.objects.filter(mentorship=mentorship, pk=pk).first()
    if meeting is None or not is_pair_member(user, mentorship):
        raise Http404
    meeting.mentorship = mentorship
    return meeting


def access_own_check_in(user: User, pk: int) -> "CheckIn":
    check_in = (
        CheckIn.objects.select_related(
            "mentorship", "mentorship__edition", "mentorship__edition__program"
        )
        .filter(pk=pk, respondent_id=user.pk)
        .first()
    )
    if check_in is None:
        raise Http404
    return check_in
