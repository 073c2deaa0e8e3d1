"""Charts drawn again in the background when a program's data change: every change is
recorded as an audit entry of its organisation, so an entry queues the drawing of that
organisation's program charts (at most once a minute per organisation, across processes),
shortly after the change commits. Only where tasks run in a worker
(`REPORT_CHARTS_IN_BACKGROUND`, off with `DEBUG`): a backend that runs tasks at once
would draw during the request that changed the data."""

from django.conf import settings
from django.db import transaction

from mentorat.audit.models import AuditEntry
from mentorat.reports import rendered
from mentorat.reports.tasks import draw_organization_charts


def charts_after_change(entry: AuditEntry) -> None:
    """Queue the drawing of the charts of `entry`'s organisation's programs."""
    organization_id = entry.organization_id
    if organization_id is None or not settings.REPORT_CHARTS_IN_BACKGROUND:
        return
    if rendered.claim_precompute(organization_id):
        transaction.on_commit(lambda: draw_organization_charts.enqueue(organization_id))
