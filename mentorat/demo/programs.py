"""Demo programs: one of each type, with editions, objectives, questions, eligibility
rules and applications in every status (including a 14-year-old pupil waiting for a
guardian's consent). Called by `load_demo` once the people exist."""

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.participants.models import Profile
from mentorat.programs import services
from mentorat.programs.models import Edition, Program, ProgramKind, QuestionKind, RuleRole

_SPECS = [
    # (owner, name, kind, shared with, summary, published)
    (
        "universite",
        "Premier emploi — masters de l'université",
        ProgramKind.STUDENT_INSERTION,
        ("banque", "association"),
        "Un·e professionnel·le accompagne chaque étudiant·e de master vers son premier emploi.",
        True,
    ),
    (
        "nexalis",
        "Intégration des recrues et stagiaires Nexalis",
        ProgramKind.INTERNAL,
        (),
        "Chaque nouvel·le arrivant·e est accompagné·e par un·e collègue expérimenté·e.",
        True,
    ),
    (
        "formation",
        "Reconversion professionnelle",
        ProgramKind.CAREER_CHANGE,
        ("association",),
        "Des mentors passés par une reconversion accompagnent les stagiaires adultes.",
        True,
    ),
    (
        "lycee",
        "Mixité des métiers industriels",
        ProgramKind.GENDER_DIVERSITY,
        ("nexalis",),
        "Des technicien·nes et ingénieur·es font découvrir l'industrie aux élèves, "
        "en particulier aux filles.",
        True,
    ),
    (
        "universite",
        "Mentorat des doctorant·es",
        ProgramKind.CUSTOM,
        (),
        "Programme en préparation pour les doctorant·es.",
        False,
    ),
]

# Status of the applications of each program, in turn: every status appears.
_STATUS_CYCLE = [
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.WITHDRAWN,
]


def _birth_date(rng: random.Random, today: date, low: int, high: int) -> date:
    return today - timedelta(days=rng.randint(low * 365 + 10, high * 365 + 300))


def _members(org: Organization, role: Role, limit: int) -> list[User]:
    return list(
        User.objects.filter(memberships__organization=org, memberships__role=role).order_by(
            "email"
        )[:limit]
    )


def load_demo_programs(*, seed: int = 2026) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    orgs = {o.slug: o for o in Organization.objects.all()}
    coordinators = {
        m.organization.slug: m.user
        for m in Membership.objects.filter(role=Role.COORDINATOR).select_related(
            "user", "organization"
        )
    }
    for owner, name, kind, shared, summary, published in _SPECS:
        actor = coordinators.get(owner)
        program = services.create_program(
            organization=orgs[owner], name=name, kind=kind, summary=summary, actor=actor
        )
        services.update_program(
            program=program,
            name=name,
            summary=summary,
            description=summary,
            is_published=published,
            shared_with=[orgs[s] for s in shared],
            actor=actor,  # type: ignore[arg-type]
        )
        past = services.save_edition(
            program=program,
            name="Promotion 2025",
            applications_open_on=today - timedelta(days=400),
            applications_close_on=today - timedelta(days=370),
            matching_on=today - timedelta(days=365),
            starts_on=today - timedelta(days=360),
            ends_on=today - timedelta(days=180),
            meetings_per_month=2,
            duration_months=6,
            actor=actor,
        )
        current = services.save_edition(
            program=program,
            name="Promotion 2026",
            applications_open_on=today - timedelta(days=20),
            applications_close_on=today + timedelta(days=25),
            matching_on=today + timedelta(days=30),
            starts_on=today + timedelta(days=40),
            ends_on=today + timedelta(days=220),
            meetings_per_month=1 if kind == ProgramKind.CAREER_CHANGE else 2,
            duration_months=9 if kind == ProgramKind.CAREER_CHANGE else 6,
            actor=actor,
        )
        services.add_question(
            program=program,
            label="Quel est votre projet professionnel ?",
            kind=QuestionKind.LONG_TEXT,
            role=RuleRole.MENTEE,
            required=True,
            actor=actor,
        )
        services.add_question(
            program=program,
            label="Combien de temps pouvez-vous consacrer au mentorat ?",
            kind=QuestionKind.SINGLE_CHOICE,
            role=RuleRole.BOTH,
            choices=["1 heure par mois", "2 heures par mois", "Plus"],
            actor=actor,
        )
        services.add_question(
            program=program,
            label="Avez-vous déjà été mentor·e ?",
            kind=QuestionKind.YES_NO,
            role=RuleRole.MENTOR,
            actor=actor,
        )
        if actor is not None:
            services.add_eligibility_rule(
                program=program,
                role=RuleRole.MENTOR,
                kind="min_years_experience",
                number=3,
                actor=actor,
            )
        if published:
            _applications(program, current, past, orgs, shared, rng, today, now)
            if kind == ProgramKind.STUDENT_INSERTION:
                _named_personas(current, now)


def _named_personas(edition: Edition, now: datetime) -> None:
    """The demo mentee has a pending application and the demo mentor an accepted one."""
    charter = edition.program.charters.order_by("-version").first()
    for email, role, status in (
        ("mentoree@universite.demo", "mentee", ApplicationStatus.SUBMITTED),
        ("mentor@banque.demo", "mentor", ApplicationStatus.ACCEPTED),
    ):
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        organization = Organization.objects.filter(memberships__user=user).first()
        Application.objects.update_or_create(
            edition=edition,
            user=user,
            defaults={
                "role": role,
                "organization": organization,
                "status": status,
                "submitted_at": now - timedelta(days=3),
                "accepted_at": now - timedelta(days=2)
                if status == ApplicationStatus.ACCEPTED
                else None,
                "decided_at": now - timedelta(days=2)
                if status == ApplicationStatus.ACCEPTED
                else None,
                "charter": charter,
                "charter_accepted_at": now - timedelta(days=3),
                "source": "demo",
            },
        )


def _applications(
    program: Program,
    current: Edition,
    past: Edition,
    orgs: dict[str, Organization],
    shared: tuple[str, ...],
    rng: random.Random,
    today: date,
    now: datetime,
) -> None:
    owner = program.organization
    charter = program.charters.order_by("-version").first()
    mentees = _members(owner, Role.MENTEE, 24)
    mentors = _members(owner, Role.MENTOR, 8)
    for slug in shared:
        mentors += _members(orgs[slug], Role.MENTOR, 6)
    if program.kind == ProgramKind.GENDER_DIVERSITY:
        _pupils(mentees, rng, today)
    rows: list[Application] = []
    for i, (user, role) in enumerate(
        [(u, "mentee") for u in mentees] + [(u, "mentor") for u in mentors]
    ):
        status = _STATUS_CYCLE[i % len(_STATUS_CYCLE)]
        membership_org = (
            Membership.objects.filter(user=user).values_list("organization_id", flat=True).first()
        )
        submitted = now - timedelta(days=rng.randint(1, 19), hours=rng.randint(0, 23))
        decided = status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)
        accepted_at = (
            submitted + timedelta(days=1) if status == ApplicationStatus.ACCEPTED else None
        )
        profile = Profile.objects.filter(user=user).only("birth_date").first()
        age = profile.age_on(today) if profile else None
        rows.append(
            Application(
                edition=current,
                user=user,
                role=role,
                organization_id=membership_org,
                status=status,
                answers={},
                charter=charter,
                charter_accepted_at=submitted,
                submitted_at=submitted,
                decided_at=submitted + timedelta(days=1) if decided else None,
                accepted_at=accepted_at,
                decision_reason="Le programme est complet pour ce domaine."
                if status == ApplicationStatus.DECLINED
                else "",
                info_request="Pouvez-vous préciser votre projet professionnel ?"
                if status == ApplicationStatus.INFO_REQUESTED
                else "",
                is_minor=age is not None and age < 18,
                contact_through_platform_only=age is not None and age < 18,
                source="demo",
            )
        )
    Application.objects.bulk_create(rows)
    # The 14-year-old pupil's application waits for a guardian's consent.
    young = [a for a in rows if a.is_minor and a.role == "mentee"]
    if young:
        pupil = young[0]
        pupil.status = ApplicationStatus.AWAITING_GUARDIAN_CONSENT
        pupil.guardian_email = "parent.eleve@lycee.demo"
        pupil.decided_at = pupil.accepted_at = None
        pupil.save()
    # Another pupil of 14: their guardian consented, then withdrew the consent through
    # the same link, so the application is suspended (`guardians.withdraw_guardian_consent`).
    if len(young) > 1:
        suspended = young[1]
        Profile.objects.filter(user_id=suspended.user_id).update(
            birth_date=_birth_date(rng, today, 14, 14)
        )
        suspended.status = ApplicationStatus.SUSPENDED
        suspended.guardian_email = "parent.eleve2@lycee.demo"
        suspended.guardian_name = "Nadia Benali"
        suspended.guardian_relationship = "mother"
        suspended.guardian_consent_at = suspended.guardian_email_verified_at = (
            suspended.submitted_at + timedelta(days=1)
        )
        suspended.guardian_consent_withdrawn_at = suspended.submitted_at + timedelta(days=3)
        suspended.decided_at = suspended.accepted_at = None
        suspended.save()
    # Last year's edition: a few accepted people, for history.
    Application.objects.bulk_create(
        [
            Application(
                edition=past,
                user=user,
                role="mentee",
                organization=owner,
                status=ApplicationStatus.ACCEPTED,
                submitted_at=now - timedelta(days=390),
                accepted_at=now - timedelta(days=380),
                decided_at=now - timedelta(days=380),
                charter=charter,
                source="demo",
            )
            for user in _members(owner, Role.MENTEE, 40)[24:30]
        ]
    )


def _pupils(pupils: list[User], rng: random.Random, today: date) -> None:
    """Vocational pupils are 14 to 17; the first one is 14, for the consent example."""
    for i, user in enumerate(pupils):
        profile, _created = Profile.objects.get_or_create(user=user)
        profile.birth_date = (
            _birth_date(rng, today, 14, 14) if i == 0 else _birth_date(rng, today, 15, 17)
        )
        profile.gender = "woman" if i % 2 == 0 else "man"
        profile.save(update_fields=["birth_date", "gender"])
