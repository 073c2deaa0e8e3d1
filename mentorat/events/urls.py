from django.urls import path

from mentorat.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.list, name="list"),
    path("organizations/<slug:slug>/events/new/", views.new, name="new"),
    path(
        "organizations/<slug:slug>/events/introductions/",
        views.introductions,
        name="introductions",
    ),
    path("events/<int:pk>/", views.detail, name="detail"),
    path("events/<int:pk>/edit/", views.edit, name="edit"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("events/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("events/registrations/<int:pk>/", views.ticket, name="ticket"),
    path("events/<int:pk>/attendees/", views.attendees, name="attendees"),
    path("events/<int:pk>/attendees/add/", views.register_person, name="register_person"),
    path("events/<int:pk>/attendees/attendance/", views.attendance, name="attendance"),
    path("events/<int:pk>/attendees/cancel/", views.cancel_person, name="cancel_person"),
    path("events/<int:pk>/attendees.csv", views.export_csv, name="export_csv"),
    path("events/<int:pk>/attendees.xlsx", views.export_xlsx, name="export_xlsx"),
    path("events/<int:pk>/sign-in-sheet.pdf", views.export_pdf, name="export_pdf"),
    path("events/<int:pk>/door/", views.door, name="door"),
    path("events/<int:pk>/door/search/", views.door_search, name="door_search"),
    path("events/<int:pk>/door/check-in/", views.check_in, name="check_in"),
    path("events/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("events/<int:pk>/feedback/contacts/", views.contact_add, name="contact_add"),
    path("events/<int:pk>/feedback/introduction/", views.introduction, name="introduction"),
]
