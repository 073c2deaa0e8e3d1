from django.urls import path

from mentorat.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("opportunities/", views.list, name="list"),
    path(
        "organizations/<slug:slug>/opportunities/",
        views.organization_list,
        name="organization_list",
    ),
    path("organizations/<slug:slug>/opportunities/new/", views.new, name="new"),
    path("opportunities/<int:pk>/", views.detail, name="detail"),
    path("opportunities/<int:pk>/edit/", views.edit, name="edit"),
    path("opportunities/<int:pk>/publish/", views.publish, name="publish"),
    path("opportunities/<int:pk>/close/", views.close, name="close"),
    path("opportunities/<int:pk>/apply/", views.apply, name="apply"),
    path("opportunities/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("opportunities/candidacies/<int:pk>/", views.candidacy, name="candidacy"),
    path("opportunities/candidacies/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("opportunities/candidacies/<int:pk>/decide/", views.decide, name="decide"),
    path("opportunities/candidacies/<int:pk>/outcome/", views.outcome, name="outcome"),
]
