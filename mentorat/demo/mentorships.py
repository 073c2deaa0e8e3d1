"""Demo pairs: a running winter edition of the university's first-job program with pairs
in every health state (meetings, session logs, check-ins, goals, skills), and last year's
edition with ended pairs and their outcomes. Called by `load_demo` after the programs.

History is written directly (services refuse meetings in the past, rightly)."""

import random
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from matching_engine import solve
from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.matching import inputs as run_inputs
from mentorat.matching.explain import best_points, pair_explanation, stored_explanation
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.runs import explanation_json
from mentorat.mentorships.models import (
    AssessmentPhase,
    CheckIn,
    CheckInOccasion,
    EndReason,
    Goal,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    Outcome,
    OutcomeStage,
    PrivateNote,
    Resource,
    SessionLog,
    Situation,
    SkillAssessment,
)
from mentorat.organizations.models import Organization, Role
from mentorat.participants.models import Skill, SkillKind
from mentorat.programs.models import Edition, MatchingSettings, Program, ProgramKind

TOPICS = [
    "CV et lettre de motivation",
    "Préparation d'un entretien",
    "Réseau professionnel et LinkedIn",
    "Découverte du métier d'analyste",
    "Organisation de la recherche d'emploi",
    "Prise de parole en public",
]
# Days since the last meeting, satisfaction, and an unanswered proposal, per pair of the
# running edition: on track, to watch and at risk, for every reason.
RUNNING = [
    (4, 5, False),
    (6, 4, False),
    (9, 5, False),
    (12, 4, False),
    (20, 4, False),  # to watch: next meeting overdue
    (5, 4, True),  # to watch: proposal unanswered for 10 days
    (8, 3, False),  # to watch: middling satisfaction
    (40, 4, False),  # at risk: no meeting for 40 days
    (None, None, False),  # at risk: no meeting since the start
    (7, 2, False),  # at risk: unhappy
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _members(org: Organization | None, role: Role, limit: int, skip: int = 0) -> list[User]:
    if org is None:
        return []
    return list(
        User.objects.filter(memberships__organization=org, memberships__role=role)
        .exclude(email__in=("mentor@banque.demo", "mentoree@universite.demo"))
        .order_by("email")[skip : skip + limit]
    )


def load_demo_mentorships(*, seed: int = 2026) -> None:
    rng = random.Random(seed)
    program = Program.objects.filter(kind=ProgramKind.STUDENT_INSERTION).first()
    if program is None:
        return
    today = timezone.localdate()
    coordinator = User.objects.filter(email="coordination@universite.demo").first()
    running = Edition.objects.create(
        program=program,
        name="Promotion d'hiver 2026",
        applications_open_on=today - timedelta(days=120),
        applications_close_on=today - timedelta(days=95),
        matching_on=today - timedelta(days=80),
        starts_on=today - timedelta(days=75),
        ends_on=today + timedelta(days=105),
        meetings_per_month=2,
        duration_months=6,
    )
    orgs = {o.slug: o for o in Organization.objects.all()}
    mentees = _members(orgs.get("universite"), Role.MENTEE, len(RUNNING) + 8, skip=60)
    mentors = _members(orgs.get("banque"), Role.MENTOR, 8) + _members(
        orgs.get("association"), Role.MENTOR, 8
    )
    transversal = list(Skill.objects.filter(kind=SkillKind.TRANSVERSAL).order_by("name"))
    named_mentor = User.objects.filter(email="mentor@banque.demo").first()
    named_mentee = User.objects.filter(email="mentoree@universite.demo").first()

    pairs: list[tuple[User, User]] = []
    if named_mentor and named_mentee:
        pairs.append((named_mentor, named_mentee))
    pairs += list(zip(mentors, mentees[: len(RUNNING)], strict=False))
    chosen = _engine_pairs(
        running, _accepted(running, pairs, today), locked=1 if named_mentor and named_mentee else 0
    )
    for index, (mentor, mentee) in enumerate(chosen):
        spec = (3, 5, False) if index == 0 else RUNNING[(index - 1) % len(RUNNING)]
        _running_pair(running, mentor, mentee, spec, rng, transversal, coordinator, today)
    if named_mentor and named_mentee:
        _pending_check_ins(running, named_mentor, named_mentee, today)

    past = program.editions.filter(ends_on__lt=today).order_by("-ends_on").first()
    if past is not None:
        ended_pairs = list(zip(mentors[::-1], mentees[len(RUNNING) :], strict=False))
        chosen = _engine_pairs(past, _accepted(past, ended_pairs, today), locked=0)
        for index, (mentor, mentee) in enumerate(chosen):
            _ended_pair(past, mentor, mentee, index, rng, coordinator)


def _accepted(
    edition: Edition, pairs: list[tuple[User, User]], today: date
) -> list[tuple[Application, Application]]:
    """Accepted applications, as the matching would have needed them: (mentor's,
    mentee's) for each pair."""
    now = timezone.now()
    result = []
    for mentor, mentee in pairs:
        sides = []
        for user, role in ((mentor, "mentor"), (mentee, "mentee")):
            application, _created = Application.objects.get_or_create(
                edition=edition,
                user=user,
                defaults={
                    "role": role,
                    "organization": Organization.objects.filter(memberships__user=user).first(),
                    "status": ApplicationStatus.ACCEPTED,
                    "submitted_at": now - timedelta(days=(today - edition.starts_on).days + 30),
                    "accepted_at": now - timedelta(days=(today - edition.starts_on).days + 20),
                    "decided_at": now - timedelta(days=(today - edition.starts_on).days + 20),
                    "source": "demo",
                },
            )
            sides.append(application)
        result.append((sides[0], sides[1]))
    return result


def _meeting(
    pair: Mentorship, day: date, rng: random.Random, status: str = MeetingStatus.ACCEPTED
) -> Meeting:
    mode = rng.choice(list(MeetingMode))
    starts_at = _at(day, rng.choice([9, 12, 18]))
    return Meeting.objects.create(
        mentorship=pair,
        starts_at=starts_at,
        duration_minutes=60,
        mode=mode,
        place="Café du Parc, Lyon" if mode == MeetingMode.IN_PERSON else "",
        video_url="https://visio.example.org/binome" if mode == MeetingMode.VIDEO else "",
        phone="" if mode != MeetingMode.PHONE else "06 00 00 00 00",
        status=status,
        proposed_by=pair.mentor,
        proposed_at=starts_at - timedelta(days=7),
        accepted_at=starts_at - timedelta(days=6) if status == MeetingStatus.ACCEPTED else None,
    )


def _log(meeting: Meeting, rng: random.Random, private: bool) -> None:
    log = SessionLog.objects.create(
        meeting=meeting,
        mentorship=meeting.mentorship,
        duration_minutes=rng.choice([45, 60, 75, 90]),
        topics=rng.choice(TOPICS),
        shared_notes="Prochaine étape : envoyer trois candidatures ciblées.",
        written_by=meeting.mentorship.mentor,
    )
    if private:
        PrivateNote.objects.create(
            session_log=log,
            author=meeting.mentorship.mentor,
            text="À encourager : manque de confiance pendant les simulations d'entretien.",
        )


def _pending_check_ins(edition: Edition, mentor: User, mentee: User, today: date) -> None:
    """The personas' pair has this month's check-in still to answer, on both sides: their
    home pages open on something to do."""
    pair = Mentorship.objects.filter(
        edition=edition, mentor_application__user=mentor, mentee_application__user=mentee
    ).first()
    if pair is None:
        return
    sent = _at(min(pair.started_on + timedelta(days=62), today - timedelta(days=2)), 8)
    for user, role in ((mentor, "mentor"), (mentee, "mentee")):
        CheckIn.objects.get_or_create(
            mentorship=pair,
            respondent=user,
            occasion=CheckInOccasion.MONTHLY,
            period=2,
            defaults={"role": role, "sent_at": sent},
        )


def _check_in(
    pair: Mentorship, user: User, role: str, occasion: str, sent: datetime, score: int | None
) -> None:
    CheckIn.objects.create(
        mentorship=pair,
        respondent=user,
        role=role,
        occasion=occasion,
        period=1 if occasion == CheckInOccasion.MONTHLY else 0,
        sent_at=sent,
        answered_at=sent + timedelta(days=1) if score else None,
        satisfaction=score,
        progress=min(score + 1, 5) if score else None,
        recommend=score * 2 if score else None,
        comment="Des échanges utiles et concrets." if score and score >= 4 else "",
    )


def _engine_pairs(
    edition: Edition, pairs: list[tuple[Application, Application]], *, locked: int
) -> list[tuple[Application, Application]]:
    """The same mentees, in the same order, with the mentors a run of the program would
    give them (the first `locked` pairs kept as they are); mentees the rules leave
    unmatched take the remaining mentors in their original order."""
    settings = MatchingSettings.objects.filter(program_id=edition.program_id).first()
    parameters = RunParameters.from_settings(settings)
    mentees = {a.pk: a for _mentor, a in pairs}
    mentors = {a.pk: a for a, _mentee in pairs}
    data = run_inputs.Inputs(
        mentees=run_inputs.mentee_rows(
            Application.objects.filter(pk__in=list(mentees)),
            priority_groups=parameters.priority_groups,
        ),
        mentors=run_inputs.mentor_rows(
            Application.objects.filter(pk__in=list(mentors)), capacities=dict.fromkeys(mentors, 1)
        ),
        locked=[(str(mentee.pk), str(mentor.pk)) for mentor, mentee in pairs[:locked]],
    )
    problem = run_inputs.build(data, parameters)
    result = solve(problem, "stable") if parameters.mode == "stable" else solve(problem)
    given: dict[int, Application] = {}
    for i, j in enumerate(result.assignment.tolist()):
        if j >= 0:
            given[int(data.mentees[i]["id"])] = mentors[int(data.mentors[j]["id"])]
    left = [m for m, _mentee in pairs if m not in given.values()]
    return [(given.get(mentee.pk) or left.pop(0), mentee) for _mentor, mentee in pairs]


def _engine_score(
    edition: Edition, mentor_application: Application, mentee_application: Application
) -> dict[str, Any]:
    """The pair's real score and breakdown, as a run of the program would have stored
    them (the program's criteria applied to both profiles by the engine)."""
    settings = MatchingSettings.objects.filter(program_id=edition.program_id).first()
    parameters = RunParameters.from_settings(settings)
    explanation = pair_explanation(
        edition=edition, parameters=parameters, mentee=mentee_application, mentor=mentor_application
    )
    return {
        "score": explanation.total,
        "explanation": stored_explanation(
            explanation_json(explanation.parts), best=best_points(parameters)
        ),
    }


def _running_pair(
    edition: Edition,
    mentor_application: Application,
    mentee_application: Application,
    spec: tuple[int | None, int | None, bool],
    rng: random.Random,
    transversal: list[Skill],
    coordinator: User | None,
    today: date,
) -> None:
    last_gap, satisfaction, stale_proposal = spec
    mentor, mentee = mentor_application.user, mentee_application.user
    pair = Mentorship.objects.create(
        edition=edition,
        mentor_application=mentor_application,
        mentee_application=mentee_application,
        mentor_answer="confirmed",
        mentee_answer="confirmed",
        started_on=edition.starts_on,
        created_by=coordinator,
        **_engine_score(edition, mentor_application, mentee_application),
    )
    if last_gap is not None:
        days = sorted({last_gap, *(last_gap + 14 * k for k in range(1, 4))})
        days = [d for d in days if d < (today - edition.starts_on).days]
        for n, day in enumerate(days):
            _log(_meeting(pair, today - timedelta(days=day), rng), rng, private=n == 0)
        first = _at(today - timedelta(days=days[-1] - 1), 8) if days else None
        if first is not None:
            for user, role in ((mentor, "mentor"), (mentee, "mentee")):
                _check_in(pair, user, role, CheckInOccasion.FIRST_MEETING, first, 4)
        monthly = _at(edition.starts_on + timedelta(days=31), 8)
        _check_in(pair, mentee, "mentee", CheckInOccasion.MONTHLY, monthly, satisfaction)
        _check_in(pair, mentor, "mentor", CheckInOccasion.MONTHLY, monthly, 4)
    if last_gap is not None and last_gap <= 12:
        _meeting(pair, today + timedelta(days=rng.randint(3, 12)), rng)
    if stale_proposal:
        proposal = _meeting(pair, today + timedelta(days=4), rng, status=MeetingStatus.PROPOSED)
        Meeting.objects.filter(pk=proposal.pk).update(
            proposed_at=timezone.now() - timedelta(days=10)
        )
    goal = Goal.objects.create(
        mentorship=pair,
        title="Décrocher un premier emploi d'analyste",
        measure="Trois entretiens obtenus, une offre reçue",
        due_on=edition.ends_on,
        progress=rng.choice([10, 30, 50, 70]),
        created_by=mentor,
    )
    chosen = rng.sample(transversal, min(2, len(transversal)))
    goal.skills.set(chosen)
    for skill in chosen:
        for role, person in (("mentee", mentee), ("mentor", mentor)):
            SkillAssessment.objects.create(
                mentorship=pair,
                skill=skill,
                phase=AssessmentPhase.START,
                rater_role=role,
                level=rng.randint(1, 3),
                rated_by=person,
            )
    Resource.objects.create(
        mentorship=pair,
        title="Offres d'emploi de l'APEC",
        url="https://www.apec.fr/",
        added_by=mentor,
    )


def _ended_pair(
    edition: Edition,
    mentor_application: Application,
    mentee_application: Application,
    index: int,
    rng: random.Random,
    coordinator: User | None,
) -> None:
    early = index % 4 == 3
    ended_on = edition.starts_on + timedelta(days=70) if early else edition.ends_on
    mentor, mentee = mentor_application.user, mentee_application.user
    pair = Mentorship.objects.create(
        edition=edition,
        mentor_application=mentor_application,
        mentee_application=mentee_application,
        mentor_answer="confirmed",
        mentee_answer="confirmed",
        started_on=edition.starts_on,
        status=MentorshipStatus.ENDED,
        ended_on=ended_on,
        end_reason=EndReason.NO_CONTACT if early else EndReason.PROGRAM_ENDED,
        ended_by=coordinator if early else None,
        created_by=coordinator,
        **_engine_score(edition, mentor_application, mentee_application),
    )
    day = edition.starts_on + timedelta(days=5)
    while day < ended_on - timedelta(days=5):
        _log(_meeting(pair, day, rng), rng, private=False)
        day += timedelta(days=rng.randint(12, 20))
    final = _at(ended_on, 8)
    for user, role in ((mentor, "mentor"), (mentee, "mentee")):
        _check_in(pair, user, role, CheckInOccasion.FINAL, final, 2 if early else rng.randint(4, 5))
    situations = list(Situation)
    Outcome.objects.create(
        mentorship=pair,
        stage=OutcomeStage.END,
        situation=Situation.JOB_SEEKING if early else situations[index % len(situations)],
        recorded_by=coordinator,
        recorded_at=final,
    )
    if early:  # ended long enough ago for the six-month update
        Outcome.objects.create(
            mentorship=pair,
            stage=OutcomeStage.SIX_MONTHS,
            situation=Situation.FIXED_TERM_JOB,
            detail="CDD de 12 mois en agence bancaire",
            recorded_by=mentee,
            recorded_at=final + timedelta(days=185),
        )
        Mentorship.objects.filter(pk=pair.pk).update(
            six_month_request_sent_at=final + timedelta(days=182)
        )
