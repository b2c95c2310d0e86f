from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "makegood.recovery"
    label = "recovery"
    verbose_name = "Guided recovery"

    def ready(self) -> None:
        from makegood.cases.kinds import register_event_kinds
        from makegood.recovery.models import RecoveryEventKind
        from makegood.recovery.panels import register_panels

        register_event_kinds(RecoveryEventKind)
        register_panels()
