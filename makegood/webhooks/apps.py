from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WebhooksConfig(AppConfig):
    name = "makegood.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from makegood.cases import signals as case_signals
        from makegood.followup import signals as followup_signals
        from makegood.webhooks import receivers
        from makegood.webhooks.models import WebhookEndpoint
        from makegood.webhooks.selectors import endpoint_changed

        case_signals.case_opened.connect(receivers.on_case_opened, dispatch_uid="webhooks_case_opened")
        case_signals.case_resolved.connect(receivers.on_case_resolved, dispatch_uid="webhooks_case_resolved")
        case_signals.case_reopened.connect(receivers.on_case_reopened, dispatch_uid="webhooks_case_reopened")
        case_signals.case_closed.connect(receivers.on_case_closed, dispatch_uid="webhooks_case_closed")
        followup_signals.followup_answered.connect(
            receivers.on_followup_answered, dispatch_uid="webhooks_followup_answered"
        )
        # The per-process memory of subscriptions is dropped whenever an endpoint changes here.
        post_save.connect(endpoint_changed, sender=WebhookEndpoint, dispatch_uid="webhooks_endpoint_saved")
        post_delete.connect(endpoint_changed, sender=WebhookEndpoint, dispatch_uid="webhooks_endpoint_deleted")
