from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RemediesConfig(AppConfig):
    name = "makegood.remedies"
    label = "remedies"
    verbose_name = "Remedies and authority"

    def ready(self) -> None:
        from makegood.cases.kinds import register_event_kinds, register_notification_kinds
        from makegood.cases.panels import Panel, register_case_panel, register_queue_panel
        from makegood.cases.queue_views import QueueView, register_queue_view
        from makegood.outbox.handlers import register_handler
        from makegood.remedies.kinds import RemedyEventKind, RemedyNotificationKind
        from makegood.remedies.models import RemedyType
        from makegood.remedies.selectors import forget_catalog, waiting_on_a_manager
        from makegood.remedies.tasks import grant_email_handler, payment_announcement_handler

        register_event_kinds(RemedyEventKind)
        register_notification_kinds(RemedyNotificationKind)
        # A grant's code e-mail and its refund announcement leave through the outbox.
        register_handler(grant_email_handler)
        register_handler(payment_announcement_handler)
        # The remedies panel on the case page and the granting authority above the queue, both
        # loaded by htmx after the page. The stylesheet comes with the page: it also colours
        # remedies' own lines on the timeline.
        remedies_panel = Panel(
            name="remedies", template="remedies/_case_panel.html", order=20, css=("makegood/remedies.css",)
        )
        register_case_panel("case_main", remedies_panel)
        # The guided recovery's Solve step is the same panel: the same state, the same grants.
        register_case_panel("case_solve", remedies_panel)
        register_queue_panel("queue_top", Panel(name="authority", template="remedies/_queue_authority.html", order=10))
        # The payments this person is to make (no payment system), loaded by htmx after the queue.
        register_queue_panel(
            "queue_top",
            Panel(
                name="payments",
                template="remedies/_my_payments_slot.html",
                order=15,
                permission="remedies.confirm_payment",
            ),
        )
        register_queue_view(QueueView("waiting", "Waiting on a manager", 50, waiting_on_a_manager))

        # This process re-reads the catalog at once after an edit; other processes notice the
        # catalog's fingerprint change (see selectors.catalog_for).
        post_save.connect(forget_catalog, sender=RemedyType, dispatch_uid="remedies_catalog_saved")
        post_delete.connect(forget_catalog, sender=RemedyType, dispatch_uid="remedies_catalog_deleted")
