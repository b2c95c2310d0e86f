"""Granting remedies: one write path, `remedy_grant`, for screens, the API and offers alike.

Every function here is atomic; e-mails and the payment webhook go out after commit, through the
outbox, as `OutboundEvent` messages written in the same transaction.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from makegood import money as amounts
from makegood.cases.audit import audit_record
from makegood.cases.models import Case, CaseEvent
from makegood.cases.services import CaseActionError
from makegood.cases.timeline import case_event_add, case_lock
from makegood.outbox import outbox_send_on_commit
from makegood.remedies import payments, tasks
from makegood.remedies.authority import Remaining, authority_remaining, case_restitution, money
from makegood.remedies.entries import cost_and_value
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import Authorization as AuthorizationModel
from makegood.remedies.models import (
    EmployeeAuthority,
    Grant,
    Offer,
    OutboundEvent,
    OutboundKind,
    PaymentRoute,
    Purpose,
    RemedyType,
)
from makegood.remedies.research import RESTITUTION_FIT
from makegood.remedies.rules import check_can_grant_on, check_currency, clean_text, parse_amount

# Codes customers read aloud or type: no 0/O, 1/I/L. 31**12 (about 8 x 10**17) possible codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4
MAX_KEY = 100
MAX_ORDER_REFERENCE = 100
MAX_NOTE = 5_000


def code_generate() -> str:
    """A random redemption code such as `7K3P-Q9XD-M2VA` (cryptographically random)."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS))
    return "-".join(groups)


def _unique_code() -> str:
    # The unique constraint is the guarantee; checking first makes a collision retry, not a failure.
    for _ in range(10):
        code = code_generate()
        if not Grant.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Could not find a free redemption code.")  # pragma: no cover


def authority_lock(user_id: int) -> None:
    """Serialize grants charged to one person: lock their EmployeeAuthority row (created if missing).

    On PostgreSQL this is `SELECT … FOR UPDATE`: a second grant waits until the first commits and
    then sees it in the ledger. SQLite has no row locks, but its IMMEDIATE transactions (see
    settings) take the database's write lock at BEGIN, which serializes all writers anyway.
    """
    if not EmployeeAuthority.objects.select_for_update().filter(user_id=user_id).exists():
        EmployeeAuthority.objects.bulk_create([EmployeeAuthority(user_id=user_id)], ignore_conflicts=True)
        EmployeeAuthority.objects.select_for_update().filter(user_id=user_id).exists()


def timeline_add(
    case: Case, *, kind: RemedyEventKind, actor: User, body: str, data: dict[str, Any], at: datetime
) -> CaseEvent:
    """A remedies line on the case's timeline, of one of remedies' own kinds."""
    return case_event_add(case, kind=kind, at=at, actor=actor, body=body, data=data)


def _describe(grant: Grant) -> str:
    what = grant.name
    if grant.amount is not None:
        what += f" of {money(grant.amount, grant.currency)}"
    return what


def _same_request(grant: Grant, *, case: Case, remedy_type: RemedyType, amount: Decimal | None) -> bool:
    return grant.case_id == case.pk and grant.remedy_type_id == remedy_type.pk and grant.amount == amount


def _replay(*, user: User, key: str, case: Case, remedy_type: RemedyType, amount: Decimal | None) -> Grant | None:
    if not key:
        return None
    earlier = Grant.objects.filter(granted_by=user, idempotency_key=key).first()
    if earlier is None:
        return None
    if not _same_request(earlier, case=case, remedy_type=remedy_type, amount=amount):
        raise ValidationError({"idempotency_key": ["This key was already used for a different grant."]})
    earlier.replayed = True
    return earlier


def _check_authorization(
    authorization: AuthorizationModel,
    *,
    case: Case,
    user: User,
    remedy_type: RemedyType,
    amount: Decimal | None,
    cost: Decimal,
    now: datetime,
) -> None:
    if authorization.case_id != case.pk or authorization.employee_id != user.pk:
        raise CaseActionError("This approval was given for another case or another employee.")
    if authorization.used_at is not None:
        raise CaseActionError("This approval was already used.")
    if authorization.expires_at <= now:
        raise CaseActionError("This approval has expired; escalate again.")
    if authorization.remedy_type_id is not None and authorization.remedy_type_id != remedy_type.pk:
        raise ValidationError({"remedy_type": [f"The manager approved {authorization.remedy_type}, not this remedy."]})
    if authorization.remedy_kind and authorization.remedy_kind != remedy_type.kind:
        raise ValidationError({"remedy_type": [f"The manager approved a {authorization.get_remedy_kind_display()}."]})
    if authorization.max_amount is not None and amount is not None and amount > authorization.max_amount:
        limit = money(authorization.max_amount, authorization.currency)
        raise ValidationError({"amount": [f"The manager approved up to {limit}."]})
    if cost > authorization.max_cost:
        limit = money(authorization.max_cost, authorization.currency)
        raise ValidationError({"amount": [f"This costs more than the {limit} the manager approved."]})


def _validate_remedy(remedy_type: RemedyType, *, case: Case, amount: Decimal | None, order_reference: str) -> None:
    if not remedy_type.active:
        raise ValidationError({"remedy_type": [f"{remedy_type.name} is no longer offered."]})
    if not remedy_type.allows_channel(case.channel):
        raise ValidationError(
            {"remedy_type": [f"{remedy_type.name} cannot be given on {case.get_channel_display().lower()} cases."]}
        )
    if remedy_type.is_variable:
        if amount is None:
            raise ValidationError({"amount": [f"Say how much: {remedy_type.name} needs an amount."]})
        lo, hi = remedy_type.min_amount, remedy_type.max_amount
        if lo is not None and hi is not None and not lo <= amount <= hi:
            span = f"{money(lo, remedy_type.currency)} and {money(hi, remedy_type.currency)}"
            raise ValidationError({"amount": [f"{remedy_type.name} must be between {span}."]})
    elif amount is not None:
        raise ValidationError({"amount": [f"{remedy_type.name} has a fixed value; leave the amount empty."]})
    if remedy_type.needs_order_reference and not order_reference:
        raise ValidationError({"order_reference": [f"{remedy_type.name} needs the order reference."]})


def restitution_matches(remedy_type: RemedyType, case: Case) -> bool:
    """A restitution remedy that puts this case's kind of loss right (the remedy's own
    `loss_kinds`, else `research.RESTITUTION_FIT`); the same rule as `scores.restitution_fits`."""
    if remedy_type.purpose != Purpose.RESTITUTION or not case.loss_kind:
        return False
    if remedy_type.loss_kinds:
        return case.loss_kind in remedy_type.loss_kinds
    return remedy_type.kind in RESTITUTION_FIT.get(case.loss_kind, frozenset())


def _purpose(remedy_type: RemedyType, *, case: Case, value: Decimal, remaining: Remaining) -> str:
    """Restitution when the remedy puts this loss right within what is left to restore; else the
    grant is compensation and must fit the caps."""
    if not restitution_matches(remedy_type, case):
        return Purpose.COMPENSATION
    restitution = case_restitution(case, remaining)
    return Purpose.RESTITUTION if restitution.allows(value) else Purpose.COMPENSATION


def _check_compensation(remaining: Remaining, cost: Decimal, *, remedy_type: RemedyType, case: Case) -> None:
    """Compensation fits the caps; a restitution remedy that was refused as restitution says why."""
    if remaining.allows(cost):
        return
    message = remaining.explain_shortfall(cost)
    if restitution_matches(remedy_type, case):
        restitution = case_restitution(case, remaining)
        if restitution.loss is None:
            why = "Record the loss's amount on the case to grant this as restitution, outside your caps"
        else:
            left = money(restitution.left, restitution.currency)
            why = f"This restores more than the {left} of the loss left to put right, so it counts as compensation"
        message = f"{why}. {message}"
    raise ValidationError({"amount": [message]})


def _check_max_per_case(remedy_type: RemedyType, case: Case) -> None:
    if remedy_type.max_per_case is not None:
        given = Grant.objects.filter(case=case, remedy_type=remedy_type).count()
        if given >= remedy_type.max_per_case:
            raise CaseActionError(f"{remedy_type.name} was already granted on this case as often as allowed.")


def remedy_grant(
    *,
    case: Case,
    user: User,
    remedy_type: RemedyType,
    amount: Decimal | str | int | None = None,
    currency: str | None = None,
    idempotency_key: str | None = None,
    authorization: AuthorizationModel | None = None,
    order_reference: str = "",
    offer: Offer | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Grant:
    """Grant a remedy at once if it fits the employee's remaining authority (or a manager's approval).

    Writes the ledger row, a timeline event and an audit entry, and queues delivery (the code by
    e-mail, a refund to the payment system) for after commit. A replayed `idempotency_key`
    returns the earlier grant (with `replayed` set) and writes nothing. Raises ValidationError
    (bad amount, currency, remedy, beyond authority) or CaseActionError (not allowed on this case);
    either way the ledger is untouched.
    """
    parsed = parse_amount(amount, currency=remedy_type.currency)
    key = clean_text(idempotency_key, "idempotency_key", MAX_KEY)
    order_reference = clean_text(order_reference, "order_reference", MAX_ORDER_REFERENCE) or case.external_id
    note = clean_text(note, "note", MAX_NOTE)
    check_currency(currency, remedy_type.currency)
    try:
        return _grant(
            case=case,
            user=user,
            remedy_type=remedy_type,
            amount=parsed,
            key=key,
            authorization=authorization,
            order_reference=order_reference,
            offer=offer,
            note=note,
            at=at,
        )
    except IntegrityError:
        # Two requests with one key raced past the check (only possible without the lock):
        # the unique constraint kept one; this one answers with it.
        replay = _replay(user=user, key=key, case=case, remedy_type=remedy_type, amount=parsed)
        if replay is None:
            raise
        return replay


@transaction.atomic
def _grant(
    *,
    case: Case,
    user: User,
    remedy_type: RemedyType,
    amount: Decimal | None,
    key: str,
    authorization: AuthorizationModel | None,
    order_reference: str,
    offer: Offer | None,
    note: str,
    at: datetime | None,
) -> Grant:
    charged_to_id = authorization.approved_by_id if authorization is not None else user.pk
    authority_lock(charged_to_id)
    case = case_lock(case)
    replay = _replay(user=user, key=key, case=case, remedy_type=remedy_type, amount=amount)
    if replay is not None:
        return replay
    check_can_grant_on(user, case)
    remedy_type = RemedyType.objects.get(pk=remedy_type.pk)  # the catalog as it is now
    _validate_remedy(remedy_type, case=case, amount=amount, order_reference=order_reference)
    if offer is not None and offer.case_id != case.pk:
        raise CaseActionError("That offer was made on another case.")
    now = at or timezone.now()
    cost, value = cost_and_value(remedy_type, amount)
    if authorization is not None:
        authorization = AuthorizationModel.objects.select_for_update().get(pk=authorization.pk)
        _check_authorization(
            authorization, case=case, user=user, remedy_type=remedy_type, amount=amount, cost=cost, now=now
        )
        charged_to = authorization.approved_by
        remaining = authority_remaining(
            user=charged_to, case_id=case.pk, at=now, exclude_authorization_id=authorization.pk
        )
    else:
        charged_to = user
        remaining = authority_remaining(user=user, case_id=case.pk, at=now)
        if remedy_type.kind not in remaining.policy.allowed_kinds:
            raise ValidationError(
                {"remedy_type": [f"Your role may not grant a {remedy_type.get_kind_display().lower()}; escalate."]}
            )
    _check_max_per_case(remedy_type, case)
    if remedy_type.currency != remaining.currency:
        raise ValidationError({"currency": [f"Authority is in {remaining.currency}; this remedy is not."]})
    # A manager's approval is spent on compensation; restitution matching the loss needs none.
    purpose: str = Purpose.COMPENSATION
    if authorization is None:
        purpose = _purpose(remedy_type, case=case, value=value, remaining=remaining)
    if purpose == Purpose.COMPENSATION:
        _check_compensation(remaining, cost, remedy_type=remedy_type, case=case)

    grant = Grant.objects.create(
        case=case,
        remedy_type=remedy_type,
        kind=remedy_type.kind,
        purpose=purpose,
        name=remedy_type.name,
        amount=amount,
        cost=cost,
        value=value,
        currency=remedy_type.currency,
        granted_by=user,
        charged_to=charged_to,
        authorized_by=authorization.approved_by if authorization is not None else None,
        authorization=authorization,
        offer=offer,
        granted_at=now,
        code=_unique_code() if remedy_type.issues_code else "",
        order_reference=order_reference,
        idempotency_key=key,
        note=note,
    )
    if authorization is not None:
        authorization.used_at = now
        authorization.save(update_fields=["used_at"])
    body = f"Granted {_describe(grant)}"
    if grant.purpose == Purpose.RESTITUTION:
        body += " to put right what failed (restitution, outside the caps)"
    if grant.authorized_by is not None:
        body += f", approved by {grant.authorized_by.get_full_name() or grant.authorized_by}"
    if grant.code:
        body += f". Code {grant.code}"
    timeline_add(
        case,
        kind=RemedyEventKind.GRANTED,
        actor=user,
        at=now,
        body=body + ".",
        data={
            "grant_id": grant.pk,
            "kind": grant.kind,
            "purpose": grant.purpose,
            "amount": amounts.as_text(grant.amount, grant.currency),
            "cost": amounts.as_text(grant.cost, grant.currency),
            "value": amounts.as_text(grant.value, grant.currency),
            "currency": grant.currency,
            "code": grant.code,
            "authorized_by": grant.authorized_by_id,
        },
    )
    audit_record(
        actor=user,
        action="remedy.granted",
        obj=grant,
        at=now,
        changes={
            "case": case.pk,
            "remedy_type": remedy_type.pk,
            "purpose": purpose,
            "cost": amounts.as_text(cost, grant.currency),
            "currency": grant.currency,
            "charged_to": charged_to.pk,
            "authorization": authorization.pk if authorization is not None else None,
        },
    )
    _queue_delivery(grant, case=case, now=now)
    return grant


def _queue_delivery(grant: Grant, *, case: Case, now: datetime) -> None:
    events = []
    if case.customer.email:
        events.append(
            OutboundEvent(
                grant=grant,
                purpose=tasks.EMAIL_PURPOSE,
                target=case.customer.email,
                key=f"grant:{grant.pk}:email",
                kind=OutboundKind.EMAIL,
                topic="remedy.granted",
                payload={"to": case.customer.email},
                created_at=now,
            )
        )
    payment = payments.payment_open(grant=grant, case=case, at=now) if payments.pays_money(grant.kind) else None
    # Without a payment system the payment is a person's task (`payments.payment_open`): nothing
    # is announced that nobody would collect.
    if payment is not None and payment.route == PaymentRoute.PAYMENT_SYSTEM:
        events.append(
            OutboundEvent(
                grant=grant,
                purpose=tasks.PAYMENT_PURPOSE,
                target="the payment system",
                key=f"grant:{grant.pk}:refund",
                kind=OutboundKind.PAYMENT_WEBHOOK,
                topic="refund.granted",
                payload=tasks.refund_payload(grant, case=case, payment=payment),
                created_at=now,
            )
        )
    for event in events:
        event.save()
        outbox_send_on_commit(event)
