"""The improvement pages and API: what each role sees, suggestions, telling customers, CSVs."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from makegood.accounts.models import ApiToken
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.causes.models import Cause, Failure
from makegood.causes.services import case_cause_set
from makegood.improvement.models import (
    ActionState,
    FixAnnouncement,
    ImprovementAction,
    SuggestionGroup,
    SuggestionStatus,
)
from makegood.improvement.services import action_advance, action_open
from makegood.improvement.tests.helpers import TODAY
from makegood.recovery.models import Suggestion

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user)[1]}"}


@pytest.fixture
def courier(db):
    return Cause.objects.get(name="Courier lost or damaged the delivery")


def caused_case(owner, cause, **fields):
    case = case_take_ownership(case=make_case(**fields), user=owner)
    case_cause_set(case=case, user=owner, cause=cause, failure=Failure.SYSTEM)
    return case


def live_fix(olga, courier, cases=()):
    action = action_open(
        cause=courier,
        user=olga,
        title="Photograph every delivery",
        owner=olga,
        due_on=TODAY,
        expected_reduction=30,
        review_on=TODAY + timedelta(weeks=8),
        cases=cases,
    )
    return action_advance(action=action_advance(action=action, user=olga), user=olga)


def test_the_pareto_page_draws_the_chart_with_a_table_and_a_csv(
    client, olga, alice, courier, django_assert_max_num_queries
):
    for _ in range(3):
        caused_case(alice, courier)
    client.force_login(olga)
    with django_assert_max_num_queries(16):
        html = client.get("/improvement/").content.decode()
    assert "<svg" in html and 'data-testid="pareto-table"' in html
    assert courier.label in html and f"/improvement/causes/{courier.pk}/" in html
    csv = client.get("/improvement/causes.csv").content.decode().splitlines()
    assert csv[0].startswith("category,cause,complaints")
    assert csv[1].startswith("Partner or vendor,Courier lost or damaged the delivery,3,3,0")


def test_the_cause_page_opens_a_fix_with_linked_cases(client, olga, alice, courier):
    case = caused_case(alice, courier)
    client.force_login(olga)
    page = client.get(f"/improvement/causes/{courier.pk}/")
    assert page.status_code == 200 and case.reference in page.content.decode()
    assert client.get(f"/improvement/causes/{courier.pk}/weekly.csv").content.decode().startswith("week,complaints")
    response = client.post(
        f"/improvement/causes/{courier.pk}/",
        {
            "title": "Photograph every delivery",
            "owner": olga.pk,
            "due_on": "2026-07-01",
            "expected_reduction": "30",
            "review_on": "2026-10-01",
            "cases": [str(case.pk)],
        },
    )
    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/improvement/fixes/{action.pk}/"
    assert list(action.cases.all()) == [case]
    assert client.get(f"/improvement/fixes/{action.pk}/").status_code == 200
    assert client.get(f"/improvement/fixes/{action.pk}/effect.csv").status_code == 200


def test_an_employee_of_another_team_sees_none_of_it(client, olga, alice, charlie, courier):
    case = caused_case(alice, courier)
    action = live_fix(olga, courier, cases=[case])
    Suggestion.objects.create(case=case, text="Photograph the parcel.")
    group = SuggestionGroup.objects.get()
    client.force_login(charlie)
    for url in ("/improvement/", "/improvement/causes.csv", f"/improvement/causes/{courier.pk}/"):
        assert client.get(url).status_code == 403, url
    for url in (f"/improvement/fixes/{action.pk}/", f"/improvement/fixes/{action.pk}/effect.csv"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/improvement/fixes/{action.pk}/advance/").status_code == 404
    assert client.post(f"/improvement/suggestions/{group.pk}/decide/", {"status": "adopted"}).status_code == 404
    assert "Photograph the parcel" not in client.get("/improvement/suggestions/").content.decode()
    assert client.get("/improvement/volumes/").status_code == 403
    assert client.get("/history/import/").status_code == 403
    auth = bearer(charlie)
    assert client.get("/api/v1/improvement/pareto", **auth).status_code == 403
    assert client.get("/api/v1/improvement/actions", **auth).json() == []
    assert client.get(f"/api/v1/improvement/actions/{action.pk}", **auth).status_code == 404
    assert client.get("/api/v1/improvement/suggestions", **auth).json() == []
    assert client.post("/api/v1/volumes", {"weeks": []}, content_type="application/json", **auth).status_code == 403


def test_a_manager_of_another_team_counts_only_her_team_s_cases(client, alice, mona, courier):
    caused_case(alice, courier)
    client.force_login(mona)
    assert client.get("/improvement/").status_code == 200
    assert client.get("/api/v1/improvement/pareto", **bearer(mona)).json() == []


def test_near_duplicate_suggestions_are_grouped_under_the_case_s_cause_and_adoption_thanks_each(
    client, olga, alice, courier, django_capture_on_commit_callbacks
):
    cases = [caused_case(alice, courier, customer_email=f"c{i}@example.com") for i in range(3)]
    early = make_case(customer_email="early@example.com")  # no cause yet
    Suggestion.objects.create(case=cases[0], text="Send a photo when the parcel is delivered.")
    Suggestion.objects.create(case=cases[1], text="Please send a photo of the delivered parcel")
    Suggestion.objects.create(case=cases[2], text="Open on Sundays.")
    Suggestion.objects.create(case=early, text="Send a photo of the parcel when delivered!")
    assert sorted(SuggestionGroup.objects.filter(cause=courier).values_list("size", flat=True)) == [1, 2]
    assert SuggestionGroup.objects.get(cause__isnull=True).size == 1
    case_cause_set(case=case_take_ownership(case=early, user=alice), user=alice, cause=courier, failure=Failure.SYSTEM)
    photo = SuggestionGroup.objects.get(cause=courier, size=3)  # the early one moved in
    assert not SuggestionGroup.objects.filter(cause__isnull=True).exists()
    client.force_login(olga)
    assert "3 customers" in client.get("/improvement/suggestions/").content.decode()
    mail.outbox.clear()
    missing = client.post(f"/improvement/suggestions/{photo.pk}/decide/", {"status": "adopted"})
    assert missing.status_code == 302
    assert SuggestionGroup.objects.get(pk=photo.pk).status == SuggestionStatus.NEW
    with_change = {"status": "adopted", "what_changed": "Couriers now photograph every parcel they deliver."}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/improvement/suggestions/{photo.pk}/decide/", with_change)
    assert SuggestionGroup.objects.get(pk=photo.pk).status == SuggestionStatus.ADOPTED
    assert sorted(m.to[0] for m in mail.outbox) == ["c0@example.com", "c1@example.com", "early@example.com"]
    assert "Couriers now photograph" in mail.outbox[0].body


def test_telling_customers_it_is_fixed_is_coached_previewed_and_sent_once_each(
    client, olga, alice, courier, django_capture_on_commit_callbacks
):
    cases = [caused_case(alice, courier, customer_email="same@example.com") for _ in range(2)]
    other = caused_case(alice, courier, customer_email="other@example.com")
    action = live_fix(olga, courier, cases=[*cases, other])
    client.force_login(olga)
    url = f"/improvement/fixes/{action.pk}/announce/"
    refused = client.post(url, {"body": "No, we can't refund that. Thank you.", "confirm": "1"})
    assert refused.status_code == 400
    assert "tells the customer no" in refused.content.decode()
    assert not FixAnnouncement.objects.exists()
    preview = client.post(url, {"body": "What went wrong with your delivery has been fixed. Thank you for telling us."})
    assert "It goes to 2 customers" in preview.content.decode()
    mail.outbox.clear()
    body = "What went wrong with your delivery has been fixed. Thank you for telling us."
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"body": body, "confirm": "1"})
    assert sent.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.com", "same@example.com"]
    client.post(url, {"body": "Fixed, thank you.", "confirm": "1"})
    assert FixAnnouncement.objects.count() == 2


def test_the_api_opens_a_fix_moves_it_and_reads_its_effect(client, olga, alice, courier):
    case = caused_case(alice, courier)
    auth = bearer(olga)
    created = client.post(
        "/api/v1/improvement/actions",
        {
            "cause": courier.pk,
            "title": "Photograph every delivery",
            "owner": "olga",
            "due_on": "2026-07-01",
            "expected_reduction": 30,
            "review_on": "2026-10-01",
            "cases": [case.reference],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "open" and body["cases"] == [case.reference] and body["effect"] is None
    moved = client.post(
        f"/api/v1/improvement/actions/{body['id']}/advance", {}, content_type="application/json", **auth
    )
    assert moved.json()["state"] == ActionState.IN_PROGRESS
    live = client.post(
        f"/api/v1/improvement/actions/{body['id']}/advance", {}, content_type="application/json", **auth
    ).json()
    assert live["state"] == "live" and live["effect"]["weeks_after"] == 0
    refused = client.post(
        f"/api/v1/improvement/actions/{body['id']}/review", {}, content_type="application/json", **auth
    )
    assert refused.status_code == 409


def test_the_api_records_volumes_and_lists_suggestions(client, olga, alice, courier):
    auth = bearer(olga)
    recorded = client.post(
        "/api/v1/volumes", {"weeks": [{"week": "2026-06-03", "volume": 900}]}, content_type="application/json", **auth
    )
    assert recorded.json()["recorded"] == 1
    Suggestion.objects.create(case=caused_case(alice, courier), text="Photograph the parcel.")
    groups = client.get("/api/v1/improvement/suggestions", **auth).json()
    assert groups[0]["size"] == 1 and groups[0]["cause_label"] == courier.label


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_the_volumes_page_takes_a_csv_and_reports_bad_lines(client, olga):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(olga)
    good = SimpleUploadedFile("v.csv", b"week,volume\n2026-06-01,800\n2026-06-10,900\n")
    assert client.post("/improvement/volumes/", {"file": good}).status_code == 302
    bad = SimpleUploadedFile("v.csv", b"week,volume\n2026-13-01,800\n2026-06-10,-5\n")
    html = client.post("/improvement/volumes/", {"file": bad}).content.decode()
    assert "Line 2" in html and "Line 3" in html
