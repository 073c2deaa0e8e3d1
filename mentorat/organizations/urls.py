from django.urls import path

from mentorat.organizations import views

app_name = "organizations"
urlpatterns = [
    path("organizations/", views.organization_list, name="list"),
    path("organizations/join/", views.signup, name="signup"),
    path("organizations/<slug:slug>/", views.organization_detail, name="detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="edit"),
    path("organizations/<slug:slug>/review/", views.review, name="review"),
    path("organizations/<slug:slug>/members/", views.member_list, name="members"),
    path("organizations/<slug:slug>/members/<int:pk>/", views.member_edit, name="member_edit"),
    path(
        "organizations/<slug:slug>/members/<int:pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("organizations/<slug:slug>/invitations/new/", views.invite, name="invite"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
