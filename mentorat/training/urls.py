from django.urls import path

from mentorat.training import views

app_name = "training"
urlpatterns = [
    path("my/training/", views.my_modules, name="my_modules"),
]
