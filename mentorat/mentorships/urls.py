from django.urls import path

from mentorat.mentorships import views

app_name = "mentorships"
pair = "mentorships/<int:pk>/"
meeting = f"{pair}meetings/<int:meeting_pk>/"
resource = f"{pair}resources/<int:resource_pk>/"
urlpatterns = [
    path("my/mentorships/", views.my_list, name="my_list"),
    path(pair, views.workspace, name="workspace"),
    path(f"{pair}meetings/new/", views.meeting_propose, name="meeting_propose"),
    path(f"{meeting}accept/", views.meeting_accept, name="meeting_accept"),
    path(f"{meeting}reschedule/", views.meeting_reschedule, name="meeting_reschedule"),
    path(f"{meeting}cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{meeting}invitation.ics", views.meeting_ics, name="meeting_ics"),
    path(f"{meeting}log/", views.session_log, name="session_log"),
    path(f"{pair}goals/new/", views.goal_add, name="goal_add"),
    path(f"{pair}goals/<int:goal_pk>/edit/", views.goal_edit, name="goal_edit"),
    path(f"{pair}goals/<int:goal_pk>/status/", views.goal_status, name="goal_status"),
    path(f"{pair}goals/<int:goal_pk>/progress/", views.goal_progress, name="goal_progress"),
    path(f"{pair}skills/<str:phase>/", views.assessment, name="assessment"),
    path(f"{pair}resources/new/", views.resource_add, name="resource_add"),
    path(f"{resource}edit/", views.resource_edit, name="resource_edit"),
    path(f"{resource}delete/", views.resource_delete, name="resource_delete"),
    path(f"{pair}reminders/", views.reminders, name="reminders"),
    path("reminders/stop/<str:token>/", views.reminders_stop_link, name="reminders_stop_link"),
    path(f"{pair}end/", views.end, name="end"),
    path(f"{pair}outcome/<str:stage>/", views.outcome, name="outcome"),
    path("my/check-ins/<int:pk>/", views.check_in, name="check_in"),
    path("check-in/<str:token>/", views.check_in_link, name="check_in_link"),
    path("my/calendar/", views.calendar_page, name="calendar"),
    path("my/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("programs/<slug:slug>/manage/mentorships/", views.dashboard, name="dashboard"),
    path(
        "programs/<slug:slug>/manage/check-in-questions/",
        views.check_in_questions,
        name="check_in_questions",
    ),
    path(
        "programs/<slug:slug>/manage/check-in-questions/<int:pk>/",
        views.check_in_question_edit,
        name="check_in_question_edit",
    ),
    path(
        "programs/<slug:slug>/manage/check-in-questions/<int:pk>/delete/",
        views.check_in_question_delete,
        name="check_in_question_delete",
    ),
]
