from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "mentorat.announcements"
    label = "announcements"
    verbose_name = _("Messages to a cohort")
