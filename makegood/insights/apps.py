from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "makegood.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from makegood.insights.digest import digest_handler
        from makegood.outbox.handlers import register_handler

        register_handler(digest_handler)  # the monthly digest leaves through the outbox
