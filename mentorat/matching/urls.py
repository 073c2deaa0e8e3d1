from django.urls import path

from mentorat.matching import participant_views, views

app_name = "matching"
_RUN = "programs/<slug:slug>/manage/runs/<int:pk>/"
urlpatterns = [
    path("programs/<slug:slug>/manage/runs/", views.run_list, name="runs"),
    path("programs/<slug:slug>/manage/runs/start/", views.run_start, name="run_start"),
    path(_RUN, views.run_detail, name="run"),
    path(_RUN + "status/", views.run_status, name="run_status"),
    path(_RUN + "retry/", views.run_retry, name="run_retry"),
    path(_RUN + "proposals/", views.proposal_list, name="proposals"),
    path(_RUN + "proposals.csv", views.proposals_export, name="proposals_export"),
]
urlpatterns += [
    path(_RUN + "mentees/<int:mentee>/", views.mentee_review, name="mentee"),
    path(_RUN + "mentees/<int:mentee>/assign/", views.mentee_assign, name="assign"),
    path(_RUN + "mentees/<int:mentee>/lock/", views.mentee_lock, name="lock"),
    path(_RUN + "mentees/<int:mentee>/exclude/", views.mentee_exclude, name="exclude"),
    path(_RUN + "rerun/", views.run_rerun, name="rerun"),
    path(_RUN + "compare/", views.run_compare, name="compare"),
]
urlpatterns += [
    path(_RUN + "publish/", views.run_publish, name="publish"),
    path("programs/<slug:slug>/manage/pairs/answers/", views.pair_answers, name="answers"),
    path("programs/<slug:slug>/manage/mentor-requests/", views.request_list, name="requests"),
    path("my/pairs/<int:pk>/answer/", participant_views.pair_answer, name="pair_answer"),
    path("my/applications/<int:pk>/mentors/", participant_views.suggestions, name="suggestions"),
    path(
        "my/applications/<int:pk>/mentors/request/",
        participant_views.request_mentor,
        name="request_mentor",
    ),
    path("my/mentor-requests/", participant_views.my_requests, name="my_requests"),
    path("my/applications/<int:pk>/capacity/", participant_views.my_capacity, name="my_capacity"),
    path("my/applications/<int:pk>/withdraw/", participant_views.withdraw, name="withdraw"),
    path(
        "programs/<slug:slug>/manage/applications/<int:pk>/capacity/",
        views.mentor_capacity,
        name="capacity",
    ),
    path(
        "programs/<slug:slug>/manage/editions/<int:edition>/reserved-places/",
        views.place_reservations,
        name="reservations",
    ),
    path(
        "my/mentor-requests/<int:pk>/answer/",
        participant_views.request_answer,
        name="request_answer",
    ),
]
