"""Reports: authority used vs caps, grants by remedy, cost per recovered case, first-contact resolution."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from makegood.accounts.models import Role
from makegood.cases.services import case_resolve, case_take_ownership
from makegood.remedies.models import Escalation, EscalationStatus
from makegood.remedies.reports import (
    period,
    report_authority_usage,
    report_cost_per_recovered_case,
    report_first_contact_resolution,
    report_grants_by_remedy_type,
    report_totals,
)
from makegood.remedies.tests.factories import case_with_loss, ledger_row, make_remedy, set_role_authority

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


@pytest.fixture
def november(alice, bob, charlie, north, south):
    """Four cases resolved in November 2026 and one still open."""
    set_role_authority(Role.FRONTLINE, per_case="50.00", per_day="300.00", per_month="2500.00")
    set_role_authority(Role.MANAGER, per_case="500.00", per_day="2000.00", per_month="15000.00")
    coupon = make_remedy("coupon", "coupon")
    refund = make_remedy("refund", "refund_full")
    kept = case_with_loss(received_at=at(2), customer_email="a@example.com")  # Alice, first contact
    case_take_ownership(case=kept, user=alice, at=at(2, 11))
    ledger_row(case=kept, user=alice, cost="20.00", at=at(2, 12), remedy=coupon)
    ledger_row(case=kept, user=alice, cost="5.00", at=at(2, 13), remedy=coupon)
    case_resolve(case=kept, user=alice, resolution="Coupon.", at=at(2, 14))

    approved = case_with_loss(received_at=at(3), customer_email="b@example.com")  # escalated, approved
    case_take_ownership(case=approved, user=alice, at=at(3, 11))
    Escalation.objects.create(case=approved, raised_by=alice, currency="USD", status=EscalationStatus.APPROVED)
    ledger_row(case=approved, user=alice, cost="120.00", at=at(3, 12), remedy=refund, charged_to=bob, authorized_by=bob)
    case_resolve(case=approved, user=alice, resolution="Refunded.", at=at(3, 14))

    taken = case_with_loss(received_at=at(4), customer_email="c@example.com")  # taken over by Bob
    case_take_ownership(case=taken, user=alice, at=at(4, 11))
    Escalation.objects.create(case=taken, raised_by=alice, currency="USD", status=EscalationStatus.TAKEN_OVER)
    case_take_ownership(case=taken, user=bob, at=at(4, 12))
    case_resolve(case=taken, user=bob, resolution="Called her.", at=at(4, 14))

    southern = case_with_loss(received_at=at(5), customer_email="d@example.com", team=south)
    case_take_ownership(case=southern, user=charlie, at=at(5, 11))
    case_resolve(case=southern, user=charlie, resolution="Fixed.", at=at(5, 14))

    still_open = case_with_loss(received_at=at(6), customer_email="e@example.com")
    case_take_ownership(case=still_open, user=alice, at=at(6, 11))
    ledger_row(case=still_open, user=alice, cost="9.00", at=at(6, 12), remedy=coupon)
    ledger_row(case=still_open, user=alice, cost="33.00", at=datetime(2026, 10, 30, tzinfo=UTC), remedy=coupon)
    return {"coupon": coupon, "refund": refund}


NOVEMBER: dict[str, Any] = {"first_day": date(2026, 11, 1), "last_day": date(2026, 11, 30)}


def rows_by(rows, key):
    return {row[key]: row for row in rows}


def test_first_contact_resolution_counts_cases_resolved_by_their_first_owner_without_escalation(november):
    by_employee = rows_by(report_first_contact_resolution(**NOVEMBER, by="employee"), "employee")
    assert by_employee["Alice Adams"] == {
        "employee": "Alice Adams",
        "resolved": 3,
        "first_contact_resolved": 1,
        "escalated": 2,
        "first_contact_rate": Decimal("0.333"),
    }
    assert by_employee["Charlie Clark"]["first_contact_rate"] == Decimal("1.000")
    by_team = rows_by(report_first_contact_resolution(**NOVEMBER, by="team"), "team")
    assert (by_team["North"]["resolved"], by_team["North"]["first_contact_resolved"]) == (3, 1)
    assert (by_team["South"]["resolved"], by_team["South"]["first_contact_resolved"]) == (1, 1)


def test_cost_per_recovered_case_per_owner_and_per_team(november):
    by_employee = rows_by(report_cost_per_recovered_case(**NOVEMBER, by="employee"), "employee")
    alice = by_employee["Alice Adams"]
    assert (alice["recovered_cases"], alice["remedy_cost"], alice["cost_per_recovered_case"]) == (
        2,
        Decimal("145.00"),
        Decimal("72.50"),
    )
    assert by_employee["Bob Brown"]["cost_per_recovered_case"] == Decimal("0.00")
    north = rows_by(report_cost_per_recovered_case(**NOVEMBER, by="team"), "team")["North"]
    assert (north["recovered_cases"], north["cases_with_remedies"], north["remedy_cost"]) == (3, 2, Decimal("145.00"))


def test_grants_by_remedy_type_per_employee_and_team_within_the_dates(november):
    rows = report_grants_by_remedy_type(**NOVEMBER, by="employee")
    alice = {r["remedy"]: r for r in rows if r["employee"] == "Alice Adams"}
    assert (alice["Coupon"]["grants"], alice["Coupon"]["cost"]) == (3, Decimal("34.00"))  # not October's 33
    assert (alice["Refund"]["grants"], alice["Refund"]["cost"]) == (1, Decimal("120.00"))
    early = report_grants_by_remedy_type(first_day=date(2026, 11, 1), last_day=date(2026, 11, 2), by="team")
    assert [(r["team"], r["remedy"], r["grants"]) for r in early] == [("North", "Coupon", 2)]


def test_authority_used_is_shown_against_the_caps(november):
    rows = rows_by(report_authority_usage(**NOVEMBER), "employee")
    alice, bob = rows["Alice Adams"], rows["Bob Brown"]
    assert (alice["used"], alice["grants"], alice["budget_in_period"], alice["budget_used_share"]) == (
        Decimal("34.00"),
        3,
        Decimal("2500.00"),
        Decimal("0.014"),
    )
    assert (alice["busiest_day_used"], alice["cap_per_day"]) == (Decimal("25.00"), Decimal("300.00"))
    assert (alice["biggest_case_used"], alice["cap_per_case"]) == (Decimal("25.00"), Decimal("50.00"))
    assert (bob["used"], bob["authorized_grants"], bob["role"]) == (Decimal("120.00"), 1, "manager")
    assert rows["Charlie Clark"]["used"] == 0  # everyone on the team shows, grants or not


def test_restitution_is_in_the_reports_apart_from_the_authority_it_does_not_use(november, alice):
    case = case_with_loss(received_at=at(7), customer_email="f@example.com")
    case_take_ownership(case=case, user=alice, at=at(7, 11))
    redo = make_remedy("redo", "redo_service", purpose="restitution")
    ledger_row(case=case, user=alice, cost="35.60", at=at(7, 12), remedy=redo, purpose="restitution")
    alice_row = rows_by(report_authority_usage(**NOVEMBER), "employee")["Alice Adams"]
    assert (alice_row["used"], alice_row["restitution"], alice_row["grants"]) == (
        Decimal("34.00"),  # as before: restitution is not authority used
        Decimal("35.60"),
        4,
    )
    assert (alice_row["biggest_case_used"], alice_row["busiest_day_used"]) == (Decimal("25.00"), Decimal("25.00"))
    totals = report_totals(**NOVEMBER)
    assert (totals["cost"], totals["restitution_cost"], totals["compensation_cost"]) == (
        Decimal("189.60"),
        Decimal("35.60"),
        Decimal("154.00"),
    )
    by_type = report_grants_by_remedy_type(**NOVEMBER)
    assert {(r["remedy"], r["purpose"]) for r in by_type if r["remedy"] == "Redo"} == {("Redo", "restitution")}


def test_a_team_filter_shows_only_that_teams_people_and_cases(november, south):
    usage = report_authority_usage(**NOVEMBER, team=south)
    assert [r["employee"] for r in usage] == ["Charlie Clark"]
    assert report_grants_by_remedy_type(**NOVEMBER, team=south) == []
    assert [r["team"] for r in report_first_contact_resolution(**NOVEMBER, team=south, by="team")] == ["South"]


def test_the_totals_line(november):
    totals = report_totals(**NOVEMBER)
    assert totals == {
        "grants": 4,
        "cost": Decimal("154.00"),
        "restitution_cost": Decimal("0"),
        "compensation_cost": Decimal("154.00"),
        "resolved": 4,
        "first_contact_resolved": 2,
        "first_contact_rate": Decimal("0.500"),
    }


def test_a_period_covers_whole_local_days_and_counts_its_months():
    p = period(date(2026, 11, 30), date(2026, 10, 15))  # either order
    assert (p.start.date(), p.end.date(), p.months) == (date(2026, 10, 15), date(2026, 12, 1), 2)


def test_reports_take_the_same_number_of_queries_however_many_grants(november, alice):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            report_authority_usage(**NOVEMBER)
            report_grants_by_remedy_type(**NOVEMBER)
            report_cost_per_recovered_case(**NOVEMBER)
            report_first_contact_resolution(**NOVEMBER)
        return len(captured)

    before = queries()
    case = case_with_loss(customer_email="z@example.com")
    for day in range(7, 20):
        ledger_row(case=case, user=alice, cost="1.00", at=at(day), remedy=november["coupon"])
    assert queries() == before
