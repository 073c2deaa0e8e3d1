"""Speed-networking plans of job-dating events: R rounds, one table per professional with
at most k mentees, planned by the engine (`matching_engine.rounds`) in the background,
then adjusted by hand (swap two mentees, lock a seat) before the evening.

Writes go through `mentorat.networking.services`; who may see what is decided in
`mentorat.permissions.networking`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.events.models import Event

#: Most rounds and mentees per table a coordinator may ask for (an evening).
MAX_ROUNDS = 20
MAX_TABLE_SIZE = 10


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Not planned yet")
    QUEUED = "queued", _("Waiting to be planned")
    RUNNING = "running", _("Being planned")
    READY = "ready", _("Planned")
    FAILED = "failed", _("Planning failed")


class NetworkingPlan(models.Model):
    """The rounds of one event. `generation` grows with every planning request: a task
    carries the generation it was queued for and does nothing once a newer one exists,
    so a task run twice (a worker killed and the task queued again) writes the same plan."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="networking_plan")
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), default=6, validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUNDS)]
    )
    table_size = models.PositiveSmallIntegerField(
        _("mentees per table"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TABLE_SIZE)],
        help_text=_("1 for one-to-one meetings."),
    )
    favour_fewest = models.BooleanField(
        _("favour mentees who met fewest relevant professionals"), default=False
    )
    #: ids of registered people the organisers left out of the rounds
    left_out = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    generation = models.PositiveIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    meetings = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    proven_optimal = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("speed-networking plan")
        verbose_name_plural = _("speed-networking plans")

    def __str__(self) -> str:
        return f"speed-networking plan of event {self.event_id}"


class NetworkingSeat(models.Model):
    """Mentee `mentee` sits at professional `professional`'s table (`table`, from 1) in
    round `round` (from 1). `score` and the explanations are the engine's for the pair."""

    plan = models.ForeignKey(NetworkingPlan, on_delete=models.CASCADE, related_name="seats")
    round = models.PositiveSmallIntegerField(_("round"))
    table = models.PositiveSmallIntegerField(_("table"))
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentee"),
        on_delete=models.CASCADE,
        related_name="networking_seats",
    )
    score = models.FloatField(_("score"), default=0)
    explanation_fr = models.TextField(blank=True)
    explanation_en = models.TextField(blank=True)
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("speed-networking seat")
        verbose_name_plural = _("speed-networking seats")
        ordering = ("round", "table", "mentee_id")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "round", "mentee"], name="networking_seat_one_table_a_round"
            ),
            models.UniqueConstraint(
                fields=["plan", "mentee", "professional"], name="networking_seat_meet_once"
            ),
        ]

    def __str__(self) -> str:
        return f"seat of user {self.mentee_id} in round {self.round}, table {self.table}"
