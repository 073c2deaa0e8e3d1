from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.reference.regions import REGION_CHOICES
from mentorat.reference.rome import ROME_DOMAIN_CHOICES


class SkillKind(models.TextChoices):
    FIELD = "field", _("Field skill")
    TRANSVERSAL = "transversal", _("Transversal skill")


class Skill(models.Model):
    """Shared vocabulary of skills; people may add their own (`is_curated` False)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SkillKind.choices)
    is_curated = models.BooleanField(_("in the shared vocabulary"), default=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What a person brings to or seeks from mentoring; reused across programs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    field = models.CharField(_("field of study or sector"), max_length=150, blank=True)
    occupation = models.CharField(_("current occupation"), max_length=150, blank=True)
    target_occupation = models.CharField(_("target occupation"), max_length=150, blank=True)
    rome_domain = models.CharField(
        _("occupation domain (ROME)"), max_length=1, choices=ROME_DOMAIN_CHOICES, blank=True
    )
    region = models.CharField(_("region"), max_length=3, choices=REGION_CHOICES, blank=True)
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of professional experience"), null=True, blank=True
    )
    skills_offered = models.ManyToManyField(
        Skill, verbose_name=_("skills offered"), blank=True, related_name="+"
    )
    skills_wanted = models.ManyToManyField(
        Skill, verbose_name=_("skills wanted"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user}"
