from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The everyday desk around the recovery loop: search, customer history, duplicates."""

    name = "makegood.desk"
    label = "desk"
    verbose_name = "Desk"
