"""The case page at /cases/<reference>/ and its actions: take ownership, respond, resolve, attachments."""

import re

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import Attachment, AuditEntry, CaseEvent, Status
from makegood.cases.services import case_add_customer_message, case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db


def page(client, case):
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    return response.content.decode()


def timeline_kinds(html):
    return re.findall(r'data-kind="([a-z_]+)"', html)


def test_the_case_page_needs_a_login(client, north):
    case = make_case()
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_case_page_shows_customer_story_clock_and_timeline(client, alice):
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False):
        case = make_case(
            channel="web",
            customer_name="Dana Whitfield",
            customer_phone="+1 415 555 0100",
            story="The sofa arrived with a torn cushion.",
            expectation="A new cushion before the weekend.",
        )
    with time_machine.travel("2026-11-02 10:20:00+00:00", tick=False):
        client.force_login(alice)
        html = page(client, case)
    assert case.reference in html
    assert "Dana Whitfield" in html and "dana@example.com" in html and "+14155550100" in html
    assert "Web form" in html
    assert "The sofa arrived with a torn cushion." in html
    assert "A new cushion before the weekend." in html
    assert ">40:00 left<" in html
    assert f'data-due="{case.first_response_due_at.isoformat()}"' in html
    assert "Nobody yet" in html
    assert timeline_kinds(html) == [EventKind.RECEIVED, EventKind.ACKNOWLEDGED]
    assert "Complaint received" in html and "Acknowledged with reference" in html


def test_the_timeline_lists_every_event_in_order_with_who_and_when(client, alice):
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False):
        case = make_case(channel="phone", customer_name="Dana Whitfield")
    with time_machine.travel("2026-11-02 10:00:40+00:00", tick=False):
        case_take_ownership(case=case, user=alice)
    with time_machine.travel("2026-11-02 10:00:50+00:00", tick=False):
        case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Called and apologised.")
    with time_machine.travel("2026-11-02 11:00:00+00:00", tick=False):
        case_add_customer_message(case=case, body="Thanks, see you Friday.")
    client.force_login(alice)
    html = page(client, case)
    assert timeline_kinds(html) == [
        EventKind.RECEIVED,
        EventKind.ACKNOWLEDGED,
        EventKind.OWNERSHIP_TAKEN,
        EventKind.STATUS_CHANGED,
        EventKind.CONTACT,
        EventKind.CUSTOMER_MESSAGE,
    ]
    assert "I am taking ownership." in html
    assert "Alice Adams" in html
    assert "New → Open" in html
    assert "Called and apologised." in html
    assert "Thanks, see you Friday." in html
    assert 'datetime="2026-11-02T10:00:40+00:00"' in html
    assert ">responded<" in html


def test_charlie_gets_a_404_for_the_page_and_every_action(client, charlie, north):
    case = make_case()
    attachment = Attachment.objects.create(
        case=case, filename="photo.jpg", content_type="image/jpeg", size=3, file=ContentFile(b"abc", "photo.jpg")
    )
    client.force_login(charlie)
    base = f"/cases/{case.reference}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/attachments/{attachment.pk}/").status_code == 404
    assert client.post(f"{base}/take/").status_code == 404
    assert client.post(f"{base}/respond/", {"kind": "contact", "body": "Hi"}).status_code == 404
    assert client.post(f"{base}/resolve/", {"resolution": "Done"}).status_code == 404
    case.refresh_from_db()
    assert case.owner is None and case.status == Status.NEW


def test_a_malformed_or_unknown_reference_is_a_404(client, alice):
    case = make_case()
    client.force_login(alice)
    assert client.get("/cases/not-a-reference/").status_code == 404
    assert client.get("/cases/MG-1999-000001/").status_code == 404
    wrong_year = f"MG-{case.received_at.year - 1}-{case.pk:06d}"
    assert client.get(f"/cases/{wrong_year}/").status_code == 404


def test_someone_who_does_not_own_the_case_is_offered_ownership_not_the_reply_form(client, alice):
    case = make_case()
    client.force_login(alice)
    html = page(client, case)
    assert f'action="/cases/{case.reference}/take/"' in html
    assert f'action="/cases/{case.reference}/respond/"' not in html
    assert f'action="/cases/{case.reference}/resolve/"' not in html


def test_the_owner_gets_the_reply_and_resolve_forms(client, alice):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    client.force_login(alice)
    html = page(client, case)
    assert f'action="/cases/{case.reference}/take/"' not in html
    assert f'action="/cases/{case.reference}/respond/"' in html
    assert f'action="/cases/{case.reference}/resolve/"' in html


def test_a_frontline_colleague_cannot_take_over_but_a_manager_can(client, alice, bob):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    colleague = make_staff("cara", Role.FRONTLINE, case.team)
    client.force_login(colleague)
    assert f'action="/cases/{case.reference}/take/"' not in page(client, case)
    client.force_login(bob)
    html = page(client, case)
    assert "Take over from Alice Adams" in html
    client.post(f"/cases/{case.reference}/take/")
    case.refresh_from_db()
    assert case.owner == bob


def test_taking_ownership_on_the_case_page_records_it(client, alice):
    case = make_case()
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/take/")
    assert response["Location"] == f"/cases/{case.reference}/"
    case.refresh_from_db()
    assert case.owner == alice and case.status == Status.OPEN
    assert AuditEntry.objects.filter(action="case.ownership_taken", object_id=str(case.pk)).exists()


def test_taking_an_owned_case_without_the_right_shows_a_message(client, alice, bob):
    case = make_case()
    case_take_ownership(case=case, user=bob)
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/take/", follow=True)
    assert response.status_code == 200
    assert "Bob Brown already owns this case." in response.content.decode()


def test_recording_a_live_contact_stops_the_clock(client, alice):
    case = make_case(channel="phone")
    case_take_ownership(case=case, user=alice)
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/respond/", {"kind": "contact", "body": "Called, said sorry."})
    assert response["Location"] == f"/cases/{case.reference}/"
    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CONTACT, actor=alice).count() == 1
    assert "Contact recorded." in page(client, case)


def test_an_email_reply_is_sent_to_the_customer(client, alice, django_capture_on_commit_callbacks):
    case = make_case(channel="web")
    case_take_ownership(case=case, user=alice)
    mail.outbox.clear()
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.reference}/respond/", {"kind": "reply_sent", "body": "We are so sorry, Dana."})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.com"]
    assert "We are so sorry, Dana." in mail.outbox[0].body
    html = page(client, case)
    assert "E-mailed to dana@example.com." in html


def test_a_reply_to_a_customer_without_email_is_refused_with_a_message(client, alice):
    case = make_case(channel="phone", customer_email="", customer_phone="+1 415 555 0100")
    case_take_ownership(case=case, user=alice)
    client.force_login(alice)
    html = page(client, case)
    assert 'value="reply_sent"' not in html  # the form does not offer it
    response = client.post(f"/cases/{case.reference}/respond/", {"kind": "reply_sent", "body": "Hello"}, follow=True)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.REPLY_SENT).exists()


def test_an_empty_or_oversized_response_re_renders_the_page_with_the_message(client, alice):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    client.force_login(alice)
    empty = client.post(f"/cases/{case.reference}/respond/", {"kind": "contact", "body": "   "})
    assert empty.status_code == 200
    assert "Write what you said to the customer." in empty.content.decode()
    huge = client.post(f"/cases/{case.reference}/respond/", {"kind": "contact", "body": "x" * 20_001})
    assert huge.status_code == 200
    assert "20000 characters" in huge.content.decode()
    unknown = client.post(f"/cases/{case.reference}/respond/", {"kind": "note", "body": "hi"})
    assert unknown.status_code == 200
    assert "Select a valid choice." in unknown.content.decode()
    case.refresh_from_db()
    assert case.first_responded_at is None
    assert not CaseEvent.objects.filter(case=case, kind__in=[EventKind.CONTACT, EventKind.REPLY_SENT]).exists()


def test_responding_without_owning_the_case_shows_a_message_not_an_error(client, alice):
    case = make_case()
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/respond/", {"kind": "contact", "body": "Hi"}, follow=True)
    assert response.status_code == 200
    assert "Take ownership of the case before responding." in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CONTACT).exists()


def test_the_owner_resolves_the_case(client, alice):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/resolve/", {"resolution": "Replaced the cushion."}, follow=True)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    html = response.content.decode()
    assert f"{case.reference} is resolved." in html
    assert "Open → Resolved" in html and "Replaced the cushion." in html
    assert f'action="/cases/{case.reference}/resolve/"' not in html


def test_resolving_needs_a_resolution_and_the_owner(client, alice, bob):
    case = make_case()
    client.force_login(alice)
    not_owner = client.post(f"/cases/{case.reference}/resolve/", {"resolution": "Done"}, follow=True)
    assert "Only the case&#x27;s owner can resolve it." in not_owner.content.decode()
    case_take_ownership(case=case, user=alice)
    empty = client.post(f"/cases/{case.reference}/resolve/", {"resolution": ""})
    assert empty.status_code == 200
    assert "Say how the case was resolved." in empty.content.decode()
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_resolving_twice_shows_a_message(client, alice):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    client.force_login(alice)
    client.post(f"/cases/{case.reference}/resolve/", {"resolution": "Done"})
    again = client.post(f"/cases/{case.reference}/resolve/", {"resolution": "Done again"}, follow=True)
    assert again.status_code == 200
    assert "cannot become resolved" in again.content.decode()


def test_actions_only_accept_post(client, alice):
    case = make_case()
    client.force_login(alice)
    for action in ("take", "respond", "resolve"):
        assert client.get(f"/cases/{case.reference}/{action}/").status_code == 405


def test_customer_text_is_escaped_everywhere_on_the_page(client, alice):
    case = make_case(
        customer_name="<img src=x onerror=alert(1)>",
        story="<script>alert('story')</script>",
        expectation="<b>refund</b>",
    )
    case_add_customer_message(case=case, body="<iframe src=evil></iframe>")
    client.force_login(alice)
    html = page(client, case)
    for raw in ("<img src=x", "<script>alert(", "<b>refund</b>", "<iframe"):
        assert raw not in html
    assert "&lt;script&gt;alert(&#x27;story&#x27;)&lt;/script&gt;" in html


def test_attachments_are_listed_and_downloaded_never_shown_inline(client, alice):
    case = make_case()
    attachment = Attachment.objects.create(
        case=case,
        filename="receipt.html",
        content_type="text/html",
        size=18,
        file=ContentFile(b"<script>x</script>", "receipt.html"),
    )
    client.force_login(alice)
    html = page(client, case)
    assert "receipt.html" in html
    response = client.get(f"/cases/{case.reference}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == b"<script>x</script>"
    other = make_case(customer_email="o@example.com")
    assert client.get(f"/cases/{other.reference}/attachments/{attachment.pk}/").status_code == 404


def test_the_case_page_takes_the_same_queries_however_long_the_timeline(client, alice):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    client.force_login(alice)
    page(client, case)
    with CaptureQueriesContext(connection) as short:
        page(client, case)
    for i in range(15):
        case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body=f"Call {i}")
        case_add_customer_message(case=case, body=f"Answer {i}")
    with CaptureQueriesContext(connection) as long:
        html = page(client, case)
    assert len(timeline_kinds(html)) > 30
    # 12 (the transfer card reads the teams to choose from), and the desk's two: the customer's
    # other open cases, the duplicates merged into this one.
    assert len(long.captured_queries) == len(short.captured_queries) <= 14


def test_the_timeline_says_who_recorded_a_complaint_taken_by_staff(client, alice):
    case = make_case(channel="phone", customer_name="Sam Ortega", created_by=alice)
    web = make_case(channel="web", customer_name="Dana Whitfield", customer_email="d2@example.com")
    client.force_login(alice)
    assert "recorded by Alice Adams" in page(client, case)
    assert "from Dana Whitfield" in page(client, web)
