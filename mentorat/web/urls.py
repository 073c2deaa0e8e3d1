from django.urls import path

from mentorat.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]
