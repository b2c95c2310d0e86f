"""Money per currency: how many decimals a currency has, checking and rounding amounts to them, and
writing them for people.

A currency's decimals are its ISO 4217 minor units (the `iso4217` package carries the standard's
table): the yen has none, the dollar two, the Bahraini dinar three. An amount never has more
decimals than its currency allows, and nothing here assumes two. How an amount is written (the
symbol, where it goes, the separators) is the locale's, from CLDR through Babel: `$89.00`,
`¥1,200`, `BHD 1.250` in English.

Columns that hold money keep four decimals (the most any ISO currency has); what a currency
allows is checked where amounts come in (`check_places`) and amounts are rounded to it
(`quantize`) where they are computed.
"""

from __future__ import annotations

import copy
import functools
import re
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern
from django.utils import translation
from iso4217 import Currency

# The most decimals any ISO 4217 currency has (CLF, UYW): what money columns hold.
MAX_PLACES = 4
# Ten digits before the point: the widest amount a money column holds (14 digits, 4 decimals).
MAX_WHOLE_DIGITS = 10
FALLBACK_LOCALE = "en_US"

_PLACES: dict[str, int] = {c.code: c.exponent for c in Currency if c.exponent is not None}
_WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four"}


class MoneyError(ValueError):
    """An amount or a currency that cannot be money as given; the message is for people."""


def is_currency(code: object) -> bool:
    """An ISO 4217 code of a currency with minor units (not gold, not a test code)."""
    return isinstance(code, str) and code in _PLACES


def places(currency: str) -> int:
    """How many decimals `currency` has (ISO 4217 minor units): JPY 0, USD 2, BHD 3."""
    try:
        return _PLACES[currency]
    except KeyError:
        raise MoneyError(f"{str(currency)[:10]!r} is not an ISO 4217 currency code such as USD.") from None


def quantum(currency: str) -> Decimal:
    """The smallest amount of `currency`: 1 for JPY, 0.01 for USD, 0.001 for BHD."""
    return Decimal(1).scaleb(-places(currency))


def quantize(amount: Decimal, currency: str, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """`amount` with exactly the currency's decimals (rounded with `rounding` when it had more).

    Costs are rounded up (`ROUND_CEILING`) and values down (`ROUND_FLOOR`) by the callers that
    compute them, so that authority is never undercounted and a customer never promised too much.
    """
    return amount.quantize(quantum(currency), rounding=rounding)


def decimals_of(amount: Decimal) -> int:
    """The decimals `amount` really has (trailing zeros do not count: 12.50 has one)."""
    if not amount.is_finite() or amount == 0:
        return 0
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_places(amount: Decimal, currency: str) -> None:
    """Raise MoneyError when `amount` has more decimals than `currency` allows."""
    allowed = places(currency)
    if decimals_of(amount) <= allowed:
        return
    if allowed == 0:
        raise MoneyError(f"{currency} has no decimals: give a whole amount.")
    if allowed == 2:
        raise MoneyError("Use at most two decimals (cents).")
    raise MoneyError(f"Use at most {_WORDS.get(allowed, str(allowed))} decimals for {currency}.")


def as_text(amount: Decimal | None, currency: str) -> str | None:
    """The amount as an exact decimal string with its currency's decimals (`"12.50"`, `"1200"`,
    `"1.250"`): how the API and stored snapshots carry money. An unknown currency keeps the
    amount as it is."""
    if amount is None:
        return None
    if not is_currency(currency):
        return str(amount)
    return str(quantize(Decimal(amount), currency))


def example(currency: str) -> str:
    """An amount to show in hints: `12.50`, `1250`, `12.500`."""
    return as_text(Decimal("12.50") if is_currency(currency) and places(currency) else Decimal(1250), currency) or ""


@functools.lru_cache(maxsize=32)
def _locale(name: str) -> Locale:
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK_LOCALE)


@functools.lru_cache(maxsize=256)
def _pattern(locale_name: str, decimals: int) -> NumberPattern:
    """The locale's currency pattern with exactly `decimals` decimals (CLDR's own digits for a few
    currencies differ from ISO 4217's: the dinar of Iraq has three in ISO, none in CLDR)."""
    pattern = copy.copy(_locale(locale_name).currency_formats["standard"])
    pattern.frac_prec = (decimals, decimals)
    return pattern


# A letter symbol touching a digit ("BHD1.250", "1.250BHD") gets a space, as CLDR's currency
# spacing asks; a sign symbol ("$89.00", "¥1,200") does not.
_LETTER_THEN_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")
_DIGIT_THEN_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])")


def money_format(amount: Decimal, currency: str, *, locale: str | None = None) -> str:
    """How people read an amount: `$89.00`, `¥1,200`, `BHD 1.250` (in English), with the
    currency's own decimals. An unknown currency is written as `XYZ 12.5`."""
    amount = Decimal(amount)
    if not is_currency(currency):
        return f"{currency} {amount}".strip()
    name = locale or translation.to_locale(translation.get_language() or FALLBACK_LOCALE)
    decimals = places(currency)
    text = _pattern(name, decimals).apply(
        quantize(amount, currency), _locale(name), currency=currency, currency_digits=False
    )
    return _DIGIT_THEN_LETTER.sub(" ", _LETTER_THEN_DIGIT.sub(" ", text))
