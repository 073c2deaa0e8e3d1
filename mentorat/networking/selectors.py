"""Reads of speed networking: a plan's grid (rounds × tables) and one person's schedule."""

from dataclasses import dataclass, field

from mentorat.accounts.models import User
from mentorat.events.models import Event, RegistrationStatus
from mentorat.networking.models import NetworkingPlan, NetworkingSeat


def registered_people(event: Event) -> list[User]:
    """The people holding a confirmed place, by name (one query)."""
    return list(
        User.objects.filter(
            event_registrations__event=event,
            event_registrations__status=RegistrationStatus.REGISTERED,
        ).order_by("last_name", "first_name", "pk")
    )


def plan_of(event: Event) -> NetworkingPlan | None:
    return NetworkingPlan.objects.filter(event=event).first()


@dataclass
class Table:
    number: int
    professional: User
    #: one list of seats per round (index = round − 1)
    rounds: list[list[NetworkingSeat]] = field(default_factory=list)


def tables(plan: NetworkingPlan) -> list[Table]:
    """Each table with its professional and its seats round by round (one query)."""
    out: dict[int, Table] = {}
    seats = plan.seats.select_related("mentee", "professional").order_by("table", "round", "pk")
    for seat in seats:
        table = out.get(seat.table)
        if table is None:
            table = out[seat.table] = Table(
                seat.table, seat.professional, [[] for _ in range(plan.rounds)]
            )
        table.rounds[seat.round - 1].append(seat)
    return [out[k] for k in sorted(out)]


@dataclass
class Slot:
    """One round of a person's evening: where to sit and with whom (no seat: a break)."""

    round: int
    table: int | None = None
    seats: list[NetworkingSeat] = field(default_factory=list)


def schedule_of(plan: NetworkingPlan, user: User) -> tuple[str, list[Slot]]:
    """(`"mentee"`, `"professional"` or `""`, the person's rounds) — one query."""
    seats = list(
        plan.seats.filter(mentee=user).select_related("professional")
        | plan.seats.filter(professional=user).select_related("mentee")
    )
    slots = [Slot(r) for r in range(1, plan.rounds + 1)]
    role = ""
    for seat in sorted(seats, key=lambda s: (s.round, s.pk)):
        if seat.round > plan.rounds:
            continue
        slot = slots[seat.round - 1]
        slot.table = seat.table
        slot.seats.append(seat)
        role = "mentee" if seat.mentee_id == user.pk else "professional"
    return role, slots


def people_schedules(plan: NetworkingPlan) -> list[tuple[User, list[Slot]]]:
    """Every seated mentee with their rounds, by name (for the printed schedules)."""
    by_person: dict[int, tuple[User, list[Slot]]] = {}
    for seat in plan.seats.select_related("mentee", "professional").order_by("round"):
        _user, slots = by_person.setdefault(
            seat.mentee_id, (seat.mentee, [Slot(r) for r in range(1, plan.rounds + 1)])
        )
        if seat.round <= plan.rounds:
            slots[seat.round - 1].table = seat.table
            slots[seat.round - 1].seats.append(seat)
    return sorted(by_person.values(), key=lambda item: (item[0].last_name, item[0].pk))
