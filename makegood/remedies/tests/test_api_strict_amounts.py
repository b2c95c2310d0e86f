"""Amounts exactly as the schema's pattern says: what Python's Decimal also reads is refused."""

import pytest

from makegood.api import api
from makegood.api_types import MONEY_PATTERN
from makegood.cases.models import Case
from makegood.cases.services import case_take_ownership
from makegood.remedies.models import Grant
from makegood.remedies.tests.factories import case_with_loss
from makegood.remedies.tests.test_api_remedies import Api, grants, remedy

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(shop, alice):
    made = case_with_loss(loss_kind="faulty_product", loss_amount="120.00", external_id="ORD-1001")
    case_take_ownership(case=made, user=alice)
    return Case.objects.get(pk=made.pk)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e1", "'1e1' is not an amount of money: write it like 12.50."),
        ("1_0", "'1_0' is not an amount of money: write it like 12.50."),
        ("\uff11\uff10", "'\uff11\uff10' is not an amount of money: write it like 12.50."),  # full-width 10
        ("\u0661\u0660", "'\u0661\u0660' is not an amount of money: write it like 12.50."),  # Arabic-Indic 10
        ("+10", "'+10' is not an amount of money: write it like 12.50."),
        ("10.", "'10.' is not an amount of money: write it like 12.50."),
        ("10.00000", "'10.00000' is not an amount of money: write it like 12.50."),
        (" 10", 'Enter an amount such as "12.50", without spaces.'),
        ("", 'Enter an amount such as "12.50", without spaces.'),
        (10, 'Send amounts of money as strings such as "12.50", not as JSON numbers.'),
    ],
)
def test_an_amount_the_schema_refuses_is_refused(client, alice, case, amount, message):
    response = Api(client, alice).post(
        grants(case), {"remedy_type_id": remedy("coupon-next-order").pk, "amount": amount}
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == {"amount": [message]}
    assert not Grant.objects.exists()


def test_an_amount_as_the_schema_writes_it_is_granted(client, alice, case):
    response = Api(client, alice).post(
        grants(case), {"remedy_type_id": remedy("coupon-next-order").pk, "amount": "10.5"}
    )
    assert response.status_code == 201, response.content


def test_the_schema_publishes_the_same_pattern():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    amount = schemas["GrantIn"]["properties"]["amount"]
    assert amount["pattern"] == MONEY_PATTERN
