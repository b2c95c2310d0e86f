"""Amounts of money in a row with its currency: columns wide enough for every currency, read back
with the currency's own decimals."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar, Self

from django.db import models

from makegood import money

# 14 digits, 4 decimals: the most any ISO 4217 currency has (CLF, UYW), ten digits before the point.
MONEY_DIGITS, MONEY_PLACES = money.MAX_WHOLE_DIGITS + money.MAX_PLACES, money.MAX_PLACES


class CurrencyAmounts(models.Model):
    """A row whose `money_fields` are amounts in its `currency` column.

    The columns keep four decimals whatever the currency; read back, each amount has exactly its
    currency's decimals again (`40.00` for USD, `1200` for JPY, `1.250` for BHD), so that what a
    service wrote and what the database returns compare and print the same.
    """

    money_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], *args: Any, **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        currency = instance.__dict__.get("currency")
        if isinstance(currency, str) and money.is_currency(currency):
            for name in cls.money_fields:
                amount = instance.__dict__.get(name)
                if amount is not None:
                    instance.__dict__[name] = money.quantize(amount, currency)
        return instance
