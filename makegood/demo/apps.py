from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "makegood.demo"
    label = "demo"
