"""A start-up check: the payment system's URL must be a public address, like a webhook endpoint's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from makegood.outbox.addresses import url_refusal


@register()
def payment_url_is_public(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    url = getattr(settings, "MAKEGOOD_PAYMENT_WEBHOOK_URL", "")
    refusal = url_refusal(url) if url else None
    if refusal:
        return [Error(f"MAKEGOOD_PAYMENT_WEBHOOK_URL is refused: {refusal}", id="makegood.E101")]
    return []
