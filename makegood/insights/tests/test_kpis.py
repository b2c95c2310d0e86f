"""Each KPI against the hand-built month of `fixtures.py`, whose answers are worked out there."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.services import case_record_response
from makegood.cases.tests.factories import make_staff
from makegood.insights.kpis import figure_q, kpis_compute, kpis_for, percentiles
from makegood.insights.models import CaseFigures
from makegood.insights.rollup import figures_refresh
from makegood.insights.scope import Filters, daily_for, figures_for, scope_for
from makegood.insights.tests.fixtures import FIRST_DAY, LAST_DAY, T0, build_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(alice, bob):
    built = build_month(alice, bob)
    figures_refresh(full=True)
    return built


def compute(user, **filters):
    """The dashboard's path: the daily rollup where it serves (managers and above)."""
    scope = scope_for(user)
    return kpis_for(scope, Filters(FIRST_DAY, LAST_DAY, **filters))


@pytest.mark.parametrize("who", ["bob", "owner"])
@pytest.mark.parametrize(
    "filters", [{}, {"channel": "web"}, {"channel": "email"}, {"location": "Nowhere"}], ids=["all", "web", "email", "x"]
)
def test_the_rollup_gives_the_same_figures_as_counting_the_cases(month, who, filters, bob):
    user = bob if who == "bob" else make_staff("po", role=Role.PROCESS_OWNER)
    scope = scope_for(user)
    chosen = Filters(FIRST_DAY, LAST_DAY, **filters)
    assert daily_for(scope, chosen) is not None
    from_rollup = kpis_for(scope, chosen)
    from_cases = kpis_compute(figures_for(scope, chosen), months=chosen.period.months)
    assert from_rollup.as_json() == from_cases.as_json()
    assert (from_rollup.cases == (0 if "location" in filters else from_cases.cases) and from_cases.cases) or filters


def test_first_response_per_channel_counts_people_only_and_keeps_the_response_before_a_reopen(month, bob):
    k = compute(bob)
    by = {r.channel: r for r in k.response}
    # web: A 30 min (in time), B 2 h (late; its reply after the reopen does not replace it), D none and overdue.
    assert (by["web"].responded, by["web"].decided, by["web"].within_target) == (2, 3, 1)
    assert by["web"].share_within_target == pytest.approx(1 / 3, abs=1e-4)
    assert (by["web"].median_seconds, by["web"].p90_seconds) == (1800, 7200)
    assert (by["phone"].median_seconds, by["phone"].share_within_target) == (30, 1.0)
    assert (by["email"].median_seconds, by["email"].p90_seconds) == (600, 1200)
    overall = k.response_overall
    assert (overall.responded, overall.decided, overall.within_target, overall.missed) == (5, 6, 4, 2)
    assert (overall.median_seconds, overall.p90_seconds) == (1200, 7200)


def test_the_automatic_acknowledgement_is_not_a_response(month):
    assert CaseFigures.objects.get(case=month.d).first_response_at is None
    assert month.d.acknowledged_at is not None or month.d.events.filter(kind=EventKind.ACKNOWLEDGED).exists()


def test_time_to_resolution_runs_to_the_last_resolution(month, bob):
    k = compute(bob)
    # 1 h (E), 1 h (F), 2 h (A), 3 h (C), 72 h (B: finally resolved three days after it was received).
    assert k.resolution == {"resolved": 5, "median_seconds": 7200, "p90_seconds": 72 * 3600}


def test_reopen_rate_by_events_cases_and_customers(month, bob):
    reopen = compute(bob).reopen
    assert (reopen["resolved_cases"], reopen["reopen_events"], reopen["reopened_cases"]) == (5, 1, 1)
    assert (reopen["customers"], reopen["customers_reopened"]) == (4, 1)
    assert (reopen["events_per_resolved_case"], reopen["cases_rate"], reopen["customers_rate"]) == (0.2, 0.2, 0.25)


def test_first_contact_resolution_three_ways(month, bob):
    fcr = compute(bob).first_contact
    # One-touch: A, E, F (B was reopened; C was escalated and resolved by Bob).
    assert (fcr["one_touch"], fcr["one_touch_rate"]) == (3, 0.6)
    # No repeat in 7 days: all but E (F came 3 days later); C's repeat came on day 8.
    assert (fcr["no_repeat"], fcr["no_repeat_rate"]) == (4, 0.8)
    # Confirmed: A, and B after its second resolution, of the 2 answered.
    assert (fcr["answered"], fcr["confirmed"], fcr["confirmed_rate"]) == (2, 2, 1.0)
    assert (fcr["goal"], fcr["industry_average"], fcr["world_class"]) == (0.95, 0.70, 0.80)


def test_the_repeat_window_is_configurable(month, bob):
    scope = scope_for(bob)
    figures = figures_for(scope, Filters(FIRST_DAY, LAST_DAY))
    assert figures.filter(figure_q("no_repeat", 7)).count() == 4
    # With 9 days, C's customer coming back on day 8 is a repeat contact too.
    assert figures.filter(figure_q("no_repeat", 9)).count() == 3


def test_within_own_authority_and_satisfaction_credited_to_the_resolver(month, alice, bob):
    k = compute(bob)
    assert (k.authority["within_authority"], k.authority["rate"]) == (4, 0.8)
    by = {r.user_id: r for r in k.resolvers}
    assert (by[alice.pk].resolved, by[alice.pk].answered, by[alice.pk].satisfied) == (4, 2, 2)
    assert (by[alice.pk].satisfied_share, by[alice.pk].response_rate) == (1.0, 1.0)
    # Bob resolved C, which nobody answered: no share rather than 0%.
    assert (by[bob.pk].resolved, by[bob.pk].answered, by[bob.pk].satisfied_share) == (1, 0, None)


def test_compensation_per_case_employee_and_team_against_caps(month, alice, bob, north):
    from makegood.remedies.tests.factories import set_role_authority

    set_role_authority(Role.FRONTLINE, per_case="50.00", per_month="100.00")
    set_role_authority(Role.MANAGER, per_case="80.00", per_month="400.00")
    k = compute(bob)
    assert (k.compensation["cost"], k.compensation["value"], k.compensation["cases"]) == (
        Decimal("30.00"),
        Decimal("70.00"),
        6,
    )
    assert (k.compensation["cost_per_case"], k.compensation["value_to_cost"]) == (Decimal("5.00"), 2.33)
    alice_row = next(r for r in k.by_employee if r.filter_value == str(alice.pk))
    assert (alice_row.cost, alice_row.largest_case_cost, alice_row.cap_per_case) == (
        Decimal("30.00"),
        Decimal("20.00"),
        Decimal("50.00"),
    )
    assert alice_row.budget == Decimal("100.00")  # one month
    team_row = next(r for r in k.by_team if r.filter_value == north.slug)
    assert (team_row.cost, team_row.budget) == (Decimal("30.00"), Decimal("500.00"))
    assert [(r.label, r.cost) for r in k.by_cause] == [
        ("(no cause yet)", Decimal("20.00")),
        ("Delivery / Parcel late", Decimal("10.00")),
    ]


def test_scope_frontline_sees_their_own_cases_and_another_team_nothing(month, alice, charlie):
    assert compute(alice).cases == 4  # A, B, E, F: the cases Alice owns
    assert compute(charlie).cases == 0


def test_a_user_without_a_role_is_refused(db):
    from django.contrib.auth.models import User
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        scope_for(User.objects.create_user("nobody"))


def test_no_data_gives_no_share_not_zero(bob):
    k = compute(bob)
    assert k.cases == 0
    assert (k.response_overall.share_within_target, k.first_contact["one_touch_rate"], k.reopen["cases_rate"]) == (
        None,
        None,
        None,
    )


def test_the_dashboard_figures_take_a_fixed_number_of_queries(month, bob, django_assert_num_queries):
    scope = scope_for(bob)
    chosen = Filters(FIRST_DAY, LAST_DAY)
    # Whether the rollup is built (1); its sums per channel, in total, per resolver and for the
    # compensation (total, causes, resolvers, teams): 7; its values per band, where each
    # percentile's rank falls (1: 25 since the bands, which spare each rank's walk every value
    # below its band); the distinct customers (1: COUNT DISTINCT over a team's cases; for every
    # team, the customers' repeat cases); one query per percentile rank wanted (first responses
    # per channel and overall: 7, resolution: 2); cause labels, people, their roles, role and
    # personal authority, team names (6).
    with django_assert_num_queries(25):
        kpis_for(scope, chosen)
    every_team = scope_for(make_staff("po", role=Role.PROCESS_OWNER))
    with django_assert_num_queries(25):
        kpis_for(every_team, chosen)


def test_percentiles_are_nearest_rank_per_group(month):
    values = percentiles(CaseFigures.objects.all(), "first_response_seconds", by="channel", points=(0.5,))
    assert values["email"] == {0.5: 600}


def test_the_refresh_picks_up_only_what_changed(month, alice):
    first = figures_refresh()
    assert first.cases <= 1  # at most D, whose clock was still open when it was last read
    with_reply = case_record_response(case=month.d, user=_owner(month.d, alice), kind=EventKind.CONTACT, body="Hi")
    assert with_reply.pk
    report = figures_refresh()
    assert report.cases >= 1
    assert CaseFigures.objects.get(case=month.d).first_response_at is not None
    assert CaseFigures.objects.get(case=month.d).received_at > T0


def _owner(case, alice):
    from makegood.cases.services import case_take_ownership

    case_take_ownership(case=case, user=alice)
    return alice


def test_a_new_case_changes_the_next_contact_of_the_customers_earlier_case(month, alice):
    from makegood.cases.tests.factories import make_case

    make_staff("amy", Role.FRONTLINE, month.a.team)
    make_case(channel="web", customer_email="a@example.com", received_at=T0 + timedelta(days=20))
    figures_refresh()
    assert CaseFigures.objects.get(case=month.a).next_contact_at is not None
