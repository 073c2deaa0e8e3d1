from django.urls import path

from mentorat.conversations import views

app_name = "conversations"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("mentorships/<int:pk>/messages/", views.thread, name="thread"),
]
