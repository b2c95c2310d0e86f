"""Nothing a customer sent vanishes: a message cut to fit the case is kept as received, compressed,
for as long as the retention setting says, and the case says it was shortened and where the rest is."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from makegood.cases.kinds import EventKind
from makegood.cases.tests.factories import make_staff
from makegood.intake.mail.ingest import email_ingest, raw_mail_expire
from makegood.intake.models import InboundMessage
from makegood.intake.opening import MAX_STORY

pytestmark = pytest.mark.django_db

MAIL = Path(__file__).parent / "mail"


def long_message(megabytes: float) -> tuple[bytes, str]:
    line = "The frame cracked again on the same weld, the third time since May. "
    body = "".join(f"{number:07d} {line}\n" for number in range(int(megabytes * 1024 * 1024 / (len(line) + 9))))
    raw = (
        b"From: Long Writer <long@example.com>\r\nMessage-ID: <long-20mb@example.com>\r\nSubject: Frame\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode()
    )
    return raw, body


def test_a_20_mb_text_body_is_kept_whole_and_the_case_says_where(client, north, settings):
    raw, body = long_message(20)
    case = email_ingest(raw).case
    assert case is not None
    assert len(case.story) <= MAX_STORY
    assert case.story.endswith("[… continued in the e-mail as received, linked below]")
    note = case.events.get(kind=EventKind.NOTE).body
    assert "too long for the timeline" in note
    inbound = InboundMessage.objects.get()
    url = f"/cases/{case.reference}/emails/{inbound.pk}/"
    assert f"{settings.SITE_URL}{url}" in note

    # Kept compressed, and given back byte for byte to the staff who may see the case.
    assert inbound.raw_compressed and len(inbound.raw) < len(raw) / 3
    assert inbound.raw_kept_until is not None
    client.force_login(make_staff("nina", team=north))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response.content == raw
    # The last line the customer wrote is in there.
    assert body.rstrip().rsplit("\n", 1)[1].encode() in response.content

    # The case page shows the note with the link.
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert url in page


def test_the_original_is_not_shown_to_someone_who_may_not_see_the_case(client, north, charlie):
    raw, _ = long_message(0.1)
    case = email_ingest(raw).case
    inbound = InboundMessage.objects.get()
    client.force_login(charlie)
    assert client.get(f"/cases/{case.reference}/emails/{inbound.pk}/").status_code == 404


def test_a_message_that_fit_is_not_kept_and_has_no_original_to_download(client, north, alice):
    case = email_ingest((MAIL / "plain.eml").read_bytes()).case
    inbound = InboundMessage.objects.get()
    assert inbound.raw_message == b""
    client.force_login(alice)
    assert client.get(f"/cases/{case.reference}/emails/{inbound.pk}/").status_code == 404


def test_raw_messages_are_forgotten_after_the_retention(north, settings):
    settings.MAKEGOOD_MAIL_RAW_RETENTION_DAYS = 30
    raw, _ = long_message(0.1)
    email_ingest(raw)
    inbound = InboundMessage.objects.get()
    assert inbound.raw_kept_until.date() == (timezone.now() + timedelta(days=30)).date()
    assert raw_mail_expire(now=timezone.now() + timedelta(days=29)) == 0
    assert raw_mail_expire(now=timezone.now() + timedelta(days=31)) == 1
    inbound.refresh_from_db()
    assert inbound.raw_message == b""


def test_a_retention_of_zero_keeps_them_until_deleted(north, settings):
    settings.MAKEGOOD_MAIL_RAW_RETENTION_DAYS = 0
    raw, _ = long_message(0.1)
    email_ingest(raw)
    assert InboundMessage.objects.get().raw_kept_until is None
    assert raw_mail_expire(now=timezone.now() + timedelta(days=10_000)) == 0
