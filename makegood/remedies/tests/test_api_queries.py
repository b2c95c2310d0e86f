"""The remedies API's list endpoints read what they show in a fixed number of queries, however many
rows they list (pinned here: a new query per row would show as a failure)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.remedies.models import Authorization, Escalation, EscalationStatus, RemedyType
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, offer_make

pytestmark = pytest.mark.django_db

# A bearer token's request: the token (with its user) is read on every call; its permissions are
# remembered per process after the first (see makegood/api.py).
TOKEN = 1
# The case by reference, with what the case page's header shows.
CASE = 1

CATALOG_QUERIES = TOKEN + 1
GRANT_LIST_QUERIES = TOKEN + CASE + 1
ESCALATIONS_FOR_CASE_QUERIES = TOKEN + CASE + 1
PENDING_ESCALATIONS_QUERIES = TOKEN + 1


class Api:
    def __init__(self, client, user) -> None:
        self.client, self.auth = client, {"Authorization": f"Bearer {api_token_issue(user=user)}"}

    def get(self, path: str):
        response = self.client.get("/api/v1" + path, headers=self.auth)
        assert response.status_code == 200, response.content
        return response.json()


def _case(alice, n: int):
    case = case_with_loss(customer_email=f"c{n}@example.com", external_id=f"ORD-{n}")
    case_take_ownership(case=case, user=alice)
    return case


def _escalate(case, alice, bob, *, approve: bool) -> Escalation:
    """An escalation written directly (the services are tested elsewhere), approved or pending."""
    escalation = Escalation.objects.create(
        case=case,
        raised_by=alice,
        currency="USD",
        demand_kind="refund_full",
        status=EscalationStatus.APPROVED if approve else EscalationStatus.PENDING,
        decided_by=bob if approve else None,
    )
    if approve:
        Authorization.objects.create(
            escalation=escalation,
            case=case,
            employee=alice,
            approved_by=bob,
            remedy_kind="refund_full",
            max_cost="120.00",
            currency="USD",
            expires_at=timezone.now() + timedelta(days=1),
        )
    return escalation


def test_the_catalog_is_one_query(client, shop, alice, django_assert_num_queries):
    api = Api(client, alice)
    api.get("/remedies")  # remembers the token's permissions
    with django_assert_num_queries(CATALOG_QUERIES):
        listed = api.get("/remedies")
    assert len(listed) == RemedyType.objects.filter(active=True).count() > 3


@pytest.mark.parametrize("grants", [1, 4])
def test_a_cases_grants_are_one_query_however_many(client, shop, alice, django_assert_num_queries, grants):
    case = _case(alice, 0)
    for code in ["handwritten-note", "free-accessory", "express-shipping", "product-expert"][:grants]:
        remedy_grant(case=case, user=alice, remedy_type=RemedyType.objects.get(code=code))
    api = Api(client, alice)
    api.get("/remedies")
    with django_assert_num_queries(GRANT_LIST_QUERIES):
        listed = api.get(f"/cases/{case.reference}/grants")
    assert len(listed) == grants and {g["granted_by"] for g in listed} == {"alice"}


def test_a_cases_escalations_with_their_approvals_are_one_query(client, shop, alice, bob, django_assert_num_queries):
    case = _case(alice, 0)
    for _ in range(3):
        _escalate(case, alice, bob, approve=True)
    api = Api(client, alice)
    api.get("/remedies")
    with django_assert_num_queries(ESCALATIONS_FOR_CASE_QUERIES):
        listed = api.get(f"/cases/{case.reference}/escalations")
    assert [e["authorization"]["approved_by"] for e in listed] == ["bob"] * 3
    assert {e["raised_by"] for e in listed} == {"alice"} and {e["case"] for e in listed} == {case.reference}


@pytest.mark.parametrize("pending", [1, 5])
def test_pending_escalations_are_one_query_however_many(client, shop, alice, bob, django_assert_num_queries, pending):
    for n in range(pending):
        _escalate(_case(alice, n), alice, bob, approve=False)
    api = Api(client, bob)
    api.get("/remedies")
    with django_assert_num_queries(PENDING_ESCALATIONS_QUERIES):
        listed = api.get("/escalations")
    assert len(listed) == pending and all(e["authorization"] is None and e["raised_by"] == "alice" for e in listed)


def test_the_remedy_state_of_a_case_takes_the_same_queries_with_more_on_it(client, shop, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Api(client, alice)
    api.get("/remedies")

    def queries(case) -> int:
        with CaptureQueriesContext(connection) as captured:
            api.get(f"/cases/{case.reference}/remedies")
        return len(captured)

    few = _case(alice, 0)
    remedy_grant(case=few, user=alice, remedy_type=RemedyType.objects.get(code="handwritten-note"))
    offer_make(case=few, user=alice, demand_amount="120.00")
    many = _case(alice, 1)
    for code in ["handwritten-note", "free-accessory", "express-shipping"]:
        remedy_grant(case=many, user=alice, remedy_type=RemedyType.objects.get(code=code))
    offer_make(case=many, user=alice, demand_amount="120.00")
    assert queries(few) == queries(many)


def test_charlie_gets_nothing_from_the_remedy_state_of_a_north_case(client, shop, alice, charlie):
    case = _case(alice, 0)
    response = client.get(
        f"/api/v1/cases/{case.reference}/remedies", headers={"Authorization": f"Bearer {api_token_issue(user=charlie)}"}
    )
    assert response.status_code == 404 and "can_act" not in response.json()


def test_a_role_that_may_not_grant_sees_the_state_without_actions(client, shop, alice, north):
    case = _case(alice, 0)
    olivia = make_staff("olivia", Role.PROCESS_OWNER, north)
    state = Api(client, olivia).get(f"/cases/{case.reference}/remedies")
    assert (state["can_act"], state["authority"], state["grantable"]) == (False, None, [])
    assert state["why_not"] == "You may not grant remedies."
