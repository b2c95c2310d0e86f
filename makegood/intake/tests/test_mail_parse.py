"""Parsing raw messages (real files in tests/mail/) and the text helpers behind it. No database."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from makegood.intake.mail.parse import decode_header_value, display_filename, parse_message, synthetic_message_id
from makegood.intake.mail.text import decode_bytes, html_to_text, strip_quoted

MAIL = Path(__file__).parent / "mail"


def eml(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def test_a_plain_text_message_gives_its_sender_subject_and_text():
    message = parse_message(eml("plain.eml"))
    assert message.message_id == "CAF3xk2Q9+plain-0001@mail.example.com"
    assert (message.from_name, message.from_address) == ("Dana Whitfield", "Dana.Whitfield@example.com")
    assert message.subject == "My kettle arrived broken"
    assert message.body.startswith("Hello,\n\nI ordered a kettle (order 48213)")
    assert "before the weekend \u2013 I have guests" in message.body
    assert message.attachments == []
    assert message.automatic == ""


def test_an_html_only_message_becomes_readable_text_without_scripts_or_styles():
    body = parse_message(eml("html_only.eml")).body
    assert body == (
        "Good morning,\n\n"
        "The courier left my parcel in the rain and the box was soaked through.\n"
        "The blender jar is cracked.\n\n"
        "- Order: 48213\n"
        "- Delivered: 30 October\n\n"
        "Please see my photos (https://photos.example.org/abc123).\n\n"
        "Regards,\nMarek Nowak"
    )


def test_a_display_name_with_a_comma_is_read_whole():
    assert parse_message(eml("html_only.eml")).from_name == "Nowak, Marek"


def test_multipart_alternative_prefers_the_plain_text_version():
    body = parse_message(eml("alternative.eml")).body
    assert "My refund for order 51177 has not arrived" in body
    assert "HTML version" not in body


def test_attachments_are_separated_from_the_body_with_their_names_decoded():
    message = parse_message(eml("mixed_attachment.eml"))
    assert "charged twice" in message.body
    assert "<p>" not in message.body
    assert [(a.filename, a.content_type) for a in message.attachments] == [
        ("receipt 60912.pdf", "application/pdf"),
        # An RFC 2231 name trying to climb out of the folder keeps only its last part.
        ("résumé statement.png", "image/png"),
    ]
    assert message.attachments[0].content.startswith(b"%PDF-1.4\n")


@pytest.mark.parametrize(
    ("name", "sender", "subject", "phrase"),
    [
        ("latin1.eml", "Hélène Dupré", "Cafetière défectueuse à remplacer", "Très déçue — je veux être remboursée"),
        ("koi8r.eml", "Ольга Иванова", "Жалоба: заказ 77120", "пришёл без зарядного устройства"),
        ("lying_charset.eml", "Sam Lee", "Cold croissant", "The café charged me 12€"),
    ],
)
def test_non_utf8_bodies_and_encoded_headers_are_decoded(name, sender, subject, phrase):
    message = parse_message(eml(name))
    assert message.from_name == sender
    assert message.subject == subject
    assert phrase in message.body


def test_auto_replies_and_bounces_are_recognised_as_robots():
    assert "Auto-Submitted: auto-replied" in parse_message(eml("auto_reply.eml")).automatic
    assert "MAILER-DAEMON" in parse_message(eml("bounce.eml")).automatic
    bulk = b"From: news@shop.example\r\nPrecedence: bulk\r\nSubject: Sale\r\n\r\nBuy now.\r\n"
    assert "Precedence: bulk" in parse_message(bulk).automatic
    person = b"From: a@b.example\r\nAuto-Submitted: no\r\nSubject: Hi\r\n\r\nText.\r\n"
    assert parse_message(person).automatic == ""


def test_garbage_bytes_parse_without_error_and_without_headers():
    message = parse_message(eml("garbage.eml"))
    assert message.has_headers is False
    assert message.from_address == ""
    assert message.message_id == synthetic_message_id(eml("garbage.eml"))


def test_a_broken_mime_parameter_that_trips_the_stdlib_parser_is_read_the_forgiving_way():
    raw = b"From: a@b.example\r\nSubject: Hi\r\nContent-Type: text/plain; chars*\r\n\r\nThe text.\r\n"
    message = parse_message(raw)
    assert (message.from_address, message.body) == ("a@b.example", "The text.")


def test_a_message_without_message_id_gets_the_same_synthetic_id_each_time():
    first = parse_message(eml("no_message_id.eml")).message_id
    assert first.startswith("sha256:")
    assert parse_message(eml("no_message_id.eml")).message_id == first


def test_control_characters_and_nul_bytes_never_reach_the_text():
    raw = b"From: a@b.example\r\nSubject: Bad\x00 subject\r\n\r\nLine\x00 one\x07\r\n"
    message = parse_message(raw)
    assert message.subject == "Bad subject"
    assert message.body == "Line one"


def test_raw_8bit_headers_are_read_as_utf8_or_windows_1252():
    assert decode_header_value("Caf\udcc3\udca9") == "Café"
    assert decode_header_value("Caf\udce9") == "Café"


def test_adjacent_encoded_words_join_without_the_space_between_them():
    assert decode_header_value("=?utf-8?q?Hello?= =?utf-8?q?_World?=") == "Hello World"
    assert decode_header_value("=?x-bogus?b?Q2Fmw6k=?= ok") == "Café ok"


@pytest.mark.parametrize(
    ("data", "charset", "expected"),
    [
        ("naïve".encode(), "utf-8", "naïve"),
        ("naïve".encode("cp1252"), "utf-8", "naïve"),  # says UTF-8, is not
        ("naïve".encode(), "us-ascii", "naïve"),  # says ASCII, is UTF-8
        ("“quoted”".encode("cp1252"), "iso-8859-1", "“quoted”"),  # Latin-1 label, Windows-1252 bytes
        ("naïve".encode(), "no-such-charset", "naïve"),
        (b"\xff\xfe\x81", None, "ÿþ\ufffd"),
    ],
)
def test_decoding_bytes_never_fails_whatever_the_charset_claims(data, charset, expected):
    assert decode_bytes(data, charset) == expected


def test_html_drops_comments_and_keeps_preformatted_lines():
    html = "<!-- tracking --><p>Hi</p><pre>a\nb</pre><table><tr><td>x</td><td>y</td></tr></table>"
    assert html_to_text(html) == "Hi\n\na\nb\n\nx y"


def test_filenames_lose_directories_and_control_characters():
    assert display_filename("C:\\Users\\dana\\photo.jpg") == "photo.jpg"
    assert display_filename("../../etc/passwd") == "passwd"
    assert display_filename("bad\x00name\n.txt") == "badname .txt"


def test_an_html_reply_is_quoted_with_gt_signs_and_loses_the_quote():
    html = (
        '<div dir="ltr">Thanks, Tuesday is fine.<div><br></div><div>Dana</div></div><br>'
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, 2 Nov 2026 at 11:00, Care &lt;'
        '<a href="mailto:care@makegood.localhost">care@makegood.localhost</a>&gt; wrote:<br></div>'
        "<blockquote><p>Dear Dana,</p><p>Your reference is MG-2026-000042.</p>"
        "<blockquote>older</blockquote></blockquote></div>"
    )
    text = html_to_text(html)
    assert "> Dear Dana,\n>\n> Your reference is MG-2026-000042.\n>\n>> older" in text
    assert strip_quoted(text) == ("Thanks, Tuesday is fine.\n\nDana", True)


def test_a_gmail_reply_loses_the_quoted_original():
    text = parse_message(eml("reply.eml")).body
    kept, removed = strip_quoted(text)
    assert removed is True
    assert kept == "Thank you. I can be reached on 0161 496 0000 after 5pm.\n\nDana"


def test_an_outlook_reply_loses_the_original_below_its_header_block():
    text = (
        "Yes, Tuesday works.\n\n"
        "From: Makegood care team <care@makegood.localhost>\n"
        "Sent: Monday, 2 November 2026 11:00\n"
        "To: Dana <dana@example.com>\n"
        "Subject: [MG-2026-000042] My kettle\n\n"
        "Dear Dana, ..."
    )
    assert strip_quoted(text) == ("Yes, Tuesday works.", True)


def test_answers_written_between_quoted_lines_are_kept_whole():
    text = "> When did it arrive?\nOn Friday.\n> Was the box damaged?\nYes, badly."
    assert strip_quoted(text) == (text, False)


def test_a_customer_sentence_that_looks_like_an_attribution_is_not_cut():
    text = "The delivery driver came back.\nOn Friday my neighbour wrote:\nthe parcel was left outside."
    assert strip_quoted(text) == (text, False)


def test_a_reply_that_is_only_a_quote_is_kept_rather_than_emptied():
    text = "> Dear Dana,\n> your reference is MG-2026-000042."
    assert strip_quoted(text) == (text, False)


FIXTURES = sorted(path.name for path in MAIL.glob("*.eml"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_at_all_parse_without_an_exception(raw):
    message = parse_message(raw)
    assert "\x00" not in message.body + message.subject + message.from_name


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FIXTURES), st.data())
def test_damaged_real_messages_parse_without_an_exception(name, data):
    raw = bytearray(eml(name))
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(raw)))
    message = parse_message(bytes(raw[:cut]))
    assert "\x00" not in message.body + message.subject + message.from_name


def test_mail_through_a_group_alias_is_not_taken_for_a_robot():
    via_group = (
        b"From: Dana <dana@example.com>\r\nPrecedence: list\r\nSubject: Broken\r\n\r\nMy order arrived broken.\r\n"
    )
    assert parse_message(via_group).automatic == ""
