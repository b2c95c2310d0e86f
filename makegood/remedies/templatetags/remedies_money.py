"""`{{ grant.amount|money:grant.currency }}`: an amount as people read it in its currency
(`$40.00`, `¥1,200`, `BHD 1.250`), through `makegood.money`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from makegood.money import money_format

register = template.Library()


@register.filter
def money(amount: object, currency: str) -> str:
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return money_format(value, str(currency or ""))
