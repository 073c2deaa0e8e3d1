"""The background worker: heartbeats of `manage.py db_worker` processes and the recovery
of tasks whose worker died (see `recovery`)."""
