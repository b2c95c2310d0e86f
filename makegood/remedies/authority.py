"""Authority: how much an employee may grant on their own, and how much of it is left.

Three limits apply at once, each in the policy's currency:

- a cap per case: what one person may be charged on one case, over the case's life;
- a cap per day (the local calendar day, in settings.TIME_ZONE);
- a budget per month (the local calendar month).

A role sets the defaults (`RoleAuthority`); an employee's own row (`EmployeeAuthority`) may
override any of them. What is used comes from the ledger (`Grant.charged_to`), summed in the
database, plus what the employee has reserved by approving escalations that are not used yet.
The arithmetic below is pure, so that it can be tested exhaustively; the two functions at the
end read the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from makegood.money import as_text, is_currency, money_format, quantize
from makegood.remedies.models import Authorization, EmployeeAuthority, Grant, RemedyKind, RoleAuthority

ZERO = Decimal(0)


def money(amount: Decimal, currency: str) -> str:
    """How amounts are written for people: `$12.50`, `¥1,200`, `BHD 1.250` (`makegood.money`)."""
    return money_format(amount, currency)


@dataclass(frozen=True)
class Policy:
    currency: str
    cap_per_case: Decimal
    cap_per_day: Decimal
    budget_per_month: Decimal
    allowed_kinds: frozenset[str]
    role: str = ""


def no_authority(currency: str | None = None) -> Policy:
    return Policy(currency or settings.DEFAULT_CURRENCY, ZERO, ZERO, ZERO, frozenset())


def policy_merge(role_policy: RoleAuthority | None, override: EmployeeAuthority | None, *, role: str = "") -> Policy:
    """The role's defaults with the employee's own values where they have any."""
    if role_policy is None:
        return no_authority()
    kinds = role_policy.allowed_kinds
    if override is not None and override.allowed_kinds is not None:
        kinds = override.allowed_kinds

    def pick(field: str) -> Decimal:
        own = getattr(override, field, None) if override is not None else None
        return Decimal(own if own is not None else getattr(role_policy, field))

    return Policy(
        currency=role_policy.currency,
        cap_per_case=pick("cap_per_case"),
        cap_per_day=pick("cap_per_day"),
        budget_per_month=pick("budget_per_month"),
        allowed_kinds=frozenset(k for k in kinds if k in RemedyKind.values),
        role=role,
    )


@dataclass(frozen=True)
class Usage:
    """What has been charged (and reserved) against each limit."""

    on_case: Decimal = ZERO
    today: Decimal = ZERO
    this_month: Decimal = ZERO


@dataclass(frozen=True)
class Remaining:
    """An employee's authority left: per case (when a case is given), today, and this month."""

    policy: Policy
    usage: Usage
    for_case: bool

    @property
    def currency(self) -> str:
        return self.policy.currency

    @property
    def left_on_case(self) -> Decimal:
        """On the given case; without a case, what a fresh case would allow (the whole cap)."""
        return max(ZERO, self.policy.cap_per_case - self.usage.on_case)

    @property
    def left_today(self) -> Decimal:
        return max(ZERO, self.policy.cap_per_day - self.usage.today)

    @property
    def left_this_month(self) -> Decimal:
        return max(ZERO, self.policy.budget_per_month - self.usage.this_month)

    @property
    def left(self) -> Decimal:
        """The most a single grant may cost right now: the tightest of the three limits."""
        return min(self.left_on_case, self.left_today, self.left_this_month)

    @property
    def binding_limit(self) -> str:
        """Which limit is the tightest: `case`, `day` or `month` (ties go to the first)."""
        lefts = {"case": self.left_on_case, "day": self.left_today, "month": self.left_this_month}
        return min(lefts, key=lambda name: lefts[name])

    def allows(self, cost: Decimal) -> bool:
        return cost <= self.left

    def explain_shortfall(self, cost: Decimal) -> str:
        """Why `cost` does not fit, in the employee's words."""
        where = {
            "case": "on this case",
            "day": "today",
            "month": "this month",
        }[self.binding_limit]
        return (
            f"This costs {money(cost, self.currency)}, but your authority left {where} is "
            f"{money(self.left, self.currency)}. Offer the three options, or escalate."
        )

    def as_dict(self) -> dict[str, str | list[str] | None]:
        """For APIs and snapshots: every figure as an exact decimal string in its currency."""
        p = self.policy

        def text(amount: Decimal) -> str | None:
            return as_text(amount, p.currency)

        return {
            "currency": p.currency,
            "cap_per_case": text(p.cap_per_case),
            "cap_per_day": text(p.cap_per_day),
            "budget_per_month": text(p.budget_per_month),
            "used_on_case": text(self.usage.on_case),
            "used_today": text(self.usage.today),
            "used_this_month": text(self.usage.this_month),
            "left_on_case": text(self.left_on_case),
            "left_today": text(self.left_today),
            "left_this_month": text(self.left_this_month),
            "left": text(self.left),
            "allowed_kinds": sorted(p.allowed_kinds),
        }


def remaining_from(policy: Policy, usage: Usage, *, for_case: bool = True) -> Remaining:
    return Remaining(
        policy=policy, usage=usage if for_case else Usage(ZERO, usage.today, usage.this_month), for_case=for_case
    )


def check_within(remaining: Remaining, cost: Decimal) -> None:
    """Raise a ValidationError on `amount` when `cost` does not fit every limit."""
    if not remaining.allows(cost):
        raise ValidationError({"amount": [remaining.explain_shortfall(cost)]})


# Reading the database ------------------------------------------------------------------------


@dataclass(frozen=True)
class Periods:
    day_start: datetime
    day_end: datetime
    month_start: datetime
    month_end: datetime


def periods_at(at: datetime | None = None) -> Periods:
    """The local day and month containing `at` (default: now), as aware datetimes."""
    local = timezone.localtime(at or timezone.now())
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month_start = day_start.replace(day=1)
    # Wall-clock arithmetic (zoneinfo works out each offset), so DST days are 23 or 25 hours.
    day_end = day_start + timedelta(days=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    return Periods(day_start, day_end, month_start, month_end)


# The two reads below run on every grant and every option list, so each is one hand-written
# statement: building the equivalent ORM queries cost several times more than running them
# (bench/options.py). Both are plain SQL that SQLite and PostgreSQL run alike.

ROLE_PRECEDENCE = ("administrator", "process_owner", "manager", "frontline")


def _decimal(value: object, currency: str) -> Decimal:
    """A database number in the currency's smallest unit (SQLite hands sums back as floats: 0.1 +
    0.2 style, so they are rounded back to the cent, the yen or the fils they were made of)."""
    amount = Decimal(str(value if value is not None else 0))
    return quantize(amount, currency) if is_currency(currency) else amount


def _json_list(value: object) -> list[str] | None:
    if value is None:
        return None
    loaded = json.loads(value) if isinstance(value, str | bytes) else value
    return [str(v) for v in loaded] if isinstance(loaded, list) else []


def authority_policy(user: User) -> Policy:
    """The user's effective policy: their most senior role that has one, with their overrides."""
    role_table = RoleAuthority._meta.db_table
    own_table = EmployeeAuthority._meta.db_table
    sql = (
        "SELECT r.role, r.currency, r.cap_per_case, r.cap_per_day, r.budget_per_month, r.allowed_kinds, "  # noqa: S608 (table names from _meta)
        "e.cap_per_case, e.cap_per_day, e.budget_per_month, e.allowed_kinds "
        "FROM auth_user_groups ug "
        "JOIN auth_group g ON g.id = ug.group_id "
        f"JOIN {role_table} r ON r.role = g.name "
        f"LEFT JOIN {own_table} e ON e.user_id = ug.user_id "
        "WHERE ug.user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        rows = {row[0]: row for row in cursor.fetchall()}
    role = next((name for name in ROLE_PRECEDENCE if name in rows), None)
    if role is None:
        return no_authority()
    row = rows[role]
    currency = str(row[1])
    role_policy = RoleAuthority(
        role=role,
        currency=currency,
        cap_per_case=_decimal(row[2], currency),
        cap_per_day=_decimal(row[3], currency),
        budget_per_month=_decimal(row[4], currency),
        allowed_kinds=_json_list(row[5]) or [],
    )
    override = EmployeeAuthority(
        cap_per_case=None if row[6] is None else _decimal(row[6], currency),
        cap_per_day=None if row[7] is None else _decimal(row[7], currency),
        budget_per_month=None if row[8] is None else _decimal(row[8], currency),
        allowed_kinds=_json_list(row[9]),
    )
    return policy_merge(role_policy, override, role=role)


def authority_usage(
    *,
    user: User,
    case_id: int | None = None,
    at: datetime | None = None,
    exclude_authorization_id: int | None = None,
    currency: str | None = None,
) -> Usage:
    """What `user` has been charged (plus has reserved) on the case, today and this month, in
    `currency` (default: their policy's, which the ledger's rows charged to them are in).

    One statement of five sums, each a range scan on an index of the ledger or the
    authorizations. Reservations are the unused, unexpired authorizations the user approved as
    a manager; they count against every limit now, since the grant can come at any moment.
    """
    p = periods_at(at)
    now = at or timezone.now()
    dt = connection.ops.adapt_datetimefield_value
    grants = Grant._meta.db_table
    approvals = Authorization._meta.db_table
    open_approvals = f"FROM {approvals} WHERE approved_by_id = %s AND used_at IS NULL AND expires_at > %s AND id <> %s"
    sql = (
        f"SELECT (SELECT SUM(cost) FROM {grants} WHERE charged_to_id = %s AND granted_at >= %s AND granted_at < %s), "  # noqa: S608 (table names from _meta)
        f"(SELECT SUM(cost) FROM {grants} WHERE charged_to_id = %s AND granted_at >= %s AND granted_at < %s), "
        f"(SELECT SUM(cost) FROM {grants} WHERE charged_to_id = %s AND case_id = %s), "
        f"(SELECT SUM(max_cost) {open_approvals}), "
        f"(SELECT SUM(max_cost) {open_approvals} AND case_id = %s)"
    )
    case = case_id if case_id is not None else -1
    excluded = exclude_authorization_id if exclude_authorization_id is not None else -1
    params = [
        *(user.pk, dt(p.month_start), dt(p.month_end)),
        *(user.pk, dt(p.day_start), dt(p.day_end)),
        *(user.pk, case),
        *(user.pk, dt(now), excluded),
        *(user.pk, dt(now), excluded, case),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        sums = cursor.fetchone()
    currency = currency if currency is not None else authority_policy(user).currency
    month, day, on_case, reserved, reserved_case = (_decimal(v, currency) for v in sums)
    return Usage(on_case=on_case + reserved_case, today=day + reserved, this_month=month + reserved)


def authority_remaining(
    *,
    user: User,
    case_id: int | None = None,
    at: datetime | None = None,
    exclude_authorization_id: int | None = None,
    policy: Policy | None = None,
) -> Remaining:
    """An employee's remaining authority (on `case_id` if given, today, this month)."""
    policy = policy or authority_policy(user)
    usage = authority_usage(
        user=user, case_id=case_id, at=at, exclude_authorization_id=exclude_authorization_id, currency=policy.currency
    )
    return remaining_from(policy, usage, for_case=case_id is not None)
