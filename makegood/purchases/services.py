"""Recording customers' transactions: one write path for the API, the CSV import and the demo.

`transactions_record` is idempotent by `external_id`: a transaction already recorded (or twice in
one batch) is counted as "already there" and nothing changes. The customer is matched on e-mail,
then phone, as intake matches complainants, and created when unknown (a customer who never
complained is the comparison the insights need).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from makegood import money
from makegood.cases.customers import customer_create_or_match, normalize_email, normalize_phone
from makegood.cases.models import Customer
from makegood.purchases.models import MAX_EXTERNAL_ID, Kind, Purchase

FIELDS = (
    "external_id",
    "purchased_at",
    "amount",
    "currency",
    "kind",
    "customer_email",
    "customer_phone",
    "customer_name",
)
REQUIRED = ("external_id", "purchased_at")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%m/%d/%Y")
MAX_BATCH = 1000


class Rejected(Exception):
    """A row that cannot be recorded, with the reason shown to whoever sent it."""


@dataclass(frozen=True)
class Transaction:
    external_id: str
    purchased_at: datetime
    amount: Decimal
    currency: str
    kind: str
    customer_email: str
    customer_phone: str
    customer_name: str


@dataclass
class RecordReport:
    created: int = 0
    already_there: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@functools.cache
def _tz() -> object:
    return timezone.get_current_timezone()


def parse_when(raw: str, date_format: str = "") -> datetime:
    raw = raw.strip()
    parsed = None
    if date_format:
        try:
            parsed = datetime.strptime(raw, date_format)  # noqa: DTZ007 - made aware just below
        except ValueError:
            parsed = None
    else:
        try:
            parsed = parse_datetime(raw)
        except ValueError:
            parsed = None
        for fmt in DATE_FORMATS:
            if parsed is not None:
                break
            try:
                parsed = datetime.strptime(raw, fmt)  # noqa: DTZ007 - made aware just below
            except ValueError:
                continue
    if parsed is None:
        raise Rejected(f"Unreadable date {raw[:40]!r}.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed.year < 2000 or parsed > timezone.now() + timedelta(days=1):
        raise Rejected(f"The date {raw[:40]!r} is before 2000 or in the future.")
    return parsed


def transaction_clean(values: Mapping[str, object], *, date_format: str = "") -> Transaction:
    """One transaction from a row's values (strings from a CSV, or the API's typed fields)."""

    def text(name: str) -> str:
        value = values.get(name)
        return "" if value is None else str(value).strip()

    external_id = text("external_id")
    if not external_id:
        raise Rejected("No external_id.")
    if len(external_id) > MAX_EXTERNAL_ID:
        raise Rejected(f"external_id is longer than {MAX_EXTERNAL_ID} characters.")
    when = values.get("purchased_at")
    if isinstance(when, datetime):
        purchased_at = when if timezone.is_aware(when) else timezone.make_aware(when)
        if purchased_at > timezone.now() + timedelta(days=1) or purchased_at.year < 2000:
            raise Rejected("purchased_at is before 2000 or in the future.")
    else:
        purchased_at = parse_when(text("purchased_at"), date_format)
    currency = (text("currency") or settings.DEFAULT_CURRENCY).upper()
    if not money.is_currency(currency):
        raise Rejected(f"Unknown currency {currency[:10]!r}.")
    raw_amount = text("amount").replace(",", "") or "0"
    try:
        amount = Decimal(raw_amount)
    except InvalidOperation:
        raise Rejected(f"Unreadable amount {raw_amount[:20]!r}.") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** money.MAX_WHOLE_DIGITS:
        raise Rejected(f"The amount {raw_amount[:20]!r} must be zero or more.")
    try:
        amount = money.quantize(amount, currency)
    except (ValueError, InvalidOperation):
        raise Rejected(f"The amount {raw_amount[:20]!r} has too many decimals for {currency}.") from None
    kind = text("kind").lower() or Kind.PURCHASE
    if kind not in Kind.values:
        raise Rejected(f"Unknown kind {kind[:20]!r}: purchase or visit.")
    try:
        email = normalize_email(text("customer_email"))
        phone = normalize_phone(text("customer_phone"))
    except ValidationError as exc:
        raise Rejected(" ".join(exc.messages)) from None
    if not email and not phone:
        raise Rejected("No customer e-mail address or phone number.")
    return Transaction(external_id, purchased_at, amount, currency, kind, email, phone, text("customer_name")[:200])


def _customers(rows: list[Transaction]) -> list[int]:
    emails = {r.customer_email for r in rows if r.customer_email}
    phones = {r.customer_phone for r in rows if r.customer_phone}
    by_email = dict(Customer.objects.filter(email__in=emails).values_list("email", "pk")) if emails else {}
    by_phone = dict(Customer.objects.filter(phone__in=phones).values_list("phone", "pk")) if phones else {}
    chosen = []
    for row in rows:
        pk = by_email.get(row.customer_email) if row.customer_email else None
        pk = pk or (by_phone.get(row.customer_phone) if row.customer_phone else None)
        if pk is None:
            customer = customer_create_or_match(
                name=row.customer_name, email=row.customer_email, phone=row.customer_phone
            )
            pk = customer.pk
            if row.customer_email:
                by_email[row.customer_email] = pk
            if row.customer_phone:
                by_phone[row.customer_phone] = pk
        chosen.append(pk)
    return chosen


@transaction.atomic
def transactions_record(rows: Iterable[Transaction]) -> RecordReport:
    """Record checked transactions (at most MAX_BATCH); the ones already recorded are skipped."""
    rows = list(rows)
    if len(rows) > MAX_BATCH:
        raise ValidationError({"transactions": [f"At most {MAX_BATCH} transactions at once."]})
    report = RecordReport()
    known = set(
        Purchase.objects.filter(external_id__in=[r.external_id for r in rows]).values_list("external_id", flat=True)
    )
    fresh: dict[str, Transaction] = {}
    for row in rows:
        if row.external_id in known or row.external_id in fresh:
            report.already_there += 1
        else:
            fresh[row.external_id] = row
    new_rows = list(fresh.values())
    customers = _customers(new_rows)
    Purchase.objects.bulk_create(
        [
            Purchase(
                customer_id=customer_id,
                external_id=row.external_id,
                purchased_at=row.purchased_at,
                kind=row.kind,
                amount=row.amount,
                currency=row.currency,
            )
            for row, customer_id in zip(new_rows, customers, strict=True)
        ],
        ignore_conflicts=True,  # a concurrent sender of the same ids: theirs stands
    )
    report.created = len(new_rows)
    return report
