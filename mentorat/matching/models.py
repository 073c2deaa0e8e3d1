"""Matching runs and their proposals, pair exclusions, mentor capacities and the requests
of self-matching programs.

A run (`calcul d'appariement`) is one execution of the engine for an edition; its
proposals are written in one transaction when it ends, so a run that fails leaves none.
A proposal with no mentor records an unmatched mentee and the reason."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mentorat.applications.models import Application
from mentorat.organizations.models import Organization, Partnership
from mentorat.programs.models import Edition, MatchingMode


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Ready for review")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")
    #: Waiting for review when another run of the edition was published: computed on
    #: pairs that no longer hold, it can no longer be published.
    SUPERSEDED = "superseded", _("Superseded")


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)
FINISHED_STATUSES = (
    RunStatus.SUCCEEDED,
    RunStatus.FAILED,
    RunStatus.PUBLISHED,
    RunStatus.SUPERSEDED,
)
#: Runs whose proposals can be read (summary, table, comparison).
WITH_PROPOSALS = (RunStatus.SUCCEEDED, RunStatus.PUBLISHED, RunStatus.SUPERSEDED)


class RunPhase(models.TextChoices):
    WAITING = "", _("Waiting")
    READING = "reading", _("Reading the participants")
    SOLVING = "solving", _("Computing the best pairs")
    EXPLAINING = "explaining", _("Explaining each pair")
    SAVING = "saving", _("Saving the proposals")


class MatchRun(models.Model):
    """One execution of the matching engine for an edition.

    `parameters` holds the settings used (mode, weights, rules, capacity, priority groups),
    `fingerprint` a digest of those parameters and of the inputs at start time: starting
    a run with the same fingerprint as a run waiting for review returns that run."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="match_runs"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    phase = models.CharField(_("step"), max_length=16, choices=RunPhase.choices, blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=MatchingMode.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    base_run = models.ForeignKey(
        "self",
        verbose_name=_("re-run of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reruns",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    #: Progress of the current phase, written by the worker (`services.runs.RunProgress`)
    #: at most about once a second, so that every web process shows it: units done, out of
    #: `progress_total` (empty when the phase has no known size), and a short note.
    # Database defaults too: workers of the previous release still insert runs while the
    # migration is applied.
    progress_done = models.PositiveIntegerField(_("done in this step"), default=0, db_default=0)
    progress_total = models.PositiveIntegerField(_("size of this step"), null=True, blank=True)
    progress_note = models.CharField(
        _("progress note"), max_length=200, blank=True, default="", db_default=""
    )
    progress_note_fr = models.CharField(
        _("progress note in French"), max_length=200, blank=True, default="", db_default=""
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_runs",
    )

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="matchrun_unique_number"),
            # Starting twice (double click, two coordinators) cannot queue two runs.
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(status__in=["queued", "running"]),
                name="matchrun_one_active_per_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — #{self.number}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def progress_note_text(self) -> str:
        """The engine's note on the current step in the reader's language (the engine
        words its notes in English and French; other languages read the English)."""
        french = (get_language() or "fr").startswith("fr")
        return (self.progress_note_fr or self.progress_note) if french else self.progress_note

    @property
    def progress_percent(self) -> int | None:
        """How much of the current step is done, 0–100 (None when its size is unknown)."""
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)


class ProposalOrigin(models.TextChoices):
    ENGINE = "engine", _("Proposed by the engine")
    MANUAL = "manual", _("Changed by hand")
    LOCKED = "locked", _("Kept from the previous run")


class Proposal(models.Model):
    """A proposed pair of a run, or (`mentor` empty) a mentee left unmatched and why.

    `explanation` is the list of score parts `{code, points, fr, en}`; `reason` is
    `{code, fr, en}` for unmatched mentees."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(
        Application, verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey(
        Application,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    origin = models.CharField(
        _("origin"), max_length=8, choices=ProposalOrigin.choices, default=ProposalOrigin.ENGINE
    )
    is_locked = models.BooleanField(_("locked"), default=False)
    #: Sort keys of the proposals table, written with the proposal so that a page of a
    #: national run (200,000 proposals) is read from an index instead of sorting joined
    #: rows: the rank of the mentee's name, of the mentor's name (empty when unmatched) and
    #: of the mentee's organisation's name, in the database's order (`DENSE_RANK`, so that
    #: equal names tie and the proposal's id orders them, as a sort on the names did).
    #: Empty on runs written before they existed (the table then sorts on the names).
    mentee_order = models.PositiveIntegerField(_("mentee's rank by name"), null=True, blank=True)
    mentor_order = models.PositiveIntegerField(_("mentor's rank by name"), null=True, blank=True)
    organization_order = models.PositiveIntegerField(
        _("organisation's rank by name"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_one_per_mentee")
        ]
        indexes = [
            models.Index(fields=["run", "mentor"]),
            models.Index(fields=["run", "mentee_order", "id"], name="proposal_by_mentee"),
            models.Index(fields=["run", "mentor_order", "id"], name="proposal_by_mentor"),
            models.Index(
                fields=["run", "organization_order", "id"], name="proposal_by_organization"
            ),
            models.Index(fields=["run", "score", "id"], name="proposal_by_score"),
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.mentee_id} → {self.mentor_id or '-'}"

    def explanation_parts(self, language: str) -> list[tuple[str, float]]:
        key = "en" if language == "en" else "fr"
        return [(str(p.get(key, "")), float(p.get("points", 0))) for p in self.explanation]


class RunMentor(models.Model):
    """An accepted mentor of a run's edition (with a field or a ROME domain) as the run
    read it: the field, domain letter and occupation as the engine compares them
    (`explain.mentor_key`), written with the proposals. One mentee's review finds the
    mentors near the mentee from these rows through an index (`explain.near_mentors`)
    rather than grouping a national edition's 100,000 profiles at every view; the mentors
    accepted or changed since the run are read live next to them, and every mentor found
    is scored on its current profile."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="+", db_index=False)
    mentor = models.ForeignKey(
        Application, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="+"
    )
    field = models.TextField(_("field (normalised)"), blank=True)
    letter = models.CharField(_("ROME domain letter"), max_length=1, blank=True)
    occupation = models.TextField(_("occupation (normalised)"), blank=True)

    class Meta:
        verbose_name = _("mentor as the run read it")
        verbose_name_plural = _("mentors as the run read them")
        indexes = [
            models.Index(fields=["run", "field", "occupation"], name="run_mentor_by_field"),
            models.Index(fields=["run", "letter"], name="run_mentor_by_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.mentor_id}"


class ExclusionKind(models.TextChoices):
    EXCLUDED = "excluded", _("Excluded by a coordinator")
    CONFLICT = "conflict", _("Conflict of interest")
    PREVIOUS = "previous", _("Tried before")


class PairExclusion(models.Model):
    """A mentee–mentor pair the engine must never propose in this edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=16, choices=ExclusionKind.choices, default=ExclusionKind.EXCLUDED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("excluded pair")
        verbose_name_plural = _("excluded pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "mentee", "mentor"], name="pairexclusion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} ✕ {self.mentor_id}"


class MentorCapacity(models.Model):
    """How many mentees a mentor takes in an edition. The row is also the lock taken
    (`select_for_update`) whenever a mentee is given to this mentor, so that two
    simultaneous acceptances cannot exceed it."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="mentor_capacity"
    )
    #: Empty: the program's default number of mentees per mentor.
    capacity = models.PositiveSmallIntegerField(_("number of mentees"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentor capacity")
        verbose_name_plural = _("mentor capacities")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.capacity}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the mentor")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired without an answer")
    CANCELLED = "cancelled", _("Cancelled")


class DeclineReason(models.TextChoices):
    NO_TIME = "no_time", _("I do not have enough time at the moment")
    NOT_MY_FIELD = "not_my_field", _("The request is outside my field")
    FULL = "full", _("I already mentor as many people as I can")
    NOT_A_FIT = "not_a_fit", _("I do not think I am the right person for this")
    OTHER = "other", _("Another reason")


class MentorRequest(models.Model):
    """Self-matching: a mentee asks a mentor; the mentor accepts or declines."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    message = models.TextField(_("message to the mentor"), blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("mentor request")
        verbose_name_plural = _("mentor requests")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status="pending"),
                name="mentorrequest_one_pending_per_pair",
            )
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"{self.mentee_id} → {self.mentor_id} ({self.status})"

    def explanation_parts(self, language: str) -> list[tuple[str, float]]:
        key = "en" if language == "en" else "fr"
        return [(str(p.get(key, "")), float(p.get("points", 0))) for p in self.explanation]


class PairIntroduction(models.Model):
    """A pair the matching created (publication of a run, or a mentor accepting a
    request), and the date by which each side answers "I confirm" or "not a good fit".

    The date is stored when the pair is introduced, so that changing
    `MATCHING_ANSWER_DAYS` later moves no existing deadline."""

    mentorship = models.OneToOneField(
        "mentorships.Mentorship",
        verbose_name=_("mentorship"),
        on_delete=models.CASCADE,
        related_name="introduction",
    )
    run = models.ForeignKey(
        MatchRun,
        verbose_name=_("published run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions",
    )
    request = models.ForeignKey(
        MentorRequest,
        verbose_name=_("accepted request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_by = models.DateTimeField(_("answer by"), db_index=True)
    created_at = models.DateTimeField(_("introduced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pair introduction")
        verbose_name_plural = _("pair introductions")

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.answer_by:%Y-%m-%d}"


class PlaceReservation(models.Model):
    """Part of the mentor places an organisation offers in an edition, reserved for the
    mentees of a partner organisation (issue 20): of `mentor_organization`'s mentors' places,
    `places` go only to mentees of the other side of `partnership`; the others stay open to
    everyone. The run spreads the places over that organisation's mentors
    (`reservations.distribute`) and the engine keeps them for the partner's mentees."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="place_reservations",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="place_reservations",
    )
    mentor_organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation whose mentors' places are reserved"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    places = models.PositiveIntegerField(_("reserved places"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("place reservation")
        verbose_name_plural = _("place reservations")
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=("edition", "partnership", "mentor_organization"),
                name="place_reservation_once_per_side",
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1), name="place_reservation_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.places}"
