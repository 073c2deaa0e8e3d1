from django.urls import path

from mentorat.participants import views

app_name = "participants"
urlpatterns = [
    path("my/profile/", views.profile_edit, name="profile"),
]
