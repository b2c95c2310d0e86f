"""The customer's demand through the case page and through the API: one service decides, so the same
demand on two identical cases gives the same grant, the same offer and options, the same refusal."""

import html as html_lib
from decimal import Decimal

import pytest
from django.urls import reverse

from makegood.accounts.services import api_token_issue
from makegood.cases.models import Case
from makegood.cases.services import case_take_ownership
from makegood.remedies.models import Grant, Offer
from makegood.remedies.tests.factories import case_with_loss

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def twins(shop, alice):
    """Two identical cases of Alice's: a $120 faulty blender each (frontline: 50 per case)."""
    made = []
    for n in range(2):
        case = case_with_loss(
            loss_kind="faulty_product", loss_amount="120.00", external_id=f"ORD-{n}", customer_email=f"c{n}@example.com"
        )
        case_take_ownership(case=case, user=alice)
        made.append(Case.objects.get(pk=case.pk))
    return made


def through_the_page(client, case: Case, demand: dict) -> tuple[bool, str]:
    response = client.post(reverse("remedies_demand", kwargs={"reference": case.reference}), demand, headers=HTMX)
    assert response.status_code == 200
    return response.get("HX-Refresh") == "true", html_lib.unescape(response.content.decode())


def through_the_api(client, token: str, case: Case, demand: dict) -> tuple[int, dict]:
    response = client.post(
        f"/api/v1/cases/{case.reference}/options",
        {key: value for key, value in demand.items() if value != ""},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json()


def written(case: Case) -> dict:
    """What the demand left on the case: its grants and its offers, as rows."""
    grants = [
        (g.remedy_type_id, g.kind, g.amount, g.cost, g.value, g.currency, g.granted_by_id, g.charged_to_id, g.offer_id)
        for g in Grant.objects.filter(case=case).order_by("pk")
    ]
    offers = [
        (o.demand_kind, o.demand_amount, o.minimum_value, o.currency, o.demand_fits, o.options, o.reason, o.status)
        for o in Offer.objects.filter(case=case).order_by("pk")
    ]
    return {"grants": grants, "offers": offers}


GRANTED, OFFERED = "granted", "offered"


@pytest.mark.parametrize(
    ("demand", "expected"),
    [
        ({"demand_kind": "refund_partial", "demand_amount": "30.00"}, GRANTED),
        ({"demand_amount": "20.00"}, GRANTED),  # an amount alone is money back
        ({"demand_kind": "handwritten_note"}, GRANTED),
        ({"demand_kind": "refund_full", "demand_amount": "120.00"}, OFFERED),
        ({"demand_kind": "refund_full", "demand_amount": "120.00", "minimum_value": "40.00"}, OFFERED),
        ({"demand_kind": "coupon", "demand_amount": "200.00"}, OFFERED),  # costs 70 of 50
    ],
)
def test_the_same_demand_gives_the_same_grant_or_offer_through_the_page_and_the_api(
    client, alice, twins, demand, expected
):
    page_case, api_case = twins
    token = api_token_issue(user=alice)
    client.force_login(alice)
    refreshed, _ = through_the_page(client, page_case, {**demand, "order_reference": ""})
    status, body = through_the_api(client, token, api_case, demand)
    assert refreshed and status == 201, body
    assert body["outcome"] == expected
    on_page, on_api = written(page_case), written(api_case)
    assert on_page == on_api
    if expected == GRANTED:
        assert len(on_page["grants"]) == 1 and not on_page["offers"]
        assert body["grant"]["id"] == Grant.objects.get(case=api_case).pk and body["offer"] is None
    else:
        assert len(on_page["offers"]) == 1 and not on_page["grants"]
        assert len(on_page["offers"][0][5]) == len(body["offer"]["options"]) > 0


@pytest.mark.parametrize(
    ("demand", "field", "same_message"),
    [
        ({"demand_amount": "-1"}, "demand_amount", True),
        ({"demand_kind": "refund_partial", "demand_amount": "12.345"}, "demand_amount", True),
        ({"demand_amount": "10", "minimum_value": "lots"}, "minimum_value", True),
        ({"demand_amount": "abc"}, "demand_amount", True),
        ({"demand_kind": "refund_partial", "demand_amount": "99999999999"}, "demand_amount", True),
        # Checked by each edge's own form or schema first, in its own words:
        ({"demand_kind": "a pony"}, "demand_kind", False),
        ({"demand_kind": "", "demand_amount": ""}, "demand_kind", False),
    ],
)
def test_the_same_bad_demand_is_refused_alike_and_writes_nothing(client, alice, twins, demand, field, same_message):
    page_case, api_case = twins
    token = api_token_issue(user=alice)
    client.force_login(alice)
    refreshed, page = through_the_page(client, page_case, demand)
    status, body = through_the_api(client, token, api_case, demand)
    assert not refreshed and 'data-testid="demand-form"' in page
    assert status == 422 and field in body["errors"], body
    if same_message:
        for message in body["errors"][field]:
            assert message in page
    assert written(page_case) == written(api_case) == {"grants": [], "offers": []}


def test_the_page_and_the_api_describe_the_same_remedy_state(client, alice, twins):
    """After the same demand, the panel and `GET …/remedies` offer the same options and authority."""
    page_case, api_case = twins
    token = api_token_issue(user=alice)
    client.force_login(alice)
    demand = {"demand_kind": "refund_full", "demand_amount": "120.00"}
    through_the_page(client, page_case, demand)
    through_the_api(client, token, api_case, demand)
    panel = html_lib.unescape(
        client.get(reverse("remedies_panel", kwargs={"reference": page_case.reference}), headers=HTMX).content.decode()
    )
    state = client.get(
        f"/api/v1/cases/{api_case.reference}/remedies", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert state["can_act"] and state["offer"]["status"] == "open" and not state["can_escalate"]
    assert panel.count('data-testid="option"') == len(state["offer"]["options"]) == 3
    for option in state["offer"]["options"]:
        assert option["name"] in panel and option["reason"] in panel
    assert state["authority"]["left"] == "50.00" and 'data-testid="authority-left">$50.00<' in panel
    remedy_names = [r["name"] for r in state["grantable"]]
    assert remedy_names and all(name in panel for name in remedy_names)
    assert Decimal(state["authority"]["left_today"]) == Decimal("300.00")
