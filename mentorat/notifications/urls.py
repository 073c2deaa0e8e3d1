from django.urls import path

from mentorat.notifications import views

app_name = "notifications"
urlpatterns = [
    path("account/notifications/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "programs/<slug:slug>/manage/import/<int:pk>/emails/retry/",
        views.retry_import_invitations,
        name="retry_import_invitations",
    ),
    path(
        "programs/<slug:slug>/manage/right-to-a-mentor/calls/<int:pk>/emails/retry/",
        views.retry_recruitment_call,
        name="retry_recruitment_call",
    ),
]
