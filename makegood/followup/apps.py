from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "makegood.followup"
    label = "followup"
    verbose_name = "Follow-up"

    def ready(self) -> None:
        from makegood.cases import signals as case_signals
        from makegood.cases.kinds import register_event_kinds, register_notification_kinds
        from makegood.followup import receivers
        from makegood.followup.models import FollowUpEventKind, FollowUpNotificationKind

        register_event_kinds(FollowUpEventKind)
        register_notification_kinds(FollowUpNotificationKind)

        case_signals.case_resolved.connect(receivers.schedule_on_resolve, dispatch_uid="followup_schedule")
        case_signals.case_reopened.connect(receivers.cancel_on_reopen, dispatch_uid="followup_cancel_on_reopen")
        case_signals.case_closed.connect(receivers.cancel_on_close, dispatch_uid="followup_cancel_on_close")
