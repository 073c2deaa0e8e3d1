"""Who may run the matching, review its proposals, and take part in self-matching.

Matching runs belong to the staff of the program's owner (and platform admins): they
see every participant. Partner coordinators see the program (`access_program`) but not
the runs (403). Participants reach only their own applications, requests and pairs
(404 for anything else)."""

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.matching.models import MatchRun, MentorRequest, Proposal
from mentorat.mentorships.models import Mentorship
from mentorat.permissions.programs import is_program_staff
from mentorat.programs.models import ParticipantRole, Program

if TYPE_CHECKING:
    from mentorat.mentorships.models import Mentorship


def can_run_matching(user: User, program: Program) -> bool:
    return is_program_staff(user, program)


def access_run(
    user: User, program: Program, pk: int, *, request: HttpRequest | None = None
) -> MatchRun:
    """A run of `program`; the caller has checked `can_run_matching`. 404 otherwise."""
    run = (
        MatchRun.objects.select_related(
            "edition", "edition__program", "edition__program__organization", "started_by"
        )
        .filter(pk=pk, edition__program=program)
        .first()
    )
    if run is None:
        raise Http404
    return run


def access_proposal(user: User, run: MatchRun, mentee_id: int) -> Proposal:
    """The proposal of `run` for the mentee application `mentee_id`; the caller has the
    run from `access_run`. 404 for a mentee who is not part of this run, so that a
    run's address never acts on a mentee of another run or program."""
    proposal = Proposal.objects.filter(run=run, mentee_id=mentee_id).first()
    if proposal is None:
        raise Http404
    return proposal


def access_own_mentee_application(user: User, pk: int) -> Application:
    """The signed-in person's accepted mentee application (self-matching pages)."""
    application = (
        Application.objects.select_related(
            "edition",
            "edition__program",
            "edition__program__organization",
            "edition__program__matching_settings",
            "user",
        )
        .filter(
            pk=pk,
            user_id=user.pk,
            role=ParticipantRole.MENTEE,
            status=ApplicationStatus.ACCEPTED,
        )
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_request_as_mentor(user: User, pk: int) -> MentorRequest:
    """A request addressed to the signed-in mentor; 404 for anyone else."""
    found = (
        MentorRequest.objects.select_related(
            "mentee__user", "mentee__user__profile", "mentor", "edition__program"
        )
        .filter(pk=pk, mentor__user_id=user.pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_own_mentorship(user: User, pk: int) -> "Mentorship":
    """A published pair the signed-in person is part of; 404 for anyone else."""
    found = (
        Mentorship.objects.select_related(
            "edition__program", "mentor_application__user", "mentee_application__user"
        )
        .filter(pk=pk)
        .filter(Q(mentor_application__user=user) | Q(mentee_application__user=user))
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_own_mentor_application(user: User, pk: int) -> Application:
    """The signed-in person's own mentor application, still open (404 otherwise)."""
    application = (
        Application.objects.select_related("edition__program__organization", "user")
        .filter(pk=pk, user_id=user.pk, role=ParticipantRole.MENTOR)
        .exclude(status__in=(ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN))
        .first()
    )
    if application is None:
        raise Http404
    return application
