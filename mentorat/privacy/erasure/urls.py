from django.urls import URLPattern, path

from mentorat.privacy.erasure import views

urlpatterns: list[URLPattern] = [
    path("account/data/erasure/", views.erasure_request, name="erasure_request"),
    path(
        "organizations/<slug:slug>/privacy/erasure/",
        views.erasure_requests,
        name="erasure_requests",
    ),
    path(
        "organizations/<slug:slug>/privacy/erasure/<int:pk>/",
        views.erasure_request_detail,
        name="erasure_request_detail",
    ),
]
