from django.urls import path

from mentorat.reports import views

app_name = "reports"
program = "programs/<slug:slug>/manage/reports/"
urlpatterns = [
    path(program, views.program_dashboard, name="program"),
    path(f"{program}charts/<str:name>.svg", views.chart, name="chart"),
    path(f"{program}export/<str:table>.<str:fmt>", views.export, name="export"),
    path(f"{program}annual-report.pdf", views.annual_pdf, name="annual_pdf"),
    path("organizations/<slug:slug>/reports/", views.organization_report, name="organization"),
    path(
        "organizations/<slug:slug>/reports/export/<str:table>.<str:fmt>",
        views.organization_export,
        name="organization_export",
    ),
]
