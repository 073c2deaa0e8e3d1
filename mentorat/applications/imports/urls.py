from django.urls import path

from mentorat.applications.imports import views

app_name = "imports"
urlpatterns = [
    path("programs/<slug:slug>/manage/import/", views.upload, name="upload"),
    path(
        "programs/<slug:slug>/manage/import/template.<str:fmt>",
        views.template,
        name="template",
    ),
    path("programs/<slug:slug>/manage/import/<int:pk>/", views.preview, name="preview"),
    path("programs/<slug:slug>/manage/import/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("programs/<slug:slug>/manage/import/<int:pk>/discard/", views.discard, name="discard"),
]
