from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "mentorat.applications.imports"
    label = "imports"
    verbose_name = _("Participant imports")
