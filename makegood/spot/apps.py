from django.apps import AppConfig


class SpotConfig(AppConfig):
    name = "makegood.spot"
    label = "spot"
    verbose_name = "Recoveries on the spot"
