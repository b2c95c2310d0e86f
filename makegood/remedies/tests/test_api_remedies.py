"""The remedies REST API: catalog, authority, grants (idempotent), options and the customer's choice,
escalations and managers' decisions, the loss. Same rules as the screens; every refusal is a clear
JSON error and leaves the ledger untouched."""

from decimal import Decimal

import pytest

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.api import api
from makegood.cases.models import Case
from makegood.cases.services import case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.remedies.escalations import escalation_open
from makegood.remedies.models import (
    Authorization,
    Escalation,
    EscalationStatus,
    Grant,
    Offer,
    OfferStatus,
    RemedyKind,
    RemedyType,
)
from makegood.remedies.offers import offer_decline
from makegood.remedies.tests.factories import case_with_loss, offer_make, set_role_authority

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def remedy(code: str) -> RemedyType:
    return RemedyType.objects.get(catalog="online_shop", code=code)


class Api:
    """A client with one person's bearer token."""

    def __init__(self, client, user) -> None:
        self.client = client
        self.auth = {"Authorization": f"Bearer {api_token_issue(user=user)}"}

    def get(self, path: str, **params):
        return self.client.get(V1 + path, params, headers=self.auth)

    def post(self, path: str, body=None, key: str | None = None, method: str = "post"):
        headers = dict(self.auth)
        if key is not None:
            headers["Idempotency-Key"] = key
        send = getattr(self.client, method)
        return send(V1 + path, body if body is not None else {}, content_type="application/json", headers=headers)


@pytest.fixture
def case(shop, alice):
    made = case_with_loss(loss_kind="faulty_product", loss_amount="120.00", external_id="ORD-1001")
    case_take_ownership(case=made, user=alice)
    return Case.objects.get(pk=made.pk)


@pytest.fixture
def as_alice(client, alice):
    return Api(client, alice)


@pytest.fixture
def as_bob(client, bob):
    return Api(client, bob)


@pytest.fixture
def as_charlie(client, charlie):
    return Api(client, charlie)


def grants(case: Case) -> str:
    return f"/cases/{case.reference}/grants"


# Authentication, the catalog and authority -------------------------------------------------------


def test_every_endpoint_needs_a_token(client, case):
    for path in ("/remedies", "/me/authority", grants(case), "/escalations"):
        response = client.get(V1 + path)
        assert response.status_code == 401 and "detail" in response.json()
    response = client.post(V1 + grants(case), {}, content_type="application/json")
    assert response.status_code == 401 and not Grant.objects.exists()


def test_the_catalog_lists_active_remedies_with_money_as_strings(as_alice, shop):
    response = as_alice.get("/remedies")
    assert response.status_code == 200
    by_code = {r["code"]: r for r in response.json()}
    assert set(by_code) == set(RemedyType.objects.filter(active=True).values_list("code", flat=True))
    coupon = by_code["coupon-next-order"]
    assert (coupon["cost_per_unit"], coupon["value_per_unit"], coupon["min_amount"], coupon["currency"]) == (
        "0.3500",
        "0.7000",
        "5.00",
        "USD",
    )
    assert by_code["handwritten-note"]["cost"] == "4.00" and by_code["handwritten-note"]["min_amount"] is None
    assert as_alice.get("/remedies", currency="EUR").json() == []


def test_someone_without_a_role_may_not_read_the_catalog(client, shop, north):
    nobody = make_staff("nobody", Role.FRONTLINE, north)
    nobody.groups.clear()
    assert Api(client, nobody).get("/remedies").status_code == 403


def test_my_authority_today_this_month_and_on_a_case(as_alice, case, alice):
    from makegood.remedies.services import remedy_grant

    remedy_grant(case=case, user=alice, remedy_type=remedy("free-accessory"))
    overall = as_alice.get("/me/authority").json()
    assert (overall["case"], overall["left_today"], overall["left_this_month"], overall["cap_per_case"]) == (
        None,
        "292.00",
        "2492.00",
        "50.00",
    )
    on_case = as_alice.get("/me/authority", case=case.reference).json()
    assert (on_case["case"], on_case["used_on_case"], on_case["left"]) == (case.reference, "8.00", "42.00")
    assert "coupon" in on_case["allowed_kinds"]


def test_charlie_cannot_read_authority_on_or_grants_of_a_north_case(as_charlie, case):
    assert as_charlie.get("/me/authority", case=case.reference).status_code == 404
    assert as_charlie.get(grants(case)).status_code == 404
    assert as_charlie.get(f"/cases/{case.reference}/escalations").status_code == 404


# Granting -------------------------------------------------------------------------------------------


def test_a_grant_within_authority_is_made_at_once_and_listed(as_alice, case, alice):
    body = {"remedy_type_id": remedy("coupon-next-order").pk, "amount": "40.00", "currency": "USD"}
    response = as_alice.post(grants(case), body)
    assert response.status_code == 201
    grant = response.json()
    assert (grant["amount"], grant["cost"], grant["value"], grant["currency"]) == ("40.00", "14.00", "28.00", "USD")
    assert grant["granted_by"] == "alice" and grant["charged_to"] == "alice" and len(grant["code"]) == 14
    assert response["Location"] == V1 + grants(case)
    listed = as_alice.get(grants(case)).json()
    assert [g["id"] for g in listed] == [grant["id"]]
    assert Grant.objects.get().code == grant["code"]


def test_a_replayed_request_grants_once(as_alice, case):
    body = {"remedy_type_id": remedy("handwritten-note").pk}
    first = as_alice.post(grants(case), body, key="retry-1")
    again = as_alice.post(grants(case), body, key="retry-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    other = as_alice.post(grants(case), {"remedy_type_id": remedy("free-accessory").pk}, key="retry-1")
    assert other.status_code == 422
    assert other.json()["errors"] == {"Idempotency-Key": ["This key was already used for a different grant."]}
    assert Grant.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "The amount must be more than zero."),
        ({"amount": "abc"}, "amount", "'abc' is not an amount of money."),
        ({"amount": "NaN"}, "amount", "Enter an amount of money such as 12.50."),
        ({"amount": "Infinity"}, "amount", "Enter an amount of money such as 12.50."),
        ({"amount": 12.5}, "amount", 'Send amounts of money as strings such as "12.50", not as JSON numbers.'),
        ({"amount": True}, "amount", 'Send amounts of money as strings such as "12.50", not as JSON numbers.'),
        ({"amount": "10.001"}, "amount", "Use at most two decimals (cents)."),
        ({"amount": "40.00", "currency": "EUR"}, "currency", "This is priced in USD; 'EUR' cannot be used."),
        ({"amount": "500.00"}, "amount", "Coupon for the next order must be between $5.00 and $200.00."),
        (
            {"amount": "150.00"},
            "amount",
            "This costs $52.50, but your authority left on this case is $50.00. Offer the three options, or escalate.",
        ),
        ({"remedy_type_id": 999_999}, "remedy_type_id", "No such remedy in the catalog."),
        ({"remedy_type_id": "coupon"}, "remedy_type_id", None),
        ({"authorization_id": 12345, "amount": "10"}, "authorization_id", "No such approval on this case."),
    ],
)
def test_bad_input_gets_a_422_on_the_field_and_the_ledger_is_untouched(as_alice, case, body, field, message):
    payload = {"remedy_type_id": remedy("coupon-next-order").pk, **body}
    response = as_alice.post(grants(case), payload)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not Grant.objects.exists()


def test_a_malformed_body_is_a_400(as_alice, case):
    response = as_alice.client.post(
        V1 + grants(case), "{not json", content_type="application/json", headers=as_alice.auth
    )
    assert response.status_code == 400 and not Grant.objects.exists()


def test_a_remedy_the_role_may_not_grant_is_refused(as_alice, case):
    set_role_authority(Role.FRONTLINE, kinds=[RemedyKind.HANDWRITTEN_NOTE])
    response = as_alice.post(grants(case), {"remedy_type_id": remedy("free-accessory").pk})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "remedy_type_id": ["Your role may not grant a complimentary item or service; escalate."]
    }
    assert not Grant.objects.exists()


def test_a_grant_on_a_closed_case_is_a_409(as_alice, case, alice):
    case_resolve(case=case, user=alice, resolution="Done.")
    response = as_alice.post(grants(case), {"remedy_type_id": remedy("handwritten-note").pk})
    assert response.status_code == 409
    assert response.json()["detail"] == "This case is resolved; remedies need an open case."
    assert not Grant.objects.exists()


def test_a_grant_on_another_teams_case_is_a_404(as_charlie, case):
    response = as_charlie.post(grants(case), {"remedy_type_id": remedy("handwritten-note").pk})
    assert response.status_code == 404 and not Grant.objects.exists()


def test_a_role_that_may_not_grant_gets_a_403(client, case, north):
    olivia = make_staff("olivia", Role.PROCESS_OWNER, north)
    response = Api(client, olivia).post(grants(case), {"remedy_type_id": remedy("handwritten-note").pk})
    assert response.status_code == 403 and not Grant.objects.exists()


# Options and the customer's choice ------------------------------------------------------------------


def options(api: Api, case: Case, **body):
    return api.post(f"/cases/{case.reference}/options", body)


def test_a_demand_beyond_authority_gets_three_options_and_an_offer_id(as_alice, case):
    response = options(as_alice, case, demand_kind="refund_full", demand_amount="120.00")
    assert response.status_code == 201
    body = response.json()
    offer = Offer.objects.get(pk=body["offer"]["id"])
    assert body["demand_fits"] is False and body["demand_option"] is None
    listed = body["offer"]["options"]
    assert [o["index"] for o in listed] == [0, 1, 2]
    assert len({o["kind"] for o in listed}) == 3
    assert all(Decimal(o["cost"]) <= Decimal("50.00") and isinstance(o["value"], str) for o in listed)
    assert all(o["reason"].endswith(".") for o in listed)
    assert body["authority"]["left"] == "50.00" and body["offer"]["status"] == "open"
    assert [o["remedy_type_id"] for o in listed] == [o["remedy_type_id"] for o in offer.options]


def test_a_demand_that_fits_says_so(as_alice, case):
    body = options(as_alice, case, demand_kind="refund_partial", demand_amount="30.00").json()
    assert body["demand_fits"] is True
    assert (body["demand_option"]["kind"], body["demand_option"]["amount"]) == ("refund_partial", "30.00")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"demand_kind": "a pony"}, "demand_kind"),
        ({"demand_amount": "-1"}, "demand_amount"),
        ({"demand_amount": 99.99}, "demand_amount"),
        ({"demand_amount": "10", "minimum_value": "lots"}, "minimum_value"),
        ({"demand_amount": "10", "currency": "GBP"}, "currency"),
    ],
)
def test_a_bad_demand_is_a_422(as_alice, case, body, field):
    response = options(as_alice, case, **body)
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not Offer.objects.exists()


def test_an_empty_demand_is_a_422(as_alice, case):
    response = options(as_alice, case)
    assert response.status_code == 422
    assert "demand_kind, demand_amount, or both" in str(response.json()["errors"])


def choice(api: Api, case: Case, offer_id: int, body: dict, key: str | None = None):
    return api.post(f"/cases/{case.reference}/offers/{offer_id}/choice", body, key=key)


def test_the_customers_choice_is_granted_as_offered_once(as_alice, case):
    offer_id = options(as_alice, case, demand_kind="refund_full", demand_amount="120.00").json()["offer"]["id"]
    response = choice(as_alice, case, offer_id, {"index": 2, "order_reference": "ORD-1001"}, key="choice-1")
    assert response.status_code == 201
    body = response.json()
    assert body["offer"]["status"] == "chosen" and body["offer"]["chosen_index"] == 2
    assert body["grant"]["offer_id"] == offer_id
    again = choice(as_alice, case, offer_id, {"index": 2, "order_reference": "ORD-1001"}, key="choice-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["grant"]["id"] == body["grant"]["id"]
    other = choice(as_alice, case, offer_id, {"index": 0})
    assert other.status_code == 409 and "already answered" in other.json()["detail"]
    assert Grant.objects.count() == 1


@pytest.mark.parametrize(
    "body", [{}, {"index": 0, "none": True}, {"none": False}, {"index": -1}, {"index": "first"}, {"index": 1.5}]
)
def test_a_choice_must_be_one_index_or_none(as_alice, case, alice, body):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    response = choice(as_alice, case, offer.pk, body)
    assert response.status_code == 422
    assert Offer.objects.get().status == OfferStatus.OPEN and not Grant.objects.exists()


def test_an_index_beyond_the_options_is_a_422(as_alice, case, alice):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    response = choice(as_alice, case, offer.pk, {"index": 7})
    assert response.status_code == 422
    assert response.json()["errors"] == {"index": ["Choose one of the 3 options offered."]}
    assert not Grant.objects.exists()


def test_none_of_these_is_recorded(as_alice, case, alice):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    response = choice(as_alice, case, offer.pk, {"none": True})
    assert response.status_code == 200
    assert response.json()["offer"]["status"] == "declined" and response.json()["grant"] is None
    assert Offer.objects.get().status == OfferStatus.DECLINED


def test_charlie_cannot_see_or_answer_a_north_offer(as_charlie, case, alice):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    assert options(as_charlie, case, demand_amount="10").status_code == 404
    assert choice(as_charlie, case, offer.pk, {"none": True}).status_code == 404
    assert Offer.objects.get().status == OfferStatus.OPEN


def test_an_offer_of_another_case_is_not_found(as_alice, case, alice, shop):
    other = case_with_loss(customer_email="other@example.com")
    case_take_ownership(case=other, user=alice)
    offer = offer_make(case=other, user=alice, demand_kind="refund_full", demand_amount="120.00")
    assert choice(as_alice, case, offer.pk, {"none": True}).status_code == 404


# Escalations and decisions ---------------------------------------------------------------------------


@pytest.fixture
def declined(case, alice):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    offer_decline(offer=offer, user=alice)
    return offer


def test_escalating_before_the_customer_declined_is_a_409(as_alice, case):
    response = as_alice.post(f"/cases/{case.reference}/escalations", {"note": "Now."})
    assert response.status_code == 409 and not Escalation.objects.exists()


def test_an_escalation_carries_the_story(as_alice, case, declined):
    response = as_alice.post(f"/cases/{case.reference}/escalations", {"note": "Second blender."})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["demand_kind"], body["demand_amount"], body["raised_by"]) == (
        "pending",
        "refund_full",
        "120.00",
        "alice",
    )
    assert body["story"]["note"] == "Second blender." and len(body["story"]["offered"]) == 3
    assert body["authorization"] is None


def test_only_managers_see_pending_escalations_and_decide(as_alice, case, declined, alice):
    escalation = escalation_open(case=case, user=alice)
    assert as_alice.get("/escalations").status_code == 403
    response = as_alice.post(f"/escalations/{escalation.pk}/decision", {"decision": "approve"})
    assert response.status_code == 403
    assert Escalation.objects.get().status == EscalationStatus.PENDING


def test_a_manager_approves_and_the_employee_grants_under_the_authorization(client, as_bob, case, declined, alice, bob):
    escalation = escalation_open(case=case, user=alice)
    assert [e["id"] for e in as_bob.get("/escalations").json()] == [escalation.pk]
    response = as_bob.post(f"/escalations/{escalation.pk}/decision", {"decision": "approve", "note": "Yes."})
    assert response.status_code == 200
    authorization = response.json()["authorization"]
    assert (authorization["employee"], authorization["approved_by"], authorization["max_amount"]) == (
        "alice",
        "bob",
        "120.00",
    )
    as_alice = Api(client, alice)
    listed = as_alice.get(f"/cases/{case.reference}/escalations").json()
    assert listed[0]["authorization"]["id"] == authorization["id"]
    body = {
        "remedy_type_id": remedy("refund-full").pk,
        "amount": "120.00",
        "authorization_id": authorization["id"],
        "order_reference": "ORD-1001",
    }
    granted = as_alice.post(grants(case), body)
    assert granted.status_code == 201
    assert (granted.json()["charged_to"], granted.json()["authorized_by"]) == ("bob", "bob")
    again = as_alice.post(grants(case), body)
    assert again.status_code == 409 and "already used" in again.json()["detail"]
    assert Grant.objects.count() == 1


def test_a_manager_taking_over_becomes_the_owner(as_bob, case, declined, alice, bob):
    escalation = escalation_open(case=case, user=alice)
    response = as_bob.post(f"/escalations/{escalation.pk}/decision", {"decision": "take_over", "note": "Mine."})
    assert response.status_code == 200 and response.json()["status"] == "taken_over"
    assert Case.objects.get(pk=case.pk).owner == bob and not Authorization.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "deny"}, "decision"),
        ({"decision": "reject"}, "decision"),
        ({"decision": "approve", "amount": "-3"}, "amount"),
        ({"decision": "approve", "amount": 50.5}, "amount"),
        ({"decision": "approve", "remedy_type_id": 424242}, "remedy_type_id"),
        ({"decision": "approve", "amount": "900.00", "remedy_type_id": None}, "amount"),
    ],
)
def test_a_bad_decision_is_a_422_and_nothing_is_decided(as_bob, case, declined, alice, body, field):
    escalation = escalation_open(case=case, user=alice)
    response = as_bob.post(f"/escalations/{escalation.pk}/decision", body)
    assert response.status_code == 422 and field in response.json()["errors"], response.content
    assert Escalation.objects.get().status == EscalationStatus.PENDING and not Authorization.objects.exists()


def test_another_teams_manager_cannot_decide(client, south, case, declined, alice):
    dave = make_staff("dave", Role.MANAGER, south)
    escalation = escalation_open(case=case, user=alice)
    as_dave = Api(client, dave)
    assert as_dave.get("/escalations").json() == []
    assert as_dave.post(f"/escalations/{escalation.pk}/decision", {"decision": "take_over"}).status_code == 404
    assert Escalation.objects.get().status == EscalationStatus.PENDING


def test_an_approved_authorization_cannot_be_used_by_someone_else(client, as_bob, case, declined, alice, north):
    escalation = escalation_open(case=case, user=alice)
    as_bob.post(f"/escalations/{escalation.pk}/decision", {"decision": "approve"})
    erin = make_staff("erin", Role.FRONTLINE, north)
    response = Api(client, erin).post(
        grants(case),
        {"remedy_type_id": remedy("refund-full").pk, "amount": "120.00",
         "authorization_id": Authorization.objects.get().pk, "order_reference": "O"},
    )  # fmt: skip
    assert response.status_code == 409 and not Grant.objects.exists()


# The loss ----------------------------------------------------------------------------------------------


def test_the_loss_is_recorded_through_the_api(as_alice, case):
    body = {"loss_kind": "money", "severity": "severe", "loss_amount": "75.50", "business_at_fault": True}
    response = as_alice.post(f"/cases/{case.reference}/loss", body, method="put")
    assert response.status_code == 200
    assert response.json() == {
        "case": case.reference,
        "loss_kind": "money",
        "loss_amount": "75.50",
        "loss_currency": "USD",
        "severity": "severe",
        "business_at_fault": True,
        "repeat_failure": False,
    }
    assert Case.objects.get(pk=case.pk).loss_amount == Decimal("75.50")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"loss_kind": "sadness", "severity": "minor"}, "loss_kind"),
        ({"loss_kind": "money", "severity": "apocalyptic"}, "severity"),
        ({"loss_kind": "money", "severity": "minor", "loss_amount": 10.1}, "loss_amount"),
        ({"loss_kind": "money", "severity": "minor", "loss_amount": "-10"}, "loss_amount"),
        ({"loss_kind": "money", "severity": "minor", "loss_amount": "10", "loss_currency": "US"}, "loss_currency"),
    ],
)
def test_a_bad_loss_is_a_422(as_alice, case, body, field):
    response = as_alice.post(f"/cases/{case.reference}/loss", body, method="put")
    assert response.status_code == 422 and field in response.json()["errors"]
    assert Case.objects.get(pk=case.pk).loss_kind == "faulty_product"


def test_charlie_cannot_record_a_loss_on_a_north_case(as_charlie, case):
    response = as_charlie.post(
        f"/cases/{case.reference}/loss", {"loss_kind": "money", "severity": "minor"}, method="put"
    )
    assert response.status_code == 404


# The schema ---------------------------------------------------------------------------------------------


def test_the_schema_declares_errors_and_money_as_strings():
    schema = api.get_openapi_schema()
    paths = schema["paths"]
    create = paths["/api/v1/cases/{reference}/grants"]["post"]
    assert {"201", "401", "403", "404", "409", "422"} <= {str(code) for code in create["responses"]}
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    decision = paths["/api/v1/escalations/{escalation_id}/decision"]["post"]
    assert {"200", "403", "404", "409", "422"} <= {str(code) for code in decision["responses"]}
    components = schema["components"]["schemas"]
    assert components["GrantOut"]["properties"]["cost"]["type"] == "string"
    assert components["DecisionIn"]["properties"]["decision"]["enum"] == ["approve", "take_over"]
    for path, methods in paths.items():
        for operation in methods.values():
            text = (path + operation.get("operationId", "") + operation.get("summary", "")).lower()
            assert "deny" not in text and "reject" not in text
