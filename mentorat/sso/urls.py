from django.urls import URLPattern, URLResolver, path

from mentorat.sso import views

app_name = "sso"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.start, name="start"),
    path("organisation/<slug:slug>/", views.settings_page, name="settings"),
    path("organisation/<slug:slug>/new/", views.connection_new, name="connection_new"),
    path("connections/<int:pk>/edit/", views.connection_edit, name="connection_edit"),
    path("connections/<int:pk>/delete/", views.connection_delete, name="connection_delete"),
    path("connections/<int:pk>/domains/", views.domain_add, name="domain_add"),
    path("domains/<int:pk>/remove/", views.domain_remove, name="domain_remove"),
    path("domains/<int:pk>/check/", views.domain_check, name="domain_check"),
    path("domains/<int:pk>/approve/", views.domain_approve, name="domain_approve"),
]
