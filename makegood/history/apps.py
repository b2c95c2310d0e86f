from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "makegood.history"
    label = "history"
    verbose_name = "History import"
