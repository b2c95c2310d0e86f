"""The API's strict field types: what the OpenAPI schema says is exactly what is accepted.

pydantic's default ("lax") mode is generous in ways the schema does not admit: `0` for a boolean,
`"3"` or `3.0` for an integer in a JSON body, a number of seconds for a date-time, and the amount
strings `"1e1"`, `"1_0"` or full-width digits that Python's Decimal reads happily. These types refuse them,
with a message a client developer can act on, and publish the same rule in the schema.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Strict, WithJsonSchema

from makegood import money

MONEY_EXAMPLE = "12.50"
# ASCII digits, at most as many decimals as any currency has: the remedies' schema pattern (a JSON
# Schema pattern's `\d` is ASCII-only; Python's is not, hence [0-9] here and there). How many
# decimals one currency takes is for `makegood.money` to say, with the amount.
MONEY_PATTERN = rf"^[0-9]+(\.[0-9]{{1,{money.MAX_PLACES}}})?$"
# ISO 8601 / RFC 3339 date-times; the offset may be left out (then UTC), nothing else may.
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?$"
)
_DATETIME_RE = re.compile(DATETIME_PATTERN)


def money_text(value: object) -> object:
    """Money arrives as a decimal string ("12.50"); a JSON number is refused (a float is inexact,
    and the schema says string)."""
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f'Send amounts of money as strings such as "{MONEY_EXAMPLE}", not as JSON numbers.')


def _money_text_as_written(value: str) -> str:
    """What the pattern adds to the amount rules every edge shares (`remedies.rules.parse_amount`,
    which explains a wrong amount in its own words): no blank amount, no spaces around it."""
    if value != value.strip() or not value:
        raise ValueError(f'Enter an amount such as "{MONEY_EXAMPLE}", without spaces.')
    return value


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATETIME_RE.fullmatch(value):
        return value
    raise ValueError("Enter a date and time in ISO 8601, such as 2026-03-02T09:00:00Z.")


# A decimal string, as the schema's pattern says (checked with the amount itself, by the service);
# the endpoint's Field adds the description and the pattern.
Money = Annotated[str, BeforeValidator(money_text), AfterValidator(_money_text_as_written)]
# true or false, nothing else (not 0, 1, "yes" or "true").
Flag = Annotated[bool, Strict()]
# A JSON integer in a request body (not "3", 3.0 or true). Query and path integers arrive as text
# and stay lax: there the text is all a client can send.
BodyInt = Annotated[int, Strict()]
# A date-time written in ISO 8601, never a number of seconds.
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_datetime),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DATETIME_PATTERN,
            "description": "ISO 8601, e.g. 2026-03-02T09:00:00Z; without an offset: UTC.",
        }
    ),
]
