from django.urls import path

from mentorat.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("opportunities/", views.list, name="list"),
]
