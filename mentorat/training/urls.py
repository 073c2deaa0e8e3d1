from django.urls import path

from mentorat.training import views

app_name = "training"
module = "training/modules/<int:pk>/"
program = "programs/<slug:slug>/manage/training/"
urlpatterns = [
    path("my/training/", views.my_modules, name="my_modules"),
    path(module, views.module_detail, name="module"),
    path(f"{module}sections/<int:section_pk>/", views.section_read, name="section"),
    path(f"{module}sections/<int:section_pk>/done/", views.section_done, name="section_done"),
    path(f"{module}sections/<int:section_pk>/image/", views.section_image, name="section_image"),
    path(f"{module}quiz/", views.quiz, name="quiz"),
    path("training/attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path(
        "organizations/<slug:slug>/training/",
        views.organization_modules,
        name="organization_modules",
    ),
    path("organizations/<slug:slug>/training/new/", views.module_add, name="module_add"),
    path(f"{module}edit/", views.module_edit, name="module_edit"),
    path(f"{module}translate/", views.module_translate, name="module_translate"),
    path(f"{module}sections/new/", views.section_add, name="section_add"),
    path(f"{module}sections/<int:section_pk>/edit/", views.section_edit, name="section_edit"),
    path(f"{module}sections/<int:section_pk>/delete/", views.section_delete, name="section_delete"),
    path(f"{module}questions/new/", views.question_add, name="question_add"),
    path(f"{module}questions/<int:question_pk>/edit/", views.question_edit, name="question_edit"),
    path(
        f"{module}questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path(program, views.program_training, name="program_training"),
    path(f"{program}assign/", views.assignment_add, name="assignment_add"),
    path(f"{program}<int:pk>/delete/", views.assignment_delete, name="assignment_delete"),
]
