"""Each case's link to its customer's previous resolved and reopened case (`previous.py`), and the
distinct customers the dashboard counts from it, for a customer with cases on both sides of the
period's start (March 2026, as in `fixtures.py`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.tests.factories import make_staff
from makegood.insights.kpis import kpis_compute, kpis_for
from makegood.insights.models import CaseFigures
from makegood.insights.rollup import figures_refresh
from makegood.insights.scope import Filters, figures_for, scope_for
from makegood.insights.tests.fixtures import FIRST_DAY, LAST_DAY, T0, D, H, M, _answer, _open, _resolve_simply

pytestmark = pytest.mark.django_db


def _resolved(at, email, alice, *, reopened=False):
    case = _open(at, "web", email)
    _resolve_simply(case, alice, respond=10 * M, resolve=H, kind=EventKind.REPLY_SENT)
    if reopened:  # the customer says it is not resolved: reopened the next day
        _answer(case, sent=at + D, resolved=False, satisfaction=1)
    case.refresh_from_db()
    return case


@pytest.fixture
def cases(alice):
    """Xavier: resolved and reopened in February (before the period), resolved on 5 March, resolved
    and reopened on 10 March, still open on 12 March. Yolanda: resolved on 6 March."""
    before = _resolved(T0 - 10 * D, "x@example.com", alice, reopened=True)
    first = _resolved(T0 + 3 * D, "x@example.com", alice)
    second = _resolved(T0 + 8 * D, "x@example.com", alice, reopened=True)
    still_open = _open(T0 + 10 * D, "web", "x@example.com")
    other = _resolved(T0 + 4 * D, "y@example.com", alice)
    figures_refresh(full=True)
    return before, first, second, still_open, other


def _previous(case):
    row = CaseFigures.objects.get(case=case)
    return row.previous_resolved_at, row.previous_reopened_at


def _reopen_figures(user):
    scope, chosen = scope_for(user), Filters(FIRST_DAY, LAST_DAY)
    from_rollup = kpis_for(scope, chosen).reopen
    from_cases = kpis_compute(figures_for(scope, chosen), months=chosen.period.months).reopen
    assert from_rollup == from_cases  # the shortcut against COUNT(DISTINCT customer)
    return from_rollup


def test_each_case_points_at_the_customers_previous_resolved_and_reopened_case(cases):
    before, first, second, still_open, other = cases
    assert _previous(before) == (None, None)
    assert _previous(first) == (before.received_at, None)  # resolved, never reopened
    assert _previous(second) == (first.received_at, before.received_at)
    assert _previous(still_open) == (None, None)  # never resolved: no link
    assert _previous(other) == (None, None)  # another customer


def test_customers_are_counted_once_across_the_period_start(cases):
    owner = make_staff("po", role=Role.PROCESS_OWNER)
    reopen = _reopen_figures(owner)
    # Resolved in March: Xavier's two and Yolanda's; reopened: Xavier's second (February's is outside).
    assert (reopen["resolved_cases"], reopen["customers"]) == (3, 2)
    assert (reopen["reopened_cases"], reopen["customers_reopened"]) == (1, 1)


def test_an_earlier_case_resolved_later_moves_the_link_of_the_customers_later_cases(cases, alice):
    before, first, second, still_open, _ = cases
    # A case of Xavier's received on 1 March, entered and resolved now: his first of the period.
    earliest = _resolved(T0 - 8 * H, "x@example.com", alice)
    figures_refresh()
    assert _previous(earliest) == (before.received_at, None)
    assert _previous(first) == (earliest.received_at, None)
    assert _previous(second) == (first.received_at, before.received_at)
    reopen = _reopen_figures(make_staff("po", role=Role.PROCESS_OWNER))
    assert (reopen["resolved_cases"], reopen["customers"]) == (4, 2)
    # And a case resolved the day after it is received gets its link from the incremental refresh.
    _resolve_simply(still_open, alice, respond=10 * M, resolve=timedelta(days=1), kind=EventKind.REPLY_SENT)
    figures_refresh()
    assert _previous(still_open) == (second.received_at, None)
    assert _reopen_figures(make_staff("po2", role=Role.PROCESS_OWNER))["customers"] == 2
