"""What each figure counts, in code: the conditions on `CaseFigures` every KPI, drill-down and
daily rollup reads (`FIGURES`, `figure_q`), and the goals the dashboard draws."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import F, Q
from django.db.models.functions import Coalesce

# The seed's goal: 95% of cases resolved by the first person, without a hand-off.
FCR_GOAL = 0.95
# Industry bands for first-contact resolution (SQM Group's benchmarks): about 70% is average,
# 80% and above is world class.
FCR_INDUSTRY_AVERAGE = 0.70
FCR_WORLD_CLASS = 0.80
REPEAT_CONTACT_DAYS = 7
SATISFIED_FROM = 4


def _resolved_by_first_owner() -> Q:
    return Q(is_resolved=True, resolver_id=F("first_owner_id"), escalated=False, reopen_count=0)


def _repeat_contact(days: int) -> Q:
    """Another case of the same customer between this one's receipt and `days` after it was resolved."""
    return Q(next_contact_at__isnull=False) & Q(
        next_contact_at__lte=Coalesce(F("first_resolved_at"), F("resolved_at")) + timedelta(days=days)
    )


# name -> (what it lists, the condition). Every figure on the dashboard links to one of these.
FIGURES: dict[str, tuple[str, Callable[[int], Q]]] = {
    "all": ("Every case received", lambda days: Q()),
    "responded": ("Cases a person responded to", lambda days: Q(first_response_at__isnull=False)),
    "within_target": ("First response within the target", lambda days: Q(within_target=True)),
    "missed_target": ("First response late, or still waiting past the target", lambda days: Q(within_target=False)),
    "resolved": ("Resolved or closed", lambda days: Q(is_resolved=True)),
    "ever_resolved": ("Resolved at least once", lambda days: Q(first_resolved_at__isnull=False)),
    "reopened_30": (
        "Reopened within 30 days of the first resolution",
        lambda days: Q(reopens_within_30_days__gt=0),
    ),
    "one_touch": (
        "One-touch: resolved by the first owner, no escalation, never reopened",
        lambda days: _resolved_by_first_owner(),
    ),
    "not_one_touch": (
        "Resolved, but not on one touch",
        lambda days: Q(is_resolved=True) & ~_resolved_by_first_owner(),
    ),
    "no_repeat": (
        "Resolved, and the customer opened no other case soon after",
        lambda days: Q(is_resolved=True) & ~_repeat_contact(days),
    ),
    "repeat_contact": (
        "Resolved, but the customer came back soon after",
        lambda days: Q(is_resolved=True) & _repeat_contact(days),
    ),
    "answered": ("Resolved, and the customer answered the follow-up", lambda days: Q(is_resolved=True, answered=True)),
    "confirmed": ("The customer confirmed it is resolved", lambda days: Q(is_resolved=True, confirmed_resolved=True)),
    "within_authority": (
        "Resolved within the employee's own authority (no escalation, no manager's approval)",
        lambda days: Q(is_resolved=True, escalated=False, manager_approved=False),
    ),
    "surveyed": ("Asked in a follow-up", lambda days: Q(surveyed=True)),
    "satisfied": (
        f"Answered {SATISFIED_FROM} or 5 of 5",
        lambda days: Q(answered=True, satisfaction__gte=SATISFIED_FROM),
    ),
    "compensated": ("Cases with compensation granted", lambda days: Q(compensation_cost__gt=0)),
    "group_quick": ("Recovered quickly: satisfied, resolved within a day", lambda days: _loyalty_group("quick")),
    "group_slow": ("Recovered slowly: satisfied, resolved later", lambda days: _loyalty_group("slow")),
    "group_not_recovered": (
        "Not recovered: dissatisfied, reopened and never satisfied, or silent",
        lambda days: _loyalty_group("not_recovered"),
    ),
}


def _loyalty_group(group: str) -> Q:
    from makegood.insights.loyalty import group_q

    return group_q(group)


def figure_q(name: str, repeat_days: int = REPEAT_CONTACT_DAYS) -> Q:
    return FIGURES[name][1](repeat_days)
