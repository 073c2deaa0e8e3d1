from django.urls import path

from mentorat.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("organizations/<slug:slug>/partnerships/", views.partnership_list, name="list"),
    path("organizations/<slug:slug>/partnerships/directory/", views.directory, name="directory"),
    path(
        "organizations/<slug:slug>/partnerships/propose/",
        views.propose,
        name="propose",
    ),
    path("partnerships/<int:pk>/", views.detail, name="detail"),
    path("partnerships/<int:pk>/report/", views.report, name="report"),
    # The school year is a parameter (?year=2026), not an object of the path.
    path("partnerships/<int:pk>/report/pdf/", views.report_download, name="report_pdf"),
    path("partnerships/<int:pk>/accept/", views.accept, name="accept"),
    path("partnerships/<int:pk>/decline/", views.decline, name="decline"),
    path("partnerships/<int:pk>/end/", views.end, name="end"),
    path("partnerships/<int:pk>/agreements/new/", views.agreement_new, name="agreement_new"),
    path("partnerships/agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("partnerships/agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("partnerships/agreements/<int:pk>/pdf/", views.agreement_download, name="agreement_pdf"),
]
