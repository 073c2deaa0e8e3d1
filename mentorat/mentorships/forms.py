"""Forms of the pair workspace and the coordinator pages. They parse and check input;
the rules live in the services."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.mentorships.models import (
    CheckInQuestion,
    CheckInQuestionKind,
    EndReason,
    GoalStatus,
    MeetingMode,
    Mentorship,
    Situation,
)
from mentorat.mentorships.services.check_ins import CheckInAnswer
from mentorat.mentorships.services.meetings import (
    MeetingData,
    minor_meeting_modes,
    time_problems,
)
from mentorat.mentorships.services.pairs import GoalData
from mentorat.participants.models import Profile, Skill, SkillKind
from mentorat.programs.forms import DateInput

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In your time zone (%(zone)s)."),
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"),
        coerce=int,
        choices=[
            (30, _("30 minutes")),
            (45, _("45 minutes")),
            (60, _("1 hour")),
            (90, _("1 hour 30")),
            (120, _("2 hours")),
        ],
        initial=60,
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=MeetingMode.choices, widget=forms.RadioSelect, initial="video"
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("For a meeting in person: address or name of the place."),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For a video call: the address of the call."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("For a phone call: the number to call (optional)."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self, *args: Any, zone_name: str, mentorship: Mentorship | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["starts_at"]
        field.help_text = str(field.help_text) % {"zone": zone_name}
        if mentorship is not None:
            self._limit_for_minor(mentorship)

    def _limit_for_minor(self, mentorship: Mentorship) -> None:
        """A pair with a minor: only the modes the program allows, the first one
        proposed, and the mentee's school as the place of an in-person meeting."""
        allowed = minor_meeting_modes(mentorship)
        if allowed is None:
            return
        mode = self.fields["mode"]
        assert isinstance(mode, forms.ChoiceField)
        mode.choices = [(value, label) for value, label in MeetingMode.choices if value in allowed]
        mode.help_text = _("With a minor, the program allows these ways of meeting only.")
        if self.initial.get("mode") not in allowed:
            self.initial["mode"] = allowed[0]
        school = mentorship.mentee_application.organization
        in_person = MeetingMode.IN_PERSON in allowed
        if in_person and school is not None and not self.initial.get("place"):
            self.initial["place"] = ", ".join(p for p in (school.name, school.city) if p)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service checks the time again; asking here shows it with the other errors.
        if data.get("starts_at") is not None:
            for message in time_problems(data["starts_at"], now=timezone.now()):
                self.add_error("starts_at", message)
        mode = data.get("mode")
        if mode == MeetingMode.IN_PERSON and not data.get("place", "").strip():
            self.add_error("place", _("Place: say where you will meet."))
        if mode == MeetingMode.VIDEO and not data.get("video_url", "").strip():
            self.add_error("video_url", _("Video link: give the address of the video call."))
        return data

    def meeting_data(self) -> MeetingData:
        d = self.cleaned_data
        return MeetingData(
            starts_at=d["starts_at"],
            duration_minutes=d["duration_minutes"],
            mode=d["mode"],
            place=d.get("place", ""),
            video_url=d.get("video_url", ""),
            phone=d.get("phone", ""),
            agenda=d.get("agenda", ""),
        )


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class SessionLogForm(forms.Form):
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=500,
        help_text=_("In a few words, e.g. “CV, interview preparation”."),
    )
    shared_notes = forms.CharField(
        label=_("Notes shared with the pair"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Both of you read them; coordinators see that a log exists, not its notes."),
    )
    private_note = forms.CharField(
        label=_("My private note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Only you can read it: never the other person, coordinators, reports or exports."
        ),
    )


def pair_skills(mentorship: Mentorship) -> QuerySet[Skill]:
    """Skills a pair works on: transversal skills, the mentee's wanted skills and the
    mentor's offered skills."""
    wanted = Profile.skills_wanted.through.objects.filter(
        profile__user_id=mentorship.mentee_user_id
    ).values("skill_id")
    offered = Profile.skills_offered.through.objects.filter(
        profile__user_id=mentorship.mentor_user_id
    ).values("skill_id")
    return Skill.objects.filter(
        Q(kind=SkillKind.TRANSVERSAL) | Q(pk__in=wanted) | Q(pk__in=offered)
    ).order_by("kind", "name")


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=200,
        help_text=_("What the mentee wants to achieve, e.g. “Find a work-study contract”."),
    )
    measure = forms.CharField(
        label=_("How we will measure it"),
        max_length=300,
        help_text=_("e.g. “Three interviews obtained”."),
    )
    due_on = forms.DateField(label=_("By when"), widget=DateInput())
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills developed"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skills"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = pair_skills(mentorship)

    def goal_data(self) -> GoalData:
        d = self.cleaned_data
        return GoalData(
            title=d["title"],
            measure=d["measure"],
            due_on=d["due_on"],
            skill_ids=tuple(s.pk for s in d["skills"]),
        )


class GoalProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    note = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AssessmentForm(forms.Form):
    """One 1–5 rating per skill; skills left empty are not rated."""

    def __init__(self, *args: Any, skills: list[Skill], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skills = skills
        for skill in skills:
            self.fields[f"skill_{skill.pk}"] = forms.ChoiceField(
                label=skill.name,
                choices=SCALE,
                required=False,
                widget=forms.RadioSelect,
                help_text=_("1: beginner … 5: confident"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"skill_{s.pk}") for s in self.skills):
            raise forms.ValidationError(_("Rate at least one skill."))
        return data

    def levels(self) -> dict[int, int]:
        return {
            s.pk: int(self.cleaned_data[f"skill_{s.pk}"])
            for s in self.skills
            if self.cleaned_data.get(f"skill_{s.pk}")
        }


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")


class CheckInForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the mentorship?"),
        coerce=int,
        choices=SCALE,
        widget=forms.RadioSelect,
        help_text=_("1: not at all … 5: very satisfied"),
    )
    progress = forms.TypedChoiceField(
        label=_("How much progress have you made towards your goals?"),
        coerce=int,
        empty_value=None,
        choices=SCALE,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("1: none … 5: a lot"),
    )
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend this program to a friend?"),
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(str(n), str(n)) for n in range(11)],
        required=False,
        help_text=_("0: certainly not … 10: certainly"),
    )
    comment = forms.CharField(
        label=_("Anything to add?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: Any, questions: list[CheckInQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q_{question.pk}"
            if question.kind == CheckInQuestionKind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    label=question.label, choices=SCALE, widget=forms.RadioSelect, required=False
                )
            elif question.kind == CheckInQuestionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                    widget=forms.RadioSelect,
                    required=False,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    max_length=2000,
                )

    def answer(self) -> CheckInAnswer:
        d = self.cleaned_data
        return CheckInAnswer(
            satisfaction=d["satisfaction"],
            progress=d.get("progress"),
            recommend=d.get("recommend"),
            comment=d.get("comment", ""),
            answers={str(q.pk): d.get(f"q_{q.pk}") for q in self.questions},
        )


class EndForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in EndReason.choices if c[0] != EndReason.PROGRAM_ENDED],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Required for “Other reason”. Coordinators read it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == EndReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Details: explain the reason when you choose “Other reason”."))
        return data


class OutcomeForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Situation"), choices=Situation.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("Details"),
        max_length=300,
        required=False,
        help_text=_("e.g. the employer, the training or the kind of job sought."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("situation") == Situation.OTHER and not data.get("detail", "").strip():
            self.add_error("detail", _("Details: describe the situation when you choose “Other”."))
        return data


class CheckInQuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=CheckInQuestionKind.choices)
