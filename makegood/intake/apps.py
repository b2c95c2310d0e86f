from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "makegood.intake"
    label = "intake"
    verbose_name = "Intake"
