from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mentorat.demo"
    label = "demo"
    verbose_name = "Demo data"
