"""Messages a program's coordinators write to a segment of an edition (French UI:
*messages à une promotion*), and who received each one: the in-app inbox.

The emails themselves go through the delivery ledger (`notifications.EmailDelivery`,
purpose `announcements.message`, key the announcement's id); `emailed_at` is written in
from the ledger when each run of the task ends."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, Program


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", pgettext_lazy("announcement", "Sent")


class Segment(models.TextChoices):
    MENTEES = "mentees", _("All mentees")
    MENTORS = "mentors", _("All mentors")
    EVERYONE = "everyone", _("Everyone (mentors and mentees)")
    UNMATCHED = "unmatched", _("Accepted but without a pair")
    AT_RISK = "at_risk", _("Pairs at risk")
    NOT_MET = "not_met", _("Pairs that have not met yet")
    CUSTOM = "custom", _("Custom filter")


class Announcement(models.Model):
    """One message to a segment of an edition. `organization` is the author's own:
    the program's owner, or a partner it is shared with, whose coordinators write only
    to the people their organisation brought (`filters` holds the custom filter)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="announcements"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("written on behalf of"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    segment = models.CharField(_("recipients"), max_length=16, choices=Segment.choices)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to a cohort")
        verbose_name_plural = _("messages to a cohort")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.subject


class AnnouncementRecipient(models.Model):
    """A person who received an announcement: their inbox entry, whether it was
    emailed (those who turned announcements off get it in the inbox only) and read."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="announcements_received",
    )
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient of a message to a cohort")
        verbose_name_plural = _("recipients of messages to a cohort")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="announcements_recipient_once"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="announcements_unread")]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.user_id}"
