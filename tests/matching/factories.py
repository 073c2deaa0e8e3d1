"""Data for the matching tests: an edition of a program of organisation A with accepted
mentees (of A) and mentors (of a partner company), with profiles the engine can score."""

from dataclasses import dataclass, field

from django.utils import timezone

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.matching.models import MatchRun, Proposal, RunStatus
from mentorat.organizations.models import Organization, OrganizationKind
from mentorat.participants.models import Profile, Skill
from mentorat.programs.models import Edition, MatchingSettings, Program
from tests.factories import OrganizationFactory, UserFactory
from tests.programs.factories import EditionFactory, ProgramFactory


@dataclass
class Cohort:
    program: Program
    edition: Edition
    company: Organization
    mentees: list[Application] = field(default_factory=list)
    mentors: list[Application] = field(default_factory=list)


def person(
    edition: Edition,
    role: str,
    organization: Organization | None,
    *,
    user=None,
    field_name: str = "Informatique",
    domain: str = "M",
    occupation: str = "Développeur",
    region: str = "ARA",
    skills: tuple[str, ...] = (),
    years: int | None = None,
    gender: str = "",
    status: str = ApplicationStatus.ACCEPTED,
) -> Application:
    user = user or UserFactory()
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={
            "field": field_name,
            "rome_domain": domain,
            "occupation": occupation if role == "mentor" else "",
            "target_occupation": occupation if role == "mentee" else "",
            "region": region,
            "remote_ok": False,
            "years_of_experience": years if years is not None else (15 if role == "mentor" else 0),
            "gender": gender,
            "languages": ["fr"],
        },
    )
    if skills:
        chosen = [
            Skill.objects.get_or_create(name=s, defaults={"kind": "field"})[0] for s in skills
        ]
        (profile.skills_offered if role == "mentor" else profile.skills_wanted).set(chosen)
    now = timezone.now()
    return Application.objects.create(
        edition=edition,
        user=user,
        role=role,
        organization=organization,
        status=status,
        submitted_at=now,
        accepted_at=now if status == ApplicationStatus.ACCEPTED else None,
    )


def cohort(
    org: Organization,
    *,
    mentees: int = 3,
    mentors: int = 2,
    capacity: int = 1,
    slug: str | None = None,
) -> Cohort:
    kwargs = {"slug": slug} if slug else {}
    program = ProgramFactory(organization=org, **kwargs)
    MatchingSettings.objects.filter(program=program).update(
        default_mentor_capacity=capacity, hard_rules=["different_organizations"]
    )
    edition = EditionFactory(program=program)
    company = OrganizationFactory(name="Entreprise C", kind=OrganizationKind.COMPANY)
    program.shared_with.add(company)
    result = Cohort(program, edition, company)
    for k in range(mentees):
        result.mentees.append(person(edition, "mentee", org, skills=("Python", "SQL")[: k % 3]))
    for _k in range(mentors):
        result.mentors.append(person(edition, "mentor", company, skills=("Python", "SQL")))
    return result


def finished_run(c: Cohort, *, status: str = RunStatus.SUCCEEDED, user=None) -> MatchRun:
    """A run written directly (no engine): first mentee with the first mentor."""
    number = MatchRun.objects.filter(edition=c.edition).count() + 1
    run = MatchRun.objects.create(
        edition=c.edition,
        number=number,
        status=status,
        mode="optimal",
        parameters={"mode": "optimal", "default_capacity": 1, "hard_rules": []},
        fingerprint=f"test-{number}",
        started_by=user,
    )
    for k, mentee in enumerate(c.mentees):
        mentor = c.mentors[k] if k < len(c.mentors) else None
        Proposal.objects.create(
            run=run,
            mentee=mentee,
            mentor=mentor,
            score=30.0 if mentor else None,
            explanation=[{"code": "field", "points": 30, "fr": "Même domaine", "en": "Same field"}]
            if mentor
            else [],
            reason={} if mentor else {"code": "full", "fr": "complet", "en": "full"},
        )
    return run
