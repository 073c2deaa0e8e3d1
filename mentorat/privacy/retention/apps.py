from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "mentorat.privacy.retention"
    label = "privacy_retention"
    verbose_name = _("Data protection: retention")
