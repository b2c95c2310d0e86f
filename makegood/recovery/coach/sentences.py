"""Sentences, clauses, greetings and sign-offs: where in a message each rule looks.

A message is cut into sentences (not at "Mr." or "e.g."), without its greeting ("Hi Dana,", or the
"@handle" a social-media reply opens with) and its sign-off ("Kind regards,\nSam", "^JP", "-Becky").
"""

from __future__ import annotations

import re
from typing import Final

BOUNDARY: Final = re.compile(r"[.!?…]+[\"')\]]*(?=\s|$)|\n")
_ABBREVIATION: Final = re.compile(
    r"(?:^|[^\w.])(?:mr|mrs|ms|dr|st|mt|jr|sr|prof|e\.g|i\.e|a\.m|p\.m|approx|vs|ref|tel|inc|ltd|dept)\.$",
    re.IGNORECASE,
)
_GREETING: Final = re.compile(
    r"(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening|day)|greetings)\b(?:[ \t]+[\w.'-]+){0,4}?"
    r"[ \t]*(?:[,!:]|$)[ \t]*",
    re.IGNORECASE,
)
_VALEDICTION: Final = re.compile(
    r"^[ \t]*(?:(?:with\s+)?(?:many\s+|warm(?:est)?\s+|kind(?:est)?\s+|best\s+|all\s+the\s+best\s+)?(?:thanks"
    r"|thank\s+you|regards|wishes)|best|warmly|sincerely|yours(?:\s+(?:sincerely|truly|faithfully))?|cheers"
    r"|all\s+the\s+best|take\s+care|talk\s+soon|speak\s+soon)\b[^\n]{0,40}$",
    re.IGNORECASE | re.MULTILINE,
)
# A social-media reply opens with the handles it answers ("@dana @shop") and closes with the agent's
# initials or name ("^JP", "*AFC", "-Becky") and a thread counter ("1/2").
_HANDLES: Final = re.compile(r"[ \t]*(?:@\w+[ \t,:]*)+")
_SIGNATURE: Final = re.compile(
    r"(?:[ \t]+(?:\(?\d/\d\)?|[\^*~=\u2013\u2014-][ \t]?[a-z][\w.]{0,20}))+[ \t]*$", re.IGNORECASE
)
CLAUSE_BREAK: Final = re.compile(r"[,;:\u2014\u2013(]|\s-\s")
SIGN_OFF_LINES: Final = 4  # a valediction this close to the end starts the sign-off
CLOSE_SENTENCES: Final = 2  # thanks belong in the last sentences (or the sign-off)


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end], trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    begin = start
    for boundary in BOUNDARY.finditer(text, start, end):
        if boundary.group() != "\n" and _ABBREVIATION.search(text, max(start, boundary.start() - 8), boundary.end()):
            continue
        spans.append((begin, boundary.end()))
        begin = boundary.end()
    spans.append((begin, end))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            trimmed.append((s, e))
    return trimmed


def body_end(text: str) -> int:
    """Where the sign-off ("Kind regards,\\nSam", "^JP") starts, or the end of the text."""
    signature = _SIGNATURE.search(text)
    if signature is not None and text[: signature.start()].strip():
        return signature.start()
    tail_start = len(text)
    for _ in range(SIGN_OFF_LINES):
        tail_start = text.rfind("\n", 0, max(tail_start - 1, 0)) + 1 if tail_start > 0 else 0
        if tail_start == 0:
            break
    for valediction in _VALEDICTION.finditer(text, tail_start):
        after = text[valediction.end() :].strip()
        if all(len(line) <= 40 for line in after.splitlines()) and text[: valediction.start()].strip():
            return valediction.start()
    return len(text)


def without_greeting(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences without the opening handles and greeting ("@dana Hi Dana, …")."""
    if not spans:
        return spans
    start, end = spans[0]
    handles = _HANDLES.match(text, start, end)
    if handles is not None and handles.end() > start:
        if handles.end() >= end:
            return without_greeting(text, spans[1:])
        start = handles.end()
    greeting = _GREETING.match(text, start, end)
    if greeting is not None:
        start = greeting.end()
    if start >= end:
        return spans[1:]
    return [(start, end), *spans[1:]]


def clause_end(text: str, start: int, end: int) -> int:
    """Where the clause starting at `start` ends: the next clause break, or the sentence's end."""
    brk = CLAUSE_BREAK.search(text, start, end)
    if brk is not None and brk.start() > start:
        end = brk.start()
    while end > start and text[end - 1] in ".!?…\"') \t":
        end -= 1
    return end
