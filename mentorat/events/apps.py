from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "mentorat.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Why here: the feed (`mentorships`, a lower layer) lists the sources above it;
        # these imports need the app registry ready.
        from mentorat.events.ics import feed_components
        from mentorat.mentorships.calendar import FEED_SOURCES

        if feed_components not in FEED_SOURCES:
            FEED_SOURCES.append(feed_components)
