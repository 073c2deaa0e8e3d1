from django.urls import path

from mentorat.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path(
        "programs/<slug:slug>/manage/editions/<int:edition_pk>/safeguarding/",
        views.mentor_list,
        name="mentors",
    ),
    path(
        "programs/<slug:slug>/manage/editions/<int:edition_pk>/safeguarding/<int:pk>/record/",
        views.check_record,
        name="record",
    ),
    path(
        "programs/<slug:slug>/manage/safeguarding/checks/<int:pk>/revoke/",
        views.check_revoke,
        name="revoke",
    ),
]
