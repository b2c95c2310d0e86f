"""Money per currency: each currency's own decimals (ISO 4217), checked, rounded and written for people."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from makegood import money
from makegood.money import MoneyError


@pytest.mark.parametrize(("currency", "places"), [("JPY", 0), ("KRW", 0), ("USD", 2), ("EUR", 2), ("BHD", 3),
                                                   ("KWD", 3), ("IQD", 3), ("CLF", 4)])  # fmt: skip
def test_each_currency_has_its_iso_4217_decimals(currency, places):
    assert money.places(currency) == places
    assert money.quantum(currency) == Decimal(1).scaleb(-places)


@pytest.mark.parametrize("code", ["", "usd", "US", "XYZ", "XAU", None, 840])
def test_an_unknown_code_or_one_without_minor_units_is_not_a_currency(code):
    assert not money.is_currency(code)
    with pytest.raises(MoneyError, match="not an ISO 4217 currency code"):
        money.places(code)


def test_yen_refuses_decimals_and_keeps_whole_amounts():
    with pytest.raises(MoneyError, match="JPY has no decimals"):
        money.check_places(Decimal("1.5"), "JPY")
    money.check_places(Decimal("1200"), "JPY")
    money.check_places(Decimal("1200.000"), "JPY")  # trailing zeros are no decimals
    assert money.as_text(Decimal("1200.0000"), "JPY") == "1200"


def test_the_bahraini_dinar_keeps_three_decimals():
    money.check_places(Decimal("1.250"), "BHD")
    money.check_places(Decimal("0.005"), "BHD")
    with pytest.raises(MoneyError, match="at most three decimals for BHD"):
        money.check_places(Decimal("1.2505"), "BHD")
    assert money.as_text(Decimal("1.25"), "BHD") == "1.250"
    assert money.quantize(Decimal("1.2505"), "BHD") == Decimal("1.250")


def test_dollars_keep_two_decimals():
    money.check_places(Decimal("12.50"), "USD")
    with pytest.raises(MoneyError, match=r"^Use at most two decimals \(cents\)\.$"):
        money.check_places(Decimal("10.001"), "USD")
    assert money.as_text(Decimal("40.0000"), "USD") == "40.00"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("89", "USD", "$89.00"),
        ("1200", "JPY", "¥1,200"),
        ("1.25", "BHD", "BHD 1.250"),
        ("1234.5", "EUR", "€1,234.50"),
        ("1000", "IQD", "IQD 1,000.000"),  # ISO's three decimals, not CLDR's none
        ("2", "CAD", "CA$2.00"),
        ("-3.5", "GBP", "-£3.50"),
    ],
)
def test_amounts_are_written_the_way_people_read_them(amount, currency, shown):
    with translation.override("en-us"):
        assert money.money_format(Decimal(amount), currency) == shown


def test_the_locale_decides_symbol_and_separators_but_not_the_decimals():
    assert money.money_format(Decimal("1.25"), "BHD", locale="de_DE") == "1,250\xa0BHD"
    assert money.money_format(Decimal("1234.5"), "EUR", locale="fr_FR") == "1\u202f234,50\xa0€"
    assert money.money_format(Decimal("3"), "USD", locale="xx") == "$3.00"


def test_an_unknown_currency_is_written_as_stored():
    assert money.money_format(Decimal("5.5"), "XYZ") == "XYZ 5.5"
    assert money.as_text(Decimal("5.5"), "XYZ") == "5.5"


def test_the_example_amount_has_the_currencys_decimals():
    assert (money.example("JPY"), money.example("USD"), money.example("BHD")) == ("1250", "12.50", "12.500")


amounts = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999999"), places=4)


@given(amount=amounts, currency=st.sampled_from(["JPY", "USD", "BHD", "CLF"]))
def test_rounding_up_and_down_brackets_the_amount_within_one_unit(amount, currency):
    up = money.quantize(amount, currency, ROUND_CEILING)
    down = money.quantize(amount, currency, ROUND_FLOOR)
    assert down <= amount <= up and up - down in (0, money.quantum(currency))
    money.check_places(up, currency)
    money.check_places(down, currency)
    assert money.decimals_of(up) <= money.places(currency)
