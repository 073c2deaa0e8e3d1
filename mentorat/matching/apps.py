from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "mentorat.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # The workers' recovery pass also fails the runs whose worker died, so that a
        # dead run is recorded within a heartbeat without any page writing it.
        from mentorat.matching.services.runs import expire_stale_runs
        from mentorat.worker.recovery import register_sweep

        register_sweep(expire_stale_runs)
