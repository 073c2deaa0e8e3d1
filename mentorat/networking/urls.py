from django.urls import URLPattern, URLResolver, path

from mentorat.networking import views

app_name = "networking"
urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:pk>/rounds/", views.plan, name="plan"),
    path("events/<int:pk>/rounds/replan/", views.replan, name="replan"),
    path("events/<int:pk>/rounds/swap/", views.swap, name="swap"),
    path("events/<int:pk>/rounds/lock/", views.lock, name="lock"),
    path("events/<int:pk>/rounds/schedules.pdf", views.schedules_pdf, name="pdf"),
    path("events/<int:pk>/rounds/mine/", views.mine, name="mine"),
]
