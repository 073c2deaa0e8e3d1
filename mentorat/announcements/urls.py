from django.urls import path

from mentorat.announcements import views

app_name = "announcements"
urlpatterns = [
    path("my/announcements/", views.inbox, name="inbox"),
    path("programs/<slug:slug>/manage/messages/", views.program_list, name="list"),
]
