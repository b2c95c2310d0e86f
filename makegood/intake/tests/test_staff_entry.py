"""Staff entry at /cases/new/: an employee records a phone, in-person, chat or social complaint."""

import pytest
from django.core import mail

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Case, CaseEvent, Customer, Status
from makegood.cases.services import CaseActionError
from makegood.cases.tests.factories import make_staff
from makegood.intake.forms import form_token_new
from makegood.intake.models import IdempotencyKey

pytestmark = pytest.mark.django_db

URL = "/cases/new/"


def fields(**overrides):
    data = {
        "channel": "phone",
        "name": "Sam Ortega",
        "phone": "+1 415 555 0199",
        "email": "",
        "story": "Waited 40 minutes at the counter and the order was still wrong.",
        "expectation": "The right order, today.",
        "handling_now": "on",
        "response": "",
        "form_token": form_token_new(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_entry_needs_a_login(client, north):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(URL, fields()).status_code == 302
    assert Case.objects.count() == 0


def test_a_process_owner_without_the_add_permission_is_refused(client, north):
    client.force_login(make_staff("pat", Role.PROCESS_OWNER, north))
    assert client.get(URL).status_code == 403
    assert client.post(URL, fields()).status_code == 403
    assert Case.objects.count() == 0


def test_the_form_defaults_to_phone_and_to_handling_it_now(client, alice):
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert '<option value="phone" selected>' in html
    assert 'name="handling_now"' in html and "checked" in html
    assert 'value="web"' not in html  # customers use the web form themselves


def test_handling_it_now_opens_owns_and_answers_the_case_in_one_go(client, alice, north):
    client.force_login(alice)
    response = client.post(URL, fields(response="I said sorry and remade the order while she waited."))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert case.channel == "phone"
    assert case.team == north
    assert case.created_by == alice
    assert case.owner == alice
    assert case.status == Status.OPEN
    assert case.first_responded_at is not None
    assert not case.first_response_breached
    assert list(case.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.ACKNOWLEDGED,
        EventKind.OWNERSHIP_TAKEN,
        EventKind.STATUS_CHANGED,
        EventKind.CONTACT,
    ]
    assert case.events.get(kind=EventKind.CONTACT).body.startswith("I said sorry")
    assert AuditEntry.objects.filter(action="case.first_response", object_id=str(case.pk)).exists()
    assert mail.outbox == []  # answered live: no acknowledgement e-mail


def test_without_a_written_response_a_plain_contact_note_is_recorded(client, alice):
    client.force_login(alice)
    client.post(URL, fields(channel="in_person"))
    contact = CaseEvent.objects.get(kind=EventKind.CONTACT)
    assert "in person" in contact.body
    assert contact.actor == alice


def test_not_handling_it_now_leaves_the_case_waiting_in_the_queue(client, alice, north):
    client.force_login(alice)
    response = client.post(URL, fields(handling_now=None))
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.reference}/"
    assert case.owner is None
    assert case.status == Status.NEW
    assert case.first_responded_at is None
    assert not case.events.filter(kind=EventKind.CONTACT).exists()


def test_the_case_page_confirms_what_was_recorded(client, alice):
    client.force_login(alice)
    page = client.post(URL, fields(), follow=True)
    case = Case.objects.get()
    assert f"Recorded {case.reference}." in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "", "email": ""}, "Give an e-mail address or a phone number"),
        ({"story": ""}, "Write down what the customer told you."),
        ({"name": ""}, "Enter the customer&#x27;s name."),
        ({"email": "sam@"}, "Enter a valid e-mail address."),
        ({"channel": "fax"}, "Select a valid choice."),
        ({"channel": "web"}, "Select a valid choice."),
        ({"story": "s" * 20_001}, "20000 characters"),
        ({"response": "r" * 20_001}, "20000 characters"),
    ],
)
def test_bad_input_re_renders_the_form_with_messages_and_writes_nothing(client, alice, overrides, message):
    client.force_login(alice)
    response = client.post(URL, fields(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_failure_while_taking_ownership_leaves_nothing_half_written(client, alice, monkeypatch):
    def refuse(**kwargs):
        raise CaseActionError("You cannot respond on this case.")

    monkeypatch.setattr("makegood.intake.views.case_record_response", refuse)
    client.force_login(alice)
    response = client.post(URL, fields())
    assert response.status_code == 200
    assert "You cannot respond on this case." in response.content.decode()
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0


def test_a_double_submit_records_one_case(client, alice):
    client.force_login(alice)
    data = fields()
    first = client.post(URL, data)
    second = client.post(URL, data, follow=True)
    case = Case.objects.get()
    assert first["Location"] == f"/cases/{case.reference}/"
    assert "was already recorded" in second.content.decode()
    assert case.events.filter(kind=EventKind.CONTACT).count() == 1


def test_a_form_token_is_per_employee(client, alice, bob):
    data = fields()
    client.force_login(alice)
    client.post(URL, data)
    client.force_login(bob)
    client.post(URL, {**data, "story": "Bob's own customer, another complaint."})
    assert Case.objects.count() == 2


def test_charlie_records_cases_for_his_own_team_and_alice_cannot_open_them(client, charlie, alice, south):
    client.force_login(charlie)
    client.post(URL, fields())
    case = Case.objects.get()
    assert case.team == south and case.owner == charlie
    client.force_login(alice)
    assert client.get(f"/cases/{case.reference}/").status_code == 404


def test_an_employee_without_a_team_who_does_not_handle_it_still_sees_what_they_recorded(client, north):
    loner = make_staff("lou", Role.FRONTLINE, None)
    client.force_login(loner)
    response = client.post(URL, fields(handling_now=None))
    case = Case.objects.get()
    assert case.team == north  # unrouted cases go to the team that receives them
    assert response["Location"] == f"/cases/{case.reference}/"  # whoever files a case may read it back
