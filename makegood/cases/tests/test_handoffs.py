"""Hand-offs and internal notes (cases/handoffs.py), through the case page and the API: the
customer keeps one owner until the new team takes the case, and the timeline says who has it."""

import pytest
from django.core import mail

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.handoffs import case_note_add, case_transfer
from makegood.cases.kinds import EventKind, NotificationKind
from makegood.cases.models import AuditEntry, Case, Notification
from makegood.cases.services import CaseActionError, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(alice, north):
    case = make_case(team=north)
    return case_take_ownership(case=case, user=alice)


def api(client, user, method, path, data=None):
    token = api_token_issue(user=user)
    kwargs: dict[str, object] = {"headers": {"Authorization": f"Bearer {token}"}}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def kinds(case):
    return list(case.events.order_by("at", "pk").values_list("kind", flat=True))


def test_a_transfer_keeps_the_owner_and_team_until_the_new_team_takes_it(owned, alice, south, charlie):
    case = case_transfer(case=owned, user=alice, to_team=south, reason="The bike was serviced at South.")
    case.refresh_from_db()
    assert (case.team.name, case.owner, case.transfer_team) == ("North", alice, south)
    line = case.events.get(kind=EventKind.TRANSFER_ASKED)
    assert "from North to South: The bike was serviced at South." in line.body
    assert "Alice Adams keeps the case until someone there takes it." in line.body
    notice = Notification.objects.get(kind=NotificationKind.TRANSFER_INCOMING)
    assert notice.team == south and "transferred to South by Alice Adams" in notice.message
    assert AuditEntry.objects.filter(action="case.transfer_asked").count() == 1

    # South sees it and takes it: the case moves to South and Charlie is the customer's person.
    taken = case_take_ownership(case=case, user=charlie)
    assert (taken.team, taken.owner, taken.transfer_team) == (south, charlie, None)
    assert kinds(taken)[-2:] == [EventKind.OWNERSHIP_TAKEN, EventKind.TRANSFER_TAKEN]
    assert "Charlie Clark (South) has the case now, taken over from Alice Adams." in (
        taken.events.get(kind=EventKind.TRANSFER_TAKEN).body
    )
    told = Notification.objects.get(kind=NotificationKind.TRANSFER_TAKEN)
    assert told.user == alice and "Charlie Clark of South took the case you transferred" in told.message


def test_the_old_team_keeps_seeing_who_has_it_and_the_new_team_sees_it_only_once_asked(
    client, owned, alice, south, charlie
):
    client.force_login(charlie)
    assert client.get(f"/cases/{owned.reference}/").status_code == 404
    case_transfer(case=owned, user=alice, to_team=south, reason="Serviced at South.")
    page = client.get(f"/cases/{owned.reference}/").content.decode()
    assert "Take it for South" in page
    transfers = client.get("/queue/transfers/").content.decode()
    assert owned.reference in transfers and "with Alice Adams until you take it" in transfers


def test_a_frontline_colleague_cannot_transfer_a_case_someone_else_owns(owned, north, south):
    carol = make_staff("carol", Role.FRONTLINE, north)
    with pytest.raises(CaseActionError):
        case_transfer(case=owned, user=carol, to_team=south, reason="Not mine.")
    assert Case.objects.get().transfer_team is None


def test_the_page_transfers_with_a_reason_and_refuses_without_one(client, owned, alice, south):
    client.force_login(alice)
    refused = client.post(f"/cases/{owned.reference}/transfer/", {"team": south.pk, "reason": " "})
    assert refused.status_code == 200
    assert "Say why the case should move" in refused.content.decode()
    assert Case.objects.get().transfer_team is None
    done = client.post(f"/cases/{owned.reference}/transfer/", {"team": south.pk, "reason": "Their workshop."})
    assert done.status_code == 302
    assert Case.objects.get().transfer_team == south
    page = client.get(f"/cases/{owned.reference}/").content.decode()
    assert "Waiting for <strong>South</strong> to take it." in page and "You keep the customer" in page
    client.post(f"/cases/{owned.reference}/transfer/withdraw/")
    assert Case.objects.get().transfer_team is None
    assert kinds(owned)[-1] == EventKind.TRANSFER_CANCELLED


def test_the_api_transfers_and_the_new_team_takes_it(client, owned, alice, south, charlie):
    assert api(client, charlie, "post", f"/cases/{owned.reference}/take").status_code == 404
    moved = api(client, alice, "post", f"/cases/{owned.reference}/transfer", {"team": "south", "reason": "Theirs."})
    assert moved.status_code == 200, moved.content
    assert moved.json() == {
        "reference": owned.reference,
        "team": {"slug": "north", "name": "North"},
        "transfer_team": {"slug": "south", "name": "South"},
        "owner": "alice",
    }
    taken = api(client, charlie, "post", f"/cases/{owned.reference}/take")
    assert taken.status_code == 200
    assert taken.json()["team"]["slug"] == "south" and taken.json()["owner"] == "charlie"
    # Alice neither owns nor filed it, and it is South's now: she no longer sees it.
    assert api(client, alice, "get", f"/cases/{owned.reference}").status_code == 404


def test_the_api_refuses_an_unknown_team_the_same_team_and_no_reason(client, owned, alice):
    path = f"/cases/{owned.reference}/transfer"
    assert api(client, alice, "post", path, {"team": "nowhere", "reason": "x"}).json()["errors"] == {
        "team": ["No team with the slug 'nowhere'."]
    }
    assert api(client, alice, "post", path, {"team": "north", "reason": "x"}).status_code == 422
    assert api(client, alice, "post", path, {"team": "north", "reason": ""}).status_code == 422


def test_nobody_from_another_team_can_transfer_or_note(client, owned, charlie):
    path = f"/cases/{owned.reference}"
    assert api(client, charlie, "post", f"{path}/transfer", {"team": "south", "reason": "x"}).status_code == 404
    assert api(client, charlie, "post", f"{path}/notes", {"body": "hello"}).status_code == 404
    client.force_login(charlie)
    assert client.post(f"{path}/notes/", {"body": "hello"}).status_code == 404
    assert not owned.events.filter(kind=EventKind.NOTE).exists()


def test_an_internal_note_is_on_the_timeline_and_never_sent_to_the_customer(
    client, owned, bob, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{owned.reference}/notes/", {"body": "Customer is a regular; be generous."})
        created = api(client, bob, "post", f"/cases/{owned.reference}/notes", {"body": "Called the courier."})
    assert response.status_code == 302
    assert created.status_code == 201 and created.json()["kind"] == "note"
    notes = list(owned.events.filter(kind=EventKind.NOTE).values_list("body", flat=True))
    assert notes == ["Customer is a regular; be generous.", "Called the courier."]
    assert mail.outbox == []
    assert "Customer is a regular" in client.get(f"/cases/{owned.reference}/").content.decode()


def test_an_empty_note_is_refused(owned, alice):
    with pytest.raises(Exception, match="Write the note"):
        case_note_add(case=owned, user=alice, body="   ")


def test_the_owner_is_told_when_a_manager_takes_their_case_over(owned, alice, bob):
    case_take_ownership(case=owned, user=bob)
    notice = Notification.objects.get(kind=NotificationKind.TAKEN_OVER)
    assert notice.user == alice
    assert notice.message == f"Bob Brown took over {owned.reference} from you."
