from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Mentorat administration")
admin.site.site_title = _("Mentorat")
# Admin sign-in goes through allauth so that two-factor authentication and throttling apply.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("mentorat.web.urls")),
    path("", include("mentorat.organizations.urls")),
    path("", include("mentorat.audit.urls")),
    path("", include("mentorat.programs.urls")),
    path("", include("mentorat.applications.urls")),
    path("", include("mentorat.applications.imports.urls")),
    path("", include("mentorat.notifications.urls")),
    path("", include("mentorat.mentorships.urls")),
    path("", include("mentorat.matching.urls")),
    path("", include("mentorat.safeguarding.urls")),
    path("", include("mentorat.participants.urls")),
    path("", include("mentorat.conversations.urls")),
    path("", include("mentorat.announcements.urls")),
    path("", include("mentorat.resources.urls")),
    path("", include("mentorat.partnerships.urls")),
    path("", include("mentorat.training.urls")),
    path("", include("mentorat.recognition.urls")),
    path("", include("mentorat.events.urls")),
    path("", include("mentorat.networking.urls")),
    path("", include("mentorat.opportunities.urls")),
    path("api/", include("mentorat.api.urls")),
    path("", include("mentorat.webhooks.urls")),
    path("accounts/sso/", include("mentorat.sso.urls")),
    path("", include("mentorat.reports.urls")),
    path("", include("mentorat.privacy.urls")),
    path("legal/", include("mentorat.legal.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
