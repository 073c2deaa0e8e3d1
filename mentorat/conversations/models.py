"""A pair's conversation: one thread per pair, its messages, their attachments, reports
of messages and each reader's read state.

Who may read a thread is decided in `mentorat.permissions.conversations`: the pair's two
people, the coordinators who joined or were added (`ThreadMember`), and, in a pair with
a pupil under 18, the school's coordinators always."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.lib.private_storage import private_storage
from mentorat.mentorships.models import Mentorship


class Thread(models.Model):
    """The conversation of one pair (created with the first message or the first visit)."""

    mentorship = models.OneToOneField(
        Mentorship, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="thread"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_reason = models.TextField(_("reason for closing"), blank=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"thread of pair {self.mentorship_id}"


class ThreadMember(models.Model):
    """A coordinator who reads a thread besides the pair: added by one side or joined on
    their own. Every reader sees the list of members."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation member")
        verbose_name_plural = _("conversation members")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="conversations_member_once")
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} in thread {self.thread_id}"


class Message(models.Model):
    """One message of a thread; `body` is Markdown rendered through `lib.markdown`."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=10_000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("created_at", "pk")
        indexes = [models.Index(fields=["thread", "created_at"], name="conversations_msg_thread")]

    def __str__(self) -> str:
        return f"message {self.pk} in thread {self.thread_id}"


class Attachment(models.Model):
    """A file sent with a message, kept in the private storage (no public address) and
    served only to the thread's readers, always as a download."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="conversations/%Y/%m/", max_length=200
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class MessageReport(models.Model):
    """A message reported by a reader; the coordinators are alerted with the message
    quoted, and record what they did."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=2_000)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handling_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("reported message")
        verbose_name_plural = _("reported messages")

    def __str__(self) -> str:
        return f"report {self.pk} of message {self.message_id}"


class ReadState(models.Model):
    """How far one reader has read one thread, and up to which message they were told
    by email (so that a notification or digest never repeats a message)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)
    notified_until = models.DateTimeField(_("told by email up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("read state")
        verbose_name_plural = _("read states")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="conversations_read_once")
        ]

    def __str__(self) -> str:
        return f"read state of user {self.user_id} in thread {self.thread_id}"
