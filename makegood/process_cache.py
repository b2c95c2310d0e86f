"""Rarely-changing settings rows remembered per process, so that hot paths pay no query for them.

A `ProcessCache` loads its value on first use and again once it is `ttl_seconds` old. Saving or
deleting one of the models it watches forgets it at once in the process that made the change,
and again on commit (another thread may reload the old rows before the change commits). Other
processes (the other web workers, the task worker) see a change within the TTL; writes that send
no signals (`QuerySet.update()`, `bulk_create`, raw SQL) are seen only after it everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(self, load: Callable[[], T], *, ttl_seconds: float, name: str) -> None:
        self._load = load
        self.ttl_seconds = ttl_seconds
        self.name = name
        self._value: tuple[float, T] | None = None  # (valid until, on the monotonic clock; the value)
        self._clock = time.monotonic

    def get(self) -> T:
        remembered, now = self._value, self._clock()
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        value = self._load()
        self._value = (now + self.ttl_seconds, value)
        return value

    def clear(self, **_: Any) -> None:
        self._value = None

    def _changed(self, **kwargs: Any) -> None:
        self.clear()
        transaction.on_commit(self.clear, using=kwargs.get("using"))

    def clear_when_saved(self, *watched: type[models.Model]) -> None:
        """Forget the value whenever a row of these models is saved or deleted (call from `ready()`)."""
        for model in watched:
            for signal in (post_save, post_delete):
                signal.connect(
                    self._changed, sender=model, weak=False, dispatch_uid=f"{self.name}_{signal}_{model.__name__}"
                )
