"""A fixed program whose every figure was computed by hand (see the comments), read on
15 June 2026 at noon (UTC; the site's time zone is Paris, still 15 June).

Twelve accepted mentees a0–a11 (a0–a5 women, a6–a9 men, a10–a11 gender not given), three
submitted and one declined mentee application; eight accepted mentors m0–m7 (m0–m1
women) and two submitted. Mentees a0–a9 have a mentor (a_i with m_{i mod 8}), a0–a4
from 11 March and a5–a9 from 15 March; a8 ended on 31 May (goals reached), a9 on
30 April (not a fit)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.mentorships.models import (
    AssessmentPhase,
    EndReason,
    Mentorship,
    MentorshipStatus,
    Outcome,
    OutcomeStage,
    SkillAssessment,
)
from mentorat.participants.models import Skill
from mentorat.programs.models import Edition, Objective, Program
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.factories import UserFactory
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    SessionLogFactory,
)
from tests.programs.factories import EditionFactory, ProgramFactory

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
ACCEPTED_AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
STARTED_ON = date(2026, 3, 15)
MENTEE_GENDERS = ["woman"] * 6 + ["man"] * 4 + ["", ""]
MENTOR_GENDERS = ["woman"] * 2 + ["man"] * 6
# Latest satisfaction and "would recommend" of the mentees of the active pairs a0–a7.
SATISFACTION = [2, 1, 4, 5, 4, 5, 4, 4]
RECOMMEND = [3, 5, 9, 10, 9, 10, 8, 7]
SITUATIONS = {  # outcomes at the end, pairs a2–a9
    2: "cdi",
    3: "cdd",
    4: "apprenticeship",
    5: "further_studies",
    6: "job_seeking",
    7: "internship",
    8: "cdi",
    9: "job_seeking",
}


@dataclass
class Dataset:
    program: Program
    edition: Edition
    mentees: list[Application]
    mentors: list[Application]
    pairs: list[Mentorship]


def _person(gender: str, *, rome_domain: str = "M", priority_groups: list[str] | None = None):
    user = UserFactory()
    ProfileFactory(
        user=user, gender=gender, rome_domain=rome_domain, priority_groups=priority_groups or []
    )
    return user


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def build(organization) -> Dataset:
    program = ProgramFactory(organization=organization, slug="rapport", name="Programme rapport")
    program.matching_settings.priority_groups = ["scholarship_holder"]
    program.matching_settings.save()
    edition = EditionFactory(
        program=program,
        name="Promotion 2026",
        applications_open_on=date(2026, 2, 1),
        applications_close_on=date(2026, 2, 28),
        matching_on=date(2026, 3, 10),
        starts_on=date(2026, 3, 15),
        ends_on=date(2026, 9, 15),
        meetings_per_month=2,
    )

    def apply(user, role: str, status: str) -> Application:
        accepted = status == ApplicationStatus.ACCEPTED
        return ApplicationFactory(
            edition=edition,
            user=user,
            role=role,
            status=status,
            submitted_at=datetime(2026, 2, 10, 9, tzinfo=UTC),
            accepted_at=ACCEPTED_AT if accepted else None,
        )

    # a0 and a1 are scholarship holders.
    mentees = [
        apply(
            _person(g, priority_groups=["scholarship_holder"] if i < 2 else []),
            "mentee",
            ApplicationStatus.ACCEPTED,
        )
        for i, g in enumerate(MENTEE_GENDERS)
    ]
    for status in ("submitted", "submitted", "submitted", "declined"):
        apply(_person(""), "mentee", status)
    mentors = [apply(_person(g), "mentor", ApplicationStatus.ACCEPTED) for g in MENTOR_GENDERS]
    for _ in range(2):
        apply(_person("man"), "mentor", ApplicationStatus.SUBMITTED)

    skill = Skill.objects.create(name="Communication", kind="transversal")
    pairs = []
    for i in range(10):
        ended = {
            8: (date(2026, 5, 31), EndReason.GOALS_REACHED),
            9: (date(2026, 4, 30), EndReason.NOT_A_FIT),
        }.get(i)
        pair = MentorshipFactory(
            edition=edition,
            mentor=mentors[i % 8].user,
            mentee=mentees[i].user,
            # Started 10 days after acceptance (a0–a4) or 14 days after (a5–a9).
            started_on=date(2026, 3, 11) if i < 5 else STARTED_ON,
            status=MentorshipStatus.ENDED if ended else MentorshipStatus.ACTIVE,
            ended_on=ended[0] if ended else None,
            end_reason=ended[1] if ended else "",
        )
        # The rows were written later than the pairs started (entered after the fact):
        # reports must read the start date, not this one.
        Mentorship.objects.filter(pk=pair.pk).update(
            created_at=datetime(2026, 6, 1 if i < 5 else 2, 10, tzinfo=UTC)
        )
        pairs.append(pair)
        days = (
            [date(2026, 4, 1)] if ended else [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
        )
        for day in days:
            meeting = MeetingFactory(mentorship=pair, starts_at=_at(day), proposed_at=_at(day, 8))
            SessionLogFactory(meeting=meeting, mentorship=pair, duration_minutes=60)
        if i < 8:
            CheckInFactory(
                mentorship=pair,
                period=2,
                sent_at=_at(date(2026, 6, 1)),
                answered_at=_at(date(2026, 6, 5)),
                satisfaction=SATISFACTION[i],
                recommend=RECOMMEND[i],
            )
        if 2 <= i <= 6:
            for phase, level in ((AssessmentPhase.START, 2), (AssessmentPhase.END, 4)):
                SkillAssessment.objects.create(
                    mentorship=pair, skill=skill, phase=phase, rater_role="mentee", level=level
                )
            # The mentor's own rating is not a self-assessment: left out.
            SkillAssessment.objects.create(
                mentorship=pair,
                skill=skill,
                phase=AssessmentPhase.END,
                rater_role="mentor",
                level=1,
            )
        if i in SITUATIONS:
            Outcome.objects.create(
                mentorship=pair,
                stage=OutcomeStage.END,
                situation=SITUATIONS[i],
                recorded_at=_at(date(2026, 6, 10)),
            )
    # An earlier, worse answer of a2 is superseded by the latest one.
    CheckInFactory(
        mentorship=pairs[2],
        period=1,
        sent_at=_at(date(2026, 4, 5)),
        answered_at=_at(date(2026, 4, 10)),
        satisfaction=1,
        recommend=0,
    )
    return Dataset(program, edition, mentees, mentors, pairs)


def objectives(program: Program) -> list[Objective]:
    make = Objective.objects.create
    return [
        make(program=program, indicator="matched_share", target=80, deadline=date(2026, 12, 31)),
        make(program=program, indicator="women_share", target=70, deadline=date(2026, 12, 31)),
        make(
            program=program,
            indicator="mentors_recruited",
            target=18,
            unit="count",
            deadline=date(2026, 12, 31),
        ),
        make(program=program, indicator="matched_within_days", target=50, months=12),
        make(
            program=program,
            indicator="supported_months",
            target=90,
            months=3,
            deadline=date(2026, 1, 1),
        ),
    ]
