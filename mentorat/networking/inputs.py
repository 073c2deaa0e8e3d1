"""The people of a speed-networking evening as the engine's problem.

Mentees and professionals are the people registered for the event (a confirmed place)
with an accepted application as mentee or mentor — in the event's edition when it has
one, else in any program. Their rows are built from their profiles exactly as the
matching builds them (`mentorat.matching.inputs.mentee_rows` / `mentor_rows`), so the
score of a pair is the matching's. Meeting a colleague is no conflict at an evening, so
the different-organisations rule is off; the languages and place rules apply. Pairs who
met before (a contact recorded at an earlier event, or a mentorship) never meet again."""

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _

from matching_engine import Criteria, EngineInputError, HardRules, Problem, build_problem
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.events.models import Contact, Event, Registration, RegistrationStatus
from mentorat.lib.errors import DomainError
from mentorat.matching.inputs import mentee_rows, mentor_rows
from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import ParticipantRole


@dataclass(frozen=True)
class Evening:
    """The engine's problem and, for each of its mentees and mentors, the user id."""

    problem: Problem
    mentee_users: list[int]
    professional_users: list[int]
    met_before: np.ndarray


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
    return Evening(
        problem,
        mentee_users,
        professional_users,
        _met_before(event, mentee_users, professional_users),
    )


def _met_before(event: Event, mentees: list[int], professionals: list[int]) -> np.ndarray:
    met = np.zeros((len(mentees), len(professionals)), bool)
    if not mentees or not professionals:
        return met
    row = {u: i for i, u in enumerate(mentees)}
    col = {u: j for j, u in enumerate(professionals)}
    contacts = (
        Contact.objects.filter(registration__user_id__in=mentees, met_id__in=professionals)
        .exclude(registration__event=event)
        .values_list("registration__user_id", "met_id")
    )
    pairs = Mentorship.objects.filter(
        Q(mentee_application__user_id__in=mentees)
        & Q(mentor_application__user_id__in=professionals)
    ).values_list("mentee_application__user_id", "mentor_application__user_id")
    for mentee, professional in [*contacts, *pairs]:
        met[row[mentee], col[professional]] = True
    return met
