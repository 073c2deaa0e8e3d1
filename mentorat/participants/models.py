from datetime import date

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


class Goal(models.TextChoices):
    FIRST_JOB = "first_job", _("First job")
    INTERNSHIP = "internship", _("Internship or apprenticeship")
    CAREER_CHANGE = "career_change", _("Career change")
    BUSINESS_CREATION = "business_creation", _("Starting a business")
    FURTHER_STUDIES = "further_studies", _("Further studies")
    NETWORK = "network", _("Building a professional network")
    INTEGRATION = "integration", _("Settling into a new job")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    GERMAN = "de", _("German")
    ITALIAN = "it", _("Italian")
    PORTUGUESE = "pt", _("Portuguese")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    FRENCH_SIGN_LANGUAGE = "fsl", _("French Sign Language")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    SELF_DESCRIBED = "self_described", _("I describe myself otherwise")


class PriorityGroup(models.TextChoices):
    """Groups a program may give priority to (`public prioritaire`).

    Which of them are sensitive data (GDPR Art. 9: health, racial or ethnic origin…),
    decided value by value:

    - `disability` (a recognised disability, RQTH) is health data: sensitive. It is
      stored only with the person's explicit, separate consent (`SensitiveDataConsent`,
      see `SENSITIVE_PRIORITY_GROUPS`) and removed when they withdraw it.
    - `priority_neighbourhood` (resident of a *quartier prioritaire de la politique de
      la ville*) says where someone lives, not their origin: a neighbourhood's residents
      have every origin, and the list is an address-based public-policy zoning. It is
      not Art. 9 data, although it is socially sensitive: like the other groups it is
      optional, asked with its purpose, and shown to the program's coordinators only.
    - `scholarship_holder` (means-tested grant), `jobseeker`, `vocational_pupil` and
      `first_generation` describe income, employment or schooling: ordinary personal
      data (Art. 6), none of Art. 9's categories.
    """

    SCHOLARSHIP_HOLDER = "scholarship_holder", _("Scholarship holder")
    VOCATIONAL_PUPIL = "vocational_pupil", _("Vocational high-school pupil")
    PRIORITY_NEIGHBOURHOOD = "priority_neighbourhood", _("Resident of a priority neighbourhood")
    DISABILITY = "disability", _("Person with a recognised disability")
    JOBSEEKER = "jobseeker", _("Registered jobseeker")
    FIRST_GENERATION = "first_generation", _("First in the family to study in higher education")


class SensitiveDataKind(models.TextChoices):
    """Sensitive data (GDPR Art. 9) a person may give with their explicit consent; each
    kind is the code of the value it covers (see `PriorityGroup`)."""

    DISABILITY = "disability", _("Recognised disability (health data)")


# Priority groups that are sensitive data: stored only under an active consent.
SENSITIVE_PRIORITY_GROUPS = frozenset(SensitiveDataKind.values)


DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
DAY_PARTS = [("morning", _("morning")), ("afternoon", _("afternoon")), ("evening", _("evening"))]
# Weekly availability is stored as slot codes such as "tue_evening".
AVAILABILITY_SLOTS = [
    (f"{day}_{part}", f"{day_label} {part_label}")
    for day, day_label in DAYS
    for part, part_label in DAY_PARTS
]


class Profile(models.Model):
    """What a person brings to or seeks from mentoring; reused across programs.

    List-valued answers (goals, languages, availability, priority groups) are JSON lists
    of the codes defined above; `mentorat.participants.services` validates them."""

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
    goals = models.JSONField(_("goals"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    remote_ok = models.BooleanField(_("remote meetings are fine"), default=True)
    availability = models.JSONField(_("weekly availability"), default=list, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    gender_self_description = models.CharField(
        _("gender, in your own words"), max_length=60, blank=True
    )
    prefers_same_gender_mentor = models.BooleanField(
        _("I would prefer a mentor of the same gender"), default=False
    )
    prefers_career_changer_mentor = models.BooleanField(
        _("I would prefer a mentor who changed careers"), default=False
    )
    changed_careers = models.BooleanField(_("I have changed careers myself"), default=False)
    priority_groups = models.JSONField(_("priority groups"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user}"

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, day)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day` (a 29 February birthday counts from 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class SensitiveDataConsent(models.Model):
    """A person's explicit consent to the processing of one kind of sensitive data
    (GDPR Art. 9.2.a), with the version of the text they agreed to.

    Written only by `mentorat.participants.services`: a sensitive value is in the
    profile exactly while its consent is active (`withdrawn_at` empty), and withdrawing
    removes the value. Rows are kept after withdrawal as the record of what was agreed
    and when; at most one active consent per person and kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="sensitive_data_consents",
    )
    kind = models.CharField(_("data"), max_length=32, choices=SensitiveDataKind.choices)
    text_version = models.CharField(_("version of the consent text"), max_length=32)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent to sensitive data")
        verbose_name_plural = _("consents to sensitive data")
        ordering = ("-given_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="sensitive_consent_one_active",
            )
        ]

    def __str__(self) -> str:
        # Audit entries copy this label: it names neither the person nor the data.
        return f"consent #{self.pk}"

    @property
    def is_active(self) -> bool:
        """Given and not withdrawn."""
        return self.withdrawn_at is None
