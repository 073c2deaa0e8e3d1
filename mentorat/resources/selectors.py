"""Reads of the resource library: a program's items, and what a pair's workspace shows
at the pair's current phase.

A pair's phase (French UI: *étape*), decided by `phase_of`:
- closing (*clôture*): the pair has ended, or its edition ends within `CLOSING_DAYS`;
- before the first meeting (*avant la première rencontre*): no meeting held yet (an
  accepted meeting whose start has passed);
- during (*pendant le mentorat*): otherwise.
Closing comes first: near the end, the closing sheet matters even to a pair that never
met."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mentorat.mentorships.models import Meeting, MeetingStatus, Mentorship
from mentorat.participants.models import Skill
from mentorat.permissions.resources import offered_in
from mentorat.programs.models import ParticipantRole, Program
from mentorat.resources.models import Audience, GoalTemplate, LibraryResource, Phase

#: A pair enters its closing phase this many days before its edition ends.
CLOSING_DAYS = 30


def phase_of(*, ended: bool, has_met: bool, edition_ends_on: date, today: date) -> Phase:
    """The phase of a pair from three facts (see the module docstring)."""
    if ended or today >= edition_ends_on - timedelta(days=CLOSING_DAYS):
        return Phase.CLOSING
    if not has_met:
        return Phase.BEFORE_FIRST_MEETING
    return Phase.DURING


def pair_phase(*, mentorship: Mentorship, now: datetime) -> Phase:
    """The pair's phase, read from the database (one query)."""
    has_met = Meeting.objects.filter(
        mentorship=mentorship, status=MeetingStatus.ACCEPTED, starts_at__lte=now
    ).exists()
    return phase_of(
        ended=not mentorship.is_active,
        has_met=has_met,
        edition_ends_on=mentorship.edition.ends_on,
        today=timezone.localdate(now),
    )


def _with_skills() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch("skills", queryset=Skill.objects.order_by("name"))


def program_resources(*, program: Program) -> QuerySet[LibraryResource]:
    """The program's resources and its organisation's shared ones."""
    return LibraryResource.objects.filter(offered_in(program)).order_by("phase", "title", "pk")


def program_templates(*, program: Program) -> QuerySet[GoalTemplate]:
    """The program's goal templates and its organisation's shared ones, with skills."""
    return (
        GoalTemplate.objects.filter(offered_in(program))
        .prefetch_related(_with_skills())
        .order_by("title", "pk")
    )


def audiences_for_role(role: str | None) -> set[str]:
    """What a side of the pair reads: its own audience and "both" (every audience for
    someone outside the pair, such as a coordinator)."""
    if role == ParticipantRole.MENTOR:
        return {Audience.MENTORS, Audience.BOTH}
    if role == ParticipantRole.MENTEE:
        return {Audience.MENTEES, Audience.BOTH}
    return set(Audience.values)


@dataclass
class PairLibrary:
    """What the workspace shows of the library to one person of a pair."""

    phase: Phase
    resources: list[LibraryResource] = field(default_factory=list)  # this phase
    other_resources: list[LibraryResource] = field(default_factory=list)  # other phases
    templates: list[GoalTemplate] = field(default_factory=list)
    adopted: set[int] = field(default_factory=set)  # ids of templates the pair adopted


def pair_library(*, mentorship: Mentorship, role: str | None, now: datetime) -> PairLibrary:
    """The library for `role`'s side of the pair at its current phase (four queries
    whatever the size of the library)."""
    program = mentorship.edition.program
    phase = pair_phase(mentorship=mentorship, now=now)
    resources = program_resources(program=program).filter(audience__in=audiences_for_role(role))
    library = PairLibrary(phase=phase, templates=list(program_templates(program=program)))
    for resource in resources:
        (library.resources if resource.phase == phase else library.other_resources).append(resource)
    library.adopted = set(mentorship.goal_adoptions.values_list("template_id", flat=True))
    return library
