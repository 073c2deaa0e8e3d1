"""Permission cases of speed networking. The cast's job-dating evening belongs to
organisation A: its coordinators and admins run the rounds (settings, grid, swaps, locks,
printed schedules); A's other members and a platform admin see the event but may not run
it (403); other organisations, A's partner included, cannot tell it exists (404). Each
person's schedule page is open to those who see the event."""

from mentorat.events.models import EventKind
from mentorat.networking.models import NetworkingPlan, NetworkingSeat, PlanStatus
from tests.conftest import Cast
from tests.events.permission_cases import RUNS, RUNS_POST, SEES, event_of_a
from tests.permissions import Case


def planned_evening(cast: Cast) -> dict[str, str]:
    """A job-dating evening of A, planned: the cast's mentee at the mentor's table."""
    event = event_of_a(cast)
    event.kind = EventKind.JOB_DATING
    event.save(update_fields=["kind"])
    plan = NetworkingPlan.objects.create(
        event=event, rounds=2, table_size=1, status=PlanStatus.READY, generation=1
    )
    NetworkingSeat.objects.create(
        plan=plan, round=1, table=1, professional=cast.mentor, mentee=cast.mentee
    )
    return {"pk": str(event.pk)}


CASES: dict[str, Case] = {
    "networking:plan": Case(RUNS, kwargs=planned_evening),
    "networking:replan": Case(RUNS_POST, kwargs=planned_evening, method="post"),
    "networking:swap": Case(
        RUNS_POST, kwargs=planned_evening, method="post", data={"first": "0", "second": "0"}
    ),
    "networking:lock": Case(
        RUNS_POST, kwargs=planned_evening, method="post", data={"seat": "0", "locked": "1"}
    ),
    "networking:pdf": Case(RUNS, kwargs=planned_evening),
    "networking:mine": Case(SEES, kwargs=planned_evening),
}
