"""Reading root causes: the taxonomy for pickers, and a case's cause."""

from __future__ import annotations

from itertools import groupby

from django.db.models import QuerySet

from makegood.cases.models import Case
from makegood.causes.models import CaseCause, Cause


def causes_active() -> QuerySet[Cause]:
    return Cause.objects.filter(active=True, category__active=True).select_related(
        "category", "owner", "category__owner"
    )


def causes_grouped() -> list[tuple[str, list[Cause]]]:
    """The active causes by category, in the taxonomy's order (for a select with option groups)."""
    causes = causes_active().order_by("category__position", "category__name", "name")
    return [(name, list(items)) for name, items in groupby(causes, key=lambda c: c.category.name)]


def case_cause_of(case: Case) -> CaseCause | None:
    return CaseCause.objects.filter(case=case).select_related("cause__category", "set_by").first()


def case_story_text(case: Case) -> str:
    """What the suggester reads: the subject and the customer's words."""
    return f"{case.subject}\n{case.story}" if case.subject else case.story


def cause_by_label(label: str) -> Cause | None:
    """The active cause named `Category / Cause` (any letter case), if there is one."""
    category, _, name = " ".join(label.split()).rpartition(" / ")
    if not category:
        return None
    return causes_active().filter(category__name__iexact=category, name__iexact=name).first()
