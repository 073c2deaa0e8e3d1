from django.urls import path

from mentorat.recognition import views

app_name = "recognition"
urlpatterns = [
    path("my/engagement/", views.my_engagement, name="my_engagement"),
]
