from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from mentorat.audit.actions import describe
from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Organization

# Refusals of people outside an organisation were once written to its log; they now go
# to the platform's security log (`SecurityEvent`). Migration 0003 moved the old rows;
# the filter also hides any written by a process still running the old code during a
# deployment.
_OUTSIDERS_REFUSALS = "access."


def entries_for_organization(*, organization: Organization) -> QuerySet[AuditEntry]:
    """The organisation's audit log: what was done within it, by its members, a
    partner's staff on its shared programs, the applicants and participants of its
    programs, or platform admins — never the requests of people outside it."""
    return (
        AuditEntry.objects.filter(organization=organization)
        .exclude(action__startswith=_OUTSIDERS_REFUSALS)
        .select_related("actor")
    )


@dataclass(frozen=True)
class LogLine:
    """One entry of an audit log as its reader sees it: the action in words."""

    created_at: datetime
    actor_label: str
    sentence: str
    action: str
    target_label: str


def log_lines(entries: Iterable[AuditEntry]) -> list[LogLine]:
    """`entries` in words, in the active language (unknown actions get a generic
    sentence quoting their name). Times stay aware: templates show them in the
    reader's time zone."""
    return [
        LogLine(
            created_at=entry.created_at,
            actor_label=entry.actor_label,
            sentence=describe(entry.action),
            action=entry.action,
            target_label=entry.target_label,
        )
        for entry in entries
    ]
