from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One thing that happened: who did what, when, in which organisation.

    Entries are written only by services (see `mentorat.audit.services.record`) and are
    never edited. `action` is a dotted name such as `organizations.invitation.accepted`.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept even if the account is deleted, so the log stays readable.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_entries",
    )
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=254, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class SecurityEvent(models.Model):
    """A platform-level security signal, such as a signed-in account asking for a page
    of an organisation it does not belong to. Platform admins read it in the Django
    admin; no organisation sees it.

    Why a pseudonym rather than the account: the event is about someone *outside* the
    organisation concerned, often a minor, and most such requests are innocent (an old
    link, a typo). The row holds no email, name or IP address, only
    `pseudonym_for(user id)` — an HMAC keyed from `SECRET_KEY`
    (`mentorat.audit.pseudonyms`). The same account always gets the same pseudonym, so
    repeated probing shows up as one value; the log alone identifies nobody, and once
    the account is deleted nothing links the pseudonym back to a person.

    Re-identifying, when legally needed (a requisition, an incident under
    investigation), is an explicit act of a platform admin: `manage.py
    security_pseudonym EMAIL` gives an account's pseudonym (the admin's search box also
    accepts an email), and `manage.py security_pseudonym PSEUDONYM` finds the account
    behind one by recomputing the HMAC of every user id (under `SECRET_KEY` and its
    `SECRET_KEY_FALLBACKS`). After a key rotation that drops the old key, older
    pseudonyms can no longer be linked. This is pseudonymous data under the GDPR, not
    anonymous data: keep it only as long as needed (`purge_security_events`).

    A foreign key to the account, shown only to platform admins, was rejected: it
    would put the identity of every person who followed a stale link one click away
    for every reader of the log, and it is lost (`SET NULL`) exactly when an account
    is deleted to hide its tracks.
    """

    created_at = models.DateTimeField(
        _("when"), default=timezone.now, editable=False, db_index=True
    )
    user_pseudonym = models.CharField(_("account (pseudonym)"), max_length=64)
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    method = models.CharField(_("HTTP method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user_pseudonym", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_pseudonym[:12]} {self.kind}"
