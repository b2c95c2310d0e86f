from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "makegood.insights"
    label = "insights"
    verbose_name = "Insights"
