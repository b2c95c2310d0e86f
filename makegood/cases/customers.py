"""Normalising contact details, and finding the customer they belong to."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from makegood.cases.models import Customer


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
            _fill_missing_details(customer, name=name, email=email, phone=phone)
            return customer
        try:
            with transaction.atomic():
                return Customer.objects.create(name=name, email=email, phone=phone)
        except IntegrityError:
            continue
    raise ValidationError("Could not record the customer; please try again.", code="customer_conflict")


def _fill_missing_details(customer: Customer, *, name: str, email: str, phone: str) -> None:
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
