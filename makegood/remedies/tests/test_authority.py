"""Authority: the cap arithmetic (pure, property-based) and what is left, read from the ledger."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff
from makegood.remedies.authority import (
    ZERO,
    Policy,
    Usage,
    authority_policy,
    authority_remaining,
    authority_usage,
    check_within,
    periods_at,
    policy_merge,
    remaining_from,
)
from makegood.remedies.models import Authorization, EmployeeAuthority, Grant, RoleAuthority
from makegood.remedies.tests.factories import case_with_loss, ledger_row, override_authority, set_role_authority

cents = st.integers(min_value=0, max_value=1_000_000).map(lambda n: Decimal(n) / 100)


def policy(case: str = "50.00", day: str = "300.00", month: str = "2500.00") -> Policy:
    return Policy("USD", Decimal(case), Decimal(day), Decimal(month), frozenset({"coupon"}))


# The arithmetic ------------------------------------------------------------------------------


@given(caps=st.tuples(cents, cents, cents), used=st.tuples(cents, cents, cents))
def test_what_is_left_is_the_tightest_limit_and_never_negative(caps, used):
    remaining = remaining_from(Policy("USD", caps[0], caps[1], caps[2], frozenset()), Usage(*used))
    lefts = [max(ZERO, cap - u) for cap, u in zip(caps, used, strict=True)]
    assert remaining.left == min(lefts)
    assert remaining.left >= 0
    assert [remaining.left_on_case, remaining.left_today, remaining.left_this_month] == lefts


@given(caps=st.tuples(cents, cents, cents), used=st.tuples(cents, cents, cents), cost=cents)
def test_a_cost_fits_exactly_when_it_fits_every_limit_at_once(caps, used, cost):
    remaining = remaining_from(Policy("USD", caps[0], caps[1], caps[2], frozenset()), Usage(*used))
    fits_each = all(u + cost <= cap for cap, u in zip(caps, used, strict=True))
    # A free gesture always fits, even for someone already over a (since lowered) cap.
    assert remaining.allows(cost) == (fits_each or cost == 0)


@settings(max_examples=200)
@given(
    caps=st.tuples(cents, cents, cents),
    attempts=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), cents), max_size=40),
)
def test_no_sequence_of_checked_grants_ever_exceeds_a_cap(caps, attempts):
    """Grants over several cases, days and months: each one is checked against what is left then."""
    per_case: dict[tuple[int, int], Decimal] = {}
    per_day: dict[int, Decimal] = {}
    per_month: dict[int, Decimal] = {}
    p = Policy("USD", caps[0], caps[1], caps[2], frozenset())
    for case, day, cost in attempts:
        month = day // 2  # days 0 and 1 share a month, day 2 starts the next
        usage = Usage(per_case.get((case, month), ZERO), per_day.get(day, ZERO), per_month.get(month, ZERO))
        try:
            check_within(remaining_from(p, usage), cost)
        except ValidationError:
            continue
        per_case[(case, month)] = per_case.get((case, month), ZERO) + cost
        per_day[day] = per_day.get(day, ZERO) + cost
        per_month[month] = per_month.get(month, ZERO) + cost
    assert all(total <= p.cap_per_case for total in per_case.values())
    assert all(total <= p.cap_per_day for total in per_day.values())
    assert all(total <= p.budget_per_month for total in per_month.values())


def test_a_refused_cost_says_which_limit_binds_and_what_is_left():
    remaining = remaining_from(policy(day="30.00"), Usage(ZERO, Decimal("25.00"), Decimal("100.00")))
    with pytest.raises(ValidationError) as caught:
        check_within(remaining, Decimal("10.00"))
    assert caught.value.message_dict == {
        "amount": ["This costs $10.00, but your authority left today is $5.00. Offer the three options, or escalate."]
    }


def test_an_employee_override_replaces_only_the_fields_it_sets():
    role = RoleAuthority(
        role="frontline",
        currency="USD",
        cap_per_case=Decimal("50"),
        cap_per_day=Decimal("300"),
        budget_per_month=Decimal("2500"),
        allowed_kinds=["coupon", "refund_partial"],
    )
    override = EmployeeAuthority(cap_per_day=Decimal("100"), allowed_kinds=["coupon"])
    merged = policy_merge(role, override)
    assert (merged.cap_per_case, merged.cap_per_day, merged.budget_per_month) == (50, 100, 2500)
    assert merged.allowed_kinds == {"coupon"}
    assert policy_merge(role, EmployeeAuthority()).allowed_kinds == {"coupon", "refund_partial"}
    assert policy_merge(None, override).cap_per_case == 0  # no role policy: no authority at all


def test_the_day_and_month_follow_the_local_calendar_across_daylight_saving():
    with override_settings(TIME_ZONE="Europe/Paris"):
        paris = ZoneInfo("Europe/Paris")
        p = periods_at(datetime(2026, 10, 25, 12, 0, tzinfo=paris))  # the 25-hour day
        utc = ZoneInfo("UTC")
        assert p.day_end.astimezone(utc) - p.day_start.astimezone(utc) == timedelta(hours=25)
        assert (p.day_start.hour, p.day_end.hour) == (0, 0)
        assert p.month_start == datetime(2026, 10, 1, tzinfo=paris)
        assert p.month_end == datetime(2026, 11, 1, tzinfo=paris)


# Reading the ledger --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_policy_comes_from_the_role_with_the_employees_overrides(alice, bob):
    set_role_authority(Role.FRONTLINE, per_case="50.00", kinds=["coupon"])
    set_role_authority(Role.MANAGER, per_case="500.00")
    override_authority(alice, cap_per_day=Decimal("120.00"))
    mine = authority_policy(alice)
    assert (mine.cap_per_case, mine.cap_per_day, mine.role) == (Decimal("50.00"), Decimal("120.00"), "frontline")
    assert mine.allowed_kinds == {"coupon"}
    assert authority_policy(bob).cap_per_case == Decimal("500.00")


@pytest.mark.django_db
def test_someone_whose_role_has_no_policy_has_no_authority(north):
    owner = make_staff("polly", Role.PROCESS_OWNER, north)
    assert authority_remaining(user=owner).left == 0
    assert authority_policy(owner).allowed_kinds == frozenset()


@pytest.mark.django_db
def test_what_is_left_counts_the_case_the_day_and_the_month_separately(alice, bob, north):
    set_role_authority(Role.FRONTLINE, per_case="50.00", per_day="300.00", per_month="2500.00")
    case, other = case_with_loss(), case_with_loss(customer_email="eve@example.com")
    with time_machine.travel("2026-11-20 15:00:00+00:00", tick=False):
        ledger_row(case=case, user=alice, cost="20.00")
        ledger_row(case=other, user=alice, cost="30.00")
        ledger_row(case=other, user=alice, cost="7.00", at=datetime(2026, 11, 19, 9, tzinfo=ZoneInfo("UTC")))
        ledger_row(case=case, user=alice, cost="11.00", at=datetime(2026, 10, 31, 9, tzinfo=ZoneInfo("UTC")))
        ledger_row(case=case, user=bob, cost="99.00")  # someone else's authority
        remaining = authority_remaining(user=alice, case_id=case.pk)
    assert remaining.usage == Usage(on_case=Decimal("31.00"), today=Decimal("50.00"), this_month=Decimal("57.00"))
    assert (remaining.left_on_case, remaining.left_today, remaining.left_this_month) == (
        Decimal("19.00"),
        Decimal("250.00"),
        Decimal("2443.00"),
    )
    assert remaining.left == Decimal("19.00")
    assert remaining.binding_limit == "case"


@pytest.mark.django_db
def test_a_grant_made_under_a_managers_approval_is_charged_to_the_manager(alice, bob):
    case = case_with_loss()
    ledger_row(case=case, user=alice, cost="200.00", charged_to=bob, authorized_by=bob)
    assert authority_usage(user=alice, case_id=case.pk) == Usage(ZERO, ZERO, ZERO)
    assert authority_usage(user=bob, case_id=case.pk).on_case == Decimal("200.00")


@pytest.mark.django_db
def test_open_approvals_are_reserved_against_the_approving_managers_authority(alice, bob):
    from django.utils import timezone

    from makegood.remedies.models import Escalation

    case = case_with_loss()
    escalation = Escalation.objects.create(case=case, raised_by=alice, currency="USD", demand_amount=Decimal("150"))
    approval = Authorization.objects.create(
        escalation=escalation,
        case=case,
        employee=alice,
        approved_by=bob,
        max_cost=Decimal("150.00"),
        currency="USD",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert authority_usage(user=bob, case_id=case.pk) == Usage(*[Decimal("150.00")] * 3)
    assert authority_usage(user=bob, case_id=case.pk, exclude_authorization_id=approval.pk) == Usage(ZERO, ZERO, ZERO)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert authority_usage(user=bob).today == ZERO  # expired: no longer reserved


@pytest.mark.django_db
def test_the_hand_written_sums_agree_with_the_orm_over_a_mixed_ledger(alice, bob):
    import random

    rng = random.Random(7)
    cases = [case_with_loss(customer_email=f"c{i}@example.com") for i in range(3)]
    now = datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("UTC"))
    for _ in range(60):
        at = now - timedelta(hours=rng.randint(0, 24 * 60))
        ledger_row(
            case=rng.choice(cases), user=rng.choice([alice, bob]), cost=f"{rng.randint(1, 9999) / 100:.2f}", at=at
        )
    p = periods_at(now)
    mine = Grant.objects.filter(charged_to=alice)

    def orm_sum(q: Q) -> Decimal:
        return mine.filter(q).aggregate(s=Sum("cost", default=ZERO))["s"].quantize(Decimal("0.01"))  # USD

    expected = Usage(
        on_case=orm_sum(Q(case=cases[0])),
        today=orm_sum(Q(granted_at__gte=p.day_start, granted_at__lt=p.day_end)),
        this_month=orm_sum(Q(granted_at__gte=p.month_start, granted_at__lt=p.month_end)),
    )
    assert authority_usage(user=alice, case_id=cases[0].pk, at=now) == expected
    assert expected.this_month > 0
