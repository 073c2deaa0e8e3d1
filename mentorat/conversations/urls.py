from django.urls import path

from mentorat.conversations import views

app_name = "conversations"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/reports/", views.reports, name="reports"),
    path("messages/reports/<int:pk>/handle/", views.handle_report, name="handle_report"),
    path("messages/files/<int:pk>/", views.attachment, name="attachment"),
    path("messages/<int:pk>/report/", views.report, name="report"),
    path("messages/<int:pk>/remove/", views.remove, name="remove"),
    path("mentorships/<int:pk>/messages/", views.thread, name="thread"),
    path("mentorships/<int:pk>/messages/new/", views.new_messages, name="new_messages"),
    path("mentorships/<int:pk>/messages/read/", views.mark_read, name="mark_read"),
    path("mentorships/<int:pk>/messages/join/", views.join, name="join"),
    path("mentorships/<int:pk>/messages/add/", views.add_coordinator, name="add_coordinator"),
    path("mentorships/<int:pk>/messages/close/", views.close, name="close"),
    path("mentorships/<int:pk>/messages/reopen/", views.reopen, name="reopen"),
]
