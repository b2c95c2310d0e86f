"""The root-cause panel of the case page and the causes API: the same service, the same permissions."""

import pytest
from django.core import signing

from makegood.accounts.models import ApiToken
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.causes.models import CaseCause, Choice, Failure, Source
from makegood.causes.views import SHOWN_SALT

pytestmark = pytest.mark.django_db

PARCEL = "The courier marked my parcel delivered but it never arrived; tracking is stuck."


def bearer(user):
    _token, plain = ApiToken.issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def test_the_panel_shows_three_suggestions_and_their_source(client, alice):
    case = make_case(story=PARCEL)
    client.force_login(alice)
    html = client.get(f"/cases/{case.reference}/cause/").content.decode()
    assert "Courier lost or damaged the delivery" in html
    assert "(keyword rules)" in html
    assert html.count('data-testid="cause-choice"') <= 4  # three suggestions and "another cause"
    assert "The system or a process" in html and "A one-off by a person" in html


def test_taking_the_first_suggestion_on_the_page_is_recorded_as_such(client, alice, delivery):
    case = case_take_ownership(case=make_case(story=PARCEL), user=alice)
    client.force_login(alice)
    html = client.get(f"/cases/{case.reference}/cause/").content.decode()
    shown = html.split('name="shown" value="')[1].split('"')[0]
    response = client.post(
        f"/cases/{case.reference}/cause/", {"pick": str(delivery.pk), "failure": "system", "shown": shown}
    )
    assert response.status_code == 302
    set_ = CaseCause.objects.get(case=case)
    assert (set_.cause, set_.failure, set_.choice, set_.source) == (
        delivery,
        Failure.SYSTEM,
        Choice.FIRST,
        Source.RULES,
    )


def test_another_cause_needs_a_choice_and_a_tampered_list_counts_as_nothing_shown(client, alice, weather):
    case = make_case(story=PARCEL)
    client.force_login(alice)
    missing = client.post(f"/cases/{case.reference}/cause/", {"pick": "other", "failure": "system"})
    assert missing.status_code == 400
    assert "Choose the cause." in missing.content.decode()
    forged = signing.dumps({"source": "model", "items": [{"cause": weather.pk}]}, salt="not-ours")
    client.post(
        f"/cases/{case.reference}/cause/", {"pick": "other", "other": weather.pk, "failure": "person", "shown": forged}
    )
    set_ = CaseCause.objects.get(case=case)
    assert (set_.cause, set_.choice) == (weather, Choice.NOT_SUGGESTED)
    assert signing.loads(signing.dumps({"a": 1}, salt=SHOWN_SALT), salt=SHOWN_SALT) == {"a": 1}


def test_an_employee_of_another_team_sees_no_panel_and_cannot_post(client, north, charlie, delivery):
    case = make_case(story=PARCEL)
    client.force_login(charlie)
    assert client.get(f"/cases/{case.reference}/cause/").status_code == 404
    assert client.post(f"/cases/{case.reference}/cause/", {"pick": delivery.pk, "failure": "system"}).status_code == 404
    assert not CaseCause.objects.exists()


def test_the_api_reads_and_writes_the_cause_by_id_or_label(client, alice, delivery):
    case = make_case(story=PARCEL)
    auth = bearer(alice)
    empty = client.get(f"/api/v1/cases/{case.reference}/cause", **auth).json()
    assert empty == {
        "case": case.reference,
        "cause": None,
        "failure": None,
        "set_by": None,
        "set_at": None,
        "choice": None,
    }
    put = client.put(
        f"/api/v1/cases/{case.reference}/cause",
        {"cause": "Partner or vendor / Courier lost or damaged the delivery", "failure": "system"},
        content_type="application/json",
        **auth,
    )
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["cause"]["id"] == delivery.pk
    assert body["failure"] == "system"
    assert body["choice"] == "first"  # the rules ranked it first for this story
    assert client.get(f"/api/v1/cases/{case.reference}/cause", **auth).json()["cause"]["label"] == delivery.label


def test_the_api_refuses_an_unknown_cause_and_a_bad_failure(client, alice):
    case = make_case(story=PARCEL)
    auth = bearer(alice)
    unknown = client.put(
        f"/api/v1/cases/{case.reference}/cause",
        {"cause": "Nope / Nothing", "failure": "system"},
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 422
    assert "cause" in unknown.json()["errors"]
    bad = client.put(
        f"/api/v1/cases/{case.reference}/cause",
        {"cause": 1, "failure": "both"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422


def test_the_api_suggests_and_lists_the_taxonomy(client, alice):
    case = make_case(story=PARCEL)
    auth = bearer(alice)
    suggestions = client.get(f"/api/v1/cases/{case.reference}/cause/suggestions", **auth).json()
    assert suggestions["source"] == "rules"
    assert suggestions["items"][0]["label"] == "Partner or vendor / Courier lost or damaged the delivery"
    causes = client.get("/api/v1/causes", **auth).json()
    assert {"Process", "Product", "Partner or vendor", "Staff and training", "Policy", "Technology", "External"} <= {
        c["category"] for c in causes
    }


def test_the_api_shows_another_team_s_case_cause_to_nobody(client, north, charlie):
    case = make_case(story=PARCEL)
    auth = bearer(charlie)
    assert client.get(f"/api/v1/cases/{case.reference}/cause", **auth).status_code == 404
    assert client.get(f"/api/v1/cases/{case.reference}/cause/suggestions", **auth).status_code == 404
    put = client.put(
        f"/api/v1/cases/{case.reference}/cause",
        {"cause": 1, "failure": "system"},
        content_type="application/json",
        **auth,
    )
    assert put.status_code == 404
