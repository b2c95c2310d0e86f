"""Threading (cases/threading.py, intake/mail/threads.py): a customer's e-mail joins its case by
its In-Reply-To / References headers or by a reference anywhere in the subject or body; a reply
to a case resolved within the follow-up window reopens it, a later one opens a new case that
follows the old one."""

from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core import mail
from django.utils import timezone

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseMessageId, Priority, Status
from makegood.cases.services import case_close, case_record_response, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.cases.threading import message_id_for
from makegood.intake.mail.ingest import Outcome, email_ingest

pytestmark = pytest.mark.django_db

DANA = "dana@example.com"


def raw(
    *,
    subject: str = "Re: your message",
    body: str = "It is still broken.",
    sender: str = DANA,
    in_reply_to: str = "",
    references: str = "",
    n: int = 1,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Dana Whitfield <{sender}>"
    message["To"] = "care@makegood.localhost"
    message["Subject"] = subject
    message["Message-ID"] = f"<reply-{n}@mail.example.com>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def acknowledged(north, django_capture_on_commit_callbacks):
    """Dana's web complaint, acknowledged by e-mail (its Message-ID recorded on the case)."""
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(channel="web", customer_email=DANA)
    return case


def ack_message_id(case: Case) -> str:
    sent = [m for m in mail.outbox if case.reference in m.subject]
    return sent[0].extra_headers["Message-ID"]


def test_the_acknowledgement_and_every_reply_carry_a_message_id_recorded_on_the_case(
    acknowledged, alice, django_capture_on_commit_callbacks
):
    ack_id = ack_message_id(acknowledged)
    assert ack_id.startswith("<mg.") and ack_id.endswith("@makegood.localhost>")
    case_take_ownership(case=acknowledged, user=alice)
    with django_capture_on_commit_callbacks(execute=True):
        case_record_response(case=acknowledged, user=alice, kind=EventKind.REPLY_SENT, body="We are on it.")
    reply_id = mail.outbox[-1].extra_headers["Message-ID"]
    assert reply_id != ack_id
    recorded = set(CaseMessageId.objects.filter(case=acknowledged).values_list("message_id", flat=True))
    assert recorded == {ack_id.strip("<>"), reply_id.strip("<>")}


def test_a_reply_without_the_tag_joins_its_case_by_in_reply_to(acknowledged):
    result = email_ingest(raw(subject="Re: your complaint", in_reply_to=ack_message_id(acknowledged)))
    assert (result.outcome, result.case) == (Outcome.ADDED, acknowledged)
    assert Case.objects.count() == 1
    assert acknowledged.events.filter(kind=EventKind.CUSTOMER_MESSAGE, body="It is still broken.").exists()


def test_a_reply_joins_its_case_by_references_alone(acknowledged):
    references = f"<something-older@mail.example.com> {ack_message_id(acknowledged)} <other@mail.example.com>"
    result = email_ingest(raw(references=references))
    assert (result.outcome, result.case) == (Outcome.ADDED, acknowledged)


def test_a_reply_to_the_customers_own_earlier_email_joins_its_case(north):
    first = email_ingest(raw(subject="Broken kettle", body="The kettle leaks.", n=1))
    second = email_ingest(raw(subject="Also", in_reply_to="<reply-1@mail.example.com>", n=2))
    assert second.outcome == Outcome.ADDED and second.case == first.case


def test_a_reference_in_the_body_joins_the_case(acknowledged):
    body = f"Hello, about my complaint {acknowledged.reference}: nobody called me back."
    result = email_ingest(raw(subject="Still waiting", body=body))
    assert (result.outcome, result.case) == (Outcome.ADDED, acknowledged)


def test_a_made_up_message_id_or_an_unknown_reference_threads_nothing(acknowledged):
    forged = f"<mg.{acknowledged.pk}.ack.00000000000000000000@makegood.localhost>"
    result = email_ingest(raw(in_reply_to=forged, body="About MG-2026-999999.", subject="Hi"))
    assert result.outcome == Outcome.OPENED and result.case != acknowledged
    note = result.case.events.get(kind=EventKind.NOTE)
    assert "The message mentions MG-2026-999999, which is not a case we have." in note.body


def test_someone_else_replying_on_the_thread_opens_their_own_case(acknowledged):
    result = email_ingest(raw(in_reply_to=ack_message_id(acknowledged), sender="eve@example.com"))
    assert result.outcome == Outcome.OPENED
    note = result.case.events.get(kind=EventKind.NOTE)
    assert f"refers to {acknowledged.reference}, but eve@example.com is not that case's customer" in note.body


def resolved(case: Case, user, *, days_ago: int) -> Case:
    case_take_ownership(case=case, user=user)
    case = case_resolve(case=case, user=user, resolution="Refunded.", at=timezone.now() - timedelta(days=days_ago))
    return Case.objects.get(pk=case.pk)


def test_a_reply_within_the_follow_up_window_reopens_the_resolved_case(acknowledged, alice):
    case = resolved(acknowledged, alice, days_ago=3)
    result = email_ingest(raw(in_reply_to=ack_message_id(case), body="The refund never arrived."))
    case.refresh_from_db()
    assert (result.outcome, result.case) == (Outcome.ADDED, case)
    assert (case.status, case.priority, case.reopen_count) == (Status.OPEN, Priority.HIGH, 1)
    reopened = case.events.get(kind=EventKind.REOPENED)
    assert reopened.body == "The customer wrote again, 3 days after it was resolved: “The refund never arrived.”"
    assert case.events.filter(kind=EventKind.CUSTOMER_MESSAGE, body="The refund never arrived.").exists()


def test_a_reply_after_the_window_opens_a_new_case_that_follows_the_old_one(acknowledged, alice, client):
    case = resolved(acknowledged, alice, days_ago=30)
    body = f"Re: {case.reference} - the same thing happened again with my new order."
    result = email_ingest(raw(subject="Again", body=body))
    case.refresh_from_db()
    assert result.outcome == Outcome.OPENED
    new = result.case
    assert new.follows == case
    assert case.status == Status.RESOLVED and case.reopen_count == 0
    assert f"Follows {case.reference} (resolved on" in new.events.get(kind=EventKind.NOTE).body
    assert f"that opened {new.reference}" in case.events.filter(kind=EventKind.NOTE).last().body
    client.force_login(alice)
    page = client.get(f"/cases/{new.reference}/").content.decode()
    assert f'href="/cases/{case.reference}/"' in page


def test_a_reply_to_a_closed_case_opens_a_new_case_that_follows_it(acknowledged, alice):
    case = resolved(acknowledged, alice, days_ago=1)
    case_close(case=case, note="The customer confirmed.")
    result = email_ingest(raw(in_reply_to=ack_message_id(case)))
    assert result.outcome == Outcome.OPENED and result.case.follows == case


def test_the_message_id_is_the_same_for_the_same_purpose_and_recorded_once(acknowledged):
    assert message_id_for(acknowledged, "reply-7") == message_id_for(acknowledged, "reply-7")
    assert CaseMessageId.objects.filter(case=acknowledged, purpose="reply-7").count() == 1
