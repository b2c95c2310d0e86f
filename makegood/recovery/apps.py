from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "makegood.recovery"
    label = "recovery"
    verbose_name = "Guided recovery"

    def ready(self) -> None:
        from makegood.cases.kinds import register_event_kinds
        from makegood.recovery.models import RecoveryEventKind

        register_event_kinds(RecoveryEventKind)
