"""The e-mail intake service: real message files in, cases, timeline events and inbound records out."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import default_storage, storages

from makegood.cases.kinds import EventKind
from makegood.cases.models import Attachment, Case, CaseEvent, Customer
from makegood.cases.tests.factories import make_case
from makegood.intake.mail.attachments import storage_filename
from makegood.intake.mail.ingest import Outcome, email_ingest
from makegood.intake.models import InboundMessage, InboundStatus
from makegood.intake.opening import MAX_STORY

pytestmark = pytest.mark.django_db

MAIL = Path(__file__).parent / "mail"


def eml(name: str) -> bytes:
    return (MAIL / name).read_bytes()


@pytest.fixture
def dana_case(north):
    """Dana's earlier complaint, which the reply files answer (their subject says MG-2026-000042)."""
    return make_case(
        channel="email",
        customer_name="Dana Whitfield",
        customer_email="dana.whitfield@example.com",
        subject="My kettle arrived broken",
    )


def as_reply_to(case: Case, name: str) -> bytes:
    return eml(name).replace(b"MG-2026-000042", case.reference.encode())


def test_a_plain_email_opens_an_email_case_for_its_sender(north):
    result = email_ingest(eml("plain.eml"))
    assert result.outcome == Outcome.OPENED
    case = Case.objects.select_related("customer").get()
    assert result.case == case
    assert result.describe() == f"opened {case.reference}"
    assert case.channel == "email"
    assert case.team == north
    assert (case.customer.name, case.customer.email) == ("Dana Whitfield", "dana.whitfield@example.com")
    assert case.subject == "My kettle arrived broken"
    assert case.story.startswith("Hello,\n\nI ordered a kettle (order 48213)")
    received = case.events.get(kind=EventKind.RECEIVED)
    assert received.data["email"]["message_id"] == "CAF3xk2Q9+plain-0001@mail.example.com"
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.case, inbound.from_address) == (
        InboundStatus.OPENED_CASE,
        case,
        "Dana.Whitfield@example.com",
    )
    assert inbound.raw_message == b""  # kept only for messages a person must look at


def test_the_sender_gets_an_acknowledgement_email_carrying_the_reference(north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(eml("plain.eml"))
    assert result.case is not None
    assert len(mail.outbox) == 1
    ack = mail.outbox[0]
    assert ack.to == ["dana.whitfield@example.com"]
    assert ack.subject == f"[{result.case.reference}] My kettle arrived broken"
    assert "Dear Dana Whitfield" in ack.body
    assert "I ordered a kettle (order 48213)" in ack.body
    assert "file" not in ack.body  # no attachments, no sentence about them
    assert result.case.events.filter(kind=EventKind.ACK_EMAIL_SENT).count() == 1
    # Marked automatic (no out-of-office ping-pong) and threaded under the customer's own mail.
    message_id = result.case.events.get(kind=EventKind.RECEIVED).data["email"]["message_id"]
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    assert ack.extra_headers["In-Reply-To"] == f"<{message_id}>"


def test_an_html_only_email_is_stored_as_readable_text(north):
    case = email_ingest(eml("html_only.eml")).case
    assert case is not None
    assert case.customer.name == "Nowak, Marek"
    assert "The blender jar is cracked." in case.story
    assert "- Order: 48213\n- Delivered: 30 October" in case.story
    assert "<" not in case.story
    assert "track(" not in case.story
    assert "color:" not in case.story


def test_a_multipart_alternative_email_keeps_the_plain_text_version(north):
    case = email_ingest(eml("alternative.eml")).case
    assert case is not None
    assert case.story == "Hi,\n\nMy refund for order 51177 has not arrived after 3 weeks.\n\nPriya"


def test_attachments_are_kept_with_the_case_and_its_received_event(north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = email_ingest(eml("mixed_attachment.eml")).case
    assert case is not None
    received = case.events.get(kind=EventKind.RECEIVED)
    receipt, statement = Attachment.objects.filter(case=case).order_by("pk")
    assert (receipt.filename, receipt.content_type, receipt.event) == ("receipt 60912.pdf", "application/pdf", received)
    with receipt.file.open("rb") as stored:
        content = stored.read()
    assert content == (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% receipt for order 60912\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    assert receipt.size == len(content)
    assert statement.filename == "résumé statement.png"
    # The stored name is safe: in the case's folder, no path tricks, no spaces.
    assert statement.file.name.startswith(f"attachments/{case.pk}/")
    assert ".." not in statement.file.name
    assert " " not in receipt.file.name
    assert statement.file.read().startswith(b"\x89PNG")
    assert "We have kept the 2 files you sent" in mail.outbox[0].body
    assert "receipt 60912.pdf, résumé statement.png" in mail.outbox[0].body


def test_an_oversized_attachment_is_not_kept_but_noted_on_the_timeline(
    north, settings, django_capture_on_commit_callbacks
):
    settings.MAKEGOOD_MAX_ATTACHMENT_BYTES = 1024
    with django_capture_on_commit_callbacks(execute=True):
        case = email_ingest(eml("oversized_attachment.eml")).case
    assert case is not None
    assert list(case.attachments.values_list("filename", flat=True)) == ["puddle.png"]
    received = case.events.get(kind=EventKind.RECEIVED)
    assert received.data["email"]["attachments_refused"] == [
        {"filename": "leak.mp4", "size": 6000, "content_type": "video/mp4"}
    ]
    note = case.events.get(kind=EventKind.NOTE)
    refused, kept = note.body.split("\n")
    assert refused == "Attachment 'leak.mp4' (5.9 KB) was not kept: it is larger than the 1.0 KB limit."
    # Nothing the customer sent vanishes: the message as received is kept, and the note says where.
    assert kept.startswith("The whole e-mail, exactly as received, is kept until ")
    assert kept.endswith(f"/cases/{case.reference}/emails/{InboundMessage.objects.get().pk}/")
    assert InboundMessage.objects.get().raw_message == eml("oversized_attachment.eml")
    # The customer is told too, so they can send it another way.
    assert "too large for us to keep, so we do not have it: leak.mp4." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("name", "customer", "subject", "phrase"),
    [
        ("latin1.eml", "Hélène Dupré", "Cafetière défectueuse à remplacer", "La cafetière que j'ai achetée à Genève"),
        ("koi8r.eml", "Ольга Иванова", "Жалоба: заказ 77120", "Заказ 77120 пришёл без зарядного устройства"),
        ("lying_charset.eml", "Sam Lee", "Cold croissant", "The café charged me 12€"),
    ],
)
def test_non_utf8_emails_open_cases_with_correctly_decoded_text(north, name, customer, subject, phrase):
    case = email_ingest(eml(name)).case
    assert case is not None
    assert case.customer.name == customer
    assert case.subject == subject
    assert phrase in case.story


def test_a_reply_to_a_case_joins_its_timeline_without_the_quoted_original(
    dana_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(as_reply_to(dana_case, "reply.eml"))
    assert result.outcome == Outcome.ADDED
    assert result.case == dana_case
    assert result.describe() == f"added to {dana_case.reference}"
    assert Case.objects.count() == 1
    message = dana_case.events.get(kind=EventKind.CUSTOMER_MESSAGE)
    assert message.body == "Thank you. I can be reached on 0161 496 0000 after 5pm.\n\nDana"
    assert message.data["email"]["quoted_text_removed"] is True
    assert InboundMessage.objects.get().status == InboundStatus.ADDED_TO_CASE
    assert mail.outbox == []  # a reply is not acknowledged again


def test_a_reply_from_someone_else_opens_a_new_case_and_leaves_the_old_one_alone(dana_case):
    result = email_ingest(as_reply_to(dana_case, "reply_other_sender.eml"))
    assert result.outcome == Outcome.OPENED
    assert result.case != dana_case
    assert not dana_case.events.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()
    new_case = result.case
    assert new_case is not None
    assert new_case.customer.email == "mallory@example.net"
    note = new_case.events.get(kind=EventKind.NOTE)
    assert dana_case.reference in note.body
    assert "not that case's customer" in note.body


def test_a_reference_to_a_case_that_does_not_exist_opens_a_new_case(north):
    result = email_ingest(eml("reply.eml").replace(b"MG-2026-000042", b"MG-2026-999999"))
    assert result.outcome == Outcome.OPENED
    assert result.case is not None
    assert "MG-2026-999999, which is not a case we have" in result.case.events.get(kind=EventKind.NOTE).body


def test_the_same_message_read_twice_opens_one_case(north):
    first = email_ingest(eml("plain.eml"))
    second = email_ingest(eml("plain.eml"))
    assert second.outcome == Outcome.DUPLICATE
    assert second.case == first.case
    assert Case.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_message_without_message_id_is_deduplicated_by_its_bytes(north):
    email_ingest(eml("no_message_id.eml"))
    assert email_ingest(eml("no_message_id.eml")).outcome == Outcome.DUPLICATE
    assert Case.objects.count() == 1
    assert InboundMessage.objects.get().message_id.startswith("sha256:")


@pytest.mark.parametrize(
    ("name", "reason"),
    [("auto_reply.eml", "Auto-Submitted: auto-replied"), ("bounce.eml", "MAILER-DAEMON@makegood.localhost")],
)
def test_auto_replies_and_bounces_are_recorded_as_ignored_and_open_nothing(
    dana_case, django_capture_on_commit_callbacks, name, reason
):
    raw = as_reply_to(dana_case, name)
    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(raw)
    assert result.outcome == Outcome.IGNORED
    assert reason in result.reason
    assert Case.objects.count() == 1
    assert not CaseEvent.objects.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()
    assert mail.outbox == []
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundStatus.IGNORED
    assert reason in inbound.error
    assert inbound.raw_message == raw


def test_our_own_acknowledgement_coming_back_is_ignored_not_answered(dana_case, django_capture_on_commit_callbacks):
    ours = eml("plain.eml").replace(
        b"From: Dana Whitfield <Dana.Whitfield@example.com>", b"From: Makegood care team <Care@makegood.localhost>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(ours)
    assert result.outcome == Outcome.IGNORED
    assert result.reason == "sent by Makegood itself (Care@makegood.localhost)"
    assert Case.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("garbage.eml", "not an e-mail message"),
        ("no_sender.eml", "no sender"),
        ("empty_body.eml", "empty message"),
    ],
)
def test_unusable_mail_is_rejected_with_a_reason_and_kept_raw(north, name, reason):
    result = email_ingest(eml(name))
    assert result.outcome == Outcome.REJECTED
    assert reason in result.reason
    assert result.describe().startswith(f"rejected: {reason}")
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.case) == (InboundStatus.REJECTED, None)
    assert reason in inbound.error
    assert inbound.raw_message == eml(name)


def test_a_rejected_message_read_again_is_a_duplicate_not_a_second_rejection(north):
    email_ingest(eml("garbage.eml"))
    again = email_ingest(eml("garbage.eml"))
    assert again.outcome == Outcome.DUPLICATE
    assert again.describe() == "duplicate (read before: rejected)"
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("sender", ["someone@example..com", "x" * 250 + "@example.com"])
def test_an_invalid_sender_address_is_rejected(north, sender):
    raw = f"From: Someone <{sender}>\r\nMessage-ID: <x1@example.com>\r\nSubject: Hi\r\n\r\nText.\r\n".encode()
    result = email_ingest(raw)
    assert result.outcome == Outcome.REJECTED
    assert "is not a valid e-mail address" in result.reason
    assert Case.objects.count() == 0


def test_empty_input_is_rejected(north):
    result = email_ingest(b"")
    assert result.outcome == Outcome.REJECTED
    assert "empty input" in result.reason


def test_a_failure_half_way_leaves_no_case_no_record_and_no_files(north, monkeypatch):
    saved: list[str] = []
    storage_class = type(storages["default"])
    real_save = storage_class._save  # type: ignore[attr-defined]  # the storage in use has it

    def save_then_fail(storage, name, content):
        if saved:
            raise OSError("disk full")
        saved.append(real_save(storage, name, content))
        return saved[-1]

    monkeypatch.setattr(storage_class, "_save", save_then_fail)
    with pytest.raises(OSError, match="disk full"):
        email_ingest(eml("mixed_attachment.eml"))
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert InboundMessage.objects.count() == 0  # so the next run retries it
    assert saved and not default_storage.exists(saved[0])


def test_an_email_with_only_attachments_gets_a_story_naming_them(north):
    raw = eml("mixed_attachment.eml")
    start = raw.index(b"--outer-boundary-4\r\nContent-Type: multipart/alternative")
    end = raw.index(b"--outer-boundary-4\r\nContent-Type: application/pdf")
    case = email_ingest(raw[:start] + raw[end:]).case
    assert case is not None
    assert case.story.startswith("(No message text; the e-mail came with 2 attachment(s): receipt 60912.pdf")


def test_a_very_long_email_is_cut_for_the_timeline_and_attached_whole(north):
    long_text = "The same problem again. " * 1500
    raw = (
        b"From: Long Writer <long@example.com>\r\nMessage-ID: <long-1@example.com>\r\nSubject: Long\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + long_text.encode()
    )
    case = email_ingest(raw).case
    assert case is not None
    assert len(case.story) <= MAX_STORY
    assert case.story.endswith("[… continued in message-full-text.txt]")
    attachment = case.attachments.get()
    assert attachment.filename == "message-full-text.txt"
    assert attachment.file.read().decode() == long_text.strip()


def test_nul_bytes_anywhere_in_a_message_never_reach_the_database(north):
    raw = (
        b"From: Nul\x00 Person <nul@example.com>\r\nMessage-ID: <nul-1@example.com>\r\nSubject: A\x00B\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nText\x00 here\r\n'
        b"--b\r\nContent-Type: image/p\x00ng\r\n"
        b'Content-Disposition: attachment; filename="a\x00.png"\r\n\r\nxx\r\n--b--\r\n'
    )
    case = email_ingest(raw).case
    assert case is not None
    assert (case.customer.name, case.subject, case.story) == ("Nul Person", "AB", "Text here")
    attachment = case.attachments.get()
    assert (attachment.filename, attachment.content_type) == ("a.png", "application/octet-stream")


def test_storage_names_are_safe_whatever_the_sender_called_the_file():
    assert storage_filename("receipt 60912.pdf", 1) == "receipt_60912.pdf"
    assert storage_filename("résumé statement.png", 2) == "r_sum_statement.png"
    assert storage_filename(".htaccess", 3) == "attachment-3.htaccess"
    assert storage_filename("", 4) == "attachment-4"
    assert len(storage_filename("x" * 300 + ".pdf", 5)) <= 100
