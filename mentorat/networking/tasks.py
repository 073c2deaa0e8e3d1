"""Background work of speed networking: planning an evening. Tasks take primary keys."""

from django_tasks import task

from mentorat.worker.recovery import resumable


# Resumable: running it again after a crash at any point is harmless — the plan's
# generation makes a stale run do nothing, and the seats are replaced in one transaction.
@resumable
@task()
def plan_evening(plan_id: int, generation: int) -> None:
    # The one service a task imports: the service enqueues this task, so it is imported
    # when the task runs (tasks never import services at module level).
    from mentorat.networking import services

    services.execute_plan(plan_id=plan_id, generation=generation)
