"""The matching machinery: normalised text with the original's offsets, and patterns with exceptions.

No IGNORECASE: it makes Python's engine several times slower. Patterns are lower-cased when
compiled and run on lower-cased text instead (`prepared`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from makegood.recovery.coach.rules import Rule

FLAGS: Final = re.MULTILINE
LOOKBEHIND: Final = 60  # characters of context that `unless_before` patterns see

# Same-length replacements only, so that offsets into the normalised text are offsets into the
# original: curly apostrophes and quotes, odd hyphens and spaces.
_NORMALISE: Final = str.maketrans(
    dict.fromkeys("\u2019\u2018\u02bc\u201b\u2032`\u00b4", "'")
    | dict.fromkeys("\u201c\u201d\u201e", '"')
    | dict.fromkeys("\u2010\u2011", "-")
    | dict.fromkeys("\u00a0\u202f\u2009", " ")
)


@dataclass(frozen=True, slots=True)
class Matcher:
    """A pattern, minus the matches whose surroundings make them harmless."""

    regex: re.Pattern[str]
    unless_before: re.Pattern[str] | None = None  # searched in the text just before the match
    unless_after: re.Pattern[str] | None = None  # matched right after the match

    def spans(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int]]:
        end_at = len(text) if endpos is None else endpos
        for match in self.regex.finditer(text, pos, end_at):
            # A group named `x` narrows the span to the words themselves (not their context).
            start, end = match.span("x") if "x" in self.regex.groupindex else match.span()
            if self.unless_before is not None and self.unless_before.search(text[max(0, start - LOOKBEHIND) : start]):
                continue
            if self.unless_after is not None and self.unless_after.match(text, end):
                continue
            yield start, end

    def first(self, text: str, pos: int = 0, endpos: int | None = None) -> tuple[int, int] | None:
        return next(self.spans(text, pos, endpos), None)


def compile_lower(pattern: str) -> re.Pattern[str]:
    if re.search(r"\\[A-Z]", pattern):
        raise ValueError(f"Upper-case escapes would change meaning when lower-cased: {pattern!r}")
    return re.compile(pattern.lower().replace("(?p<", "(?P<"), FLAGS)


def matcher(pattern: str, *, unless_before: str | None = None, unless_after: str | None = None) -> Matcher:
    return Matcher(
        compile_lower(pattern),
        compile_lower(unless_before) if unless_before else None,
        compile_lower(unless_after) if unless_after else None,
    )


def prepared(text: str) -> str:
    """The text with apostrophes and quotes normalised and lower-cased, character for character."""
    norm = text.translate(_NORMALISE)
    lowered = norm.lower()
    if len(lowered) != len(norm):  # a few characters ("İ") lower-case to two: keep the offsets
        lowered = "".join(low if len(low := char.lower()) == 1 else char for char in norm)
    return lowered


@dataclass(frozen=True, slots=True)
class Phrase:
    """A pattern that, where it matches, is a finding of `rule`."""

    rule: Rule
    matcher: Matcher
    suggestion: str
    # Python's regex engine tries every position of the text, so a phrase only runs when one of
    # these (lower-case) words is in the text at all; that keeps a keystroke's check fast.
    needles: tuple[str, ...]

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        if any(needle in lowered for needle in self.needles):
            yield from self.matcher.spans(text)


def phrase(
    rule: Rule,
    suggestion: str,
    pattern: str,
    *,
    needles: str,
    unless_before: str | None = None,
    unless_after: str | None = None,
) -> Phrase:
    found = matcher(pattern, unless_before=unless_before, unless_after=unless_after)
    return Phrase(rule, found, suggestion, tuple(needles.split("|")))
