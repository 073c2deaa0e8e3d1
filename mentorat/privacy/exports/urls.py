"""Pages of the exports, in the `privacy:` namespace (`mentorat/privacy/urls.py`)."""

from django.urls import URLPattern, path

from mentorat.privacy.exports import views

urlpatterns: list[URLPattern] = [
    path("account/data/", views.my_data, name="my_data"),
    path("account/data/exports/", views.request_my_export, name="export_request"),
    path("account/data/exports/<uuid:public_id>/", views.export_detail, name="export_detail"),
    path(
        "account/data/exports/<uuid:public_id>/download/",
        views.export_download,
        name="export_download",
    ),
    path(
        "organizations/<slug:slug>/privacy/exports/", views.organization_exports, name="org_exports"
    ),
    path(
        "organizations/<slug:slug>/privacy/exports/new/",
        views.organization_export_create,
        name="org_export_create",
    ),
]
