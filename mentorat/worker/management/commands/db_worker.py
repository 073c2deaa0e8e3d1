"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat and the recovery of
tasks whose worker died (`mentorat.worker.recovery`).

It replaces the library's command of the same name because this app comes before
`django_tasks_db` in INSTALLED_APPS; options and behaviour are otherwise the library's."""

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from mentorat.worker.heartbeat import beating


class Command(db_worker.Command):
    help = (
        "Run a database background worker; it writes a heartbeat and queues again or "
        "fails the tasks of workers that died."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reloading = options["reload"] and not options["batch"]
        if reloading and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only restarts the child, which runs the tasks.
            super().handle(*args, **options)
            return
        with beating(worker_id=options["worker_id"]):
            super().handle(*args, **options)
