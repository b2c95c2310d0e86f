"""The shape of a sentence: who is asked to act, the verb, negation, modality, the party.

A phrase list cannot enumerate how people write: "Please reach out to the Flight Attendants",
"Did you call your local store about it?", "I'd advise going in store and speaking with my
colleagues", "kindly advise the recipient to top up" all send the customer elsewhere, and share no
phrase. What they share is a shape: the customer is the one asked to act (an imperative, "you can /
you'll need to", "I'd recommend", a "have you … ?"), the verb is one of contacting or going, and
its object is another party or another line (a team, a store, a seller, a link, a phone number) —
not "us" on this channel ("DM us", "tell us more" keep the conversation here). Likewise a "no" is
the company as subject with a negated verb of providing ("we don't track", "we no longer offer"),
a restriction ("we only provide", "you're only able to"), an absence of what the customer wants
to know ("there's no information to share", "no ETA as of now"), or a thing withheld ("that item
is no longer available").

Each `Shape` (`shape.py`) is one such pattern, built from the word classes of `lexicon.py`, with a
named group for the words to highlight, and guards for what makes the same words harmless: a
condition ("if we don't have it, we'll order it"), the customer's own problem reported ("sorry
you couldn't find it"), the employee doing it ("I'll contact the store"), a private message on the
same channel ("DM us"), an open door for later ("call us if anything else comes up"). The tables
are `shapes_no.py` (saying no, blaming), `shapes_quiet.py` (refusing without a negation),
`shapes_recital.py` (a rule recited, and nothing offered) and `shapes_buck.py` (passing the buck).
"""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach import lexicon as w
from makegood.recovery.coach.matching import compile_lower
from makegood.recovery.coach.rules import Rule
from makegood.recovery.coach.sentences import CLAUSE_BREAK
from makegood.recovery.coach.shape import BUCK, Shape
from makegood.recovery.coach.shapes_buck import PASSES_BUCK
from makegood.recovery.coach.shapes_no import BLAMES, SAYS_NO
from makegood.recovery.coach.shapes_quiet import QUIET_BLAME, QUIET_NO
from makegood.recovery.coach.shapes_recital import OFFERS, RECITAL

Found = tuple[Rule, int, int, str]

SHAPES: Final[tuple[Shape, ...]] = (*SAYS_NO, *QUIET_NO, *RECITAL, *PASSES_BUCK, *BLAMES, *QUIET_BLAME)

_FIRST_PERSON_IN_CLAUSE: Final = compile_lower(r"\b(?:I|we)(?:'ll|'d|'m|'re|'ve)?\b|\blet\s+(?:me|us)\b")

# "Feel free to call us if anything else comes up": an open door for later, not a hand-off now.
_OPEN_DOOR: Final = compile_lower(
    r"\bif\s+[^.!?]{0,40}?\b(?:anything\s+else|other\s+questions?|any\s+(?:other|more|further)\s+(?:questions?|help"
    r"|issues?|problems?)|further\s+(?:help|assistance|questions?)|questions?\s+come\s+up|(?:that'?s|it'?s|that\s+is"
    r"|it\s+is|that\s+would\s+be)\s+(?:easier|more\s+convenient|quicker|simpler))"
)
_PRIVATE_CHANNEL: Final = compile_lower(rf"\b{w.PRIVATE}\b|\bdm\s+us\b|\bdirect(?:ly)?\s+messag")


def _break_before(sentence: str, at: int) -> int:
    """Where the stretch of the sentence holding position `at` starts: after the last comma, semicolon,
    colon or dash before it (not after "and": "I'll call and ask the store" keeps its "I")."""
    start = 0
    for brk in CLAUSE_BREAK.finditer(sentence, 0, at):
        start = brk.end()
    return start


def _spans(shape: Shape, sentence: str) -> list[tuple[int, int]]:
    spans = []
    for match in shape.regex.finditer(sentence):
        groups = match.groupdict()
        group = next((name for name in ("x", "we") if groups.get(name) is not None), None)
        start, end = match.span(group) if group else match.span()
        if start == end:
            continue
        if shape.unless_before is not None and shape.unless_before.search(sentence, 0, start):
            continue
        if shape.customer_acts and _FIRST_PERSON_IN_CLAUSE.search(sentence, _break_before(sentence, start), start):
            continue
        if BUCK in shape.rules and (
            _PRIVATE_CHANNEL.search(sentence, start, min(len(sentence), end + 30)) or _OPEN_DOOR.search(sentence)
        ):
            continue
        spans.append((start, end))
    return spans


def shape_findings(text: str, sentences: list[tuple[int, int]], found: list[Found]) -> list[Found]:
    """Findings that the sentences' shapes add to the phrases' (`found`): a sentence where a phrase
    already found a rule keeps the phrase's finding for that rule, so each is flagged once. A policy
    recital (`shapes_recital.py`) is one only in a reply that offers the customer nothing else."""
    added: list[Found] = []
    offers: bool | None = None  # whether the reply offers anything besides a recital, read when needed
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        known = {rule for rule, start, end, _ in found if start < s_end and end > s_start}
        for shape in SHAPES:
            if shape.alone and offers:
                continue
            for start, end in _spans(shape, sentence):
                if shape.alone:
                    if offers is None:
                        offers = OFFERS.search(text, sentences[0][0], sentences[-1][1]) is not None
                    if offers:
                        break
                for rule in shape.rules:
                    if rule not in known:
                        added.append((rule, s_start + start, s_start + end, shape.suggestion))
                        known.add(rule)
    return added
