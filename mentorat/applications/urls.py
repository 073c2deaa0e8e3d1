from django.urls import path

from mentorat.applications import views

app_name = "applications"
urlpatterns = [
    path("programs/<slug:slug>/apply/<str:role>/", views.apply, name="apply"),
    path("my/applications/", views.my_list, name="my_list"),
    path("my/applications/<int:pk>/", views.my_detail, name="my_detail"),
    path("guardian-consent/<str:token>/", views.guardian_consent, name="guardian_consent"),
    path("programs/<slug:slug>/manage/applications/", views.application_list, name="list"),
    path("programs/<slug:slug>/manage/applications/decide/", views.bulk_decide, name="bulk_decide"),
    path("programs/<slug:slug>/manage/applications/<int:pk>/", views.review, name="review"),
    path(
        "programs/<slug:slug>/manage/applications/<int:pk>/resend-guardian-consent/",
        views.resend_guardian_consent,
        name="resend_guardian_consent",
    ),
    path(
        "programs/<slug:slug>/manage/right-to-a-mentor/",
        views.right_to_mentor,
        name="right_to_mentor",
    ),
    path(
        "programs/<slug:slug>/manage/right-to-a-mentor/call/",
        views.recruitment_call,
        name="recruitment_call",
    ),
]
