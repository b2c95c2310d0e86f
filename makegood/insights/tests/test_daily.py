"""The daily rollup's totals (`DailyTotals`): `DailyFigures` summed over the resolver and whether
resolved, after a full refresh, after an incremental one, and as the upgrade's migration fills them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db.models import Max, Sum

from makegood.cases.kinds import EventKind
from makegood.cases.services import case_record_response, case_take_ownership
from makegood.insights.daily import COLUMNS, TOTALS_KEYS
from makegood.insights.models import DailyFigures, DailyTotals
from makegood.insights.rollup import figures_refresh
from makegood.insights.tests.fixtures import build_month

pytestmark = pytest.mark.django_db


def _rows(model, grouped: bool):
    keys = ("day", *TOTALS_KEYS)
    rows = model.objects.values(*keys) if grouped else model.objects.values(*keys, *COLUMNS)
    if grouped:
        rows = rows.annotate(**{f"n_{c}": Max(c) if c == "largest" else Sum(c) for c in COLUMNS})
        names = [f"n_{c}" for c in COLUMNS]
    else:
        names = list(COLUMNS)
    return sorted((tuple(str(r[k]) for k in keys), tuple(r[c] for c in names)) for r in rows.order_by())


def _consistent() -> bool:
    return _rows(DailyTotals, grouped=False) == _rows(DailyFigures, grouped=True)


def test_the_totals_are_the_days_summed_over_resolvers_after_each_refresh(alice, bob):
    month = build_month(alice, bob)
    figures_refresh(full=True)
    assert _consistent()
    case_take_ownership(case=month.d, user=alice)
    case_record_response(case=month.d, user=alice, kind=EventKind.CONTACT, body="Hi")
    before = _rows(DailyTotals, grouped=False)
    figures_refresh()
    assert _rows(DailyTotals, grouped=False) != before  # D's day: one more response
    assert _consistent()


def test_the_upgrade_fills_the_totals_of_an_existing_rollup(alice, bob):
    build_month(alice, bob)
    figures_refresh(full=True)
    expected = _rows(DailyTotals, grouped=False)
    DailyTotals.objects.all().delete()
    migration = importlib.import_module("makegood.insights.migrations.0004_daily_totals")
    migration.totals_from_days(apps, None)
    assert _rows(DailyTotals, grouped=False) == expected
