"""Kinds of email, as a person chooses to receive them on their notification preferences
page. Every email template belongs to one kind (`KIND_BY_TEMPLATE`); mandatory kinds
(about the account, consent, decisions on an application) cannot be turned off, the
others can, from the preferences page or the one-click unsubscribe link in each email."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class EmailKind(models.TextChoices):
    ACCOUNT = "account", _("Account, consent and decisions")
    MESSAGES = "messages", _("New messages in my conversations")
    ANNOUNCEMENTS = "announcements", _("Messages from my program's coordinators")
    MEETINGS = "meetings", _("Meeting proposals and answers")
    CHECK_IN_REMINDERS = "check_in_reminders", _("Check-in and follow-up reminders")
    DIGESTS = "digests", _("Digests and reminders for coordinators")


MANDATORY = frozenset({EmailKind.ACCOUNT})

# What each kind holds, shown under its name on the preferences page; for a mandatory
# kind, why it cannot be turned off.
DESCRIPTIONS: dict[EmailKind, Promise] = {
    EmailKind.ACCOUNT: _(
        "Invitations, your applications and the decisions about them, a guardian's "
        "consent, your pair's introduction, your organisation's approval and "
        "partnerships, alerts about reported messages, your personal data requests."
    ),
    EmailKind.MESSAGES: _(
        "When someone writes in one of your conversations and you have not read it."
    ),
    EmailKind.ANNOUNCEMENTS: _(
        "Announcements and calls sent by the coordinators of your programs."
    ),
    EmailKind.MEETINGS: _(
        "When a meeting with your pair is proposed, moved, accepted or cancelled "
        "(with the calendar invitation)."
    ),
    EmailKind.CHECK_IN_REMINDERS: _(
        "Monthly check-ins, reminders to meet, and the request for news six months after "
        "a pair ends."
    ),
    EmailKind.DIGESTS: _(
        "The weekly list of the pairs you follow that need attention, the reminder of "
        "a partnership's commitments not met yet before matching, and the new candidacies "
        "for the opportunities you are the contact of."
    ),
}
MANDATORY_REASON = _(
    "Always sent: these emails are needed to use your account, to decide on your "
    "applications and to protect your personal data."
)


class MessageFrequency(models.TextChoices):
    """When a person is told of new messages they have not read."""

    IMMEDIATELY = "immediately", _("Soon after the message, if I have not read it")
    DAILY = "daily", _("In one daily digest")
    NEVER = "never", _("Never")


# Every email template triplet of the project (`<app>/emails/<name>`) and its kind;
# tests/notifications/test_preferences.py fails for a template missing here.
KIND_BY_TEMPLATE: dict[str, EmailKind] = {
    "applications/emails/received": EmailKind.ACCOUNT,
    "applications/emails/decision": EmailKind.ACCOUNT,
    "applications/emails/guardian_consent": EmailKind.ACCOUNT,
    "applications/emails/guardian_withdrawn": EmailKind.ACCOUNT,
    "applications/emails/recruitment_call": EmailKind.ANNOUNCEMENTS,
    "imports/emails/invitation": EmailKind.ACCOUNT,
    "organizations/emails/invitation": EmailKind.ACCOUNT,
    "matching/emails/introduction": EmailKind.ACCOUNT,
    "matching/emails/request": EmailKind.ACCOUNT,
    "mentorships/emails/meeting": EmailKind.MEETINGS,
    "mentorships/emails/check_in": EmailKind.CHECK_IN_REMINDERS,
    "mentorships/emails/reminder": EmailKind.CHECK_IN_REMINDERS,
    "mentorships/emails/six_month_request": EmailKind.CHECK_IN_REMINDERS,
    "mentorships/emails/digest": EmailKind.DIGESTS,
    "conversations/emails/new_message": EmailKind.MESSAGES,
    "webhooks/emails/endpoint_disabled": EmailKind.ACCOUNT,
    "conversations/emails/digest": EmailKind.MESSAGES,
    # Safeguarding: coordinators must hear of a reported message.
    "conversations/emails/report": EmailKind.ACCOUNT,
    "announcements/emails/announcement": EmailKind.ANNOUNCEMENTS,
    "organizations/emails/approval": EmailKind.ACCOUNT,
    "partnerships/emails/partnership": EmailKind.ACCOUNT,
    "partnerships/emails/commitment_reminder": EmailKind.DIGESTS,
    # A decision on a candidacy the person sent: like a decision on an application.
    "opportunities/emails/decision": EmailKind.ACCOUNT,
    # A new candidacy for an offer the person is the contact of: a coordinator's
    # work notice, which the candidates page also shows.
    "opportunities/emails/received": EmailKind.DIGESTS,
    "privacy_exports/emails/export_ready": EmailKind.ACCOUNT,
    "privacy_erasure/emails/requested": EmailKind.ACCOUNT,
    "privacy_erasure/emails/refused": EmailKind.ACCOUNT,
    "privacy_erasure/emails/done": EmailKind.ACCOUNT,
    "privacy_retention/emails/warning": EmailKind.ACCOUNT,
    "training/emails/reminder": EmailKind.CHECK_IN_REMINDERS,
    # Events: answers to what the person asked (registration, waiting list, a place
    # freed for them) are always sent; the reminder the day before can be turned off.
    "events/emails/registered": EmailKind.ACCOUNT,
    "events/emails/waitlisted": EmailKind.ACCOUNT,
    "events/emails/offer": EmailKind.ACCOUNT,
    "events/emails/reminder": EmailKind.MEETINGS,
}


def kind_of(template: str) -> EmailKind:
    """The kind of the template triplet `template`. A template not listed yet counts as
    mandatory (sent, without unsubscribe link) rather than silently dropped; the test of
    `KIND_BY_TEMPLATE` names it."""
    return KIND_BY_TEMPLATE.get(template, EmailKind.ACCOUNT)
