from django.urls import path

from mentorat.resources import views

app_name = "resources"
library = "programs/<slug:slug>/manage/resources/"
urlpatterns = [
    path(library, views.program_library, name="program_library"),
    path(f"{library}new/", views.resource_add, name="resource_add"),
    path(f"{library}<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path(f"{library}<int:pk>/delete/", views.resource_delete, name="resource_delete"),
    path(f"{library}goal-templates/new/", views.template_add, name="template_add"),
    path(f"{library}goal-templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path(
        f"{library}goal-templates/<int:pk>/delete/", views.template_delete, name="template_delete"
    ),
    path(
        "programs/<slug:slug>/resources/<int:pk>/download/",
        views.resource_download,
        name="resource_download",
    ),
    path(
        "mentorships/<int:pk>/goal-templates/<int:template_pk>/adopt/",
        views.template_adopt,
        name="template_adopt",
    ),
]
