"""Webhook deliveries are sent by the outbox (`makegood.outbox.tasks`): its task and its sweep."""

from makegood.outbox.tasks import SWEEP_GRACE, deliver_message, sweep_outbox

__all__ = ["SWEEP_GRACE", "deliver_message", "sweep_outbox"]
