from django.urls import URLPattern, URLResolver, path

from mentorat.api import views
from mentorat.api.v1 import api

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", api.urls),
    path("keys/<slug:slug>/", views.key_list, name="key_list"),
    path("keys/<slug:slug>/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
