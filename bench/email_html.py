"""HTML e-mail to text: `.venv/bin/python bench/email_html.py [--mb 2]`.

Converts HTML bodies of the given size (2 MB by default) the way intake reads them, whole
messages included (MIME parsing, quoted-printable, charset), and prints the time of each, the
best of three runs. Target: a 2 MB HTML body in under 2 s. The shapes are the ones that made the
previous converter quadratic (flat blocks, deep nesting) and an ordinary newsletter-like body.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")

import django  # noqa: E402

django.setup()

from makegood.intake.mail.parse import parse_message  # noqa: E402
from makegood.intake.mail.text import html_to_text  # noqa: E402

TARGET_SECONDS = 2.0
NEWSLETTER_BLOCK = (
    '<table class="row"><tr><td><h2>Order 48213</h2><p>The courier left my parcel in the <b>rain</b> and the '
    'box was soaked through.<br>See <a href="https://photos.example.org/abc123">my photos</a>.</p>'
    "<ul><li>Delivered: 30 October</li><li>Item: blender</li></ul></td></tr></table>"
    "<blockquote><p>Dear customer, thank you for your order.</p></blockquote>\n"
)


def bodies(size: int) -> dict[str, str]:
    return {
        "flat <div>x</div> blocks": "<div>x</div>" * (size // 12),
        "nested <div> (deep)": "<div>" * (size // 11) + "x" + "</div>" * (size // 11),
        "newsletter-like": NEWSLETTER_BLOCK * (size // len(NEWSLETTER_BLOCK)),
    }


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def as_message(html: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Marek Nowak <marek@example.org>"
    message["Subject"] = "Damaged delivery"
    message["Message-ID"] = "<bench@example.org>"
    message.set_content(html, subtype="html", cte="quoted-printable")
    return message.as_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=2.0, help="body size in megabytes (default 2)")
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024)
    worst = 0.0
    for name, html in bodies(size).items():
        raw = as_message(html)
        convert = best_of(3, lambda html=html: html_to_text(html))
        whole = best_of(3, lambda raw=raw: parse_message(raw))
        worst = max(worst, convert, whole)
        print(
            f"{name:26} {len(html) / 1e6:5.2f} MB HTML: html_to_text {convert:5.2f} s | "
            f"whole message ({len(raw) / 1e6:.2f} MB, parsed and converted) {whole:5.2f} s"
        )
    verdict = "met" if worst < TARGET_SECONDS else "NOT met"
    print(f"target: a {args.mb:g} MB HTML body in under {TARGET_SECONDS:g} s: {verdict} (worst {worst:.2f} s)")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
