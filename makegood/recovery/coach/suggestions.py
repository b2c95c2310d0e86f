"""Suggested rewordings: a default per phrase, and one fitted to the sentence found (`fitted`)."""

from __future__ import annotations

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
S_OFFER = "Offer the alternative instead: “What I can offer you is …”"
S_FIND_OUT = "Say what you'll find out, and when: “I'll find out for you and update you by …”"
S_OWN = "Own it: “Let me find the right person, and I'll come back to you by …”"
S_CALL_FOR_THEM = "Make the call yourself: “I'll contact them for you and update you by …”"
S_STAY = "Stay the customer's contact: “I'll bring in a colleague and stay with you until it's sorted.”"
S_FIX_NOT_FAULT = "Leave fault out of it and focus on the fix: “Let's get this sorted for you.”"
S_WE = "Own it as “we”: “We got this wrong, and here's how I'll put it right.”"
S_EXCUSE = "Let the apology stand on its own (“I'm so sorry.”), then say what you'll do; explain only if asked."
S_APOLOGISE = "Open with a sincere apology: “I'm so sorry about …”"
S_THANK = "Close by thanking them: “Thank you for letting us know — it helps us get better.”"


def fitted(rule: Rule, text: str, sentences: list[tuple[int, int]], start: int, end: int, default: str) -> str:
    """A suggestion for the sentence found (placeholder)."""
    return default
