from django.urls import path

from mentorat.webhooks import views

app_name = "webhooks"
_ONE = "organizations/<slug:slug>/webhooks/<int:pk>/"
urlpatterns = [
    path("organizations/<slug:slug>/webhooks/", views.endpoint_list, name="list"),
    path("organizations/<slug:slug>/webhooks/new/", views.endpoint_new, name="new"),
    path(_ONE, views.endpoint_detail, name="detail"),
    path(f"{_ONE}edit/", views.endpoint_edit, name="edit"),
    path(f"{_ONE}delete/", views.endpoint_delete, name="delete"),
    path(f"{_ONE}secret/", views.endpoint_rotate, name="rotate"),
    path(f"{_ONE}active/", views.endpoint_active, name="active"),
    path(f"{_ONE}test/", views.endpoint_test, name="test"),
    path(f"{_ONE}deliveries/<int:delivery_pk>/", views.delivery_detail, name="delivery"),
    path(f"{_ONE}deliveries/<int:delivery_pk>/replay/", views.delivery_replay, name="replay"),
]
