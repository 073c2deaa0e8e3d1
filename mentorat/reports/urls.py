from django.urls import path

from mentorat.reports import views

app_name = "reports"
program = "programs/<slug:slug>/manage/reports/"
urlpatterns = [
    path(program, views.program_dashboard, name="program"),
    path(f"{program}charts/<str:name>.svg", views.chart, name="chart"),
    path(f"{program}export/<str:table>.<str:fmt>", views.export, name="export"),
    path(f"{program}annual-report.pdf", views.annual_pdf, name="annual_pdf"),
]
