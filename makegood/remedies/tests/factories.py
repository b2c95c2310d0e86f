"""Helpers for remedy tests: cases with a loss, remedies, policies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from makegood.accounts.models import Role
from makegood.cases.models import Case
from makegood.cases.tests.factories import make_case
from makegood.remedies.models import EmployeeAuthority, RemedyKind, RemedyType, RoleAuthority

ALL_KINDS = list(RemedyKind.values)


def case_with_loss(
    *,
    loss_kind: str = "faulty_product",
    loss_amount: str | None = "120.00",
    severity: str = "moderate",
    business_at_fault: bool = False,
    repeat: bool = False,
    feeling: str = "",
    expectation: str = "",
    **overrides: Any,
) -> Case:
    case = make_case(expectation=expectation, **overrides)
    Case.objects.filter(pk=case.pk).update(
        loss_kind=loss_kind,
        loss_amount=Decimal(loss_amount) if loss_amount is not None else None,
        loss_currency="USD" if loss_amount is not None else "",
        severity=severity,
        business_at_fault=business_at_fault,
        is_repeat_failure=repeat,
        feeling=feeling,
    )
    case.refresh_from_db()
    return case


def set_role_authority(
    role: Role,
    *,
    per_case: str = "50.00",
    per_day: str = "300.00",
    per_month: str = "2500.00",
    kinds: list[str] | None = None,
    currency: str = "USD",
) -> RoleAuthority:
    policy, _ = RoleAuthority.objects.update_or_create(
        role=role,
        defaults={
            "currency": currency,
            "cap_per_case": Decimal(per_case),
            "cap_per_day": Decimal(per_day),
            "budget_per_month": Decimal(per_month),
            "allowed_kinds": ALL_KINDS if kinds is None else kinds,
        },
    )
    return policy


def override_authority(user: Any, **fields: Any) -> EmployeeAuthority:
    row, _ = EmployeeAuthority.objects.update_or_create(user=user, defaults=fields)
    return row


def make_remedy(code: str, kind: str = RemedyKind.HANDWRITTEN_NOTE, **fields: Any) -> RemedyType:
    values: dict[str, Any] = {
        "catalog": "test",
        "code": code,
        "kind": kind,
        "name": code.replace("-", " ").capitalize(),
        "currency": "USD",
        "cost": Decimal("4.00"),
        "value": Decimal("12.00"),
        "max_per_case": None,
    }
    values.update(fields)
    for key in ("cost", "value", "cost_per_unit", "value_per_unit", "min_amount", "max_amount"):
        if isinstance(values.get(key), str):
            values[key] = Decimal(values[key])
    return RemedyType.objects.create(**values)


def variable_remedy(
    code: str, kind: str, *, cpu: str = "1", vpu: str = "1", lo: str = "1.00", hi: str = "1000.00", **fields: Any
) -> RemedyType:
    return make_remedy(
        code,
        kind,
        is_variable=True,
        cost=Decimal("0"),
        value=Decimal("0"),
        cost_per_unit=Decimal(cpu),
        value_per_unit=Decimal(vpu),
        min_amount=Decimal(lo),
        max_amount=Decimal(hi),
        **fields,
    )


def ledger_row(
    *, case: Case, user: Any, cost: str, at: Any = None, remedy: RemedyType | None = None, **extra: Any
) -> Any:
    """A ledger row written directly (for history); live grants go through remedy_grant."""
    from django.utils import timezone

    from makegood.remedies.models import Grant

    remedy = remedy or RemedyType.objects.filter(catalog="test", code="history").first() or make_remedy("history")
    values: dict[str, Any] = {
        "case": case,
        "remedy_type": remedy,
        "kind": remedy.kind,
        "name": remedy.name,
        "cost": Decimal(cost),
        "value": Decimal(cost),
        "currency": "USD",
        "granted_by": user,
        "charged_to": user,
        "granted_at": at or timezone.now(),
    }
    values.update(extra)
    return Grant.objects.create(**values)


def offer_make(
    *,
    case: Case,
    user: Any,
    demand_kind: str = "refund_full",
    demand_amount: str | None = None,
    minimum_value: str | None = None,
) -> Any:
    """An offer, made the one way there is: a demand beyond the employee's authority
    (`demand_answer`), by default a full refund."""
    from makegood.remedies.demands import demand_answer

    answer = demand_answer(
        case=case, user=user, demand_kind=demand_kind, demand_amount=demand_amount, minimum_value=minimum_value
    )
    assert answer.offer is not None, "The demand fitted the authority and was granted, not offered."
    return answer.offer
