"""The reply coach on the case page: live (the fragment htmx asks for as the employee types) and on
send, where the server coaches again with the sender's own role and refuses a frontline "no"."""

import re
from html import unescape

import pytest
from django.core import mail

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent, Status
from makegood.cases.services import case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.recovery.replies import ReplyRefused, case_message_send

pytestmark = pytest.mark.django_db

NO = "Unfortunately we can't refund that. Thank you for your patience."
GOOD = "I'm so sorry. What I can do is send a new lamp today. Thank you for telling us."


@pytest.fixture
def case(alice):
    return case_take_ownership(case=make_case(), user=alice)


def respond(client, case, body, kind="reply_sent", follow=False, **extra):
    return client.post(f"/cases/{case.reference}/respond/", {"kind": kind, "body": body, **extra}, follow=follow)


def coach(client, case, text, purpose="reply", kind="reply_sent", **extra):
    field = "body" if purpose == "reply" else "text"
    response = client.post(
        f"/cases/{case.reference}/coach/",
        {"coach_for": purpose, "kind": kind, field: text, **extra},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    return response.content.decode()


def replies(case):
    return CaseEvent.objects.filter(case=case, kind=EventKind.REPLY_SENT)


# On send --------------------------------------------------------------------------------------------


def test_a_frontline_employees_no_is_refused_on_send_nothing_sent_and_nothing_lost(
    client, alice, case, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = respond(client, case, NO)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not sent: \u201cUnfortunately we can't\u201d tells the customer no" in unescape(html)
    assert f">\n{NO}</textarea>" in unescape(html)
    # The coach's findings come with the page: no JavaScript needed to see why.
    assert 'data-blocking="true"' in html
    assert "<mark>Unfortunately we can&#x27;t</mark>" in html
    assert not replies(case).exists()
    assert mail.outbox == []
    case.refresh_from_db()
    assert case.first_responded_at is None


def test_the_reworded_reply_is_sent_with_the_reference_in_the_subject(
    client, alice, case, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        respond(client, case, NO)
        response = respond(client, case, GOOD, follow=True)
    assert "Your reply is on its way to the customer." in response.content.decode()
    assert replies(case).get().body == GOOD
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith(f"[{case.reference}]")


def test_a_manager_may_send_a_no(client, bob, north):
    case = case_take_ownership(case=make_case(), user=bob)
    client.force_login(bob)
    response = respond(client, case, NO, follow=True)
    assert "Your reply is on its way to the customer." in response.content.decode()
    assert replies(case).get().body == NO


def test_a_recorded_live_contact_is_never_refused_for_its_words(client, alice, case):
    client.force_login(alice)
    response = respond(client, case, "Told her we can't refund it; she was upset.", kind="contact", follow=True)
    assert "Contact recorded." in response.content.decode()
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CONTACT).count() == 1


def test_the_browser_cannot_claim_another_role(client, alice, case):
    client.force_login(alice)
    respond(client, case, NO, role="manager", blocking="false")
    assert not replies(case).exists()
    assert 'data-blocking="true"' in coach(client, case, NO, role="manager")


def test_the_service_refuses_a_frontline_no_whoever_calls_it(alice, case):
    with pytest.raises(ReplyRefused) as excinfo:
        case_message_send(case=case, user=alice, kind=EventKind.REPLY_SENT, text=NO)
    assert [f.excerpt for f in excinfo.value.result.findings if f.severity == "block"] == ["Unfortunately we can't"]
    assert not replies(case).exists()


# Live, as the employee types ------------------------------------------------------------------------


def test_the_live_coach_flags_no_with_its_excerpt_message_and_rewording(client, alice, case):
    client.force_login(alice)
    html = coach(client, case, NO)
    assert 'data-blocking="true"' in html
    finding = re.search(
        r'<li class="coach__finding coach__finding--block is-blocking" data-rule="says_no">.*?</li>', html, re.S
    )
    assert finding is not None
    assert "<mark>Unfortunately we can&#x27;t</mark> refund that." in finding.group(0)
    assert "Blocks sending" in finding.group(0)
    assert "What I can do is" in finding.group(0)
    assert 'id="coach-reply-blocked"' in html
    assert "<html" not in html


def test_the_live_coach_does_not_block_a_manager_or_a_live_contact(client, alice, bob, case):
    client.force_login(alice)
    contact = coach(client, case, NO, kind="contact")
    assert 'data-blocking="false"' in contact and 'data-rule="says_no"' in contact
    assert "Blocks sending" not in contact and "reword it to send" not in contact
    managed = make_case(customer_email="m@example.com")
    case_take_ownership(case=managed, user=bob)
    client.force_login(bob)
    html = coach(client, managed, NO)
    assert 'data-blocking="false"' in html and 'data-rule="says_no"' in html


def test_the_first_reply_should_apologise_and_later_ones_need_not(client, alice, case):
    client.force_login(alice)
    text = "Your new lamp ships today. Thank you for telling us."
    assert 'data-rule="no_apology"' in coach(client, case, text)
    case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Called, apologised.")
    assert 'data-rule="no_apology"' not in coach(client, case, text)


def test_a_good_reply_gets_a_nod_and_an_empty_one_nothing(client, alice, case):
    client.force_login(alice)
    good = coach(client, case, GOOD)
    assert "The coach has nothing to add." in good and 'data-blocking="false"' in good
    empty = coach(client, case, "  ")
    assert "coach__" not in empty and 'data-blocking="false"' in empty


def test_the_guided_screens_steps_are_coached_but_never_blocked(client, alice, case):
    client.force_login(alice)
    apology = coach(client, case, "I'm sorry, but we were short-staffed.", purpose="apologize")
    assert 'data-rule="excuse_after_apology"' in apology
    solve = coach(client, case, "We can't refund it, but a new lamp ships today.", purpose="solve")
    assert 'data-rule="says_no"' in solve and 'data-blocking="false"' in solve
    assert 'data-rule="no_thanks"' not in solve  # not the closing words
    thank = coach(client, case, "Your lamp ships today.", purpose="thank")
    assert 'data-rule="no_thanks"' in thank


def test_an_overlong_message_is_not_coached_but_said_to_be_too_long(client, alice, case):
    client.force_login(alice)
    assert "too long for the coach" in coach(client, case, "x" * 20_001)


def test_the_coach_needs_a_post_a_known_purpose_and_a_visible_case(client, alice, charlie, case):
    client.force_login(alice)
    assert client.get(f"/cases/{case.reference}/coach/").status_code == 405
    assert client.post(f"/cases/{case.reference}/coach/", {"coach_for": "listen", "text": "No"}).status_code == 404
    client.force_login(charlie)
    assert client.post(f"/cases/{case.reference}/coach/", {"body": NO}).status_code == 404


def test_the_reply_form_is_wired_to_the_live_coach(client, alice, case):
    client.force_login(alice)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert f'hx-post="/cases/{case.reference}/coach/"' in html
    assert 'hx-trigger="input delay:400ms, change"' in html
    assert "data-coach-send" in html and "makegood/coach.js" in html


def test_a_reply_to_a_closed_case_is_refused_with_a_clear_message(client, alice, case):
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    client.force_login(alice)
    response = respond(client, case, GOOD, follow=True)
    assert "This case is closed." in response.content.decode()
    assert not replies(case).exists()


def test_an_overlong_reply_is_refused_and_kept(client, alice, case):
    client.force_login(alice)
    text = "Thank you. " * 2_000  # 22,000 characters
    response = respond(client, case, text)
    html = response.content.decode()
    assert "Ensure this value has at most 20000 characters (it has 21999)." in html  # stripped
    assert text.strip() in html
    assert not replies(case).exists()
