from django.urls import path

from mentorat.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.list, name="list"),
]
