"""Every data protection page, under one namespace (`privacy:`): the register here, and
the pages of the sub-apps (exports, erasure, retention)."""

from django.urls import URLPattern, path

from mentorat.privacy import views
from mentorat.privacy.erasure import urls as erasure_urls
from mentorat.privacy.exports import urls as exports_urls
from mentorat.privacy.retention import urls as retention_urls

app_name = "privacy"

urlpatterns: list[URLPattern] = [
    path("organizations/<slug:slug>/privacy/register/", views.register, name="register"),
    path("organizations/<slug:slug>/privacy/register.csv", views.register_csv, name="register_csv"),
    *exports_urls.urlpatterns,
    *erasure_urls.urlpatterns,
    *retention_urls.urlpatterns,
]
