from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "mentorat.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        # Connects the sign-in receivers (session's two-factor record, membership).
        from mentorat.sso import receivers  # noqa: F401
