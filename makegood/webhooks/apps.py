from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "makegood.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from makegood.cases import signals as case_signals
        from makegood.followup import signals as followup_signals
        from makegood.outbox.handlers import register_handler
        from makegood.webhooks import receivers
        from makegood.webhooks.delivery import webhook_handler
        from makegood.webhooks.selectors import subscriptions_watch_endpoints

        case_signals.case_opened.connect(receivers.on_case_opened, dispatch_uid="webhooks_case_opened")
        case_signals.case_resolved.connect(receivers.on_case_resolved, dispatch_uid="webhooks_case_resolved")
        case_signals.case_reopened.connect(receivers.on_case_reopened, dispatch_uid="webhooks_case_reopened")
        case_signals.case_closed.connect(receivers.on_case_closed, dispatch_uid="webhooks_case_closed")
        followup_signals.followup_answered.connect(
            receivers.on_followup_answered, dispatch_uid="webhooks_followup_answered"
        )
        register_handler(webhook_handler)
        # The per-process memory of subscriptions is dropped whenever an endpoint changes here.
        subscriptions_watch_endpoints()
