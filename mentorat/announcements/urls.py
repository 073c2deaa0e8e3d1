from django.urls import path

from mentorat.announcements import views

app_name = "announcements"
urlpatterns = [
    path("my/announcements/", views.inbox, name="inbox"),
    path("my/announcements/<int:pk>/", views.detail, name="detail"),
    path("my/announcements/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("programs/<slug:slug>/manage/messages/", views.program_list, name="list"),
    path("programs/<slug:slug>/manage/messages/new/", views.write, name="write"),
    path("programs/<slug:slug>/manage/messages/<int:pk>/", views.preview, name="preview"),
    path("programs/<slug:slug>/manage/messages/<int:pk>/send/", views.send, name="send"),
    path(
        "programs/<slug:slug>/manage/messages/<int:pk>/emails/retry/",
        views.retry_emails,
        name="retry",
    ),
]
