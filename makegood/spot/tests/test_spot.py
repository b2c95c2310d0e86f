"""Recoveries on the spot (spot/services.py), through the page and the API: recorded without
contact details, owned and resolved in one go, counted like any case, and plainly without an
acknowledgement or a follow-up."""

import pytest
from django.core import mail

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Status
from makegood.cases.tests.factories import make_staff
from makegood.causes.models import CaseCause, Cause
from makegood.followup.models import FollowUp
from makegood.intake.forms import form_token_new

pytestmark = pytest.mark.django_db

URL = "/cases/on-the-spot/"


@pytest.fixture
def stage_resolve_guards():
    """Every resolve guard stays on: a recovery on the spot must bring its root cause too."""
    return None


@pytest.fixture
def rude(db) -> Cause:
    return Cause.objects.get(name="Rude or dismissive treatment")


def fields(chosen: Cause, **overrides: str) -> dict[str, str]:
    data = {
        "channel": "in_person",
        "name": "",
        "story": "The soup was cold and the waiter shrugged.",
        "what_we_did": "Replaced the meal and did not charge for it; the manager apologised.",
        "cause": str(chosen.pk),
        "failure": "person",
    }
    data.update(overrides)
    return data


def test_the_page_says_plainly_that_nothing_can_be_sent(client, alice):
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "No acknowledgement and no follow-up can be sent" in html


def test_a_recovery_on_the_spot_is_opened_owned_answered_and_resolved_in_one_go(
    client, alice, north, rude, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, fields(rude))
    case = Case.objects.select_related("customer").get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    assert (case.status, case.owner, case.team, case.channel) == (Status.RESOLVED, alice, north, "in_person")
    assert case.first_responded_at is not None and case.resolved_at is not None
    assert (case.customer.email, case.customer.phone) == ("", "")
    assert CaseCause.objects.get(case=case).cause == rude
    kinds = list(case.events.order_by("at", "pk").values_list("kind", flat=True))
    assert EventKind.OWNERSHIP_TAKEN in kinds and EventKind.CONTACT in kinds and kinds[-1] != EventKind.RECEIVED
    note = case.events.get(kind=EventKind.NOTE, data__spot=True)
    assert "no acknowledgement and no follow-up can be sent" in note.body
    assert mail.outbox == []
    assert not FollowUp.objects.filter(case=case).exists()


def test_it_counts_in_the_figures_like_any_resolved_case(client, alice, rude):
    client.force_login(alice)
    client.post(URL, fields(rude))
    listed = client.get(
        "/api/v1/cases?status=resolved", headers={"Authorization": f"Bearer {api_token_issue(user=alice)}"}
    )
    assert listed.json()["count"] == 1


def test_what_was_typed_comes_back_with_the_reasons(client, alice, rude):
    client.force_login(alice)
    response = client.post(URL, fields(rude, what_we_did="", cause=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say what you did on the spot to put it right." in html and "Choose the root cause." in html
    assert "The soup was cold" in html
    assert not Case.objects.exists()


def test_a_double_submit_records_one_case(client, alice, rude):
    client.force_login(alice)
    data = fields(rude, form_token=form_token_new())
    client.post(URL, data)
    client.post(URL, data)
    assert Case.objects.count() == 1


def test_the_api_records_one_with_the_same_service(client, alice, rude):
    token = api_token_issue(user=alice)
    payload = {
        "channel": "phone",
        "story": "Billed twice for one repair.",
        "what_we_did": "Refunded the second charge while on the call.",
        "cause": f"{rude.category.name} / {rude.name}",
        "failure": "system",
        "idempotency_key": "call-77",
    }
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/cases/on-the-spot", payload, content_type="application/json", headers=auth)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "resolved" and created.json()["owner"]["username"] == "alice"
    again = client.post("/api/v1/cases/on-the-spot", payload, content_type="application/json", headers=auth)
    assert again.status_code == 200 and again.json()["reference"] == created.json()["reference"]
    wrong = client.post(
        "/api/v1/cases/on-the-spot",
        {**payload, "cause": "Nothing / Such", "idempotency_key": "x"},
        content_type="application/json",
        headers=auth,
    )
    assert wrong.status_code == 422 and "cause" in wrong.json()["errors"]


def test_only_live_channels_and_only_staff_who_record_complaints(client, north, rude):
    olga = make_staff("olga", Role.PROCESS_OWNER, north)
    client.force_login(olga)
    assert client.get(URL).status_code == 403
    token = api_token_issue(user=olga)
    refused = client.post(
        "/api/v1/cases/on-the-spot",
        {
            "channel": "in_person",
            "story": "x",
            "what_we_did": "y",
            "cause": f"{rude.category.name} / {rude.name}",
            "failure": "person",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 409
    assert not Case.objects.exists()
