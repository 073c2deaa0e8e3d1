"""Training modules: short courses (sections of Markdown, an optional image and video
link each, then a quiz) that an organisation writes for its people and may share with
its partners, or that the platform ships to everyone (the starter set, organisation
empty). A program assigns modules to its mentors and/or mentees (`Assignment`); people
read sections (`SectionRead`), answer the quiz as often as they like (`Attempt`, answers
kept) and complete a module once (`Completion`).

A module and its translation share a `group`: completing one completes the group for
assignments, so a mentor who read the English version is not asked for the French one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.lib.private_storage import private_storage
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class ModuleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Module(models.Model):
    """A short course. `organization` empty: the platform's starter set, seen by all."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_modules",
    )
    group = models.CharField(
        _("translation group"),
        max_length=80,
        db_index=True,
        help_text=_("A module and its translations share this key."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    status = models.CharField(
        _("status"), max_length=10, choices=ModuleStatus.choices, default=ModuleStatus.DRAFT
    )
    passing_score = models.PositiveSmallIntegerField(
        _("passing score (%)"),
        default=80,
        help_text=_("Share of questions answered right needed to pass the quiz."),
    )
    shared_with = models.ManyToManyField(
        Organization,
        verbose_name=_("shared with"),
        blank=True,
        related_name="training_modules_shared",
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ("title", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "language"], name="training_module_one_per_group_language"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_starter(self) -> bool:
        return self.organization_id is None

    @property
    def is_published(self) -> bool:
        return self.status == ModuleStatus.PUBLISHED


class Section(models.Model):
    """One page of a module: Markdown text, an optional image and video link."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20_000, blank=True)
    image = models.FileField(
        _("image"), storage=private_storage, upload_to="training/%Y/%m/", max_length=200, blank=True
    )
    image_type = models.CharField(_("image type"), max_length=40, blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ("module", "position", "pk")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One right answer")
    MULTIPLE = "multiple", _("Several right answers")


class Question(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    explanation = models.TextField(
        _("explanation"), max_length=2_000, help_text=_("Shown after answering.")
    )

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ("module", "position", "pk")

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("right answer"), default=False)

    class Meta:
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        ordering = ("question", "position", "pk")

    def __str__(self) -> str:
        return self.text


class SectionRead(models.Model):
    """A person marked a section read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_reads"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="reads")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("section read")
        verbose_name_plural = _("sections read")
        constraints = [
            models.UniqueConstraint(fields=["user", "section"], name="training_section_read_once")
        ]

    def __str__(self) -> str:
        return f"section {self.section_id} read by {self.user_id}"


class Attempt(models.Model):
    """One answer sheet to a module's quiz: the choices ticked per question (ids, as
    strings: {"question id": [choice ids]}) and the score."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts")
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ("-submitted_at", "-pk")

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.user_id} on module {self.module_id}"


class Completion(models.Model):
    """A person completed a module (passed its quiz, or read every section of a module
    without quiz). Once per person and module."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("module completion")
        verbose_name_plural = _("module completions")
        ordering = ("completed_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="training_completed_once")
        ]

    def __str__(self) -> str:
        return f"module {self.module_id} completed by {self.user_id}"


class Audience(models.TextChoices):
    MENTORS = "mentors", _("Mentors")
    MENTEES = "mentees", _("Mentees")
    BOTH = "both", _("Mentors and mentees")


class Requirement(models.TextChoices):
    BEFORE_MATCHING = "before_matching", _("Required before matching")
    BEFORE_FIRST_MEETING = "before_first_meeting", _("Required before the first meeting")
    WITHIN_DAYS = "within_days", _("Required within N days of joining")
    RECOMMENDED = "recommended", _("Recommended")


class Assignment(models.Model):
    """A program asks its mentors and/or mentees to follow a module."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="training_assignments"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assignments")
    audience = models.CharField(
        _("for"), max_length=8, choices=Audience.choices, default=Audience.MENTORS
    )
    requirement = models.CharField(_("requirement"), max_length=24, choices=Requirement.choices)
    days = models.PositiveSmallIntegerField(
        _("days after joining"), null=True, blank=True, help_text=_("For “within N days”.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("module assignment")
        verbose_name_plural = _("module assignments")
        ordering = ("program", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "module"], name="training_module_assigned_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} in {self.program}"

    @property
    def is_required(self) -> bool:
        return self.requirement != Requirement.RECOMMENDED

    def applies_to(self, role: str) -> bool:
        """Whether people of `role` ("mentor" / "mentee") follow this module."""
        return self.audience == Audience.BOTH or self.audience == f"{role}s"
