"""Normalising contact details, and finding the customer they belong to."""

from __future__ import annotations

from datetime import datetime

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction

from makegood.cases.models import Case, Customer
from makegood.rows import row_insert_unless_taken


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    if email:
        validate_email(email)
    return email


def normalize_phone(raw: str) -> str:
    """E.164 form (`+15551234567`); raises ValidationError for something that is not a number."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Enter a valid phone number.", code="invalid_phone") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError("Enter a valid phone number.", code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def customer_match_or_create(*, name: str, email: str, phone: str) -> Customer:
    """The customer with this e-mail, else this phone, else a new one.

    Contact details are expected normalised. A concurrent intake may create the same customer
    between our look-up and insert; the unique constraints catch that and we take theirs.
    """
    if not email and not phone:
        raise ValidationError("A customer needs an e-mail address or a phone number.", code="no_contact")
    for _attempt in range(2):
        customer = None
        # The exclude()s repeat the unique indexes' conditions (blank contacts are not indexed):
        # without them SQLite cannot use those partial indexes and reads every customer.
        if email:
            customer = Customer.objects.filter(email=email).exclude(email="").first()
        if customer is None and phone:
            customer = Customer.objects.filter(phone=phone).exclude(phone="").first()
        if customer is not None:
            customer_learn_details(customer, name=name, email=email, phone=phone)
            return customer
        try:
            with transaction.atomic():
                return Customer.objects.create(name=name, email=email, phone=phone)
        except IntegrityError:
            continue
    raise ValidationError("Could not record the customer; please try again.", code="customer_conflict")


def customer_find(
    *, email: str, phone: str, recent_case_since: datetime, recent_case_until: datetime
) -> tuple[Customer | None, bool]:
    """The customer with this e-mail, else this phone, and whether they had a case in the window.

    Read before intake's write transaction, in one statement. It is written in SQL because it runs
    on every complaint and the ORM takes 0.7 ms of CPU to build it (the query itself: 0.02 ms).
    Contact details are expected normalised.
    """
    # Each branch repeats its unique index's condition word for word (blank contacts are not
    # indexed): SQLite uses a partial index only then, else it reads every customer.
    branches, params = [], []
    if email:
        branches.append("(c.email = %s AND NOT (c.email = ''))")
        params.append(email)
    if phone:
        branches.append("(c.phone = %s AND NOT (c.phone = ''))")
        params.append(phone)
    if not branches:
        return None, False
    customer_table, case_table = Customer._meta.db_table, Case._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT c.id, c.name, c.email, c.phone, EXISTS (SELECT 1 FROM {case_table} k WHERE k.customer_id = c.id"  # noqa: S608
        f" AND k.received_at >= %s AND k.received_at <= %s) FROM {customer_table} c WHERE {' OR '.join(branches)}"
        " LIMIT 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(recent_case_since), adapt(recent_case_until), *params])
        rows = cursor.fetchall()
    # Matched on e-mail first, then on phone.
    rows.sort(key=lambda row: not (email and row[2] == email))
    if not rows:
        return None, False
    customer = Customer.from_db(connection.alias, ["id", "name", "email", "phone"], rows[0][:4])
    return customer, bool(rows[0][4])


def customer_create_or_match(*, name: str, email: str, phone: str) -> Customer:
    """A new customer, unless a concurrent intake created them since we looked: then theirs.

    The unique constraints on e-mail and phone decide (`ON CONFLICT DO NOTHING`, no savepoint):
    refused, the customer who holds the e-mail or phone is read and taken."""
    customer = Customer(name=name, email=email, phone=phone)
    if row_insert_unless_taken(customer):
        return customer
    return customer_match_or_create(name=name, email=email, phone=phone)


def customer_learn_details(customer: Customer, *, name: str, email: str, phone: str) -> None:
    """Learn a phone or e-mail we did not have, when no other customer holds it already."""
    changed: list[str] = []
    if not customer.name and name:
        customer.name = name
        changed.append("name")
    if not customer.email and email and not Customer.objects.filter(email=email).exclude(email="").exists():
        customer.email = email
        changed.append("email")
    if not customer.phone and phone and not Customer.objects.filter(phone=phone).exclude(phone="").exists():
        customer.phone = phone
        changed.append("phone")
    if changed:
        customer.save(update_fields=changed)
