"""Opportunities that organisations offer the mentees of their partners and programs
(internships, alternance, jobs, tutored projects, job-shadowing days, class interventions)
and the candidacies of mentees for them.

An opportunity is seen by its audience: mentees of the audience programs (an accepted
application to one of their editions) or of the audience organisations, their mentors
and the organisation that offers it. A candidacy that ends accepted can be recorded as
the mentee's outcome (`Candidacy.outcome`), so the reports tell which partner's offers
led to jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.mentorships.models import Outcome
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program
from mentorat.reference.rome import ROME_DOMAIN_CHOICES


class OpportunityKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    ALTERNANCE = "alternance", _("Alternance (work-study)")
    JOB = "job", _("Job")
    TUTORED_PROJECT = "tutored_project", _("Tutored project")
    JOB_SHADOWING = "job_shadowing", _("Job-shadowing day")
    CLASS_INTERVENTION = "class_intervention", _("Class intervention request")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Opportunity(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("offered by"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=OpportunityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    field = models.CharField(_("field"), max_length=150, blank=True)
    rome_domain = models.CharField(
        _("occupation domain (ROME)"), max_length=1, choices=ROME_DOMAIN_CHOICES, blank=True
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    deadline = models.DateField(_("deadline to apply"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    description = models.TextField(_("description (Markdown)"), blank=True)
    audience_programs = models.ManyToManyField(
        Program, verbose_name=_("for the mentees of these programs"), blank=True, related_name="+"
    )
    audience_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("for the mentees of these organisations"),
        blank=True,
        related_name="+",
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ("deadline", "pk")

    def __str__(self) -> str:
        return f"{self.title} ({self.organization})"


class CandidacyStatus(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Candidacy(models.Model):
    """A mentee's interest in an opportunity, her mentor's recommendation and the
    offering organisation's decision."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="candidacies",
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="candidacies",
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CandidacyStatus.choices,
        default=CandidacyStatus.INTERESTED,
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("outcome recorded"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidacies",
    )

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "candidate"], name="candidacy_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} — {self.candidate_id}"
