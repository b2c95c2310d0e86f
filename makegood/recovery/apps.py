from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "makegood.recovery"
    label = "recovery"
    verbose_name = "Guided recovery"
