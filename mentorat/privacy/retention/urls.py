"""Pages of the retention settings, in the `privacy:` namespace (`mentorat/privacy/urls.py`)."""

from django.urls import URLPattern, path

from mentorat.privacy.retention import views

urlpatterns: list[URLPattern] = [
    path(
        "organizations/<slug:slug>/privacy/retention/", views.retention_settings, name="retention"
    ),
]
