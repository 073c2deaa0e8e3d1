"""Data for the recognition tests: a mentor with an ended pair and logged sessions, a
completed training module (the training app's own rows, then its signal)."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.mentorships.models import EndReason, Mentorship, MentorshipStatus
from mentorat.organizations.models import Organization, Role
from mentorat.programs.models import Program
from mentorat.training.models import Completion, Module, ModuleStatus
from mentorat.training.signals import module_completed
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.mentorships.factories import MeetingFactory, MentorshipFactory, SessionLogFactory
from tests.programs.factories import ProgramFactory


def log_session(mentorship: Mentorship, minutes: int, days_ago: int) -> None:
    meeting = MeetingFactory(
        mentorship=mentorship, starts_at=timezone.now() - timedelta(days=days_ago)
    )
    SessionLogFactory(meeting=meeting, mentorship=mentorship, duration_minutes=minutes)


def end_pair(mentorship: Mentorship) -> Mentorship:
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_on = timezone.localdate() - timedelta(days=1)
    mentorship.end_reason = EndReason.PROGRAM_ENDED
    mentorship.save()
    return mentorship


def complete_module(user: User, title: str, organization: Organization | None = None) -> Module:
    """`user` completes a published module: the training app's completion row, then the
    signal it sends (recognition's receiver issues the badge)."""
    module = Module.objects.create(
        organization=organization,
        group=f"test-{uuid.uuid4().hex[:8]}",
        title=title,
        language="fr",
        status=ModuleStatus.PUBLISHED,
    )
    completed_at = timezone.now() - timedelta(hours=1)
    Completion.objects.create(user=user, module=module, completed_at=completed_at)
    module_completed.send(
        sender=Module, user_id=user.pk, module_id=module.pk, completed_at=completed_at
    )
    return module


@dataclass
class MentorWorld:
    organization: Organization
    program: Program
    coordinator: User
    mentor: User
    mentee: User
    pair: Mentorship


def mentor_world(*, ended: bool = True) -> MentorWorld:
    """Université A runs a program; Claire Martin mentored Léa Petit in it for 2.5 hours
    (the pair has ended, unless `ended` is False)."""
    organization = OrganizationFactory(name="Université Rhône", slug=f"univ-{uuid.uuid4().hex[:6]}")
    coordinator = with_totp(UserFactory(first_name="Sophie", last_name="Durand"))
    MembershipFactory(user=coordinator, organization=organization, role=Role.COORDINATOR)
    mentor = UserFactory(
        first_name="Claire", last_name="Martin", email=f"claire-{uuid.uuid4().hex[:6]}@example.org"
    )
    MembershipFactory(user=mentor, organization=organization, role=Role.MENTOR)
    mentee = UserFactory(first_name="Léa", last_name="Petit")
    MembershipFactory(user=mentee, organization=organization, role=Role.MENTEE)
    program = ProgramFactory(organization=organization, name="Cap Emploi")
    pair = MentorshipFactory(
        edition__program=program,
        mentor=mentor,
        mentee=mentee,
        started_on=timezone.localdate() - timedelta(days=90),
    )
    log_session(pair, 90, 60)
    log_session(pair, 60, 30)
    if ended:
        end_pair(pair)
    return MentorWorld(organization, program, coordinator, mentor, mentee, pair)
