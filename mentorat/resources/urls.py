from django.urls import path

from mentorat.resources import views

app_name = "resources"
urlpatterns = [
    path("programs/<slug:slug>/manage/resources/", views.program_library, name="program_library"),
]
