from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "mentorat.recognition"
    label = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        # Imported here: the receivers load the services, which need the app registry.
        from mentorat.recognition.receivers import on_module_completed
        from mentorat.training.signals import module_completed

        module_completed.connect(on_module_completed, dispatch_uid="recognition.module_badge")
