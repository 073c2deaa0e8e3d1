from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _data_changed(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    # Why here: models and tasks may not be imported before the app registry is ready.
    from mentorat.reports.precompute import charts_after_change

    if created and not raw:
        charts_after_change(instance)


class ReportsConfig(AppConfig):
    name = "mentorat.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Why here: models exist only once apps are ready.
        from django.db.models.signals import post_save

        # Why here: models exist only once apps are ready.
        from mentorat.audit.models import AuditEntry

        post_save.connect(_data_changed, sender=AuditEntry, dispatch_uid="reports.precompute")
