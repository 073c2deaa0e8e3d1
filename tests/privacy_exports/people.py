"""A person with data in every part of the platform, their pair partner, and a stranger:
what the export tests read back."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.audit.services import record
from mentorat.mentorships.models import (
    AssessmentPhase,
    CheckIn,
    Goal,
    GoalUpdate,
    Mentorship,
    Outcome,
    OutcomeStage,
    PrivateNote,
    Resource,
    SessionLog,
    Situation,
    SkillAssessment,
)
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.organizations.models import Organization, Role
from mentorat.participants.models import Profile, SensitiveDataConsent, Skill
from mentorat.programs.models import ParticipantRole
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.mentorships.factories import (
    CheckInFactory,
    MentorshipFactory,
    RunningEditionFactory,
    SessionLogFactory,
)
from tests.programs.factories import ProgramFactory


@dataclass
class World:
    organization: Organization
    person: User  # the mentee whose data are exported
    partner: User  # their mentor
    stranger: User  # another mentee of the same edition, in another pair
    coordinator: User
    pair: Mentorship
    log: SessionLog
    own_note: PrivateNote
    partners_note: PrivateNote


def build_world() -> World:
    organization = OrganizationFactory(slug="ecole-export")
    coordinator = UserFactory(email="coord-export@example.org", language="en")
    MembershipFactory(user=coordinator, organization=organization, role=Role.COORDINATOR)
    person = UserFactory(
        email="lea-export@example.org", first_name="Léa", last_name="Export", language="en"
    )
    partner = UserFactory(email="marc-mentor@example.org", first_name="Marc", last_name="Mentor")
    stranger = UserFactory(email="zoe-stranger@example.org", first_name="Zoé", last_name="Autre")
    for user, role in ((person, Role.MENTEE), (partner, Role.MENTOR), (stranger, Role.MENTEE)):
        MembershipFactory(user=user, organization=organization, role=role)
    Profile.objects.create(user=person, field="Informatique", occupation="Étudiante")
    Profile.objects.create(user=stranger, field="Droit", occupation="Étudiant")
    SensitiveDataConsent.objects.create(
        user=person, kind="disability", text_version="2026-1", given_at=timezone.now()
    )
    program = ProgramFactory(organization=organization)
    edition = RunningEditionFactory(program=program)
    pair = MentorshipFactory(edition=edition, mentor=partner, mentee=person)
    application = Application.objects.get(edition=edition, user=person)
    application.answers = {"q1": {"question": "Why?", "answer": "To learn"}}
    application.save()
    other_pair = MentorshipFactory(
        edition=edition, mentor=UserFactory(email="other-mentor@example.org"), mentee=stranger
    )
    log = SessionLogFactory(
        meeting__mentorship=pair, shared_notes="Notes of the pair", written_by=partner
    )
    own_note = PrivateNote.objects.create(session_log=log, author=person, text="My own note")
    partners_note = PrivateNote.objects.create(
        session_log=log, author=partner, text="The mentor's private note"
    )
    CheckInFactory(mentorship=pair, respondent=person, answered_at=timezone.now(), comment="ok")
    CheckInFactory(mentorship=other_pair, respondent=stranger, comment="stranger's comment")
    goal = Goal.objects.create(
        mentorship=pair,
        title="Find an internship",
        measure="Signed agreement",
        due_on=timezone.localdate() + timedelta(days=60),
        created_by=person,
    )
    GoalUpdate.objects.create(goal=goal, author=person, progress=30, status=goal.status, note="ok")
    skill = Skill.objects.create(name="Prise de parole", kind="transversal")
    SkillAssessment.objects.create(
        mentorship=pair,
        skill=skill,
        phase=AssessmentPhase.START,
        rater_role=ParticipantRole.MENTEE,
        level=2,
        rated_by=person,
    )
    Resource.objects.create(mentorship=pair, title="Job board", url="https://jobs.example.org")
    Outcome.objects.create(
        mentorship=pair,
        stage=OutcomeStage.END,
        situation=Situation.INTERNSHIP,
        detail="Internship found",
        recorded_by=person,
        recorded_at=timezone.now(),
    )
    pair.mentor_answer_reason = "The mentor's reason"
    pair.mentee_answer_reason = "The mentee's reason"
    pair.save()
    record(action="accounts.profile.updated", actor=person, organization=organization)
    record(action="organizations.member.changed", actor=coordinator, target=person)
    EmailDelivery.objects.create(
        purpose="mentorships.check_in",
        key="1",
        recipient=person.email,
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
    )
    EmailDelivery.objects.create(purpose="mentorships.check_in", key="1", recipient=stranger.email)
    return World(
        organization=organization,
        person=person,
        partner=partner,
        stranger=stranger,
        coordinator=coordinator,
        pair=pair,
        log=log,
        own_note=own_note,
        partners_note=partners_note,
    )


def check_in_of(world: World) -> CheckIn:
    return CheckIn.objects.get(respondent=world.person)
