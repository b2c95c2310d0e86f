"""Normalising contact details, and finding the customer they belong to."""

from __future__ import annotations

from datetime import datetime

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from makegood.cases.models import Case, Customer


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

    One statement, read before intake's write transaction. Contact details are expected normalised.
    """
    # Each branch repeats its unique index's condition (blank contacts are not indexed): without
    # it SQLite cannot use those partial indexes and reads every customer.
    match = Q(pk__in=[])
    if email:
        match |= Q(email=email) & ~Q(email="")
    if phone:
        match |= Q(phone=phone) & ~Q(phone="")
    recent = Case.objects.filter(
        customer=OuterRef("pk"), received_at__gte=recent_case_since, received_at__lte=recent_case_until
    )
    found = list(Customer.objects.filter(match).annotate(has_recent_case=Exists(recent))[:2])
    found.sort(key=lambda customer: not (email and customer.email == email))
    if not found:
        return None, False
    return found[0], found[0].has_recent_case


def customer_create_or_match(*, name: str, email: str, phone: str) -> Customer:
    """A new customer, unless a concurrent intake created them since we looked: then theirs."""
    try:
        with transaction.atomic():
            return Customer.objects.create(name=name, email=email, phone=phone)
    except IntegrityError:
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
