from django.urls import path  # noqa: F401 - routes added by the partnerships work

app_name = "partnerships"
urlpatterns: list = []
