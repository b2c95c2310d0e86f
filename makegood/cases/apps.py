from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "makegood.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from makegood.cases import assignment  # noqa: F401 - registers its timeline and notification kinds
        from makegood.cases.clock import connect_signals
        from makegood.cases.emails import acknowledgement_handler, reply_handler
        from makegood.cases.page import register_core_panels
        from makegood.outbox.handlers import register_handler

        # The clock's per-process cache of targets and opening hours is dropped when they change.
        connect_signals()
        register_core_panels()
        # The acknowledgement and the reply leave through the outbox.
        register_handler(acknowledgement_handler)
        register_handler(reply_handler)
