"""Caps hold under concurrency: 50 simultaneous grants by one employee, each thread with its own
database connection (on SQLite a WAL file with IMMEDIATE transactions, on PostgreSQL row locks)."""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import Count, Sum

from makegood.accounts.models import Role
from makegood.cases.services import CaseActionError
from makegood.cases.tests.factories import TeamFactory, make_staff
from makegood.remedies.models import Grant
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, make_remedy, set_role_authority

THREADS = 50


def run_at_once(count, work):
    """`work(i)` in `count` threads released together; returns what each returned or raised."""
    start = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except (ValidationError, CaseActionError) as refused:
            results[i] = refused
        except Exception as unexpected:
            results[i] = f"unexpected {unexpected!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [r for r in results if isinstance(r, str)], results
    return results


def setting_up(*, per_case: str, per_day: str, per_month: str):
    # Each thread opens a real connection: a file or a server, never SQLite's shared memory.
    assert not isinstance(connections["default"], SQLiteWrapper) or not connections["default"].is_in_memory_db()
    north = TeamFactory.create(name="North", receives_unrouted=True)
    alice = make_staff("alice", Role.FRONTLINE, north)
    set_role_authority(Role.FRONTLINE, per_case=per_case, per_day=per_day, per_month=per_month)
    note = make_remedy("gesture", cost=Decimal("7.00"), value=Decimal("20.00"), max_per_case=None)
    cases = [case_with_loss(customer_email=f"c{i}@example.com") for i in range(5)]
    return alice, note, cases


@pytest.mark.parametrize(
    ("caps", "same_case", "expected"),
    [
        # Which cap binds: 7.00 per grant, so 7 fit under 50, 14 under 100 and 8 under 60.
        ({"per_case": "50.00", "per_day": "10000.00", "per_month": "10000.00"}, True, 7),
        ({"per_case": "10000.00", "per_day": "100.00", "per_month": "10000.00"}, False, 14),
        ({"per_case": "10000.00", "per_day": "10000.00", "per_month": "60.00"}, False, 8),
    ],
    ids=["per-case", "per-day", "per-month"],
)
def test_fifty_simultaneous_grants_by_one_employee_never_exceed_a_cap(real_database, caps, same_case, expected):
    alice, note, cases = setting_up(**caps)

    def grant(i: int) -> Grant:
        case = cases[0] if same_case else cases[i % len(cases)]
        return remedy_grant(case=case, user=User.objects.get(pk=alice.pk), remedy_type=note)

    results = run_at_once(THREADS, grant)

    granted = [r for r in results if isinstance(r, Grant)]
    assert len(granted) == expected
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, Grant))
    ledger = Grant.objects.filter(charged_to=alice).aggregate(n=Count("pk"), total=Sum("cost"))
    assert ledger == {"n": expected, "total": Decimal("7.00") * expected}
    per_case = Grant.objects.values("case").annotate(total=Sum("cost")).values_list("total", flat=True)
    assert max(per_case) <= Decimal(caps["per_case"])


def test_fifty_simultaneous_requests_with_one_idempotency_key_make_one_grant(real_database):
    alice, note, cases = setting_up(per_case="1000.00", per_day="1000.00", per_month="1000.00")

    def grant(i: int) -> Grant:
        return remedy_grant(
            case=cases[0], user=User.objects.get(pk=alice.pk), remedy_type=note, idempotency_key="burst"
        )

    results = run_at_once(THREADS, grant)

    assert {r.pk for r in results} == {Grant.objects.get().pk}
    assert sum(not r.replayed for r in results) == 1


def test_restitution_and_compensation_racing_on_one_case_keep_each_to_its_own_limit(real_database):
    """25 restorations ($30 repairs of a $120 loss) and 25 gestures ($7) at once, by one employee on
    one case: restitution fills the loss exactly, outside the caps; whatever else is granted,
    repairs beyond the loss included, is compensation within the $50 cap."""
    alice, note, cases = setting_up(per_case="50.00", per_day="10000.00", per_month="10000.00")
    repair = make_remedy(
        "repair",
        "repair",
        is_variable=True,
        cost=Decimal("0"),
        value=Decimal("0"),
        cost_per_unit=Decimal("1"),
        value_per_unit=Decimal("1"),
        min_amount=Decimal("1.00"),
        max_amount=Decimal("500.00"),
        purpose="restitution",
        loss_kinds=["faulty_product"],
    )
    case = cases[0]  # a $120 faulty product

    def grant(i: int) -> Grant:
        user = User.objects.get(pk=alice.pk)
        if i % 2:
            return remedy_grant(case=case, user=user, remedy_type=repair, amount="30.00")
        return remedy_grant(case=case, user=user, remedy_type=note)

    results = run_at_once(THREADS, grant)

    assert all(isinstance(r, Grant | ValidationError) for r in results)
    restored = Grant.objects.filter(case=case, purpose="restitution").aggregate(n=Count("pk"), value=Sum("value"))
    assert restored == {"n": 4, "value": Decimal("120.00")}
    charged = Grant.objects.filter(case=case, purpose="compensation").aggregate(n=Count("pk"), cost=Sum("cost"))
    assert charged["n"] > 0 and charged["cost"] <= Decimal("50.00")
    assert Decimal("50.00") - charged["cost"] < Decimal("7.00")  # the cap was filled, not undercounted
