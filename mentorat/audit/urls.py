from django.urls import path

from mentorat.audit import views

app_name = "audit"
urlpatterns = [
    path("organizations/<slug:slug>/audit/", views.organization_log, name="organization_log")
]
