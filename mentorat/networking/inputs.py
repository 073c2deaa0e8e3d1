"""The people of a speed-networking evening as the engine's problem.

Mentees and professionals are the people registered for the event (a confirmed place)
with an accepted application as mentee or mentor — in the event's edition when it has
one, else in any program. Their rows are built from their profiles exactly as the
matching builds them (`mentorat.matching.inputs.mentee_rows` / `mentor_rows`), so the
score of a pair is the matching's. Meeting a colleague is no conflict at an evening, so
the different-organisations rule is off; the languages and place rules apply. Pairs who
met before (a contact recorded at an earlier event, a table shared at an earlier evening
both attended, or a mentorship) never meet again.

For "favour the mentees who met fewest professionals", each mentee's count is every
professional (someone with a mentor application) met before, not only this evening's: the
contacts recorded at earlier events, the tables of earlier evenings the mentee attended,
and their mentors, current or past. The engine cannot score a professional absent
tonight, so every one counts as relevant."""

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from matching_engine import Criteria, EngineInputError, HardRules, Problem, build_problem
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.events.models import Contact, Event, Registration, RegistrationStatus
from mentorat.lib.errors import DomainError
from mentorat.matching.inputs import mentee_rows, mentor_rows
from mentorat.mentorships.models import Mentorship
from mentorat.networking.models import NetworkingSeat
from mentorat.programs.models import ParticipantRole


@dataclass(frozen=True)
class Evening:
    """The engine's problem and, for each of its mentees and mentors, the user id."""

    problem: Problem
    mentee_users: list[int]
    professional_users: list[int]
    met_before: np.ndarray
    # Per mentee: the professionals met before this evening (see the module docstring).
    met_counts: np.ndarray


def _applications(event: Event, role: str, users: list[int]) -> dict[int, int]:
    """user id -> the user's latest accepted application of `role` (event's edition first)."""
    found = Application.objects.filter(
        user_id__in=users, role=role, status=ApplicationStatus.ACCEPTED
    )
    if event.edition_id is not None:
        found = found.filter(edition_id=event.edition_id)
    out: dict[int, int] = {}
    for pk, user_id in found.order_by("pk").values_list("pk", "user_id"):
        out[user_id] = pk
    return out


def load_evening(event: Event, *, left_out: Collection[int] = ()) -> Evening:
    """The problem of the event's registered mentees and professionals (see the module),
    but the people `left_out` by the organisers."""
    users = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        .exclude(user_id__in=list(left_out))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    mentors = _applications(event, ParticipantRole.MENTOR, users)
    mentees = {
        u: pk
        for u, pk in _applications(event, ParticipantRole.MENTEE, users).items()
        if u not in mentors  # someone both mentor and mentee sits as a professional
    }
    mentee_apps = Application.objects.filter(pk__in=mentees.values())
    mentor_apps = Application.objects.filter(pk__in=mentors.values())
    mentee_list = mentee_rows(mentee_apps, priority_groups=())
    mentor_list = mentor_rows(mentor_apps, capacities=dict.fromkeys(mentors.values(), 1))
    by_app = {pk: u for u, pk in [*mentees.items(), *mentors.items()]}
    mentee_users = [by_app[int(r["id"])] for r in mentee_list]
    professional_users = [by_app[int(r["id"])] for r in mentor_list]
    criteria = Criteria(rules=HardRules(different_organizations=False))
    try:
        problem = build_problem(mentee_list, mentor_list, criteria=criteria)
    except EngineInputError as error:
        raise DomainError(
            _("A participant's profile cannot be used to plan the evening (%(column)s).")
            % {"column": error.column or error.code}
        ) from None
    met = _met_earlier(event, mentee_users)
    return Evening(
        problem,
        mentee_users,
        professional_users,
        _met_before(met, mentee_users, professional_users),
        np.asarray([len(met.get(u, ())) for u in mentee_users], np.int64),
    )


def _met_earlier(event: Event, mentees: list[int]) -> dict[int, set[int]]:
    """mentee user id -> the professionals they met before `event` (three queries)."""
    met: dict[int, set[int]] = {}
    if not mentees:
        return met
    professionals = Application.objects.filter(role=ParticipantRole.MENTOR).values("user_id")
    contacts = (
        Contact.objects.filter(registration__user_id__in=mentees, met_id__in=professionals)
        .exclude(registration__event=event)
        .values_list("registration__user_id", "met_id")
    )
    # A table counts once the mentee was checked in at that earlier evening.
    attended = Registration.objects.filter(
        event_id=OuterRef("plan__event_id"), user_id=OuterRef("mentee_id"), attended=True
    )
    tables = (
        NetworkingSeat.objects.filter(
            mentee_id__in=mentees, plan__event__starts_at__lt=event.starts_at
        )
        .exclude(plan__event=event)
        .filter(Exists(attended))
        .values_list("mentee_id", "professional_id")
    )
    pairs = Mentorship.objects.filter(mentee_application__user_id__in=mentees).values_list(
        "mentee_application__user_id", "mentor_application__user_id"
    )
    for mentee, professional in [*contacts, *tables, *pairs]:
        met.setdefault(mentee, set()).add(professional)
    return met


def _met_before(
    met: dict[int, set[int]], mentees: list[int], professionals: list[int]
) -> np.ndarray:
    """The evening's pairs who met before: they never sit together again."""
    before = np.zeros((len(mentees), len(professionals)), bool)
    col = {u: j for j, u in enumerate(professionals)}
    for i, mentee in enumerate(mentees):
        for professional in met.get(mentee, ()):
            j = col.get(professional)
            if j is not None:
                before[i, j] = True
    return before
