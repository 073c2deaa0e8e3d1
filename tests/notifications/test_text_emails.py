"""The text part and the subject of every email are plain text: a name such as
« d'Arc "Jo" <Ça & Co> » arrives as typed, not as « d&#x27;Arc &quot;Jo&quot; &lt;Ça
&amp; Co&gt; », while the HTML part stays escaped.

Every email template triplet of the project is found by globbing, and each is sent by the
real task that sends it (through the locmem backend), with every name, title and message
that the email can show set to that string: a new email fails
`test_every_email_template_is_covered` until it has a sender here."""

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

import mentorat
from mentorat.accounts.models import User
from mentorat.applications.imports.models import ImportBatch, ImportStatus
from mentorat.applications.models import ApplicationStatus, RecruitmentCall
from mentorat.matching.models import MentorRequest
from mentorat.mentorships.models import CheckIn, EndReason, Reminder, ReminderKind
from mentorat.mentorships.services.followup import send_coordinator_digests
from mentorat.mentorships.services.pairs import end_mentorship
from mentorat.organizations.models import Invitation, Role
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.factories import OrganizationFactory, UserFactory
from tests.mentorships.clock import START, T0, at
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    RunningEditionFactory,
)
from tests.programs.factories import CharterFactory, ProgramFactory

pytestmark = pytest.mark.django_db

# Everything HTML escapes: an apostrophe, double quotes, angle brackets, an ampersand.
NASTY = 'd\'Arc "Jo" <Ça & Co>'
ENTITIES = ("&#x27;", "&#39;", "&quot;", "&lt;", "&gt;", "&amp;")

TEMPLATE_ROOT = Path(mentorat.__file__).parent


def email_templates() -> list[str]:
    """Every `<app>/emails/<name>` with its subject, text and HTML templates."""
    names = []
    for subject in sorted(TEMPLATE_ROOT.glob("**/templates/**/emails/*_subject.txt")):
        templates = next(p for p in subject.parents if p.name == "templates")
        name = str(subject.relative_to(templates)).removesuffix("_subject.txt")
        assert subject.with_name(f"{subject.name.removesuffix('_subject.txt')}.txt").exists()
        assert subject.with_name(f"{subject.name.removesuffix('_subject.txt')}.html").exists()
        names.append(name)
    return names


class World:
    """People, organisations and programs all named `NASTY`, speaking `language`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.organization = OrganizationFactory(name=f"Org {NASTY}")
        self.program = ProgramFactory(organization=self.organization, name=f"Prog {NASTY}")
        self.mentor = self.person("mentor")
        self.mentee = self.person("mentee")
        self.coordinator = self.person("coordinator")
        self.coordinator.memberships.create(organization=self.organization, role=Role.COORDINATOR)

    def person(self, label: str) -> User:
        user = UserFactory(
            email=f"{label}@example.org",
            first_name=f"{label.title()} {NASTY}",
            last_name=NASTY,
            language=self.language,
        )
        ProfileFactory(user=user, occupation=f"Job {NASTY}", field=f"Field {NASTY}")
        return user


def sent(send: Callable[[], object]) -> list[EmailMultiAlternatives]:
    """The emails that `send` sends once its transaction commits."""
    before = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        send()
    return mail.outbox[before:]


# One sender per email template: the real task, given the ids it takes -------------------------


def _application(world: World, **fields: object):
    edition = RunningEditionFactory(program=world.program, name=f"Ed {NASTY}")
    return ApplicationFactory(edition=edition, user=world.mentee, **fields)


def received(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.applications.tasks import send_application_received_email

    application = _application(world)
    return sent(lambda: send_application_received_email.enqueue(application.pk))


def decision(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.applications.tasks import send_decision_email

    application = _application(
        world,
        status=ApplicationStatus.INFO_REQUESTED,
        info_request=f"Info {NASTY}",
        decision_reason=f"Why {NASTY}",
    )
    return sent(lambda: send_decision_email.enqueue(application.pk))


def guardian_consent(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.applications.tasks import send_guardian_consent_email

    application = _application(world, guardian_email="guardian@example.org")
    return sent(lambda: send_guardian_consent_email.enqueue(application.pk))


def guardian_withdrawn(world: World) -> list[EmailMultiAlternatives]:
    # Through the guardian's link: they consent, then withdraw; the coordinator is told.
    from mentorat.applications.guardians import (
        GuardianConsent,
        record_guardian_consent,
        withdraw_guardian_consent,
    )
    from mentorat.applications.links import guardian_token

    application = _application(
        world,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="guardian@example.org",
        is_minor=True,
    )
    token = guardian_token(application)
    consent = GuardianConsent(full_name=f"Guardian {NASTY}", relationship="mother")
    record_guardian_consent(token=token, consent=consent)
    return sent(lambda: withdraw_guardian_consent(token=token))


def recruitment_call(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.applications.tasks import send_recruitment_call_emails

    call = RecruitmentCall.objects.create(
        program=world.program,
        sent_by=world.coordinator,
        message=f"Message {NASTY}",
        recipients=[world.mentor.email],
        mentors_needed=3,
    )
    return sent(lambda: send_recruitment_call_emails.enqueue(call.pk))


def announcement(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.announcements.models import Announcement, Segment
    from mentorat.announcements.services import send_announcement

    edition = RunningEditionFactory(program=world.program, name=f"Ed {NASTY}")
    ApplicationFactory(
        edition=edition, user=world.mentee, role="mentee", status=ApplicationStatus.ACCEPTED
    )
    message = Announcement.objects.create(
        program=world.program,
        edition=edition,
        organization=world.organization,
        author=world.coordinator,
        segment=Segment.MENTEES,
        subject=f"Subject {NASTY}",
        body=f"Body {NASTY}",
    )
    return sent(lambda: send_announcement(announcement=message, actor=world.coordinator))


def import_invitation(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.applications.imports.tasks import send_import_invitations

    edition = RunningEditionFactory(program=world.program, name=f"Ed {NASTY}")
    invitation = _invitation(world, email=world.mentee.email)
    batch = ImportBatch.objects.create(
        program=world.program,
        edition=edition,
        organization=world.organization,
        created_by=world.coordinator,
        filename="liste.csv",
        content=b"",
        sha256="0" * 64,
        status=ImportStatus.IMPORTED,
        result={"invitation_ids": [invitation.pk]},
    )
    return sent(lambda: send_import_invitations.enqueue(batch.pk))


def _invitation(world: World, *, email: str) -> Invitation:
    return Invitation.objects.create(
        organization=world.organization,
        email=email,
        role=Role.MENTEE,
        invited_by=world.coordinator,
        expires_at=timezone.now() + timedelta(days=14),
    )


def organization_invitation(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.organizations.tasks import send_invitation_email

    invitation = _invitation(world, email="newcomer@example.org")
    return sent(lambda: send_invitation_email.enqueue(invitation.pk))


def organization_approval(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.organizations.services import refuse_organization

    world.organization.approval_status = "pending"
    world.organization.save()
    world.coordinator.memberships.create(organization=world.organization, role=Role.ADMIN)
    return sent(
        lambda: refuse_organization(
            organization=world.organization, actor=world.coordinator, reason=f"Why {NASTY}"
        )
    )


def _partnership(world: World):
    from mentorat.partnerships.services import propose_partnership

    partner = OrganizationFactory(name=f"Partner {NASTY}")
    world.mentor.memberships.create(organization=partner, role=Role.ADMIN)
    world.mentor.memberships.create(organization=partner, role=Role.COORDINATOR)
    return lambda: propose_partnership(
        organization=world.organization,
        partner=partner,
        kind="joint_program",
        message=f"Hello {NASTY}",
        actor=world.coordinator,
    )


def partnership_proposed(world: World) -> list[EmailMultiAlternatives]:
    return sent(_partnership(world))


def commitment_reminder(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.partnerships.models import Agreement
    from mentorat.partnerships.tasks import send_commitment_reminder

    with TestCase.captureOnCommitCallbacks(execute=False):
        partnership = _partnership(world)()
    agreement = Agreement.objects.create(partnership=partnership, school_year=2026)
    lines = [[f"Org {NASTY}", "Mentors", "12", "< 5"]]
    return sent(lambda: send_commitment_reminder.enqueue(agreement.pk, "2026-12-07", lines))


def webhook_disabled(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.webhooks.models import Endpoint
    from mentorat.webhooks.tasks import tell_admins_endpoint_disabled

    world.coordinator.memberships.create(organization=world.organization, role=Role.ADMIN)
    endpoint = Endpoint.objects.create(
        organization=world.organization,
        url=f"https://hooks.example.org/{NASTY}",
        event_types=[],
        secret="whsec_eA==",
        is_active=False,
        failures_in_a_row=15,
    )
    return sent(lambda: tell_admins_endpoint_disabled.enqueue(endpoint.pk))


def candidacy_decision(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.opportunities.models import Candidacy, Opportunity
    from mentorat.opportunities.services import decide_candidacy

    opportunity = Opportunity.objects.create(
        organization=world.organization,
        kind="internship",
        title=f"Stage {NASTY}",
        deadline=timezone.localdate(),
        status="published",
    )
    candidacy = Candidacy.objects.create(
        opportunity=opportunity, candidate=world.mentee, message=f"Hi {NASTY}"
    )
    return sent(
        lambda: decide_candidacy(candidacy=candidacy, decision="accept", actor=world.coordinator)
    )


def candidacy_received(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.opportunities.models import Opportunity
    from mentorat.opportunities.services import express_interest

    opportunity = Opportunity.objects.create(
        organization=world.organization,
        kind="internship",
        title=f"Stage {NASTY}",
        deadline=timezone.localdate(),
        status="published",
        contact=world.coordinator,
    )
    return sent(
        lambda: express_interest(
            opportunity=opportunity, candidate=world.mentee, message=f"Hi {NASTY}"
        )
    )


def _pair(world: World, **fields: object):
    edition = RunningEditionFactory(program=world.program, name=f"Ed {NASTY}")
    for user, role in ((world.mentor, "mentor"), (world.mentee, "mentee")):
        ApplicationFactory(edition=edition, user=user, role=role, status=ApplicationStatus.ACCEPTED)
    return MentorshipFactory(edition=edition, mentor=world.mentor, mentee=world.mentee, **fields)


def introduction(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.matching.tasks import send_introduction_emails

    reason = {"points": 3, "fr": f"Raison {NASTY}", "en": f"Reason {NASTY}"}
    mentorship = _pair(world, explanation={"parts": [reason]})
    CharterFactory(program=world.program, text=f"Charte {NASTY}")
    return sent(lambda: send_introduction_emails.enqueue(mentorship.pk))


def mentor_request(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.matching.tasks import send_request_email

    edition = RunningEditionFactory(program=world.program)
    found = MentorRequest.objects.create(
        edition=edition,
        mentee=ApplicationFactory(edition=edition, user=world.mentee, role="mentee"),
        mentor=ApplicationFactory(edition=edition, user=world.mentor, role="mentor"),
        message=f"Message {NASTY}",
        expires_at=timezone.now() + timedelta(days=7),
    )
    return [
        email
        for event in ("received", "reminder", "accepted", "declined", "expired")
        for email in sent(lambda event=event: send_request_email.enqueue(found.pk, event))
    ]


def meeting(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.mentorships.tasks import send_meeting_email

    found = MeetingFactory(
        mentorship=_pair(world),
        place=f"Café {NASTY}",
        agenda=f"Agenda {NASTY}",
        cancel_reason=f"Because {NASTY}",
    )
    return [
        email
        for event in ("proposed", "rescheduled", "accepted", "cancelled")
        for email in sent(
            lambda event=event: send_meeting_email.enqueue(found.pk, event, world.mentee.pk)
        )
    ]


def check_in(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.mentorships.tasks import send_check_in_email

    found: CheckIn = CheckInFactory(mentorship=_pair(world))
    return sent(lambda: send_check_in_email.enqueue(found.pk))


def reminder(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.mentorships.tasks import send_pair_reminder_email

    found = Reminder.objects.create(
        recipient=world.mentee,
        kind=ReminderKind.PAIR,
        mentorship=_pair(world),
        reason=f"Reason {NASTY}",
        sent_at=timezone.now(),
    )
    return sent(lambda: send_pair_reminder_email.enqueue(found.pk))


def digest(world: World) -> list[EmailMultiAlternatives]:
    # Through the daily follow-up service: a pair 40 days without a meeting is at risk.
    with time_machine.travel(T0, tick=False):
        _pair(world, started_on=START)
    with time_machine.travel(at(40), tick=False):
        return sent(lambda: send_coordinator_digests(now=at(40)))


def six_month_request(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.mentorships.tasks import send_six_month_request_email

    mentorship = _pair(world)
    end_mentorship(mentorship=mentorship, reason=EndReason.GOALS_REACHED, actor=world.mentee)
    return sent(lambda: send_six_month_request_email.enqueue(mentorship.pk))


def _conversation(world: World):
    from mentorat.conversations.models import Message, Thread

    thread = Thread.objects.create(mentorship=_pair(world))
    message = Message.objects.create(thread=thread, author=world.mentor, body=f"Hi {NASTY}")
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    return message


def new_message(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.conversations.tasks import notify_new_message

    message = _conversation(world)
    return sent(lambda: notify_new_message.enqueue(message.pk))


def message_digest(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.conversations.notify import send_message_digests
    from mentorat.notifications.services import set_preferences

    set_preferences(user=world.mentee, turned_off=(), message_frequency="daily")
    _conversation(world)
    return sent(send_message_digests)


def export_ready(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.privacy.exports.services import request_export

    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(
            STORAGES={
                **settings.STORAGES,
                "private": {
                    "BACKEND": "mentorat.lib.private_storage.PrivateFileSystemStorage",
                    "OPTIONS": {"location": folder},
                },
            }
        ),
    ):
        return sent(lambda: request_export(person=world.mentee, requested_by=world.mentee))


def _erasure_admin(world: World) -> User:
    """An admin of the world's organisation, who decides erasure requests, and a mentee
    whose application gives that organisation their data."""
    admin = world.person("admin")
    admin.memberships.create(organization=world.organization, role=Role.ADMIN)
    _application(world)
    return admin


def erasure_requested(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.privacy.erasure.services import request_erasure

    _erasure_admin(world)
    return sent(lambda: request_erasure(person=world.mentee))


def erasure_refused(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.privacy.erasure.services import refuse_erasure_request, request_erasure

    admin = _erasure_admin(world)
    erasure_request = request_erasure(person=world.mentee)
    return sent(
        lambda: refuse_erasure_request(
            erasure_request=erasure_request,
            actor=admin,
            organization=world.organization,
            reason=f"Reason {NASTY}",
        )
    )


def erasure_done(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.privacy.erasure.services import confirm_erasure_request, request_erasure

    admin = _erasure_admin(world)
    erasure_request = request_erasure(person=world.mentee)
    return sent(
        lambda: confirm_erasure_request(
            erasure_request=erasure_request, actor=admin, organization=world.organization
        )
    )


def retention_warning(world: World) -> list[EmailMultiAlternatives]:
    # Through the daily run, 30 days before a former participant's data are due.
    from mentorat.privacy.retention.services import apply_retention
    from tests.privacy_retention.helpers import DUE_ON, morning, participant

    participant(
        organization=world.organization,
        email="former@example.org",
        first_name=f"Former {NASTY}",
        last_name=NASTY,
        language=world.language,
    )
    warn_on = DUE_ON - timedelta(days=30)
    with time_machine.travel(morning(warn_on), tick=False):
        return sent(lambda: apply_retention(today=warn_on))


def message_report(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.conversations.services import post_message, report_message

    pair = MentorshipFactory(
        edition=RunningEditionFactory(program=world.program),
        mentor=world.mentor,
        mentee=world.mentee,
    )
    with TestCase.captureOnCommitCallbacks(execute=False):
        message = post_message(mentorship=pair, author=world.mentor, body=f"Hello {NASTY}")
    return sent(
        lambda: report_message(message=message, reporter=world.mentee, reason=f"Why {NASTY}")
    )


def training_reminder(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.training.models import Module, Requirement
    from mentorat.training.tasks import send_training_reminder

    edition = RunningEditionFactory(program=world.program)
    ApplicationFactory(edition=edition, user=world.mentor, role="mentor", status="accepted")
    module = Module.objects.create(
        organization=world.organization,
        group="nasty",
        title=f"Module {NASTY}",
        status="published",
    )
    world.program.training_assignments.create(
        module=module, audience="mentors", requirement=Requirement.BEFORE_MATCHING
    )
    return sent(lambda: send_training_reminder.enqueue(world.mentor.pk, "2026-12-07"))


def _event(world: World, **fields: object):
    from tests.events.factories import make_event

    return make_event(world.organization, title=f"Event {NASTY}", place=f"Place {NASTY}", **fields)


def event_registered(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.events.services import register

    return sent(lambda: register(event=_event(world), user=world.mentee))


def event_waitlisted(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.events.services import register

    event = _event(world, capacity=1)
    register(event=event, user=world.mentor)
    return sent(lambda: register(event=event, user=world.mentee))


def event_offer(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.events.services import cancel_registration, register

    event = _event(world, capacity=1)
    holder = register(event=event, user=world.mentor)
    register(event=event, user=world.mentee)
    return [
        email
        for email in sent(lambda: cancel_registration(registration=holder, actor=world.mentor))
        if email.to == [world.mentee.email]
    ]


def event_reminder(world: World) -> list[EmailMultiAlternatives]:
    from mentorat.events.reminders import send_reminders
    from mentorat.events.services import register

    event = _event(world, starts_at=timezone.now() + timedelta(hours=20))
    register(event=event, user=world.mentee)
    return sent(send_reminders)


SENDERS: dict[str, Callable[[World], list[EmailMultiAlternatives]]] = {
    "applications/emails/received": received,
    "applications/emails/decision": decision,
    "applications/emails/guardian_consent": guardian_consent,
    "applications/emails/guardian_withdrawn": guardian_withdrawn,
    "applications/emails/recruitment_call": recruitment_call,
    "conversations/emails/report": message_report,
    "announcements/emails/announcement": announcement,
    "imports/emails/invitation": import_invitation,
    "organizations/emails/invitation": organization_invitation,
    "organizations/emails/approval": organization_approval,
    "partnerships/emails/partnership": partnership_proposed,
    "partnerships/emails/commitment_reminder": commitment_reminder,
    "opportunities/emails/decision": candidacy_decision,
    "opportunities/emails/received": candidacy_received,
    "webhooks/emails/endpoint_disabled": webhook_disabled,
    "matching/emails/introduction": introduction,
    "matching/emails/request": mentor_request,
    "mentorships/emails/meeting": meeting,
    "mentorships/emails/check_in": check_in,
    "mentorships/emails/reminder": reminder,
    "mentorships/emails/digest": digest,
    "mentorships/emails/six_month_request": six_month_request,
    "conversations/emails/new_message": new_message,
    "conversations/emails/digest": message_digest,
    "privacy_exports/emails/export_ready": export_ready,
    "privacy_erasure/emails/requested": erasure_requested,
    "privacy_erasure/emails/refused": erasure_refused,
    "privacy_erasure/emails/done": erasure_done,
    "privacy_retention/emails/warning": retention_warning,
    "training/emails/reminder": training_reminder,
    "events/emails/registered": event_registered,
    "events/emails/waitlisted": event_waitlisted,
    "events/emails/offer": event_offer,
    "events/emails/reminder": event_reminder,
}


# The emails that show nothing anyone typed: the last one to a person just erased (nothing
# about them is left) and the retention warning. Their translations hold apostrophes all
# the same, which must not be escaped either.
SHOW_NOTHING_TYPED = {"privacy_erasure/emails/done", "privacy_retention/emails/warning"}


def test_every_email_template_is_covered():
    assert sorted(email_templates()) == sorted(SENDERS)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("template", sorted(SENDERS))
def test_text_parts_and_subjects_are_not_html_escaped_html_parts_are(template, language):
    emails = SENDERS[template](World(language))
    assert emails, f"{template}: nothing was sent"
    for email in emails:
        text, subject = email.body, email.subject
        [(html, mimetype)] = email.alternatives
        assert mimetype == "text/html"
        shown = NASTY in f"{subject}\n{text}"
        assert shown != (template in SHOW_NOTHING_TYPED), (template, subject, text)
        for entity in ENTITIES:
            assert entity not in subject, (template, entity, subject)
            assert entity not in text, (template, entity, text)
        if NASTY in text:
            assert escape(NASTY) in html, (template, html)
        assert "<Ça" not in html  # what the person typed never becomes markup


def test_the_text_renderer_leaves_the_html_engine_escaping():
    """The second engine does not change how pages and HTML parts are rendered."""
    from django.template.loader import render_to_string

    from mentorat.notifications.emails import render_text

    context = {"program": ProgramFactory(name=NASTY)}
    assert NASTY in render_text("applications/emails/recruitment_call_subject.txt", context)
    assert escape(NASTY) in render_to_string(
        "applications/emails/recruitment_call_subject.txt", context
    )


# allauth's own emails (confirmation, password reset...) are text only, rendered by allauth
# with `{% autoescape off %}` in its templates; an address may hold ' and &.


def test_allauth_emails_show_addresses_as_typed(client, mailoutbox):
    address = "o'brien&co@example.org"
    response = client.post(
        reverse("account_signup"),
        {
            "email": address,
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
            "first_name": NASTY,
            "last_name": NASTY,
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302
    client.post(reverse("account_reset_password"), {"email": address})
    assert len(mailoutbox) == 2
    for email in mailoutbox:
        assert email.to == [address]
        for entity in ENTITIES:
            assert entity not in email.subject
            assert entity not in email.body
    assert NASTY in mailoutbox[0].body  # the user as allauth displays them: their name
