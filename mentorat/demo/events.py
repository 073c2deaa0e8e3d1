"""Demo events of the university's current edition: a kick-off to come, a company visit
at Nexalis (co-host) two weeks ago with its attendance, feedback and contacts, and a
job-dating evening in three weeks, full with three people waiting, whose rounds the engine
has already planned (the coordinator can read, adjust and print them). Rows are written
directly (no email goes out while loading). Running it again changes nothing."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.events.models import (
    Audience,
    AudienceRoles,
    Contact,
    Event,
    EventFormat,
    EventKind,
    Feedback,
    Registration,
    RegistrationStatus,
)
from mentorat.networking.models import NetworkingPlan, PlanStatus
from mentorat.networking.services import execute_plan
from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, ParticipantRole

PARIS = ZoneInfo("Europe/Paris")


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _people(edition: Edition, role: str, limit: int) -> list[User]:
    return [
        application.user
        for application in Application.objects.filter(
            edition=edition, role=role, status=ApplicationStatus.ACCEPTED
        )
        .select_related("user")
        .order_by("pk")[:limit]
    ]


def _register(event: Event, people: list[User], *, capacity: int | None, attended: int = 0) -> None:
    for position, person in enumerate(people, start=1):
        has_place = capacity is None or position <= capacity
        Registration.objects.get_or_create(
            event=event,
            user=person,
            defaults={
                "status": RegistrationStatus.REGISTERED
                if has_place
                else RegistrationStatus.WAITLISTED,
                "position": position,
                "attended": position <= attended,
                "checked_in_at": event.starts_at + timedelta(minutes=position)
                if position <= attended
                else None,
            },
        )


@transaction.atomic
def seed() -> None:
    """Create the demo's events; running it twice changes nothing."""
    university = Organization.objects.filter(slug="universite").first()
    if university is None:
        return
    edition = (
        Edition.objects.filter(program__organization=university)
        .order_by("-starts_on", "pk")
        .first()
    )
    company = Organization.objects.filter(slug="nexalis").first()
    coordinator = User.objects.filter(email="coordination@universite.demo").first()
    mentees = _people(edition, ParticipantRole.MENTEE, 24) if edition else []
    mentors = _people(edition, ParticipantRole.MENTOR, 12) if edition else []
    common = {
        "organization": university,
        "created_by": coordinator,
        "edition": edition,
        "audience": Audience.EDITION if edition else Audience.ORGANIZATION,
    }
    kick_off, created = Event.objects.get_or_create(
        organization=university,
        title="Lancement de la promotion",
        defaults=common
        | {
            "kind": EventKind.KICK_OFF,
            "description": "Rencontre des binômes, présentation du programme et de la charte.",
            "place": "Amphithéâtre Gay-Lussac, bâtiment A",
            "access_notes": "Accès PMR par l'entrée nord. Tram T1, arrêt Université.",
            "starts_at": _at(10, 17, 30),
            "ends_at": _at(10, 20),
            "capacity": 120,
            "registration_deadline": _at(8, 23, 59),
            "audience_roles": AudienceRoles.BOTH,
        },
    )
    if created:
        _register(kick_off, mentees[:8] + mentors[:4], capacity=120)
    visit, created = Event.objects.get_or_create(
        organization=university,
        title="Visite du site Nexalis",
        defaults=common
        | {
            "kind": EventKind.COMPANY_VISIT,
            "description": "Visite des ateliers et échanges avec des ingénieures et ingénieurs.",
            "place": "Nexalis, 12 rue des Entrepreneurs",
            "access_notes": "Pièce d'identité demandée à l'accueil.",
            "starts_at": _at(-14, 14),
            "ends_at": _at(-14, 17),
            "capacity": 15,
            "audience_roles": AudienceRoles.MENTEES,
        },
    )
    if created:
        if company is not None:
            visit.co_hosts.add(company)
        _register(visit, mentees[:12], capacity=15, attended=9)
        attendees = list(visit.registrations.filter(attended=True).order_by("position"))
        for index, registration in enumerate(attendees):
            Feedback.objects.get_or_create(
                registration=registration,
                defaults={"rating": 4 + index % 2, "comment": "Très concret, merci !"},
            )
            for other in attendees[index + 1 : index + 3]:
                Contact.objects.get_or_create(registration=registration, met=other.user)
        if attendees:
            first = Contact.objects.filter(registration=attendees[0]).first()
            if first is not None:
                first.introduction_requested_at = visit.ends_at + timedelta(days=1)
                first.introduction_note = "Pour parler d'un stage dans son équipe."
                first.save(update_fields=["introduction_requested_at", "introduction_note"])
    # Full with three people waiting, whatever the size of the edition.
    evening_people = mentors[:8] + mentees[:15]
    evening_capacity = max(len(evening_people) - 3, 1)
    job_dating, created = Event.objects.get_or_create(
        organization=university,
        title="Soirée job dating",
        defaults=common
        | {
            "kind": EventKind.JOB_DATING,
            "description": "Rotations de dix minutes entre mentorés et professionnels.",
            "format": EventFormat.IN_PERSON,
            "place": "Maison de l'étudiant, salle polyvalente",
            "starts_at": _at(21, 18, 30),
            "ends_at": _at(21, 21),
            "capacity": evening_capacity,
            "registration_deadline": _at(19, 23, 59),
            "audience_roles": AudienceRoles.BOTH,
        },
    )
    if created:
        if company is not None:
            job_dating.co_hosts.add(company)
        _register(job_dating, evening_people, capacity=evening_capacity)
        _plan_rounds(job_dating, coordinator)


def _plan_rounds(event: Event, coordinator: User | None) -> None:
    """The evening's rounds, computed here by the task's own body (the demo has no worker
    to wait for): four rounds, tables of three, favouring who met fewest professionals."""
    plan = NetworkingPlan.objects.create(
        event=event,
        rounds=4,
        table_size=3,
        favour_fewest=True,
        status=PlanStatus.QUEUED,
        generation=1,
        requested_at=timezone.now(),
        requested_by=coordinator,
    )
    execute_plan(plan_id=plan.pk, generation=plan.generation)
