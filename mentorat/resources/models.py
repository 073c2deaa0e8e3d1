"""A program's resource library (guides, kits, links and files for mentors, mentees or
both, by phase of the pair) and its goal templates (suggested goals a pair adopts in one
click). Not to be confused with `mentorships.Resource`, the links a pair shares.

Both belong to an organisation, and to one of its programs or, with no program, to all
of them (written once, reused in every program of the organisation). Files live in the
private storage: no URL serves them; a view streams them to the program's people."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorat.lib.private_storage import private_storage
from mentorat.mentorships.models import Goal, Mentorship
from mentorat.organizations.models import Organization
from mentorat.participants.models import Skill
from mentorat.programs.models import Program


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    KIT = "kit", _("Kit")
    LINK = "link", _("Link")
    FILE = "file", _("File")


class Audience(models.TextChoices):
    MENTORS = "mentors", _("Mentors")
    MENTEES = "mentees", _("Mentees")
    BOTH = "both", _("Mentors and mentees")


class Phase(models.TextChoices):
    """When in a pair's life a resource helps (see `resources.phases.pair_phase`)."""

    BEFORE_FIRST_MEETING = "before_first_meeting", _("Before the first meeting")
    DURING = "during", _("During the mentorship")
    CLOSING = "closing", _("Closing")


class LibraryResource(models.Model):
    """A guide, kit, link or file of a program's library (or of every program of the
    organisation, when `program` is empty)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="library_resources",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="library_resources",
        help_text=_("Empty: offered in every program of the organisation."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5_000)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="resources/%Y/%m/", max_length=200, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    audience = models.CharField(
        _("for"), max_length=8, choices=Audience.choices, default=Audience.BOTH
    )
    phase = models.CharField(_("when"), max_length=24, choices=Phase.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        ordering = ("title", "pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="library_resource_url_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title


class GoalTemplate(models.Model):
    """A suggested goal (title, description, skills, measure of success) that a pair
    adopts as its own `mentorships.Goal` and then adapts."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="goal_templates",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goal_templates",
        help_text=_("Empty: offered in every program of the organisation."),
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5_000)
    measure = models.CharField(_("measure of success"), max_length=300)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("suggested skills"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("goal template")
        verbose_name_plural = _("goal templates")
        ordering = ("title", "pk")

    def __str__(self) -> str:
        return self.title


class GoalAdoption(models.Model):
    """A pair adopted a template: the goal it created (then the pair's own to change).
    One adoption per template and pair, so that a second click creates no duplicate."""

    template = models.ForeignKey(GoalTemplate, on_delete=models.CASCADE, related_name="adoptions")
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="goal_adoptions"
    )
    goal = models.OneToOneField(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="adoption"
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adopted goal template")
        verbose_name_plural = _("adopted goal templates")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "mentorship"], name="goal_template_adopted_once"
            )
        ]

    def __str__(self) -> str:
        return f"template {self.template_id} adopted by pair {self.mentorship_id}"
