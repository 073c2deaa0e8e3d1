"""Background tasks of the matching; they take primary keys and call one service."""

from django_tasks import task

from mentorat.matching.services import runs


@task()
def execute_match_run(run_id: int) -> None:
    runs.execute_run(run_id=run_id)
