"""`GET /api/v1/insights/...`: every figure of the insight pages as JSON, with the same filters
and the same scope (frontline staff: their own cases; managers: their team's; process owners and
administrators: everything; anyone else: 403)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.insights.kpis import kpis_for
from makegood.insights.scope import LOYALTY_DAYS, filters_from, scope_for

router = Router(tags=["insights"])
Errors = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}


class InsightFilters(Schema):
    first_day: date | None = Field(
        None, description="First day received (default: 90 days before last_day; 365 for loyalty and money)."
    )
    last_day: date | None = Field(None, description="Last day received, included (default: today).")
    team: str = Field("", max_length=100, description="A team's slug (process owners and administrators).")
    location: str = Field("", max_length=200)
    channel: str = Field("", max_length=20)
    cause: str = Field("", max_length=20, description="A cause's id.")


class ScopeOut(Schema):
    level: str = Field(description="all, team or own.")
    label: str
    first_day: date
    last_day: date


class KpisOut(Schema):
    scope: ScopeOut
    kpis: dict[str, Any] = Field(
        description="Counts as integers, shares between 0 and 1 (null: nothing to divide by), durations in seconds, "
        "money as decimal strings in `currency`."
    )


def _params(filters: InsightFilters) -> dict[str, str]:
    data = filters.dict()
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items() if v not in (None, "")}


@router.get("/insights/kpis", response={200: KpisOut, **Errors}, operation_id="insights_kpis")
def kpis_get(request: HttpRequest, filters: Query[InsightFilters]) -> dict[str, Any]:
    """The dashboard's figures: first response per channel, resolution and reopens, first-contact
    resolution three ways, authority, satisfaction per resolver and compensation against caps."""
    scope = scope_for(token_user(request))
    _form, chosen = filters_from(_params(filters), scope)
    kpis = kpis_for(scope, chosen)
    return {
        "scope": {
            "level": scope.level,
            "label": scope.label,
            "first_day": chosen.first_day,
            "last_day": chosen.last_day,
        },
        "kpis": kpis.as_json(),
    }


class LoyaltyOut(Schema):
    scope: ScopeOut
    loyalty: dict[str, Any] = Field(
        description="Per group and horizon (90, 180 days): customers, observable, bought again with a 95% "
        "interval, spend; Kaplan-Meier curves; the log-rank test; hazard ratios against `reference_group`."
    )


class MoneyOut(Schema):
    scope: ScopeOut
    money: dict[str, Any] = Field(description="Per month: compensation spent and revenue retained (95% bootstrap).")


def _chosen(request: HttpRequest, filters: InsightFilters) -> tuple[Any, Any, dict[str, Any]]:
    scope = scope_for(token_user(request))
    _form, chosen = filters_from(_params(filters), scope, default_days=LOYALTY_DAYS)
    head = {"level": scope.level, "label": scope.label, "first_day": chosen.first_day, "last_day": chosen.last_day}
    return scope, chosen, head


@router.get("/insights/loyalty", response={200: LoyaltyOut, **Errors}, operation_id="insights_loyalty")
def loyalty_get(request: HttpRequest, filters: Query[InsightFilters]) -> dict[str, Any]:
    """Do recovered customers come back? The four groups' repurchase, curves and adjusted hazard ratios."""
    from makegood.insights.loyalty import loyalty_for

    scope, chosen, head = _chosen(request, filters)
    return {"scope": head, "loyalty": loyalty_for(scope, chosen).as_json()}


@router.get("/insights/money", response={200: MoneyOut, **Errors}, operation_id="insights_money")
def money_get(request: HttpRequest, filters: Query[InsightFilters]) -> dict[str, Any]:
    """Per month: compensation spent, and revenue retained thanks to recovery with its 95% interval."""
    from makegood.insights.loyalty import loyalty_for
    from makegood.insights.money import money_compute

    scope, chosen, head = _chosen(request, filters)
    return {"scope": head, "money": money_compute(scope, chosen, loyalty_for(scope, chosen)).as_json()}
