"""Kinds of email, as a person chooses to receive them on their notification preferences
page. Every email template belongs to one kind (`KIND_BY_TEMPLATE`); mandatory kinds
(about the account, consent, decisions on an application) cannot be turned off, the
others can, from the preferences page or the one-click unsubscribe link in each email."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailKind(models.TextChoices):
    ACCOUNT = "account", _("Account, consent and decisions")
    MESSAGES = "messages", _("New messages in my conversations")
    ANNOUNCEMENTS = "announcements", _("Messages from my program's coordinators")
    MEETINGS = "meetings", _("Meeting proposals and answers")
    CHECK_IN_REMINDERS = "check_in_reminders", _("Check-in and follow-up reminders")
    DIGESTS = "digests", _("Weekly digests for coordinators")


MANDATORY = frozenset({EmailKind.ACCOUNT})


class MessageFrequency(models.TextChoices):
    """When a person is told of new messages they have not read."""

    IMMEDIATELY = "immediately", _("Soon after the message, if I have not read it")
    DAILY = "daily", _("In one daily digest")
    NEVER = "never", _("Never")
