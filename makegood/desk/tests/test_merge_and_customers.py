"""A customer's history page, duplicates offered for merging on the case page, and the merge
(one service for the page and `POST /v1/cases/{reference}/merge`)."""

import pytest

from makegood.accounts.services import api_token_issue
from makegood.cases.models import AuditEntry, Case
from makegood.cases.services import (
    CaseActionError,
    case_add_customer_message,
    case_record_response,
    case_take_ownership,
)
from makegood.cases.tests.factories import make_case
from makegood.desk.merge import case_merge
from makegood.desk.models import CaseMerge

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice(north, alice):
    """The same customer wrote twice about one broken kettle."""
    first = make_case(customer_name="Priya Raman", customer_email="priya@example.com", story="My kettle leaks.")
    case_take_ownership(case=first, user=alice)
    case_record_response(case=first, user=alice, kind="contact", body="Called Priya about the kettle.")
    second = make_case(customer_name="Priya Raman", customer_email="priya@example.com", story="Still leaking!")
    case_add_customer_message(case=second, body="Any news about my kettle?")
    return first, second


def test_a_new_case_of_a_customer_with_an_open_case_shows_it_and_offers_to_merge(client, alice, twice):
    first, second = twice
    client.force_login(alice)
    html = client.get(f"/cases/{second.reference}/").content.decode()
    assert 'data-testid="other-open"' in html and f"/cases/{first.reference}/" in html
    assert f'action="/cases/{second.reference}/merge/"' in html and f"Merge into {first.reference}" in html
    assert f"/customers/{second.customer_id}/" in html


def test_merging_closes_the_duplicate_and_keeps_both_timelines_and_the_audit(client, alice, twice):
    first, second = twice
    client.force_login(alice)
    before = set(second.events.values_list("pk", flat=True))
    response = client.post(f"/cases/{second.reference}/merge/", {"into": first.reference})
    assert response.status_code == 302 and response["Location"] == f"/cases/{first.reference}/"
    second.refresh_from_db()
    assert second.status == "closed" and CaseMerge.objects.get(source=second).target == first
    assert before <= set(second.events.values_list("pk", flat=True))  # nothing of its timeline removed
    assert second.events.filter(kind="merged_into").exists() and first.events.filter(kind="merged_from").exists()
    assert AuditEntry.objects.filter(action="case.merged", object_id=str(second.pk)).exists()
    assert AuditEntry.objects.filter(action="case.merged_from", object_id=str(first.pk)).exists()
    page = client.get(f"/cases/{first.reference}/").content.decode()
    assert 'data-testid="merged-timelines"' in page and "Any news about my kettle?" in page
    old = client.get(f"/cases/{second.reference}/").content.decode()
    assert 'data-testid="merged-into"' in old and 'data-testid="other-open"' not in old


def test_cases_of_different_customers_are_not_merged(alice, twice):
    other = make_case(customer_email="someone@example.com")
    with pytest.raises(CaseActionError):
        case_merge(source=other, target=twice[0], by=alice)
    assert Case.objects.get(pk=other.pk).status == "new"


def test_a_case_is_not_merged_into_itself_or_twice(alice, twice):
    first, second = twice
    with pytest.raises(CaseActionError):
        case_merge(source=first, target=first, by=alice)
    case_merge(source=second, target=first, by=alice)
    with pytest.raises(CaseActionError):
        case_merge(source=second, target=first, by=alice)
    with pytest.raises(CaseActionError):
        case_merge(source=first, target=second, by=alice)


def test_charlie_can_neither_merge_nor_see_the_offer(client, charlie, twice):
    first, second = twice
    client.force_login(charlie)
    assert client.post(f"/cases/{second.reference}/merge/", {"into": first.reference}).status_code == 404
    assert Case.objects.get(pk=second.pk).status == "new"
    with pytest.raises(CaseActionError):
        case_merge(source=second, target=first, by=charlie)


def test_the_api_merges_with_the_same_service(client, alice, charlie, twice):
    first, second = twice
    theirs = api_token_issue(user=charlie)
    url = f"/api/v1/cases/{second.reference}/merge"
    response = client.post(
        url, {"into": first.reference}, content_type="application/json", headers={"Authorization": f"Bearer {theirs}"}
    )
    assert response.status_code == 404
    token = api_token_issue(user=alice)
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post(url, {"into": first.reference}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["reference"] == first.reference
    assert CaseMerge.objects.get(source=second).target == first
    again = client.post(url, {"into": first.reference}, content_type="application/json", headers=headers)
    assert again.status_code == 409


def test_the_customer_page_shows_every_case_and_contact(client, alice, twice):
    first, second = twice
    client.force_login(alice)
    html = client.get(f"/customers/{first.customer_id}/").content.decode()
    assert first.reference in html and second.reference in html
    assert "Called Priya about the kettle." in html and "Any news about my kettle?" in html
    assert 'data-testid="customer-remedies"' not in html and "Nothing granted yet." in html


def test_the_customer_page_shows_remedies(client, alice, twice):
    from makegood.remedies.catalogs import catalog_load
    from makegood.remedies.models import RemedyType
    from makegood.remedies.services import remedy_grant

    catalog_load(name="online_shop")
    remedy_grant(case=twice[0], user=alice, remedy_type=RemedyType.objects.get(code="handwritten-note"))
    client.force_login(alice)
    html = client.get(f"/customers/{twice[0].customer_id}/").content.decode()
    assert 'data-testid="customer-remedies"' in html
    assert RemedyType.objects.get(code="handwritten-note").name in html


def test_charlie_gets_404_for_a_customer_of_another_team(client, charlie, twice):
    client.force_login(charlie)
    assert client.get(f"/customers/{twice[0].customer_id}/").status_code == 404
    assert client.get("/customers/999999/").status_code == 404


def test_a_customer_with_cases_in_two_teams_shows_each_team_only_its_own(client, charlie, south, twice):
    theirs = make_case(customer_email="priya@example.com", story="The south shop too.", team=south)
    client.force_login(charlie)
    html = client.get(f"/customers/{theirs.customer_id}/").content.decode()
    assert theirs.reference in html and twice[0].reference not in html and "Called Priya" not in html
