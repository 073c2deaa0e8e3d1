"""Who sees and changes the speed-networking rounds of an event.

- The plan (settings, seats, explanations, swaps, locks, the printed schedules) is run by
  those who run the event (`events.can_manage_event`: staff of its organiser and
  co-hosts); others who see the event are refused (403); to everyone else the event does
  not exist (404).
- A person's own schedule page is open to anyone who sees the event; it shows only their
  own seats (a mentee's tables, or a professional's table and who comes each round)."""

from mentorat.accounts.models import User
from mentorat.events.models import Event
from mentorat.networking.models import NetworkingPlan, NetworkingSeat
from mentorat.permissions import require
from mentorat.permissions.events import access_event, can_manage_event


def access_managed_event(user: User, pk: int) -> Event:
    """The event if `user` runs it; 404 if they may not see it, 403 if they only see it."""
    event = access_event(user, pk)
    require(can_manage_event(user, event))
    return event


def access_seat(plan: NetworkingPlan | None, pk: object) -> NetworkingSeat | None:
    """A seat of `plan` (None for a seat of another plan or an unknown one)."""
    if plan is None or not str(pk).isdigit():
        return None
    return NetworkingSeat.objects.filter(plan=plan, pk=int(str(pk))).first()
