from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "makegood.outbox"
    label = "outbox"
    verbose_name = "Outbox (everything that leaves Makegood)"

    def ready(self) -> None:
        from makegood.outbox import checks  # noqa: F401 (registers the system check)
