from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from mentorat.lib.database import configure_session


class WebConfig(AppConfig):
    name = "mentorat.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self) -> None:
        # Every process of the site loads this app, the db_workers too: their database
        # sessions all get the application's settings (mentorat.lib.database).
        connection_created.connect(configure_session, dispatch_uid="mentorat.lib.database")
