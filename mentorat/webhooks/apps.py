from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _announce(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    # Why here: models may not be imported before the app registry is ready.
    from mentorat.webhooks.services import deliveries_for_entry

    if created and not raw:
        deliveries_for_entry(instance)


class WebhooksConfig(AppConfig):
    name = "mentorat.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Why here: models and the worker's registry exist only once apps are ready.
        from mentorat.audit.models import AuditEntry
        from mentorat.webhooks.services import queue_due_deliveries
        from mentorat.worker.recovery import register_sweep

        post_save.connect(_announce, sender=AuditEntry, dispatch_uid="webhooks.announce")
        register_sweep(queue_due_deliveries)
