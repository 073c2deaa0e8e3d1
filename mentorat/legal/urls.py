from django.urls import path

from mentorat.legal import views

app_name = "legal"
urlpatterns = [path("<slug:kind>/", views.legal_page, name="page")]
