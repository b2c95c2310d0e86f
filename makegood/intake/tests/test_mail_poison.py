"""HTML mail is converted in linear time, and no message can hold up a mailbox run forever."""

import io
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from makegood.cases.models import Case
from makegood.intake.mail import ingest
from makegood.intake.mail.text import HTML_CUT_NOTE, MAX_HTML_CHARS, html_to_text
from makegood.intake.models import InboundAttempt, InboundMessage, InboundStatus

MAIL = Path(__file__).parent / "mail"


@contextmanager
def watchdog(seconds: int):
    """Not a speed measurement (that is bench/email_html.py): a guard that the conversion finishes
    at all. The quadratic converter needed 92 s for 20,000 blocks and never finished a nested
    2 MB body; the linear one takes a fraction of a second, far inside this limit even on a busy
    machine."""

    def expired(signum, frame):
        raise TimeoutError(f"still converting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_forty_thousand_blocks_convert_and_keep_every_line():
    with watchdog(30):
        text = html_to_text("<div>x</div>" * 40_000)
    assert text.split("\n") == ["x"] * 40_000


def test_a_deeply_nested_body_keeps_its_words():
    # Deeper than libxml2 builds a tree for: read without layout rather than losing the words.
    html = "<div>" * 50_000 + "the words <b>that</b> matter" + "</div>" * 50_000
    with watchdog(30):
        text = html_to_text(html)
    assert text == "the words that matter"


def test_a_body_past_the_bound_is_converted_up_to_it_and_says_so():
    html = "<p>" + "word " * (MAX_HTML_CHARS // 5) + "</p><p>never read</p>"
    with watchdog(30):
        text = html_to_text(html)
    assert text.endswith(HTML_CUT_NOTE)
    assert "never read" not in text


def test_control_characters_in_the_html_cannot_fake_line_breaks():
    assert html_to_text("<p>a\x01b\x02c\x03d\x04e</p>") == "abcde"


def test_an_empty_or_tagless_body_is_empty_text_or_its_words():
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""
    assert html_to_text("just words") == "just words"
    assert html_to_text("<!--") == ""


# --- a mailbox run ------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ingest_email", *args, stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def poisoned_maildir(root: Path) -> Path:
    for sub in ("tmp", "new", "cur"):
        (root / sub).mkdir(parents=True)
    shutil.copy(MAIL / "plain.eml", root / "new" / "1700000000.M1P1.mx")
    shutil.copy(MAIL / "html_only.eml", root / "new" / "1700000001.M1P1.mx")  # the poison
    shutil.copy(MAIL / "latin1.eml", root / "new" / "1700000002.M1P1.mx")
    return root


def poison(monkeypatch, error: type[BaseException]):
    """Make the HTML message fail the way a bug or a killed process would."""
    real = ingest.email_ingest

    def failing(raw, **kwargs):
        if b"Damaged delivery" in raw:
            raise error("the converter blew up")
        return real(raw, **kwargs)

    monkeypatch.setattr(ingest, "email_ingest", failing)


@pytest.mark.django_db
def test_a_message_that_keeps_failing_is_set_aside_and_the_rest_of_the_mailbox_flows(
    north, tmp_path, monkeypatch, settings
):
    settings.MAKEGOOD_MAIL_MAX_ATTEMPTS = 3
    maildir = poisoned_maildir(tmp_path / "Maildir")
    poison(monkeypatch, RuntimeError)

    code, output = run("--maildir", str(maildir))
    assert code == 75  # the mail server (or cron) is told to try again later
    assert Case.objects.count() == 2  # the messages around the poison went through
    assert [path.name for path in (maildir / "new").iterdir()] == ["1700000001.M1P1.mx"]
    for _ in range(2):
        code, output = run("--maildir", str(maildir))
        assert code == 75
    assert InboundAttempt.objects.get().attempts == 3

    code, output = run("--maildir", str(maildir))
    assert "1 set aside after failing 3 times" in output
    assert list((maildir / "new").iterdir()) == []  # the mailbox is clear
    inbound = InboundMessage.objects.get(subject="Damaged delivery")
    assert inbound.status == InboundStatus.REJECTED
    assert "set aside after 3 failed attempts" in inbound.error
    assert "RuntimeError: the converter blew up" in inbound.error
    assert inbound.raw_message == (MAIL / "html_only.eml").read_bytes()
    assert not InboundAttempt.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_message_that_brings_the_process_down_counts_as_a_failed_attempt(north, tmp_path, monkeypatch, settings):
    """A try is counted before it starts: a message that kills the reader (out of memory, a
    watchdog's SIGKILL, here an exception nothing catches) is set aside all the same."""
    settings.MAKEGOOD_MAIL_MAX_ATTEMPTS = 2
    maildir = poisoned_maildir(tmp_path / "Maildir")
    poison(monkeypatch, SystemExit)
    for _ in range(2):
        with pytest.raises(SystemExit):
            run("--maildir", str(maildir))
    code, _ = run("--maildir", str(maildir))
    assert code == 1  # a message was rejected (set aside): the exit status says so
    assert "(the process stopped while reading it)" in InboundMessage.objects.get(subject="Damaged delivery").error
    assert list((maildir / "new").iterdir()) == []
    assert Case.objects.count() == 2
