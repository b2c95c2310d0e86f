"""Suggested rewordings: a default per phrase, and one fitted to the sentence found (`fitted`)."""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach import lexicon
from makegood.recovery.coach.matching import compile_lower
from makegood.recovery.coach.rules import Rule

S_CAN = "Say what you can do: “What I can do is …”"
S_WILL = "Say what will happen instead: “What I'll do is …”"
S_ABLE = "Lead with what you're able to do: “Here's what I can do for you …”"
S_POSSIBLE = "Offer the closest thing that is possible: “The best option I have for you is …”"
S_POLICY = "Leave the rules out of it and offer what you can: “What I can offer you instead is …”"
S_WE_DO = "Say what you do instead: “What we can do is …”"
S_NEXT_STEP = "There is always a next step: “Here's what I can do right now …”"
S_OPENER = "Skip the bad-news opener and lead with the option: “What I can do is …”"
S_NO = "Replace the no with an option: “Let me see what I can do for you.”"
S_WITHIN_RULE = "Say what you can do within the rule: “Within that, what I can do for you is …”"
S_OFFER = "Offer the alternative instead: “What I can offer you is …”"
S_FIND_OUT = "Say what you'll find out, and when: “I'll find out for you and update you by …”"
S_OWN = "Own it: “Let me find the right person, and I'll come back to you by …”"
S_CALL_FOR_THEM = "Make the call yourself: “I'll contact them for you and update you by …”"
S_KEEP_HERE = "Keep it with you, here: “I'll look into this myself and reply here by …”"
S_STAY = "Stay the customer's contact: “I'll bring in a colleague and stay with you until it's sorted.”"
S_FIX_NOT_FAULT = "Leave fault out of it and focus on the fix: “Let's get this sorted for you.”"
S_WE = "Own it as “we”: “We got this wrong, and here's how I'll put it right.”"
S_EXCUSE = "Let the apology stand on its own (“I'm so sorry.”), then say what you'll do; explain only if asked."
S_APOLOGISE = "Open with a sincere apology: “I'm so sorry about …”"
S_THANK = "Close by thanking them: “Thank you for letting us know — it helps us get better.”"


# The party a hand-off names, and the words a refusal withholds, read from the sentence found.
_PARTY: Final = compile_lower(
    rf"\b(?:the|your|our|their|a|an|any|my|one\s+of\s+(?:our|the))\s+(?:[\w&'-]+\s+){{0,3}}?{lexicon.PARTY_NOUN}"
    rf"(?:\s+{lexicon.PARTY_NOUN})?\b|\b{lexicon.THIRD_PERSON}\b"
)
_REFUSED: Final = compile_lower(
    r"\b(?:can'?t|cannot|can\s+not|won'?t|will\s+not|unable\s+to|not\s+able\s+to|don'?t|do\s+not|doesn'?t|does\s+not"
    r"|no\s+longer|only)\s+(?:be\s+)?(?P<what>(?!be\b)[a-z][\w'-]*(?:\s+(?!and\b|but\b|so\b|because\b)[\w'-]+){0,5})"
)
_KNOWING: Final = compile_lower(
    rf"\b(?:no|any|have\s+no|don'?t\s+have(?:\s+any)?)\s+(?:new\s+|further\s+|more\s+)?{lexicon.KNOWLEDGE_NOUN}\b"
    r"|\b(?:couldn'?t|could\s+not|unable\s+to|not\s+able\s+to)\s+(?:find|locate|trace|verify|confirm)\b"
    r"|\bdon'?t\s+know\b"
)
_US: Final = compile_lower(r"\bus\b")
_PRONOUNS: Final = {"they": "them", "them": "them", "her": "her", "him": "him"}


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentences if s <= start < e), (start, end))


def _party(original: str, lowered: str, start: int, end: int) -> str:
    """The party named in text[start:end] ("the store", "your bank"), as written; "" when none."""
    found = _PARTY.search(lowered, start, end)
    if found is None:
        return ""
    words = original[found.start() : found.end()]
    if words.lower() in _PRONOUNS:
        return _PRONOUNS[words.lower()]
    if words.lower().startswith(("our ", "my ")):  # "our store" is still us: "the store", from the customer's side
        return "the " + words.split(" ", 1)[1]
    return words


def fitted(
    rule: Rule, original: str, lowered: str, sentences: list[tuple[int, int]], start: int, end: int, default: str
) -> str:
    """The suggestion for a finding, fitted to its sentence where the sentence says enough: a hand-off
    names who the employee should contact themselves, a refusal names what to offer instead of."""
    sentence_start, sentence_end = _sentence_of(sentences, start, end)
    if rule == Rule.PASSES_BUCK:
        party = _party(original, lowered, start, end)
        if not party and _US.search(lowered, start, end):
            return S_KEEP_HERE  # "reach out to us here: <link>": another of our lines
        party = party or _party(original, lowered, end, sentence_end)
        if party:
            return f"Make the call yourself: “I'll contact {party} for you and update you by …”"
        return default
    if rule == Rule.SAYS_NO and default != S_WITHIN_RULE:  # a recital keeps "within the rule"
        if _KNOWING.search(lowered, sentence_start, sentence_end):
            return S_FIND_OUT
        refused = _REFUSED.search(lowered, start, sentence_end)
        if refused is not None and refused.start() < end:
            what = original[refused.start("what") : refused.end("what")].strip(" ,;:")
            return f"Say what you can do instead of “{what}”: “What I can do is …”"
    return default
