"""Background tasks of the exports; they take primary keys and call the builder."""

from django_tasks import task

from mentorat.privacy.exports import builder
from mentorat.worker.recovery import resumable


# Resumable: building again writes the same file, and the email goes through the
# delivery ledger (sent once per export), so a run after a worker died is harmless.
@resumable
@task()
def build_export(export_id: int) -> None:
    """Build the export's ZIP and email its link (`builder.build`)."""
    builder.build(export_id=export_id)
