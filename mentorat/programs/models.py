from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization, OrganizationKind
from mentorat.participants.models import PriorityGroup
from mentorat.reference.rome import ROME_DOMAIN_CHOICES


class ProgramKind(models.TextChoices):
    STUDENT_INSERTION = "student_insertion", _("Professional insertion of students")
    INTERNAL = "internal", _("Internal mentoring (new hires and interns)")
    CAREER_CHANGE = "career_change", _("Career change")
    GENDER_DIVERSITY = "gender_diversity", _("Gender diversity in occupations")
    CUSTOM = "custom", _("Custom")


class ParticipantRole(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")


class MinorMeetingModes(models.TextChoices):
    """How a pair with a mentee under 18 meets (codes of `mentorships.MeetingMode`)."""

    IN_PERSON = "in_person", _("In person, at the school")
    VIDEO = "video", _("By video call, with the link recorded in the platform")
    BOTH = "both", _("In person at the school, or by video call")


#: Meeting modes (`mentorships.MeetingMode` codes) of each setting, the default first.
_MINOR_MODES: dict[str, tuple[str, ...]] = {
    MinorMeetingModes.IN_PERSON: ("in_person",),
    MinorMeetingModes.VIDEO: ("video",),
    MinorMeetingModes.BOTH: ("in_person", "video"),
}


class Program(models.Model):
    """A mentoring program owned by an organisation, optionally shared with partner
    organisations whose coordinators then see their own people in it.

    The protection of minors applies to pairs whose mentee applied under 18
    (`Application.is_minor`): mentors need a safeguarding check (`mentorat.safeguarding`)
    when `safeguarding_required`, and meetings are offered as `minor_meeting_modes` says."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=ProgramKind.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("A published program has a public page where people can apply."),
    )
    shared_with = models.ManyToManyField(
        Organization,
        verbose_name=_("shared with"),
        blank=True,
        related_name="shared_programs",
        help_text=_("Partner organisations whose coordinators follow their own people here."),
    )
    # On by default: it only concerns pairs with a minor, so a program without pupils
    # under 18 is not affected, and one that enrols a minor later is protected at once.
    safeguarding_required = models.BooleanField(
        _("mentors need a safeguarding check before being paired with a minor"),
        default=True,
        help_text=_(
            "A coordinator records each mentor's check (criminal record extract, "
            "certificate of honourability…); the matching never pairs a mentee under 18 "
            "with a mentor without one. Adults' pairs are not concerned."
        ),
    )
    minor_meeting_modes = models.CharField(
        _("meetings with a minor"),
        max_length=16,
        choices=MinorMeetingModes.choices,
        default=MinorMeetingModes.BOTH,
        help_text=_("What the meeting form offers, and proposes first, to a pair with a minor."),
    )
    minor_phone_calls = models.BooleanField(
        _("phone calls with a minor allowed"),
        default=False,
        help_text=_("Off: a pair with a minor cannot plan a phone call."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def minor_meeting_mode_codes(self) -> tuple[str, ...]:
        """Meeting modes (`mentorships.MeetingMode` codes) a pair with a minor may plan,
        the one to propose first at the front."""
        modes = _MINOR_MODES.get(self.minor_meeting_modes, _MINOR_MODES[MinorMeetingModes.BOTH])
        return (*modes, "phone") if self.minor_phone_calls else modes


class MatchingMode(models.TextChoices):
    OPTIMAL = "optimal", _("Coordinator runs an optimal matching")
    STABLE = "stable", _("Coordinator runs a stable matching")
    SELF_MATCHING = "self_matching", _("Mentees choose among suggestions")


class Criterion(models.TextChoices):
    """Matching criteria the engine scores; weights are stored by these codes."""

    FIELD = "field", _("Field of study or sector")
    ROME_DOMAIN = "rome_domain", _("Occupation domain")
    OCCUPATION = "occupation", _("Occupation")
    SKILLS = "skills", _("Skills")
    GOALS = "goals", _("Goals")
    LANGUAGES = "languages", _("Languages")
    REGION = "region", _("Region")
    AVAILABILITY = "availability", _("Availability")
    GENDER_PREFERENCE = "gender_preference", _("Gender preference")
    CAREER_CHANGE = "career_change", _("Mentor who changed careers")
    SENIORITY = "seniority", _("Mentor seniority")


class HardRule(models.TextChoices):
    """Constraints a proposed pair must satisfy, whatever its score."""

    DIFFERENT_ORGANIZATIONS = (
        "different_organizations",
        _("Mentor and mentee from different organisations"),
    )
    SAME_ORGANIZATION = "same_organization", _("Mentor and mentee from the same organisation")
    SAME_REGION_UNLESS_REMOTE = (
        "same_region_unless_remote",
        _("Same region unless both accept remote meetings"),
    )
    COMMON_LANGUAGE = "common_language", _("At least one language in common")
    MENTOR_MORE_EXPERIENCED = (
        "mentor_more_experienced",
        _("Mentor has more years of experience than the mentee"),
    )
    #: the mentor completed the training modules the edition requires before matching
    #: (`mentorat.training.selectors.trained_user_ids`).
    REQUIRED_TRAINING = (
        "required_training",
        _("Mentor completed the required training modules"),
    )


#: Longest time given to a published pair to confirm or say it is not a good fit.
MAX_ANSWER_DAYS = 60


class MatchingSettings(models.Model):
    """Stored configuration read by the matching runs (issue 5)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="matching_settings"
    )
    mode = models.CharField(
        _("matching mode"),
        max_length=16,
        choices=MatchingMode.choices,
        default=MatchingMode.OPTIMAL,
    )
    criteria_weights = models.JSONField(
        _("criteria weights"),
        default=dict,
        blank=True,
        help_text=_("Weight from 0 to 10 of each criterion, by criterion code."),
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("default number of mentees per mentor"), default=1
    )
    hard_rules = models.JSONField(_("hard rules"), default=list, blank=True)
    priority_groups = models.JSONField(_("priority groups"), default=list, blank=True)
    women_share_target = models.PositiveSmallIntegerField(
        _("target share of women among matched mentees (%)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no parity target."),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days to answer an introduction"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ANSWER_DAYS)],
        help_text=_(
            "After a pair is published, mentor and mentee have this many days to confirm "
            "or say it is not a good fit."
        ),
    )

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self) -> str:
        return f"{self.program} — {self.get_mode_display()}"

    def hard_rule_labels(self) -> list[str]:
        return [str(HardRule(r).label) for r in self.hard_rules if r in HardRule.values]

    def priority_group_labels(self) -> list[str]:
        return [
            str(PriorityGroup(g).label) for g in self.priority_groups if g in PriorityGroup.values
        ]

    def weight_items(self) -> list[tuple[str, int]]:
        """(criterion label, weight) pairs, heaviest first."""
        items = [
            (str(Criterion(code).label), weight)
            for code, weight in self.criteria_weights.items()
            if code in Criterion.values
        ]
        return sorted(items, key=lambda item: -item[1])


class Indicator(models.TextChoices):
    """What an objective measures; each has a computation in the reports (later issue)."""

    SUPPORTED_MONTHS = "supported_months", _("Share of mentees supported at least N months")
    EMPLOYED_OR_TRAINING = (
        "employed_or_training",
        _("Share of mentees in employment or training N months after the end"),
    )
    WOMEN_SHARE = "women_share", _("Share of women among mentees")
    MATCHED_SHARE = "matched_share", _("Share of accepted mentees with a mentor")
    MATCHED_WITHIN_DAYS = (
        "matched_within_days",
        _("Share of accepted mentees matched within N days"),
    )
    SATISFACTION = "satisfaction", _("Share of participants satisfied")
    MENTORS_RECRUITED = "mentors_recruited", _("Number of mentors recruited")


class ObjectiveUnit(models.TextChoices):
    PERCENT = "percent", "%"
    COUNT = "count", _("people")


class Objective(models.Model):
    """A measurable target: indicator, target value, deadline and optional scope."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives")
    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    target = models.PositiveIntegerField(_("target value"))
    unit = models.CharField(
        _("unit"), max_length=8, choices=ObjectiveUnit.choices, default=ObjectiveUnit.PERCENT
    )
    months = models.PositiveSmallIntegerField(
        _("N (months or days)"),
        null=True,
        blank=True,
        help_text=_("The N of the indicator, e.g. 6 for “supported at least 6 months”."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    rome_domain = models.CharField(
        _("only for this occupation domain"),
        max_length=1,
        choices=ROME_DOMAIN_CHOICES,
        blank=True,
    )
    field = models.CharField(_("only for this field"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("program objective")
        verbose_name_plural = _("program objectives")
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.target} {self.get_unit_display()}"


class Edition(models.Model):
    """One run (cohort) of a program with its dates and expected rhythm."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField(_("name"), max_length=120)
    applications_open_on = models.DateField(_("applications open on"))
    applications_close_on = models.DateField(_("applications close on"))
    matching_on = models.DateField(_("matching date"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    meetings_per_month = models.PositiveSmallIntegerField(_("meetings per month"), default=2)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), default=6)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ("-starts_on",)

    def __str__(self) -> str:
        return f"{self.program} — {self.name}"

    def is_open_on(self, day: date) -> bool:
        return self.applications_open_on <= day <= self.applications_close_on


class Charter(models.Model):
    """A version of the mentoring charter; the latest is the one participants accept."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="charters")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ("program", "-version")
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="charter_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.program} — v{self.version}"


class RuleRole(models.TextChoices):
    MENTEE = "mentee", _("Mentees")
    MENTOR = "mentor", _("Mentors")
    BOTH = "both", _("Mentors and mentees")


class EligibilityKind(models.TextChoices):
    MEMBER_OF_PROGRAM_ORGANIZATIONS = (
        "member",
        _("Must belong to the program's organisation or a partner it is shared with"),
    )
    ORGANIZATION_KIND = "organization_kind", _("Must come from a given kind of organisation")
    MIN_YEARS_EXPERIENCE = "min_years_experience", _("Minimum years of experience")
    MIN_AGE = "min_age", _("Minimum age")
    MAX_AGE = "max_age", _("Maximum age")


class EligibilityRule(models.Model):
    """Who may apply: each rule applies to mentees, mentors or both, and all must hold."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="eligibility_rules")
    role = models.CharField(_("applies to"), max_length=8, choices=RuleRole.choices)
    kind = models.CharField(_("rule"), max_length=24, choices=EligibilityKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("Years or age, for the rules that need one."),
    )
    organization_kind = models.CharField(
        _("kind of organisation"), max_length=32, choices=OrganizationKind.choices, blank=True
    )

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ("pk",)

    def __str__(self) -> str:
        return describe_rule(self)

    def applies_to(self, role: str) -> bool:
        return self.role in (RuleRole.BOTH, role)


def describe_rule(rule: EligibilityRule) -> str:
    who = rule.get_role_display()
    if rule.kind == EligibilityKind.ORGANIZATION_KIND:
        detail = (
            str(OrganizationKind(rule.organization_kind).label) if rule.organization_kind else ""
        )
    else:
        detail = str(rule.number) if rule.number is not None else ""
    text = f"{who}: {rule.get_kind_display()}"
    return f"{text} ({detail})" if detail else text


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes or no")


class CustomQuestion(models.Model):
    """A question the coordinator adds to the application form of a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=16, choices=QuestionKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    role = models.CharField(_("asked to"), max_length=8, choices=RuleRole.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("custom question")
        verbose_name_plural = _("custom questions")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.label

    def asked_to(self, role: str) -> bool:
        return self.role in (RuleRole.BOTH, role)
