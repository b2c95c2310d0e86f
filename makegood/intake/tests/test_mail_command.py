"""`makegood ingest_email` on standard input, on a Maildir and on an IMAP mailbox (a fake server)."""

import imaplib
import io
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from makegood.cases.models import Case
from makegood.intake.mail import ingest
from makegood.intake.models import InboundMessage, InboundStatus

pytestmark = pytest.mark.django_db

MAIL = Path(__file__).parent / "mail"


def eml(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def run(*args: str, stdin: bytes | None = None) -> str:
    out = io.StringIO()
    options: dict[str, object] = {"stdout": out, "stderr": io.StringIO()}
    if stdin is not None:
        options["stdin"] = io.BytesIO(stdin)
    try:
        call_command("ingest_email", *args, **options)
    except CommandError as exc:
        exc.output = out.getvalue()  # type: ignore[attr-defined]
        raise
    return out.getvalue()


# --- standard input -----------------------------------------------------------------------------


def test_a_message_piped_on_stdin_opens_a_case_and_is_acknowledged(north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(stdin=eml("plain.eml"))
    case = Case.objects.get()
    assert output.splitlines() == [
        f"stdin: opened {case.reference}",
        "1 message: 1 opened, 0 added, 0 duplicate, 0 ignored, 0 rejected",
    ]
    assert [message.subject for message in mail.outbox] == [f"[{case.reference}] My kettle arrived broken"]


def test_garbage_on_stdin_is_rejected_kept_and_exits_non_zero(north):
    with pytest.raises(CommandError) as caught:
        run(stdin=eml("garbage.eml"))
    assert caught.value.returncode == 1
    assert "stdin: rejected: not an e-mail message" in caught.value.output  # type: ignore[attr-defined]
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundStatus.REJECTED
    assert inbound.raw_message == eml("garbage.eml")
    assert Case.objects.count() == 0


def test_an_auto_reply_on_stdin_is_ignored_with_a_zero_exit(north):
    output = run(stdin=eml("auto_reply.eml"))
    assert "stdin: ignored: automatic message (Auto-Submitted: auto-replied)" in output
    assert Case.objects.count() == 0


def test_a_database_failure_asks_the_mail_server_to_retry_later(north, monkeypatch):
    def broken(raw: bytes) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(ingest, "email_ingest", broken)
    with pytest.raises(CommandError) as caught:
        run(stdin=eml("plain.eml"))
    assert caught.value.returncode == 75  # EX_TEMPFAIL: the MTA keeps the message and retries


# --- Maildir ------------------------------------------------------------------------------------


def make_maildir(root: Path, new: list[str], cur: Sequence[str] = ()) -> Path:
    for sub in ("tmp", "new", "cur"):
        (root / sub).mkdir(parents=True)
    for number, name in enumerate(new):
        shutil.copy(MAIL / name, root / "new" / f"170000000{number}.M1P1.mx")
    for number, name in enumerate(cur):
        shutil.copy(MAIL / name, root / "cur" / f"160000000{number}.M1P1.mx:2,")
    return root


def test_every_message_in_a_maildir_is_read_and_moved_to_cur_as_seen(north, tmp_path):
    maildir = make_maildir(tmp_path / "Maildir", new=["plain.eml", "garbage.eml"], cur=["html_only.eml"])
    with pytest.raises(CommandError) as caught:
        run("--maildir", str(maildir))
    assert caught.value.returncode == 1
    output = caught.value.output  # type: ignore[attr-defined]
    assert "new/1700000000.M1P1.mx: opened MG-" in output
    assert "new/1700000001.M1P1.mx: rejected: not an e-mail message" in output
    assert "cur/1600000000.M1P1.mx:2,: opened MG-" in output
    assert "3 messages: 2 opened, 0 added, 0 duplicate, 0 ignored, 1 rejected" in output
    assert Case.objects.count() == 2
    assert list((maildir / "new").iterdir()) == []
    assert sorted(path.name for path in (maildir / "cur").iterdir()) == [
        "1600000000.M1P1.mx:2,S",
        "1700000000.M1P1.mx:2,S",
        "1700000001.M1P1.mx:2,S",
    ]


def test_reading_a_maildir_again_finds_only_duplicates_and_exits_zero(north, tmp_path):
    maildir = make_maildir(tmp_path / "Maildir", new=["plain.eml", "garbage.eml"])
    with pytest.raises(CommandError):
        run("--maildir", str(maildir))
    output = run("--url", f"maildir://{maildir}")
    assert "2 messages: 0 opened, 0 added, 2 duplicate, 0 ignored, 0 rejected" in output
    assert Case.objects.count() == 1


def test_a_reply_in_the_maildir_joins_the_case_opened_by_the_first_message(north, tmp_path):
    maildir = make_maildir(tmp_path / "Maildir", new=["plain.eml"])
    run("--maildir", str(maildir))
    case = Case.objects.get()
    reply = eml("reply.eml").replace(b"MG-2026-000042", case.reference.encode())
    (maildir / "new" / "1800000000.M2P1.mx").write_bytes(reply)
    output = run("--maildir", str(maildir))
    assert f"new/1800000000.M2P1.mx: added to {case.reference}" in output
    assert Case.objects.count() == 1


def test_a_folder_that_is_not_a_maildir_is_a_clear_error(north, tmp_path):
    with pytest.raises(CommandError, match="is not a Maildir") as caught:
        run("--maildir", str(tmp_path))
    assert caught.value.returncode == 75


def test_a_message_that_fails_unexpectedly_stays_in_new_for_the_next_run(north, tmp_path, monkeypatch):
    maildir = make_maildir(tmp_path / "Maildir", new=["plain.eml"])

    def broken(raw: bytes) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(ingest, "email_ingest", broken)
    with pytest.raises(CommandError) as caught:
        run("--maildir", str(maildir))
    assert caught.value.returncode == 75
    assert [path.name for path in (maildir / "new").iterdir()] == ["1700000000.M1P1.mx"]


def test_an_unknown_url_scheme_is_refused(north):
    with pytest.raises(CommandError, match="unsupported mailbox URL scheme 'pop3'"):
        run("--url", "pop3://user:pw@mail.example.com/")


# --- IMAP ---------------------------------------------------------------------------------------


class FakeIMAP:
    """The imaplib calls the command makes, against messages held in memory."""

    error = imaplib.IMAP4.error
    instances: list["FakeIMAP"] = []
    mailbox: dict[int, tuple[bytes, set[str]]] = {}
    password = "s3cret@pass"

    def __init__(self, host: str, port: int, *, ssl_context=None, timeout: float | None = None) -> None:
        self.host, self.port, self.ssl_context = host, port, ssl_context
        self.calls: list[tuple[str, ...]] = []
        FakeIMAP.instances.append(self)

    def login(self, user: str, password: str):
        self.calls.append(("login", user, password))
        if password != self.password:
            raise imaplib.IMAP4.error("[AUTHENTICATIONFAILED] Invalid credentials (Failure)")
        return "OK", [b"LOGIN completed"]

    def select(self, mailbox: str = "INBOX"):
        self.calls.append(("select", mailbox))
        return "OK", [str(len(self.mailbox)).encode()]

    def uid(self, command: str, *args: str):
        self.calls.append(("uid", command, *args))
        if command == "SEARCH":
            assert args == ("UNSEEN",)
            unseen = [str(uid) for uid, (_, flags) in sorted(self.mailbox.items()) if "\\Seen" not in flags]
            return "OK", [" ".join(unseen).encode()]
        if command == "FETCH":
            assert args[1] == "(BODY.PEEK[])"  # fetching must not mark the message seen
            raw, _ = self.mailbox[int(args[0])]
            return "OK", [(f"1 (UID {args[0]} BODY[] {{{len(raw)}}}".encode(), raw), b")"]
        if command == "STORE":
            assert args[1:] == ("+FLAGS", "(\\Seen)")
            self.mailbox[int(args[0])][1].add("\\Seen")
            return "OK", [b"1 (FLAGS (\\Seen))"]
        raise AssertionError(f"unexpected UID {command}")

    def logout(self):
        self.calls.append(("logout",))
        return "BYE", [b"Logging out"]


@pytest.fixture
def imap(monkeypatch):
    FakeIMAP.instances = []
    FakeIMAP.mailbox = {
        11: (eml("plain.eml"), set()),
        12: (eml("alternative.eml"), {"\\Seen"}),  # read by a person already: not ours to take
        13: (eml("garbage.eml"), set()),
        14: (eml("latin1.eml"), {"\\Flagged"}),
    }
    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP)
    monkeypatch.setattr(imaplib, "IMAP4", FakeIMAP)
    return FakeIMAP


def test_unseen_imap_messages_are_read_and_marked_seen(north, imap):
    with pytest.raises(CommandError) as caught:
        run("--url", "imaps://care%40shop.example:s3cret%40pass@imap.shop.example/Complaints")
    assert caught.value.returncode == 1  # the garbage message was rejected
    output = caught.value.output  # type: ignore[attr-defined]
    assert "imap.shop.example/Complaints uid 11: opened MG-" in output
    assert "imap.shop.example/Complaints uid 13: rejected: not an e-mail message" in output
    assert "uid 12" not in output
    assert "s3cret" not in output
    assert Case.objects.count() == 2
    assert all("\\Seen" in flags for _, flags in imap.mailbox.values())
    assert "\\Flagged" in imap.mailbox[14][1]
    server = imap.instances[0]
    assert (server.host, server.port) == ("imap.shop.example", 993)
    assert server.ssl_context.check_hostname is True  # imaplib's default would not check the certificate
    assert server.calls[:2] == [("login", "care@shop.example", "s3cret@pass"), ("select", "Complaints")]
    assert server.calls[-1] == ("logout",)


def test_a_second_imap_run_finds_nothing_new(north, imap):
    with pytest.raises(CommandError):
        run("--url", "imap://care:s3cret%40pass@localhost:1143/INBOX")
    assert (imap.instances[0].host, imap.instances[0].port) == ("localhost", 1143)
    output = run("--url", "imap://care:s3cret%40pass@localhost:1143/INBOX")
    assert output.strip() == "0 messages: 0 opened, 0 added, 0 duplicate, 0 ignored, 0 rejected"
    assert Case.objects.count() == 2


def test_a_wrong_imap_password_is_a_clear_error_and_reads_nothing(north, imap):
    with pytest.raises(CommandError, match="AUTHENTICATIONFAILED") as caught:
        run("--url", "imaps://care:wrong@imap.shop.example/INBOX")
    assert caught.value.returncode == 75
    assert Case.objects.count() == 0
    assert not any("\\Seen" in flags for uid, (_, flags) in imap.mailbox.items() if uid != 12)


def test_an_imap_url_without_credentials_is_refused(north, imap):
    with pytest.raises(CommandError, match="needs a user and a password"):
        run("--url", "imaps://imap.shop.example/INBOX")
