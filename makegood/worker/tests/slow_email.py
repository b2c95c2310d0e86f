"""An e-mail backend for the worker processes of the crash tests: each message becomes a file, slowly.

`MG_TEST_MAIL_DIR`: the directory. `MG_TEST_SEND_SECONDS`: how long each send takes.
`MG_TEST_HANG_AT=n`: the n-th message this process sends never completes; the backend writes
`hanging.<reference>` and sleeps until the test kills the process, mid-send. A message file is
written whole (renamed into place), so it exists only if the send completed.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

_sent_by_this_process = 0


def reference_of(message: EmailMessage) -> str:
    found = re.search(r"\[([^\]]+)\]", str(message.subject))
    return found.group(1) if found else "no-reference"


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        global _sent_by_this_process
        directory = Path(os.environ["MG_TEST_MAIL_DIR"])
        hang_at = int(os.environ.get("MG_TEST_HANG_AT") or 0)
        for message in email_messages:
            _sent_by_this_process += 1
            reference = reference_of(message)
            if _sent_by_this_process == hang_at:
                (directory / f"hanging.{reference}").write_text(str(os.getpid()))
                time.sleep(600)
            time.sleep(float(os.environ.get("MG_TEST_SEND_SECONDS") or 0))
            name = f"{reference}.{uuid.uuid4().hex}.eml"
            partial = directory / f".{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            partial.replace(directory / name)
        return len(email_messages)
