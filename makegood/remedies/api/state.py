"""`GET /cases/{reference}/remedies`: what the caller can do about remedies on a case right now,
read from the same selector as the case page's panel."""

from __future__ import annotations

from django.http import HttpRequest

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut
from makegood.cases.selectors import case_get_for_user
from makegood.remedies.api.common import router
from makegood.remedies.api.outputs import RemedyStateOut
from makegood.remedies.panel_state import RemedyPanel, remedy_panel_state


@router.get(
    "/cases/{reference}/remedies",
    response={200: RemedyStateOut, 401: ErrorOut, 404: ErrorOut},
    summary="The remedy state of a case: what can be granted, delivered or escalated",
    operation_id="remedy_state",
)
def remedy_state(request: HttpRequest, reference: str) -> RemedyPanel:
    """As the case page's remedy panel: the caller's authority left, what they may grant, the
    grants so far, the offer waiting for an answer (its options), the latest escalation and any
    approval to deliver, whether the case can be escalated, and something extra to suggest."""
    user = token_user(request)
    return remedy_panel_state(case=case_get_for_user(user, reference), user=user)
