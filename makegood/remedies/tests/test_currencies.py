"""Remedies in a currency's own decimals: yen have none, dinars three, dollars two, from the form
or the API through the ledger and back to the page, with the cap arithmetic exact in each."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from makegood import money
from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.models import Case
from makegood.cases.services import case_take_ownership
from makegood.remedies.authority import Policy, Usage, remaining_from
from makegood.remedies.entries import CatalogEntry, cost_and_value
from makegood.remedies.loss import case_loss_record
from makegood.remedies.models import Grant, RemedyType
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, make_remedy, set_role_authority, variable_remedy

HTMX = {"HX-Request": "true"}


def priced_in(currency: str, *, per_case: str, per_day: str, per_month: str) -> dict[str, RemedyType]:
    """A small catalog in `currency`, and frontline authority in it."""
    set_role_authority(Role.FRONTLINE, currency=currency, per_case=per_case, per_day=per_day, per_month=per_month)
    return {
        "coupon": variable_remedy(
            "coupon", "coupon", cpu="0.35", vpu="0.7", lo="1", hi="100000", currency=currency, issues_code=True
        ),
        "refund": variable_remedy("refund", "refund_partial", lo="1", hi="100000", currency=currency),
        "note": make_remedy("note", currency=currency, cost="0", value="0"),
    }


def owned_case(alice, currency: str, loss: str) -> Case:
    case = case_with_loss(loss_kind="money", loss_amount=None)
    case_take_ownership(case=case, user=alice)
    return case_loss_record(case=case, user=alice, loss_kind="money", severity="moderate", loss_amount=loss,
                            loss_currency=currency)  # fmt: skip


@pytest.mark.django_db
def test_yen_refuse_a_fraction_and_are_shown_whole(client, alice):
    remedies = priced_in("JPY", per_case="5000", per_day="30000", per_month="250000")
    case = owned_case(alice, "JPY", "1200")
    with pytest.raises(ValidationError, match="JPY has no decimals"):
        remedy_grant(case=case, user=alice, remedy_type=remedies["refund"], amount="1.5")
    assert not Grant.objects.exists()
    grant = remedy_grant(case=case, user=alice, remedy_type=remedies["refund"], amount="1200")
    stored = Grant.objects.get(pk=grant.pk)
    assert (str(stored.amount), str(stored.cost), str(stored.value)) == ("1200", "1200", "1200")
    client.force_login(alice)
    panel = client.get(reverse("remedies_panel", kwargs={"reference": case.reference}), headers=HTMX)
    html = panel.content.decode()
    assert "¥1,200" in html and "Money lost, ¥1,200, moderate" in html
    assert 'placeholder="0"' in html  # the money inputs hint at whole yen
    refused = client.post(
        reverse("remedies_grant", kwargs={"reference": case.reference}),
        {"remedy_type": remedies["refund"].pk, "amount": "10.5"},
        headers=HTMX,
    )
    assert "JPY has no decimals: give a whole amount." in refused.content.decode()
    assert Grant.objects.count() == 1


@pytest.mark.django_db
def test_a_yen_coupon_costs_and_is_worth_whole_yen_rounded_the_safe_way(alice):
    remedies = priced_in("JPY", per_case="5000", per_day="30000", per_month="250000")
    case = owned_case(alice, "JPY", "1200")
    grant = remedy_grant(case=case, user=alice, remedy_type=remedies["coupon"], amount="1001")
    # 1001 x 0.35 = 350.35 -> 351 charged; 1001 x 0.7 = 700.7 -> 700 promised.
    assert (grant.cost, grant.value) == (Decimal("351"), Decimal("700"))
    assert Grant.objects.get(pk=grant.pk).cost == Decimal("351")


@pytest.mark.django_db
def test_dinars_keep_three_decimals_through_the_api(client, alice):
    remedies = priced_in("BHD", per_case="50.000", per_day="300.000", per_month="2500.000")
    case = owned_case(alice, "BHD", "1.250")
    auth = {"Authorization": f"Bearer {api_token_issue(user=alice)}"}
    created = client.post(
        f"/api/v1/cases/{case.reference}/grants",
        {"remedy_type_id": remedies["coupon"].pk, "amount": "1.255"},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    # 1.255 x 0.35 = 0.43925 -> 0.440 charged; 1.255 x 0.7 = 0.8785 -> 0.878 promised.
    assert (body["amount"], body["cost"], body["value"], body["currency"]) == ("1.255", "0.440", "0.878", "BHD")
    listed = client.get(f"/api/v1/cases/{case.reference}/grants", headers=auth).json()
    assert [(g["amount"], g["cost"]) for g in listed] == [("1.255", "0.440")]
    loss = client.put(
        f"/api/v1/cases/{case.reference}/loss",
        {"loss_kind": "money", "severity": "minor", "loss_amount": "2.5", "loss_currency": "BHD"},
        content_type="application/json",
        headers=auth,
    ).json()
    assert (loss["loss_amount"], loss["loss_currency"]) == ("2.500", "BHD")
    too_fine = client.post(
        f"/api/v1/cases/{case.reference}/grants",
        {"remedy_type_id": remedies["refund"].pk, "amount": "1.2345"},
        content_type="application/json",
        headers=auth,
    )
    assert too_fine.status_code == 422
    assert too_fine.json()["errors"] == {"amount": ["Use at most three decimals for BHD."]}
    authority = client.get(f"/api/v1/me/authority?case={case.reference}", headers=auth).json()
    assert (authority["used_on_case"], authority["left"]) == ("0.440", "49.560")


@pytest.mark.django_db
def test_dollars_keep_two_decimals(alice):
    remedies = priced_in("USD", per_case="50.00", per_day="300.00", per_month="2500.00")
    case = owned_case(alice, "USD", "120.00")
    with pytest.raises(ValidationError, match=r"Use at most two decimals \(cents\)\."):
        remedy_grant(case=case, user=alice, remedy_type=remedies["refund"], amount="10.005")
    grant = remedy_grant(case=case, user=alice, remedy_type=remedies["refund"], amount="10.5")
    assert str(Grant.objects.get(pk=grant.pk).amount) == "10.50"


@pytest.mark.django_db
def test_a_catalog_price_finer_than_its_currency_is_refused(alice):
    remedy = RemedyType(catalog="t", code="x", kind="coupon", name="X", currency="JPY", cost=Decimal("4.50"))
    with pytest.raises(ValidationError) as refused:
        remedy.full_clean()
    assert refused.value.message_dict["cost"] == ["JPY has no decimals: give a whole amount."]


# The arithmetic in every currency ----------------------------------------------------------------

CURRENCIES = st.sampled_from(["JPY", "USD", "BHD"])


def amounts_in(currency: str, lo: int, hi: int) -> st.SearchStrategy[Decimal]:
    """Amounts of `currency` in whole smallest units (yen, cents, fils)."""
    return st.integers(lo, hi).map(lambda n: Decimal(n).scaleb(-money.places(currency)))


@settings(max_examples=150)
@given(data=st.data(), currency=CURRENCIES)
def test_a_variable_remedy_is_charged_rounded_up_and_promised_rounded_down_in_its_currency(data, currency):
    rate = data.draw(st.sampled_from([Decimal("0.35"), Decimal("0.7"), Decimal("1"), Decimal("0.3333")]))
    amount = data.draw(amounts_in(currency, 1, 10**9))
    entry = CatalogEntry(
        id=1, kind="coupon", name="c", currency=currency, is_variable=True, cost=Decimal(0), value=Decimal(0),
        cost_per_unit=rate, value_per_unit=rate, min_amount=None, max_amount=None, max_per_case=None,
        needs_order_reference=False, channels=frozenset(), immediate=True, effort="none", loss_kinds=frozenset(),
    )  # fmt: skip
    cost, value = cost_and_value(entry, amount)
    exact = amount * rate
    assert cost == money.quantize(exact, currency, ROUND_CEILING) and cost >= exact
    assert value == money.quantize(exact, currency, ROUND_FLOOR) and value <= exact
    assert money.decimals_of(cost) <= money.places(currency) and money.decimals_of(value) <= money.places(currency)


@settings(max_examples=150)
@given(data=st.data(), currency=CURRENCIES)
def test_no_sequence_of_checked_grants_exceeds_a_cap_in_any_currency(data, currency):
    caps = [data.draw(amounts_in(currency, 0, 10**7)) for _ in range(3)]
    costs = data.draw(st.lists(amounts_in(currency, 0, 10**6), max_size=30))
    policy = Policy(currency, caps[0], caps[1], caps[2], frozenset({"coupon"}))
    spent = Decimal(0)
    for cost in costs:
        remaining = remaining_from(policy, Usage(spent, spent, spent))
        if remaining.allows(cost):
            spent += cost
        assert spent <= min(caps)
    # Exact to the smallest unit: nothing was lost or gained in rounding.
    assert spent == money.quantize(spent, currency)
