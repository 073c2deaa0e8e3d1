from django.urls import path

from mentorat.programs import views

app_name = "programs"
urlpatterns = [
    path("programs/", views.public_list, name="public_list"),
    path("programs/<slug:slug>/", views.public_detail, name="public_detail"),
    path("organizations/<slug:slug>/programs/", views.program_list, name="list"),
    path("organizations/<slug:slug>/programs/new/", views.program_create, name="create"),
    path("programs/<slug:slug>/manage/", views.manage, name="manage"),
    path("programs/<slug:slug>/manage/edit/", views.program_edit, name="edit"),
    path("programs/<slug:slug>/manage/matching/", views.matching_edit, name="matching"),
    path("programs/<slug:slug>/manage/charter/", views.charter_edit, name="charter"),
    path("programs/<slug:slug>/manage/objectives/new/", views.objective_add, name="objective_add"),
    path(
        "programs/<slug:slug>/manage/objectives/<int:pk>/delete/",
        views.objective_delete,
        name="objective_delete",
    ),
    path("programs/<slug:slug>/manage/editions/new/", views.edition_add, name="edition_add"),
    path("programs/<slug:slug>/manage/editions/<int:pk>/", views.edition_edit, name="edition_edit"),
    path("programs/<slug:slug>/manage/rules/new/", views.rule_add, name="rule_add"),
    path(
        "programs/<slug:slug>/manage/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"
    ),
    path("programs/<slug:slug>/manage/questions/new/", views.question_add, name="question_add"),
    path(
        "programs/<slug:slug>/manage/questions/<int:pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
]
