"""Reading remedies: the catalog, authority left, the three options, the extra gesture, queues."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from makegood import money as amounts
from makegood.cases.models import Case
from makegood.cases.selectors import cases_visible_to
from makegood.remedies.authority import (
    Remaining,
    Restitution,
    authority_policy,
    authority_remaining,
    case_restitution,
    money,
)
from makegood.remedies.entries import ENTRY_FIELDS, entry_from_row
from makegood.remedies.explain import explain_shortfall
from makegood.remedies.models import Authorization, Escalation, EscalationStatus, Grant, RemedyKind, RemedyType
from makegood.remedies.options import Context, Option, Ranking, best_per_kind, best_restitution, evaluate, evaluate_at
from makegood.remedies.rules import check_can_grant_on, check_currency, parse_amount
from makegood.remedies.scores import Catalog, kind_bonuses
from makegood.remedies.sizing import Sizing, sizing_for

ZERO = Decimal(0)

# The parsed catalog, per currency, kept while the catalog's fingerprint stays the same.
_catalog_cache: dict[str, tuple[tuple[Any, ...], Catalog]] = {}


def catalog_for(currency: str) -> Catalog:
    """The active remedies priced in `currency`, ready for ranking.

    Parsing a large catalog costs more than ranking it, so it is kept per process and re-read
    when its fingerprint (count, newest change, highest id) moves: one small aggregate query.
    Changes made with `QuerySet.update()` do not touch `updated_at`; `catalog_changed()` covers them.
    """
    with connection.cursor() as cursor:
        # Hand-written for speed, like the authority reads: this runs on every option list.
        cursor.execute(
            f"SELECT COUNT(*), MAX(updated_at), MAX(id) FROM {RemedyType._meta.db_table} "  # noqa: S608 (table names from _meta)
            "WHERE active = %s AND currency = %s",
            [True, currency],
        )
        fingerprint = tuple(cursor.fetchone())
    cached = _catalog_cache.get(currency)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    active = RemedyType.objects.filter(active=True, currency=currency)
    catalog = Catalog(entry_from_row(row) for row in active.order_by("pk").values_list(*ENTRY_FIELDS))
    _catalog_cache[currency] = (fingerprint, catalog)
    return catalog


def catalog_changed() -> None:
    """Forget the parsed catalog (after bulk edits that bypass `updated_at`)."""
    _catalog_cache.clear()


def forget_catalog(**_: Any) -> None:
    """Signal receiver: a remedy type was saved or deleted."""
    _catalog_cache.clear()


def remedy_types_active(*, currency: str | None = None) -> QuerySet[RemedyType]:
    qs = RemedyType.objects.filter(active=True)
    return qs.filter(currency=currency) if currency else qs


def authority_status(*, user: User, case: Case | None = None) -> Remaining:
    """What the employee has left (on the case when given, today and this month): for the case
    page and the queue."""
    return authority_remaining(user=user, case_id=case.pk if case is not None else None)


def granted_counts(case: Case) -> dict[int, int]:
    """How many times each remedy type was granted on the case (for `max_per_case`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT remedy_type_id, COUNT(*) FROM {Grant._meta.db_table} WHERE case_id = %s GROUP BY remedy_type_id",  # noqa: S608 (table names from _meta)
            [case.pk],
        )
        return {int(remedy_type): int(n) for remedy_type, n in cursor.fetchall()}


@dataclass(frozen=True)
class OptionSet:
    """Up to three options (exactly three whenever three kinds fit), with the reason if fewer."""

    options: list[Option]
    reason: str
    remaining: Remaining
    sizing: Sizing
    demand_kind: str = ""
    demand_amount: Decimal | None = None
    demand_fits: bool = False
    demand_option: Option | None = None
    best_per_kind: dict[str, Option] = field(default_factory=dict)
    restitution: Restitution | None = None

    @property
    def currency(self) -> str:
        return self.remaining.currency

    def as_dict(self) -> dict[str, Any]:
        return {
            "options": [o.as_dict() for o in self.options],
            "reason": self.reason,
            "currency": self.currency,
            "demand_kind": self.demand_kind,
            "demand_amount": amounts.as_text(self.demand_amount, self.currency),
            "demand_fits": self.demand_fits,
            "demand_option": self.demand_option.as_dict() if self.demand_option else None,
            "sizing": self.sizing.as_dict(),
            "authority": self.remaining.as_dict(),
            "restitution": self.restitution.as_dict() if self.restitution is not None else None,
        }


def _left_text(remaining: Remaining) -> str:
    where = {"case": "on this case", "day": "today", "month": "this month"}[remaining.binding_limit]
    return f"{money(remaining.left, remaining.currency)} left {where}"


def _context(
    *,
    case: Case,
    remaining: Remaining,
    restitution: Restitution,
    demand_kind: str,
    basis: Decimal | None,
    minimum: Decimal | None,
) -> Context:
    sizing = sizing_for(
        currency=remaining.currency,
        loss=basis,
        severe=case.severity == "severe",
        at_fault=case.business_at_fault,
        repeat=case.is_repeat_failure,
        minimum=minimum,
        restored=restitution.restored if restitution.loss is not None else Decimal(0),
    )
    return Context(
        currency=remaining.currency,
        channel=case.channel,
        allowed_kinds=remaining.policy.allowed_kinds,
        max_cost=remaining.left,
        loss_kind=case.loss_kind,
        sizing=sizing,
        granted_counts=granted_counts(case),
        bonuses=kind_bonuses(
            expectation=case.expectation,
            feeling=case.feeling or case.detected_feeling,
            demand_kind=demand_kind,
        ),
        restitution_left=restitution.left,
    )


def _demand_option(catalog: Catalog, ctx: Context, *, demand_kind: str, demand_amount: Decimal | None) -> Option | None:
    """The demand itself, if the employee may grant it now: the remedy that makes it charging the
    caps least (restitution matching the loss charges them nothing), then the cheapest.

    An amount without a kind is read as money back: a refund, or a wrong charge reversed.
    """
    if not demand_kind and demand_amount is None:
        return None
    kinds = (
        [demand_kind] if demand_kind else [RemedyKind.REFUND_PARTIAL, RemedyKind.REFUND_FULL, RemedyKind.REVERSE_CHARGE]
    )
    best: tuple[tuple[Decimal, Decimal, float, int], Option] | None = None
    for kind in kinds:
        for entry in catalog.by_kind.get(kind, []):
            if entry.is_variable and demand_amount is None:
                continue
            result = evaluate_at(entry, ctx, demand_amount)
            if isinstance(result, Option):
                # Charged to the caps, then cost, then the better fit (a reversed duplicate charge
                # before a refund of the order for "charged twice"), then the older remedy.
                key = (ZERO if result.restores else result.cost, result.cost, -result.score, entry.id)
                if best is None or key < best[0]:
                    best = (key, result)
    return best[1] if best is not None else None


def options_for_demand(
    *,
    case: Case,
    user: User,
    demand_kind: str | None = None,
    demand_amount: Decimal | str | int | None = None,
    minimum_value: Decimal | str | int | None = None,
    currency: str | None = None,
) -> OptionSet:
    """Three alternatives the employee can grant right now, of different kinds, best first.

    `demand_kind`/`demand_amount`: what the customer asks for (either or both); `minimum_value`:
    the least they said they would accept (every option is worth at least that to them).
    When fewer than three kinds fit, returns what fits and says why in `reason`.
    """
    demand_kind = demand_kind or ""
    if demand_kind not in ("", *RemedyKind.values):
        raise ValidationError({"demand_kind": [f"Unknown remedy kind {str(demand_kind)[:40]!r}."]})
    policy = authority_policy(user)
    amount = parse_amount(demand_amount, currency=policy.currency, field="demand_amount")
    minimum = parse_amount(minimum_value, currency=policy.currency, field="minimum_value")
    check_can_grant_on(user, case)
    check_currency(currency, policy.currency)
    remaining = authority_remaining(user=user, case_id=case.pk, policy=policy)
    catalog = catalog_for(policy.currency)
    restitution = case_restitution(case, remaining)
    basis = restitution.loss or amount
    ctx = _context(
        case=case,
        remaining=remaining,
        restitution=restitution,
        demand_kind=demand_kind,
        basis=basis,
        minimum=minimum,
    )
    ranking: Ranking = best_per_kind(catalog, ctx)
    demand_option = _demand_option(catalog, ctx, demand_kind=demand_kind, demand_amount=amount)
    return OptionSet(
        options=ranking.options,
        reason=explain_shortfall(ranking, ctx, left_text=_left_text(remaining)),
        remaining=remaining,
        sizing=ctx.sizing,
        demand_kind=demand_kind,
        demand_amount=amount,
        demand_fits=demand_option is not None,
        demand_option=demand_option,
        best_per_kind=ranking.best_per_kind,
        restitution=restitution,
    )


def restitution_suggest(*, case: Case, user: User, remaining: Remaining | None = None) -> Option | None:
    """ "Put it right first": the restitution that best restores what is left of the case's loss,
    grantable by this employee now without touching their caps; None when the loss is restored,
    has no amount, or no restitution in the catalog fits it."""
    check_can_grant_on(user, case)
    remaining = remaining or authority_remaining(user=user, case_id=case.pk)
    restitution = case_restitution(case, remaining)
    if restitution.left <= 0:
        return None
    catalog = catalog_for(remaining.currency)
    ctx = _context(
        case=case, remaining=remaining, restitution=restitution, demand_kind="", basis=restitution.loss, minimum=None
    )
    return best_restitution(catalog.entries, ctx, catalog)


def extra_gesture_suggest(*, case: Case, user: User, remaining: Remaining | None = None) -> Option | None:
    """ "Restore, then add something": the one remedy within the remaining authority with the
    highest value to the customer per unit of cost, of a kind not yet granted on this case.

    Ties go to the immediate, effortless and cheaper one. A variable remedy is suggested at its
    smallest amount: an extra is a gesture, not a second settlement. It is compensation: a
    restitution remedy is never suggested as an extra. None if nothing fits.
    """
    check_can_grant_on(user, case)
    remaining = remaining or authority_remaining(user=user, case_id=case.pk)
    catalog = catalog_for(remaining.currency)
    granted_kinds = set(Grant.objects.filter(case=case).values_list("kind", flat=True).distinct())
    sizing = Sizing(loss=None, factor=Decimal("1.00"), target=None, cap=None, minimum=None)
    ctx = Context(
        currency=remaining.currency,
        channel=case.channel,
        allowed_kinds=remaining.policy.allowed_kinds - granted_kinds,
        max_cost=remaining.left,
        loss_kind=case.loss_kind,
        sizing=sizing,
        granted_counts=granted_counts(case),
    )
    best: tuple[tuple[Any, ...], Option] | None = None
    for entry in catalog.entries:
        if entry.kind not in ctx.allowed_kinds:
            continue
        result = evaluate(entry, ctx, catalog)
        if isinstance(result, str) or (result.cost <= 0 and result.value <= 0):
            continue
        key = (-entry.ratio, not entry.immediate, entry.effort != "none", result.cost, entry.id)
        if best is None or key < best[0]:
            best = (key, result)
    return best[1] if best is not None else None


def escalations_pending_for(*, manager: User | AnonymousUser) -> QuerySet[Escalation]:
    """The approvals queue: pending escalations on cases the manager can see, oldest first."""
    if not manager.is_authenticated or not manager.has_perm("remedies.decide_escalation"):
        return Escalation.objects.none()
    return (
        Escalation.objects.filter(status=EscalationStatus.PENDING, case__in=cases_visible_to(manager))
        .exclude(raised_by=manager)
        .select_related("case", "case__customer", "raised_by")
        .order_by("raised_at", "pk")
    )


def authorizations_usable(*, user: User, case: Case) -> QuerySet[Authorization]:
    """Approvals waiting for this employee to deliver on this case."""
    return Authorization.objects.filter(
        employee=user, case=case, used_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("approved_by", "remedy_type")


def grants_for_case(*, case: Case) -> QuerySet[Grant]:
    """The case's grants, oldest first, with everything the panel and the API show of them."""
    return Grant.objects.filter(case=case).select_related(
        "case", "granted_by", "charged_to", "authorized_by", "remedy_type"
    )


def remedy_cost_by(*, cases: QuerySet[Case], key: str) -> dict[tuple[Any, str], Decimal]:
    """What the remedies granted on `cases` cost, summed in the database per `key` (a lookup path
    from the case, such as `root_cause__cause`) and currency: for reports of other stages, which
    never read the ledger themselves."""
    rows = (
        Grant.objects.filter(case__in=cases).values(f"case__{key}", "currency").annotate(total=Sum("cost")).order_by()
    )
    return {(row[f"case__{key}"], row["currency"]): row["total"] for row in rows}


def waiting_on_a_manager(user: User | AnonymousUser, now: datetime) -> Q:
    """The queue's view of cases whose escalation a manager has not decided yet."""
    return Q(Exists(Escalation.objects.filter(case=OuterRef("pk"), status=EscalationStatus.PENDING)))
