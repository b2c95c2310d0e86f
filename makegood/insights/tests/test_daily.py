"""The daily rollup's month rows and totals: each month's rows are its days' rows added up, the
totals (`DailyTotals`) are the rows summed over the resolver and whether resolved, after a full
refresh, after an incremental one and as the upgrade's migration fills them; and a period that
starts or ends inside a month (read from month rows and day rows) gives what counting its cases gives."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db.models import Max, Sum
from django.db.models.functions import TruncMonth

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.services import case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.insights.daily import COLUMNS, KEYS, TOTALS_KEYS
from makegood.insights.kpis import kpis_compute, kpis_for
from makegood.insights.models import DailyFigures, DailyTotals
from makegood.insights.rollup import figures_refresh
from makegood.insights.scope import Filters, figures_for, scope_for
from makegood.insights.tests.fixtures import build_month

pytestmark = pytest.mark.django_db
SUMS = {f"n_{c}": Max(c) if c == "largest" else Sum(c) for c in COLUMNS}


def _listed(rows, keys, names):
    return sorted((tuple(str(r[k]) for k in keys), tuple(r[c] for c in names)) for r in rows.order_by())


def _stored(model, keys):
    return _listed(model.objects.values(*keys, *COLUMNS), keys, COLUMNS)


def _consistent() -> bool:
    """Month rows = their days' rows added up; totals = every row added up over the resolver."""
    month_keys = ("day", *KEYS)
    months = _listed(
        DailyFigures.objects.filter(is_month=False)
        .annotate(month=TruncMonth("day"))
        .values("month", *KEYS)
        .annotate(**SUMS),
        ("month", *KEYS),
        list(SUMS),
    )
    total_keys = ("day", "is_month", *TOTALS_KEYS)
    totals = _listed(DailyFigures.objects.values(*total_keys).annotate(**SUMS), total_keys, list(SUMS))
    stored_months = _listed(
        DailyFigures.objects.filter(is_month=True).values(*month_keys, *COLUMNS), month_keys, COLUMNS
    )
    return bool(months) and stored_months == months and _stored(DailyTotals, total_keys) == totals


@pytest.fixture
def month(alice, bob):
    built = build_month(alice, bob)
    figures_refresh(full=True)
    return built


def test_month_rows_and_totals_are_the_days_added_up_after_each_refresh(month, alice):
    assert _consistent()
    case_take_ownership(case=month.d, user=alice)
    case_record_response(case=month.d, user=alice, kind=EventKind.CONTACT, body="Hi")
    before = _stored(DailyTotals, ("day", "is_month", *TOTALS_KEYS))
    figures_refresh()
    assert _stored(DailyTotals, ("day", "is_month", *TOTALS_KEYS)) != before  # D's day and month: one more response
    assert _consistent()


def test_the_upgrade_has_the_next_refresh_rebuild_the_rollup(month):
    every = ("day", "is_month", *KEYS)
    expected = _stored(DailyFigures, every), _stored(DailyTotals, ("day", "is_month", *TOTALS_KEYS))
    DailyTotals.objects.all().delete()
    DailyFigures.objects.filter(is_month=True).delete()
    migration = importlib.import_module("makegood.insights.migrations.0004_daily_months_totals_values")
    migration.rebuild_the_rollup(apps, None)
    figures_refresh()
    assert (_stored(DailyFigures, every), _stored(DailyTotals, ("day", "is_month", *TOTALS_KEYS))) == expected


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 3, 5), date(2026, 3, 20)),  # inside a month: day rows only
        (date(2026, 2, 1), date(2026, 3, 31)),  # two whole months: month rows only
        (date(2026, 2, 20), date(2026, 4, 10)),  # days, a whole month, days
        (date(2026, 3, 1), date(2026, 3, 9)),  # a month's first days
        (date(2026, 3, 10), date(2026, 4, 30)),  # days, then a whole month
    ],
)
@pytest.mark.parametrize("channel", ["", "web"])
def test_a_period_across_months_gives_what_counting_the_cases_gives(month, bob, first, last, channel):
    for user in (bob, make_staff("po", role=Role.PROCESS_OWNER)):
        scope = scope_for(user)
        chosen = Filters(first, last, channel=channel)
        from_rollup = kpis_for(scope, chosen)
        assert from_rollup.as_json() == kpis_compute(figures_for(scope, chosen), months=chosen.period.months).as_json()
    assert from_rollup.cases > 0
