"""A person with data in every app, for the erasure tests: a mentee of a pair that has
ended, with their profile, application (answers, guardian), the pair's answers, goals,
meetings, session logs, notes, check-ins, outcome, matching rows, emails, invitation,
audit and security entries, sign-in records, admin log entries and a session."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.announcements.models import Announcement, AnnouncementRecipient, Segment
from mentorat.applications.imports.models import ImportBatch
from mentorat.applications.models import Application, ApplicationStatus, RecruitmentCall
from mentorat.audit.models import AuditEntry, SecurityEvent
from mentorat.audit.pseudonyms import pseudonym_for
from mentorat.audit.services import record
from mentorat.conversations.models import (
    Attachment,
    Message,
    MessageReport,
    ReadState,
    Thread,
    ThreadMember,
)
from mentorat.events.models import (
    Contact,
    Event,
    EventKind,
    Feedback,
    Registration,
    RegistrationStatus,
)
from mentorat.matching.models import MatchRun, MentorRequest, PairExclusion, Proposal, RunMentor
from mentorat.mentorships.models import (
    CalendarFeed,
    CheckIn,
    Goal,
    GoalUpdate,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    Outcome,
    PrivateNote,
    Reminder,
    Resource,
    SessionLog,
    SkillAssessment,
)
from mentorat.networking.models import NetworkingPlan, NetworkingSeat
from mentorat.notifications.models import DeliveryStatus, EmailDelivery, NotificationPreference
from mentorat.opportunities.models import Candidacy, Opportunity
from mentorat.organizations.models import Invitation, Organization, Partnership, Role
from mentorat.participants.models import Profile, SensitiveDataConsent, Skill
from mentorat.partnerships.models import Agreement, AgreementSignature
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus
from mentorat.privacy.exports.models import ExportRequest
from mentorat.programs.models import Edition, ParticipantRole, Program
from mentorat.recognition.models import (
    Attestation,
    AttestationKind,
    Award,
    Credential,
    CredentialKind,
    Recognition,
    ThankYouNote,
)
from mentorat.resources.models import GoalAdoption, GoalTemplate, LibraryResource
from mentorat.safeguarding.models import SafeguardingCheck
from mentorat.training.models import Assignment, Attempt, Completion, Module, Section, SectionRead
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.mentorships.factories import RunningEditionFactory
from tests.programs.factories import ProgramFactory

MARKER = "zqxmarker7"


@dataclass
class World:
    organization: Organization
    program: Program
    edition: Edition
    person: User  # the mentee to erase
    mentor: User  # the other side of the pair
    admin: User  # an admin of the organisation
    mentorship: Mentorship
    application: Application
    mentor_note: PrivateNote


def text(label: str) -> str:
    """A value holding the marker."""
    return f"{MARKER} {label}"


def build_world() -> World:
    """The person, their pair (ended) and a row of every kind about them."""
    organization = OrganizationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organization=organization, role=Role.ADMIN)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organization=organization, role=Role.COORDINATOR)
    program = ProgramFactory(organization=organization)
    edition = RunningEditionFactory(program=program)
    person = UserFactory(
        email=f"{MARKER}@example.org", first_name=MARKER.capitalize(), last_name="Durand"
    )
    mentor = UserFactory()
    MembershipFactory(user=person, organization=organization, role=Role.MENTEE)
    MembershipFactory(user=mentor, organization=organization, role=Role.MENTOR)
    skill = Skill.objects.create(name="Rédaction", kind="field")
    profile = Profile.objects.create(
        user=person,
        field="Informatique",
        rome_domain="M",
        region="84",
        occupation=text("occupation"),
        target_occupation=text("target"),
        years_of_experience=2,
        languages=["fr", MARKER],
        availability=["mon_evening", MARKER],
        birth_date=timezone.localdate() - timedelta(days=20 * 365),
        gender="woman",
        gender_self_description=text("gender"),
        goals=["first_job"],
    )
    profile.skills_wanted.add(skill)
    SensitiveDataConsent.objects.create(
        user=person, kind="disability", text_version="v1", given_at=timezone.now()
    )
    Profile.objects.create(user=mentor, field="Informatique", rome_domain="M", gender="man")
    now = timezone.now()
    application = Application.objects.create(
        edition=edition,
        user=person,
        role=ParticipantRole.MENTEE,
        organization=organization,
        status=ApplicationStatus.ACCEPTED,
        answers={"1": {"question": "Pourquoi ?", "answer": text("answer")}},
        submitted_at=now - timedelta(days=90),
        decided_at=now - timedelta(days=85),
        accepted_at=now - timedelta(days=85),
        decided_by=coordinator,
        decision_reason=text("decision"),
        info_request=text("info"),
        is_minor=True,
        guardian_email=f"{MARKER}.parent@example.org",
        guardian_name=text("guardian"),
        guardian_relationship="other",
        guardian_relationship_detail=text("aunt"),
        guardian_consent_at=now - timedelta(days=88),
    )
    mentor_application = Application.objects.create(
        edition=edition,
        user=mentor,
        role=ParticipantRole.MENTOR,
        organization=organization,
        status=ApplicationStatus.ACCEPTED,
        submitted_at=now - timedelta(days=90),
        accepted_at=now - timedelta(days=85),
    )
    mentorship = Mentorship.objects.create(
        edition=edition,
        mentor_application=mentor_application,
        mentee_application=application,
        status=MentorshipStatus.ENDED,
        mentor_answer="confirmed",
        mentee_answer="confirmed",
        mentee_answer_reason=text("reason"),
        mentor_answer_reason="Mentor's own reason",
        score=42.0,
        explanation={"fr": text("explication"), "en": "explanation"},
        started_on=timezone.localdate() - timedelta(days=60),
        ended_on=timezone.localdate() - timedelta(days=1),
        end_reason="goals_reached",
        end_note=text("end"),
        ended_by=coordinator,
        created_by=coordinator,
    )
    Resource.objects.create(
        mentorship=mentorship,
        title=text("resource"),
        url=f"https://x.example/{MARKER}",
        added_by=person,
    )
    goal = Goal.objects.create(
        mentorship=mentorship,
        title=text("goal"),
        measure=text("measure"),
        due_on=timezone.localdate(),
        created_by=person,
    )
    GoalUpdate.objects.create(
        goal=goal, author=person, progress=50, status="in_progress", note=text("update")
    )
    SkillAssessment.objects.create(
        mentorship=mentorship,
        skill=skill,
        phase="start",
        rater_role="mentee",
        level=2,
        rated_by=person,
    )
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        starts_at=now - timedelta(days=10),
        mode=MeetingMode.IN_PERSON,
        place=text("place"),
        phone="+33 6 00 00 00 00",
        agenda=text("agenda"),
        status=MeetingStatus.ACCEPTED,
        proposed_by=person,
        proposed_at=now - timedelta(days=20),
    )
    Meeting.objects.create(
        mentorship=mentorship,
        starts_at=now - timedelta(days=5),
        mode=MeetingMode.VIDEO,
        video_url=f"https://visio.example/{MARKER}",
        status=MeetingStatus.CANCELLED,
        cancel_reason=text("cancel"),
        cancelled_by=person,
        cancelled_at=now - timedelta(days=6),
        proposed_by=mentor,
        proposed_at=now - timedelta(days=20),
    )
    log = SessionLog.objects.create(
        meeting=meeting,
        mentorship=mentorship,
        duration_minutes=60,
        topics=text("topics"),
        shared_notes=text("shared"),
        written_by=person,
    )
    PrivateNote.objects.create(session_log=log, author=person, text=text("private"))
    mentor_note = PrivateNote.objects.create(
        session_log=log, author=mentor, text="The mentor's own private note"
    )
    CheckIn.objects.create(
        mentorship=mentorship,
        respondent=person,
        role="mentee",
        occasion="monthly",
        period=1,
        sent_at=now - timedelta(days=30),
        answered_at=now - timedelta(days=29),
        satisfaction=4,
        progress=3,
        recommend=9,
        comment=text("comment"),
        answers={"7": {"question": "Q", "answer": text("check-in answer")}},
    )
    CheckIn.objects.create(
        mentorship=mentorship,
        respondent=mentor,
        role="mentor",
        occasion="monthly",
        period=1,
        sent_at=now - timedelta(days=30),
        answered_at=now - timedelta(days=29),
        satisfaction=5,
        recommend=10,
    )
    Reminder.objects.create(
        recipient=person,
        kind="pair",
        mentorship=mentorship,
        reason=text("reminder"),
        sent_at=now - timedelta(days=15),
    )
    Outcome.objects.create(
        mentorship=mentorship,
        stage="end",
        situation="cdi",
        detail=text("outcome"),
        recorded_by=person,
        recorded_at=now - timedelta(days=1),
    )
    CalendarFeed.objects.create(user=person, token=f"{MARKER}token", created_at=now)
    run = MatchRun.objects.create(
        edition=edition,
        number=1,
        status="succeeded",
        mode="optimal",
        parameters={},
        fingerprint="f",
        started_by=coordinator,
    )
    Proposal.objects.create(
        run=run,
        mentee=application,
        mentor=mentor_application,
        score=42.0,
        explanation=[{"fr": text("proposal"), "en": "x", "points": 1}],
        reason={"fr": text("reason")},
    )
    # The run's copy of a mentor's field and occupation (here the person's application).
    RunMentor.objects.create(
        run=run, mentor=application, field=text("field"), letter="M", occupation=text("job")
    )
    MentorRequest.objects.create(
        edition=edition,
        mentee=application,
        mentor=mentor_application,
        status="accepted",
        message=text("request"),
        explanation=[{"fr": text("why")}],
        expires_at=now + timedelta(days=3),
    )
    PairExclusion.objects.create(
        edition=edition,
        mentee=application,
        mentor=mentor_application,
        note=text("exclusion"),
        created_by=coordinator,
    )
    RecruitmentCall.objects.create(
        program=program,
        sent_by=person,
        recipients=[person.email, "rh@banque.example"],
        message="Devenez mentor",
    )
    EmailDelivery.objects.create(
        purpose="applications.decision",
        key="1",
        recipient=person.email,
        status=DeliveryStatus.FAILED,
        error=f"550 <{person.email}> unknown",
    )
    NotificationPreference.objects.create(user=person, kind="digests", enabled=False)
    Invitation.objects.create(
        organization=organization,
        email=person.email,
        role=Role.MENTEE,
        invited_by=admin,
        expires_at=now + timedelta(days=3),
        accepted_at=now,
        accepted_by=person,
    )
    ImportBatch.objects.create(
        program=program,
        edition=edition,
        organization=organization,
        created_by=person,
        filename=f"{MARKER}.csv",
        content=b"",
        sha256="0" * 64,
    )
    # The audit log: what the person did, and what others did about their rows.
    record(
        action="applications.application.submitted",
        actor=person,
        organization=organization,
        target=application,
        data={"note": text("audit")},
    )
    AuditEntry.objects.filter(actor=person).update(ip_address="192.0.2.7")
    record(
        action="applications.application.accepted",
        actor=coordinator,
        organization=organization,
        target=application,
    )
    record(action="accounts.user.updated", actor=admin, target=person)
    record(
        action="organizations.invitation.sent",
        actor=admin,
        organization=organization,
        data={"email": person.email},
    )
    SecurityEvent.objects.create(user_pseudonym=pseudonym_for(person.pk), kind="access.denied")
    # Sign-in records, second factor, a session, Django admin's log.
    AccessAttempt.objects.create(
        username=person.email,
        ip_address="192.0.2.7",
        user_agent=text("ua"),
        get_data="",
        post_data=text("post"),
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=1,
    )
    AccessLog.objects.create(
        username=person.email,
        ip_address="192.0.2.7",
        user_agent=text("ua"),
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    AccessFailureLog.objects.create(
        username=person.email,
        ip_address="192.0.2.7",
        user_agent=text("ua"),
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    EmailConfirmation.objects.create(
        email_address=EmailAddress.objects.get(user=person), key=f"{MARKER}key", sent=now
    )
    with_totp(person)
    assert Authenticator.objects.filter(user=person).exists()
    # Signed in once through an organisation's identity provider (mentorat.sso).
    social_account = SocialAccount.objects.create(
        user=person, provider="org-a-sso", uid=text("uid"), extra_data={"name": text("idp")}
    )
    SocialToken.objects.create(account=social_account, token=text("token"))
    session = SessionStore()
    session["_auth_user_id"] = str(person.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["note"] = MARKER
    session.create()
    content_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.create(
        user=admin,
        content_type=content_type,
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message="[]",
    )
    LogEntry.objects.create(
        user=person,
        content_type=content_type,
        object_id=str(mentor.pk),
        object_repr=str(mentor),
        action_flag=CHANGE,
        change_message=text("changed"),
    )
    # The resource library: what the person added (as staff would) and adopted.
    LibraryResource.objects.create(
        organization=organization,
        program=program,
        title="Guide",
        kind="link",
        url="https://guide.example.org",
        phase="during",
        created_by=person,
    )
    template = GoalTemplate.objects.create(
        organization=organization, title="Stage", measure="Signé", created_by=person
    )
    GoalAdoption.objects.create(template=template, mentorship=mentorship, adopted_by=person)
    # Training: a module the person wrote (as staff would), assigned, read, tried, completed.
    module = Module.objects.create(
        organization=organization, group="erasure", title="Écoute", created_by=person
    )
    section = Section.objects.create(module=module, title="Partie", body="Texte")
    Assignment.objects.create(
        program=program, module=module, requirement="recommended", created_by=person
    )
    SectionRead.objects.create(user=person, section=section, module=module)
    Attempt.objects.create(user=person, module=module, answers={"1": [2]}, score=0, passed=False)
    Completion.objects.create(user=person, module=module, completed_at=timezone.now())
    SafeguardingCheck.objects.create(
        mentor=person,
        organization=organization,
        kind="other",
        kind_detail=text("check"),
        checked_on=timezone.localdate(),
        recorded_by=admin,
    )
    ExportRequest.objects.create(
        person=person, requested_by=person, status="expired", file=f"exports/{MARKER}.zip"
    )
    ErasureRequest.objects.create(
        person=person,
        deadline=now + timedelta(days=30),
        status=ErasureStatus.REFUSED,
        decided_by=admin,
        decided_at=now,
        refusal_reason=text("refused"),
    )
    # A message to the cohort the person received, and one the person wrote.
    for author in (admin, person):
        announcement = Announcement.objects.create(
            program=program,
            edition=edition,
            organization=organization,
            author=author,
            segment=Segment.MENTEES,
            subject="Lancement",
            body="Bienvenue",
        )
        AnnouncementRecipient.objects.create(
            announcement=announcement, user=person, emailed_at=now, read_at=now
        )
    # A partnership agreement the person signed for the organisation.
    partnership = Partnership.objects.create(
        organization=organization, partner=OrganizationFactory(), kind="joint_program"
    )
    agreement = Agreement.objects.create(partnership=partnership, school_year=2026)
    AgreementSignature.objects.create(
        agreement=agreement,
        organization=organization,
        signatory_name=text("signatory"),
        signatory_role=text("role"),
        signed_at=now,
        recorded_by=person,
    )
    # An opportunity the person posted (as its contact) and one she applied to.
    opportunity = Opportunity.objects.create(
        organization=organization,
        kind="internship",
        title="Stage",
        deadline=timezone.localdate(),
        contact=person,
        created_by=person,
    )
    Candidacy.objects.create(
        opportunity=opportunity,
        candidate=person,
        message=text("candidacy"),
        recommended_by=coordinator,
        decided_by=admin,
    )
    # The pair's conversation: the person's messages, a file, a report and read state.
    thread = Thread.objects.create(
        mentorship=mentorship,
        last_message_at=now,
        closed_at=now,
        closed_by=coordinator,
        close_reason=text("closed"),
    )
    ThreadMember.objects.create(thread=thread, user=coordinator, added_by=person)
    message = Message.objects.create(thread=thread, author=person, body=text("message"))
    Attachment.objects.create(
        message=message,
        file=f"conversations/{MARKER}.pdf",
        name=f"{MARKER}.pdf",
        content_type="application/pdf",
        size=10,
    )
    mentor_message = Message.objects.create(thread=thread, author=mentor, body="Bonjour")
    MessageReport.objects.create(message=mentor_message, reported_by=person, reason=text("report"))
    ReadState.objects.create(thread=thread, user=person, last_read_at=now)
    # Recognition: a note to the mentor, an award, an attestation and a badge.
    ThankYouNote.objects.create(mentorship=mentorship, author=person, text=text("thanks"))
    recognition = Recognition.objects.create(program=program, name="Engagé·e", created_by=admin)
    Award.objects.create(
        recognition=recognition,
        mentor=person,
        reason=text("award"),
        awarded_by=admin,
        awarded_at=now,
    )
    Attestation.objects.create(
        kind=AttestationKind.TRAINING,
        holder=person,
        holder_name=text("holder"),
        organization=organization,
        language="fr",
        signatory=admin,
        signatory_name="Admin",
        details={"modules": [{"title": text("module")}]},
        issued_at=now,
        issued_by=person,
    )
    Credential.objects.create(
        organization=organization,
        holder=person,
        kind=CredentialKind.MODULE,
        module_id=1,
        achievement_name=text("badge"),
        earned_at=now,
        status_index=0,
        token=text("token"),
    )
    # Speed networking: the person's seat at an evening, and a plan they asked for.
    evening = Event.objects.create(
        organization=organization, kind=EventKind.JOB_DATING, title="Job dating",
        starts_at=now, ends_at=now + timedelta(hours=2),
    )  # fmt: skip
    rounds = NetworkingPlan.objects.create(event=evening, requested_by=person)
    NetworkingSeat.objects.create(
        plan=rounds, round=1, table=1, professional=mentor, mentee=person,
        explanation_fr=text("seat"), explanation_en=text("seat"),
    )  # fmt: skip
    # Events: the person's registration (attended), feedback and a contact they noted.
    registration = Registration.objects.create(
        event=evening, user=person, status=RegistrationStatus.REGISTERED, attended=True,
        checked_in_at=now, registered_by=admin, checked_in_by=admin,
    )  # fmt: skip
    Feedback.objects.create(registration=registration, rating=4, comment=text("feedback"))
    Contact.objects.create(
        registration=registration, met=mentor, introduction_requested_at=now,
        introduction_note=text("introduction"),
    )  # fmt: skip
    return World(
        organization=organization,
        program=program,
        edition=edition,
        person=person,
        mentor=mentor,
        admin=admin,
        mentorship=mentorship,
        application=application,
        mentor_note=mentor_note,
    )
