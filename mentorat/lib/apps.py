from django.apps import AppConfig
from django.db.backends.signals import connection_created

from mentorat.lib.database import configure_session


class LibConfig(AppConfig):
    """Shared utilities; an app only to connect the database sessions' settings."""

    name = "mentorat.lib"
    label = "lib"

    def ready(self) -> None:
        connection_created.connect(configure_session, dispatch_uid="mentorat.lib.database")
