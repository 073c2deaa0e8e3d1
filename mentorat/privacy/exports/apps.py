from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "mentorat.privacy.exports"
    label = "privacy_exports"
    verbose_name = _("Data protection: exports")
