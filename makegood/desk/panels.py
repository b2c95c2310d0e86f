"""The desk's cards on the case page: the customer (their history, their other open cases to
merge with) and, on a case that absorbed duplicates, the duplicates' timelines."""

from __future__ import annotations

from typing import Any

from makegood.cases.models import CaseEvent
from makegood.cases.panels import CasePage
from makegood.desk.customers import other_open_cases
from makegood.desk.models import CaseMerge


def customer_card(page: CasePage) -> dict[str, Any]:
    """One query: for an open case, the customer's other open cases; for a closed one, where it
    was merged (a merged case is closed)."""
    case = page.case
    if case.status == "closed":
        merged_into = CaseMerge.objects.filter(source=case).select_related("target").first()
        return {"other_open": [], "merged_into": merged_into, "can_merge": False}
    return {
        "other_open": other_open_cases(page.user, case),
        "merged_into": None,
        "can_merge": page.user.has_perm("cases.respond_case"),
    }


def merged_timelines(page: CasePage) -> dict[str, Any] | None:
    """The timelines of the duplicates merged into this case, each under its own reference."""
    merges = list(CaseMerge.objects.filter(target=page.case).select_related("source"))
    if not merges:
        return None
    events = CaseEvent.objects.filter(case_id__in=[m.source_id for m in merges]).select_related("actor")
    by_case: dict[int, list[CaseEvent]] = {}
    for event in events.order_by("at", "pk"):
        by_case.setdefault(event.case_id, []).append(event)
    return {"merged": [(merge, by_case.get(merge.source_id, [])) for merge in merges]}
