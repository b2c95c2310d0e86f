"""REST endpoints of the guided recovery (the reply coach, steps and messages)."""

from ninja import Router

router = Router(tags=["recovery"])
