from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Exports of a person's data (GDPR Art. 15 and 20)."""

    name = "mentorat.privacy.exports"
    label = "privacy_exports"
    verbose_name = _("Data protection: exports")

    def ready(self) -> None:
        """Delete expired export files after each recovery pass of the workers."""
        # Imported once the apps are loaded: the services import models.
        from mentorat.privacy.exports.services import expire_exports
        from mentorat.worker.recovery import register_sweep

        register_sweep(expire_exports)
