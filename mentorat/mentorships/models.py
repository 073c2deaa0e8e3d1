"""Mentoring pairs and their follow-up: goals, skills assessments, meetings, session logs,
check-ins, reminders and outcomes.

Times are stored in UTC (`USE_TZ`); pages and emails show them in each person's
`User.time_zone`. Private session notes live in their own table so that no query made for
coordinators, reports or exports can pick them up by accident."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorat.applications.models import Application
from mentorat.participants.models import Skill
from mentorat.programs.models import Edition, ParticipantRole, Program

if TYPE_CHECKING:
    from mentorat.accounts.models import User


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class PairAnswer(models.TextChoices):
    """Each side's answer to the published match (issue 5 writes these)."""

    PENDING = "pending", _("Waiting for an answer")
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_A_FIT = "not_a_fit", _("Not a good fit")


class EndReason(models.TextChoices):
    PROGRAM_ENDED = "program_ended", _("The program edition ended")
    GOALS_REACHED = "goals_reached", _("Goals reached early")
    NOT_A_FIT = "not_a_fit", _("Not a good fit")
    NO_CONTACT = "no_contact", _("No contact any more")
    MENTEE_LEFT = "mentee_left", _("The mentee left the program")
    MENTOR_LEFT = "mentor_left", _("The mentor is no longer available")
    OTHER = "other", _("Other reason")


# Reasons after which the mentee should be offered a new mentor.
REMATCH_REASONS = frozenset(
    {EndReason.NOT_A_FIT, EndReason.NO_CONTACT, EndReason.MENTOR_LEFT, EndReason.OTHER}
)


class Mentorship(models.Model):
    """A published mentor–mentee pair in one edition (French UI: *binôme*).

    Created by `services.create_mentorship` (called by the matching publication of
    issue 5). At most one active pair per mentee and edition; an ended pair can be
    followed by a new one (re-matching)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="mentorships"
    )
    # The pair links the two applications of the edition (the same identity as proposals,
    # requests, exclusions and capacities); the people are reached through them.
    mentor_application = models.ForeignKey(
        Application,
        verbose_name=_("mentor's application"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentor",
    )
    mentee_application = models.ForeignKey(
        Application,
        verbose_name=_("mentee's application"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentee",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.ACTIVE,
        db_index=True,
    )
    mentor_answer = models.CharField(
        _("mentor's answer"), max_length=16, choices=PairAnswer.choices, default=PairAnswer.PENDING
    )
    mentor_answer_reason = models.TextField(_("mentor's reason"), blank=True)
    mentor_answered_at = models.DateTimeField(_("mentor answered at"), null=True, blank=True)
    mentee_answer = models.CharField(
        _("mentee's answer"), max_length=16, choices=PairAnswer.choices, default=PairAnswer.PENDING
    )
    mentee_answer_reason = models.TextField(_("mentee's reason"), blank=True)
    mentee_answered_at = models.DateTimeField(_("mentee answered at"), null=True, blank=True)
    score = models.FloatField(_("matching score"), null=True, blank=True)
    explanation = models.JSONField(
        _("matching explanation"),
        default=dict,
        blank=True,
        help_text=_("What the matching engine said about this pair."),
    )
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=24, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("details on the end"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mentor_reminders_off = models.BooleanField(_("mentor stopped reminders"), default=False)
    mentee_reminders_off = models.BooleanField(_("mentee stopped reminders"), default=False)
    six_month_request_sent_at = models.DateTimeField(
        _("six-month update requested at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["mentee_application"],
                condition=Q(status="active"),
                name="mentorship_one_active_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentor_application=models.F("mentee_application")),
                name="mentorship_two_people",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.mentee}"

    @property
    def mentor(self) -> "User":
        """The mentor (load with `select_related("mentor_application__user")`)."""
        return self.mentor_application.user

    @property
    def mentee(self) -> "User":
        """The mentee (load with `select_related("mentee_application__user")`)."""
        return self.mentee_application.user

    @property
    def mentor_user_id(self) -> int:
        """The mentor's user id."""
        return self.mentor_application.user_id

    @property
    def mentee_user_id(self) -> int:
        """The mentee's user id."""
        return self.mentee_application.user_id

    @property
    def program(self) -> Program:
        return self.edition.program

    @property
    def is_active(self) -> bool:
        return self.status == MentorshipStatus.ACTIVE

    def role_of(self, user_id: int | None) -> str | None:
        """'mentor', 'mentee' or None for someone outside the pair."""
        if user_id == self.mentor_user_id:
            return ParticipantRole.MENTOR
        if user_id == self.mentee_user_id:
            return ParticipantRole.MENTEE
        return None

    def other_person_id(self, user_id: int) -> int:
        return self.mentee_user_id if user_id == self.mentor_user_id else self.mentor_user_id


class Resource(models.Model):
    """A link shared within the pair (a job board, a course, a document)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title


class GoalStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """What the pair works towards (French UI: *objectif du binôme*; not a program
    `Objective`): what, how to measure it, by when, and the skills it develops."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    measure = models.CharField(_("how we will measure it"), max_length=300)
    due_on = models.DateField(_("by when"))
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.IN_PROGRESS
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ("due_on", "pk")

    def __str__(self) -> str:
        return self.title


class GoalUpdate(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=16, choices=GoalStatus.choices)
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("goal progress update")
        verbose_name_plural = _("goal progress updates")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.goal} — {self.progress} %"


class AssessmentPhase(models.TextChoices):
    START = "start", _("At the start")
    END = "end", _("At the end")


class SkillAssessment(models.Model):
    """A 1–5 rating of one skill of the mentee, at the start or the end, by the mentee
    (self-assessment) or by the mentor; comparing start and end shows progress."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="assessments")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(_("when"), max_length=8, choices=AssessmentPhase.choices)
    rater_role = models.CharField(_("rated by"), max_length=8, choices=ParticipantRole.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"), auto_now=True)

    class Meta:
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "skill", "phase", "rater_role"],
                name="assessment_one_per_skill_phase_rater",
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} {self.phase} {self.rater_role}: {self.level}"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A planned meeting of a pair (French UI: *rencontre*).

    `uid` never changes, so that calendars update the same event when the meeting is
    rescheduled or cancelled; `sequence` grows with each such change (RFC 5545)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(
        _("calendar identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("planned duration (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    mode = models.CharField(_("how"), max_length=16, choices=MeetingMode.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ("-starts_at",)
        indexes = [models.Index(fields=["mentorship", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.mentorship} — {self.starts_at:%Y-%m-%d %H:%M} UTC"


class SessionLog(models.Model):
    """What happened at a meeting (French UI: *compte rendu*), shared with the pair and
    summarised to coordinators. Private notes are in `PrivateNote`."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="log")
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="session_logs"
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("actual duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    topics = models.CharField(_("topics"), max_length=500)
    shared_notes = models.TextField(_("notes shared with the pair"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session log")
        verbose_name_plural = _("session logs")
        ordering = ("-meeting__starts_at",)

    def __str__(self) -> str:
        return f"{self.meeting} — {self.topics}"


class PrivateNote(models.Model):
    """A note on a session readable by its author only: never shown to the other person,
    to coordinators, in reports or in exports."""

    session_log = models.ForeignKey(
        SessionLog, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private note"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(
                fields=["session_log", "author"], name="private_note_one_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class CheckInOccasion(models.TextChoices):
    FIRST_MEETING = "first_meeting", _("After the first meeting")
    MONTHLY = "monthly", _("Monthly")
    FINAL = "final", _("End of the mentorship")


class CheckIn(models.Model):
    """A short survey to one side of a pair (French UI: *point d'étape*).

    The fixed questions (satisfaction, progress, recommendation, comment) are columns so
    that health and reports read them uniformly; the program's extra questions are in
    `answers`, keyed by question id with the question text."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="check_ins")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    role = models.CharField(_("role"), max_length=8, choices=ParticipantRole.choices)
    occasion = models.CharField(_("occasion"), max_length=16, choices=CheckInOccasion.choices)
    period = models.PositiveSmallIntegerField(
        _("month number"), default=0, help_text=_("For monthly check-ins: months since the start.")
    )
    sent_at = models.DateTimeField(_("sent at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True)
    answers = models.JSONField(_("answers to the program's questions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ("-sent_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "respondent", "occasion", "period"],
                name="check_in_once_per_occasion",
            )
        ]
        indexes = [models.Index(fields=["mentorship", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.mentorship} — {self.get_occasion_display()} ({self.role})"


class CheckInQuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")


class CheckInQuestion(models.Model):
    """An extra check-in question a program's coordinators add to the fixed ones."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="check_in_questions"
    )
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind of answer"), max_length=8, choices=CheckInQuestionKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("check-in question")
        verbose_name_plural = _("check-in questions")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.label


class ReminderKind(models.TextChoices):
    PAIR = "pair", _("Reminder to meet")
    DIGEST = "digest", _("Coordinator digest")


class Reminder(models.Model):
    """One reminder or digest email sent; the log is also the throttle (at most one of a
    kind a week per person)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReminderKind.choices)
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ("-sent_at",)
        indexes = [models.Index(fields=["recipient", "kind", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id} ({self.sent_at:%Y-%m-%d})"


class OutcomeStage(models.TextChoices):
    END = "end", _("At the end")
    SIX_MONTHS = "six_months", _("Six months later")


class Situation(models.TextChoices):
    """The mentee's situation (French UI: *situation à la sortie*)."""

    PERMANENT_JOB = "cdi", _("Permanent contract (CDI)")
    FIXED_TERM_JOB = "cdd", _("Fixed-term contract (CDD)")
    APPRENTICESHIP = "apprenticeship", _("Work-study (alternance)")
    INTERNSHIP = "internship", _("Internship (stage)")
    FURTHER_STUDIES = "further_studies", _("Further studies")
    BUSINESS_CREATION = "business_creation", _("Started a business")
    CAREER_CHANGE = "career_change", _("Successful career change")
    JOB_SEEKING = "job_seeking", _("Looking for work")
    OTHER = "other", _("Other")


class Outcome(models.Model):
    """The mentee's situation at the end of the mentorship or six months later."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="outcomes")
    stage = models.CharField(_("when"), max_length=16, choices=OutcomeStage.choices)
    situation = models.CharField(_("situation"), max_length=24, choices=Situation.choices)
    detail = models.CharField(_("details"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ("mentorship", "stage")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "stage"], name="outcome_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} — {self.get_stage_display()}: {self.get_situation_display()}"


class CalendarFeed(models.Model):
    """The secret address of a person's meeting calendar (ICS subscription). The token
    is 32 random bytes; resetting it replaces the row's token, killing the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("secret token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"
