from django.urls import URLPattern, URLResolver

app_name = "networking"
urlpatterns: list[URLPattern | URLResolver] = []
