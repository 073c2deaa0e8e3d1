"""Which changes are announced, and what a payload says about them.

Events come from the audit log: every service already records its change as an audit
entry inside its transaction, so an entry with one of the actions below is the one
place a webhook learns of it (no second hook to forget in each service). Pair health
changes by itself with time; `services.sweep_pair_health` announces it.

Payloads carry ids and links only, no names, emails or free text: a receiver that
needs more asks the REST API with its own key, under the same permissions."""

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from mentorat.applications.models import Application
from mentorat.audit.models import AuditEntry
from mentorat.matching.models import MatchRun
from mentorat.mentorships.models import Mentorship, Outcome
from mentorat.webhooks.models import EventType

EVENT_OF_ACTION: dict[str, EventType] = {
    "applications.application.submitted": EventType.APPLICATION_SUBMITTED,
    "applications.application.imported": EventType.APPLICATION_SUBMITTED,
    "applications.application.accepted": EventType.APPLICATION_DECIDED,
    "applications.application.declined": EventType.APPLICATION_DECIDED,
    "applications.application.waitlisted": EventType.APPLICATION_DECIDED,
    "matching.run.finished": EventType.RUN_COMPLETED,
    "matching.run.failed": EventType.RUN_COMPLETED,
    "matching.run.published": EventType.PAIRS_PUBLISHED,
    "mentorships.mentorship.ended": EventType.PAIR_CLOSED,
    "mentorships.outcome.recorded": EventType.OUTCOME_RECORDED,
}

#: Subscribable events, in the order the form lists them (the test ping is not one).
SUBSCRIBABLE = [t for t in EventType if t != EventType.PING]

#: audit target model -> (payload object type, REST API collection under the program, how
#: to reach the program's slug from that model).
_OBJECTS: dict[str, tuple[str, str, type[Model], str]] = {
    "applications.application": ("application", "applications", Application, "edition"),
    "matching.matchrun": ("matching_run", "runs", MatchRun, "edition"),
    "mentorships.mentorship": ("pair", "pairs", Mentorship, "edition"),
    "mentorships.outcome": ("outcome", "", Outcome, "mentorship__edition"),
}

#: the decision, for application.decided (the action's last word).
_DECISIONS = {"accepted", "declined", "waitlisted"}


def _object(model: str, pk: str) -> dict[str, Any]:
    """How a payload names an object: its type, id and REST API address (in its
    program, as the API serves it)."""
    if model not in _OBJECTS:
        return {"type": model.rsplit(".", 1)[-1], "id": int(pk) if pk.isdigit() else pk}
    kind, collection, model_class, edition = _OBJECTS[model]
    described: dict[str, Any] = {"type": kind, "id": int(pk)}
    slug = (
        model_class._default_manager.filter(pk=pk)
        .values_list(f"{edition}__program__slug", flat=True)
        .first()
    )
    if slug and collection:
        described["api_url"] = f"{settings.SITE_URL}/api/v1/programs/{slug}/{collection}/{pk}"
    return described


def pair_object(pk: int) -> dict[str, Any]:
    """How a payload names a pair."""
    return _object("mentorships.mentorship", str(pk))


def payload(
    *,
    event_type: str,
    organization_id: int,
    organization_slug: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    """The JSON body of an event (Standard Webhooks' `type`/`timestamp`/`data` shape)."""
    return {
        "type": event_type,
        "timestamp": timezone.now().isoformat(),
        "data": {"organization": {"id": organization_id, "slug": organization_slug}, **data},
    }


def payload_for_entry(entry: AuditEntry, event_type: EventType) -> dict[str, Any]:
    """The payload announcing the change `entry` records."""
    assert entry.organization is not None
    data: dict[str, Any] = {"object": _object(entry.target_type, entry.target_id)}
    pair = entry.data.get("mentorship")
    if pair is not None and entry.target_type != "mentorships.mentorship":
        data["pair"] = _object("mentorships.mentorship", str(pair))
    outcome = entry.action.rsplit(".", 1)[-1]
    if event_type == EventType.APPLICATION_DECIDED and outcome in _DECISIONS:
        data["decision"] = outcome
    if event_type == EventType.RUN_COMPLETED:
        data["status"] = "failed" if outcome == "failed" else "finished"
    return payload(
        event_type=event_type,
        organization_id=entry.organization.pk,
        organization_slug=entry.organization.slug,
        data=data,
    )
