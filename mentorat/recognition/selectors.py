"""Reads of recognition: a mentor's engagement (hours from the pairs' session logs,
through the mentorships app's own counters), their notes, awards, badges and
attestations, and the figures per program for the reports."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.mentorships.models import Mentorship
from mentorat.mentorships.selectors import mentor_minutes, with_health_facts
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.programs.models import Program
from mentorat.recognition.models import (
    Attestation,
    AttestationKind,
    Award,
    Credential,
    Recognition,
    ThankYouNote,
)
from mentorat.training.selectors import CompletedModule, completions_of


@dataclass
class ProgramEngagement:
    """A mentor's engagement in one program."""

    program: Program
    minutes: int = 0
    pairs: int = 0
    first_day: date | None = None
    last_day: date | None = None

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass
class Engagement:
    """What a mentor's engagement page shows."""

    mentor: User
    minutes: int
    programs: list[ProgramEngagement] = field(default_factory=list)
    modules: list[CompletedModule] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def pairs(self) -> int:
        return sum(p.pairs for p in self.programs)


def mentored_pairs(mentor: User) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(mentor_application__user=mentor)


def engagement_of(mentor: User) -> Engagement:
    """Hours (the mentorships app's counter: one truth for the figure), pairs and
    period per program, and completed modules. Three queries, whatever the history."""
    today = timezone.localdate()
    pairs = with_health_facts(
        mentored_pairs(mentor).select_related("edition__program__organization"),
        now=timezone.now(),
    ).order_by("started_on", "pk")
    by_program: dict[int, ProgramEngagement] = {}
    for pair in pairs:
        program = pair.edition.program
        item = by_program.setdefault(program.pk, ProgramEngagement(program=program))
        item.pairs += 1
        item.minutes += pair.logged_minutes  # type: ignore[attr-defined]
        end = pair.ended_on or today
        item.first_day = min(filter(None, (item.first_day, pair.started_on)))
        item.last_day = max(filter(None, (item.last_day, end)))
    return Engagement(
        mentor=mentor,
        minutes=mentor_minutes(user=mentor),
        programs=list(by_program.values()),
        modules=completions_of(mentor.pk),
    )


def notes_for(mentor: User, *, only_shown: bool) -> QuerySet[ThankYouNote]:
    notes = ThankYouNote.objects.filter(mentorship__mentor_application__user=mentor)
    if only_shown:
        notes = notes.filter(shown=True)
    return notes.select_related("author", "mentorship__edition__program")


def awards_of(mentor: User) -> QuerySet[Award]:
    return Award.objects.filter(mentor=mentor).select_related("recognition__program", "credential")


def credentials_of(holder: User) -> QuerySet[Credential]:
    return Credential.objects.filter(holder=holder).select_related("organization")


def attestations_of(holder: User) -> QuerySet[Attestation]:
    return Attestation.objects.filter(holder=holder).select_related("organization")


def attestation_by_public_id(public_id: str) -> QuerySet[Attestation]:
    return Attestation.objects.filter(public_id=public_id)


def note_of(mentorship: Mentorship) -> ThankYouNote | None:
    return ThankYouNote.objects.filter(mentorship=mentorship).first()


def attestation_organizations(holder: User, kind: str) -> list[Organization]:
    """Who can attest: the organisations whose programs `holder` mentored in; for
    training, also the organisations `holder` belongs to."""
    ids = set(mentored_pairs(holder).values_list("edition__program__organization_id", flat=True))
    if kind == AttestationKind.TRAINING:
        ids |= set(Membership.objects.filter(user=holder).values_list("organization_id", flat=True))
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def default_signatory(organization: Organization) -> User | None:
    """Who signs when the holder asks: an admin of the organisation, else a coordinator."""
    for role in (Role.ADMIN, Role.COORDINATOR):
        found = (
            Membership.objects.filter(organization=organization, role=role, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found.user
    return None


def recognitions_of(program: Program) -> QuerySet[Recognition]:
    return program.recognitions.annotate(award_count=Count("awards")).order_by("name")


def program_mentors(program: Program) -> QuerySet[User]:
    """Mentors with a pair in `program` (whom a recognition can be awarded to)."""
    return (
        User.objects.filter(
            applications__mentorships_as_mentor__edition__program=program,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


@dataclass(frozen=True)
class ProgramRecognitionFigures:
    program: Program
    hours: float
    attestations: int
    awards: int


def recognition_report(programs: QuerySet[Program]) -> list[ProgramRecognitionFigures]:
    """Hours recognised (logged in the program's pairs), attestations of engagement
    naming the program, and recognitions awarded, per program. Three queries."""
    program_list = list(programs)
    ids = [p.pk for p in program_list]
    minutes: dict[int, int] = defaultdict(int)
    pairs = with_health_facts(
        Mentorship.objects.filter(edition__program_id__in=ids).select_related("edition"),
        now=timezone.now(),
    )
    for pair in pairs:
        minutes[pair.edition.program_id] += pair.logged_minutes or 0  # type: ignore[attr-defined]
    attested: dict[int, int] = defaultdict(int)
    details: list[dict[str, Any]] = list(
        Attestation.objects.filter(kind=AttestationKind.ENGAGEMENT, organization__programs__in=ids)
        .distinct()
        .values_list("details", flat=True)
    )
    for detail in details:
        for item in detail.get("programs", []):
            if item.get("id") in ids:
                attested[item["id"]] += 1
    awards = dict(
        Award.objects.filter(recognition__program_id__in=ids)
        .values_list("recognition__program_id")
        .annotate(n=Count("pk"))
        .values_list("recognition__program_id", "n")
    )
    return [
        ProgramRecognitionFigures(
            program=p,
            hours=minutes[p.pk] / 60,
            attestations=attested[p.pk],
            awards=awards.get(p.pk, 0),
        )
        for p in program_list
    ]
