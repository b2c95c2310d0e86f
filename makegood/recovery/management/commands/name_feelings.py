"""`makegood name_feelings < texts.txt`: the feeling of each line, as `feeling<TAB>confidence`.

One output line per input line, in order, written as each is read. Lines are split on `\\n` only
(a trailing `\\r` is dropped); bytes that are not UTF-8 are read as U+FFFD. A blank line is
`neutral<TAB>1.0000`. For evaluating the detector on any labelled set: paste the output beside the labels.
"""

from __future__ import annotations

import sys
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand

from makegood.feelings import detector


class Command(BaseCommand):
    help = "Read one text per line on standard input; print feeling<TAB>confidence for each."
    stealth_options = ("stdin",)  # tests may pass a binary stream

    def handle(self, *args: Any, **options: Any) -> None:
        source: BinaryIO = options.get("stdin") or sys.stdin.buffer
        model = detector()
        for raw in source:
            text = raw.rstrip(b"\n").rstrip(b"\r").decode("utf-8", errors="replace")
            named = model.name(text)
            self.stdout.write(f"{named.feeling}\t{named.confidence:.4f}")
            self.stdout.flush()
