"""Checks shared by the remedy services and selectors: amounts, currencies and who may act."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from makegood import money
from makegood.accounts.roles import team_id_of
from makegood.cases.models import Case
from makegood.cases.services import CaseActionError

# The money columns hold ten digits before the point.
MAX_AMOUNT = Decimal(10) ** money.MAX_WHOLE_DIGITS
# How an amount is written (the API schema's pattern too): ASCII digits and a decimal point; how
# many decimals the currency allows is money.check_places' business.
_PLAIN_AMOUNT = re.compile(rf"[0-9]+(\.[0-9]{{1,{money.MAX_PLACES}}})?")


def parse_amount(value: object, *, currency: str, field: str = "amount", allow_none: bool = True) -> Decimal | None:
    """A positive amount of `currency` with no more decimals than it has (none for JPY, two for
    USD, three for BHD), from a Decimal, an int or a string; returned with exactly those decimals.

    Floats are refused: money is never binary floating point (0.1 + 0.2 is not 0.3).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValidationError({field: ["Enter an amount."]})
    if isinstance(value, bool | float):
        raise ValidationError({field: ["Give the amount as an exact decimal such as 12.50, not a float."]})
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | str):
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError({field: [f"{str(value)[:40]!r} is not an amount of money."]}) from None
    else:
        raise ValidationError({field: ["Enter an amount of money such as 12.50."]})
    if not amount.is_finite():
        raise ValidationError({field: ["Enter an amount of money such as 12.50."]})
    if amount <= 0:
        raise ValidationError({field: ["The amount must be more than zero."]})
    try:
        money.check_places(amount, currency)
    except money.MoneyError as exc:
        raise ValidationError({field: [str(exc)]}) from None
    if amount >= MAX_AMOUNT:
        raise ValidationError({field: ["That amount is too large."]})
    if isinstance(value, str) and not _PLAIN_AMOUNT.fullmatch(value.strip()):
        # Decimal also reads "1e1", "1_0" and other scripts' digits: not how anyone writes money.
        raise ValidationError({field: [f"{value[:40]!r} is not an amount of money: write it like 12.50."]})
    return money.quantize(amount, currency)


def check_currency(currency: str | None, expected: str, *, field: str = "currency") -> str:
    """`currency` (ISO 4217) must be the expected one; none given means the expected one."""
    if currency is None or currency == "":
        return expected
    if not isinstance(currency, str) or currency.strip().upper() != expected:
        raise ValidationError({field: [f"This is priced in {expected}; {str(currency)[:10]!r} cannot be used."]})
    return expected


def default_currency() -> str:
    return str(settings.DEFAULT_CURRENCY).upper()


def check_iso_currency(currency: str, *, field: str = "currency") -> str:
    """An ISO 4217 currency code (upper-cased), or a ValidationError on `field`."""
    code = (currency or "").strip().upper()
    if not money.is_currency(code):
        raise ValidationError({field: ["Use a three-letter currency code such as USD."]})
    return code


def check_can_grant_on(user: User, case: Case) -> None:
    """A grant (or an offer, an escalation) needs the permission and a case of the employee's team
    or owned by them, still open."""
    if not user.is_authenticated or not user.is_active or not user.has_perm("remedies.grant_remedy"):
        raise CaseActionError("You may not grant remedies.")
    if case.owner_id != user.pk and (case.team_id is None or case.team_id != team_id_of(user)):
        raise CaseActionError("This case belongs to another team; you cannot grant remedies on it.")
    if not case.is_open:
        raise CaseActionError(f"This case is {case.get_status_display().lower()}; remedies need an open case.")


def clean_text(value: str | None, field: str, limit: int) -> str:
    """Trimmed text within `limit` characters, without NUL (which PostgreSQL refuses)."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError({field: [f"At most {limit} characters."]})
    if "\x00" in text:
        raise ValidationError({field: ["Remove the NUL character."]})
    return text
