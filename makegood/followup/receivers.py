"""The follow-up's side of the case signals (connected in `FollowupConfig.ready`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from makegood.cases.models import Case
from makegood.followup.services import followup_cancel_pending, followup_schedule


def schedule_on_resolve(sender: type, *, case: Case, at: datetime | None = None, **kwargs: Any) -> None:
    followup_schedule(case=case, at=at)


def cancel_on_reopen(
    sender: type, *, case: Case, at: datetime | None = None, actor: User | None = None, **kwargs: Any
) -> None:
    # A reopen caused by a follow-up's own answer finds nothing pending: the answer came first.
    followup_cancel_pending(case=case, reason="The case was reopened.", at=at, actor=actor)


def cancel_on_close(
    sender: type, *, case: Case, at: datetime | None = None, actor: User | None = None, **kwargs: Any
) -> None:
    followup_cancel_pending(case=case, reason="The case was closed.", at=at, actor=actor)
