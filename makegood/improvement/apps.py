from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "makegood.improvement"
    label = "improvement"
    verbose_name = "Process improvement"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from makegood.cases.kinds import register_event_kinds
        from makegood.cases.panels import Panel, register_queue_panel
        from makegood.causes.services import case_cause_changed
        from makegood.improvement import receivers
        from makegood.improvement.models import ImprovementEventKind
        from makegood.improvement.outbound import handlers
        from makegood.outbox.handlers import register_handler

        register_event_kinds(ImprovementEventKind)
        for handler in handlers():
            register_handler(handler)
        register_queue_panel("queue_top", Panel(name="improvement", template="improvement/_queue_mine.html", order=50))
        # The customers' suggestions are recovery's records: each one joins the inbox as it is
        # saved (a lazy sender, so that nothing here imports recovery).
        post_save.connect(receivers.suggestion_saved, sender="recovery.Suggestion", dispatch_uid="improvement_inbox")
        case_cause_changed.connect(receivers.cause_changed, dispatch_uid="improvement_route_suggestions")
