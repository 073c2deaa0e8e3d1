"""Networking events (kick-offs, workshops, company visits, job-dating evenings…), the
people registered for them, their feedback and the contacts they made.

Who may see or change what is decided in `mentorat.permissions.events`; writes go through
`mentorat.events.services` (registration and waitlist promotion under a row lock on the
event). Times are stored in UTC and shown in each reader's time zone."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization, Partnership
from mentorat.programs.models import Edition


class EventKind(models.TextChoices):
    KICK_OFF = "kick_off", _("Kick-off")
    WORKSHOP = "workshop", _("Workshop")
    COMPANY_VISIT = "company_visit", _("Company visit")
    JOB_DATING = "job_dating", _("Job dating / speed networking")
    CLOSING = "closing", _("Closing ceremony")
    OTHER = "other", _("Other")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Audience(models.TextChoices):
    EDITION = "edition", _("A program's edition")
    ORGANIZATION = "organization", _("An organisation")
    PARTNERSHIP = "partnership", _("A partnership")
    PUBLIC = "public", _("Anyone signed in")


class AudienceRoles(models.TextChoices):
    BOTH = "both", _("Mentors and mentees")
    MENTORS = "mentors", _("Mentors")
    MENTEES = "mentees", _("Mentees")


class Event(models.Model):
    """One event, organised by `organization`, possibly co-hosted by partners whose
    coordinators may edit it too. `capacity` None means no limit."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    co_hosts = models.ManyToManyField(
        Organization, verbose_name=_("co-hosts"), blank=True, related_name="cohosted_events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    format = models.CharField(
        _("format"), max_length=16, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    access_notes = models.TextField(_("access notes"), blank=True, max_length=2_000)
    online_link = models.URLField(_("online link"), blank=True, max_length=500)
    starts_at = models.DateTimeField(_("start"), db_index=True)
    ends_at = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to confirm a freed place"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ORGANIZATION
    )
    audience_roles = models.CharField(
        _("for"), max_length=8, choices=AudienceRoles.choices, default=AudienceRoles.BOTH
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="events_event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Place offered, to confirm")
    CANCELLED = "cancelled", _("Cancelled")


#: Statuses that hold a place (an offered place is kept until its deadline).
HOLDS_PLACE = (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED)


class Registration(models.Model):
    """One person's registration for one event. `position` orders the waiting list
    (increasing, assigned under the event's row lock)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offered_at = models.DateTimeField(_("place offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("position", "pk")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_registration_once")
        ]
        indexes = [models.Index(fields=["event", "status"], name="events_reg_event_status")]

    def __str__(self) -> str:
        return f"registration of user {self.user_id} for event {self.event_id}"


class Feedback(models.Model):
    """An attendee's answer to the short survey after the event."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2_000)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event feedback")
        verbose_name_plural = _("event feedback")

    def __str__(self) -> str:
        return f"feedback on registration {self.registration_id}"


class Contact(models.Model):
    """Someone an attendee met at the event ("people I met"); the attendee may ask the
    coordinators to be introduced again."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="contacts"
    )
    met = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person met"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    introduction_requested_at = models.DateTimeField(
        _("introduction requested at"), null=True, blank=True
    )
    introduction_note = models.TextField(_("why"), blank=True, max_length=1_000)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact made")
        verbose_name_plural = _("contacts made")
        constraints = [
            models.UniqueConstraint(fields=["registration", "met"], name="events_contact_once")
        ]

    def __str__(self) -> str:
        return f"contact {self.met_id} of registration {self.registration_id}"
