from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "makegood.followup"
    label = "followup"
    verbose_name = "Follow-up"

    def ready(self) -> None:
        from makegood.cases import signals as case_signals
        from makegood.cases.kinds import register_event_kinds, register_notification_kinds
        from makegood.cases.panels import Panel, register_case_panel, register_queue_panel
        from makegood.followup import receivers  # attempts registers its timeline kind
        from makegood.followup.models import FollowUpEventKind, FollowUpNotificationKind
        from makegood.followup.outbound import HANDLERS
        from makegood.outbox.handlers import register_handler

        register_event_kinds(FollowUpEventKind)
        register_notification_kinds(FollowUpNotificationKind)
        for handler in HANDLERS:  # the survey, the reminder and the thank-you leave through the outbox
            register_handler(handler)
        # The follow-up's card on the case page (one query, in its inclusion tag) and the calls to
        # make above the queue (loaded by htmx after the page).
        register_case_panel("case_side", Panel(name="followup", template="followup/_case_followup.html", order=50))
        register_queue_panel("queue_top", Panel(name="calls", template="followup/_calls_to_make.html", order=20))

        case_signals.case_resolved.connect(receivers.schedule_on_resolve, dispatch_uid="followup_schedule")
        case_signals.case_reopened.connect(receivers.cancel_on_reopen, dispatch_uid="followup_cancel_on_reopen")
        case_signals.case_closed.connect(receivers.cancel_on_close, dispatch_uid="followup_cancel_on_close")
