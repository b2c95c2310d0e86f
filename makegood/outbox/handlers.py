"""The per-purpose handlers: how a message of each purpose is sent, and who hears how it ended.

A stage registers its purposes from its `AppConfig.ready()`:

    register_handler(Handler(purpose="webhook", send=webhook_send, held=webhooks_held, failed=on_failed))

- `send(message)` does the I/O (an HTTP POST through `outbox.http`, an e-mail through
  `outbox.email`) and returns a `SendResult`; an exception counts as a failed attempt.
- `delivered(message)` runs in the transaction that records the delivery (a timeline line, say):
  the record and the state change are committed together or not at all.
- `failed(message)` runs in the transaction that marks the message failed for good, after the
  last attempt: the owner's chance to react (tell someone, mark its own row).
- `held()` returns a filter of the messages that must wait (their endpoint is inactive, no
  payment system is configured); they are neither attempted nor counted as due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from makegood.outbox.models import OutboxMessage

DEFAULT_MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status: int | None = None
    error: str = ""


@dataclass(frozen=True)
class Handler:
    purpose: str
    send: Callable[[OutboxMessage], SendResult]
    delivered: Callable[[OutboxMessage], None] | None = None
    failed: Callable[[OutboxMessage], None] | None = None
    held: Callable[[], Q | None] | None = None
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


_handlers: dict[str, Handler] = {}


def register_handler(handler: Handler) -> None:
    """Register (or replace, for tests) the handler of a purpose."""
    _handlers[handler.purpose] = handler


def handler_for(purpose: str) -> Handler | None:
    return _handlers.get(purpose)


def handlers() -> dict[str, Handler]:
    return dict(_handlers)


def held_filter(handler: Handler) -> Q | None:
    return handler.held() if handler.held is not None else None
