"""The reply coach: what to change in a message to a customer before it is sent.

`coach_reply(text, role=...)` runs on every (debounced) keystroke in the browser, through
`POST /api/v1/coach`, and again when the message is sent. It is a pure function over the text:
precompiled regular expressions, no database, no model; a paragraph takes well under a
millisecond.

The rules (`Rule`), each with examples of what it flags and what it leaves alone in `EXAMPLES`
at the end of this module (the tests run every example, so the table stays true):

- `says_no`: "no" and its cousins ("can't", "won't", "unable to", "not possible", "against
  policy", "we don't offer", "nothing we can do", "unfortunately we…"). Frontline staff never
  say no, so for them this finding *blocks* sending; managers and administrators may send it
  (denials are theirs to deliver) and only get a warning.
- `passes_buck`: sending the customer elsewhere ("not my department", "you'll have to call",
  "someone else", "contact the manufacturer", "that's another team").
- `blames`: blaming the customer ("you should have", "you didn't", "your fault") or others
  ("the courier lost it", "the warehouse messed up", "not our fault").
- `excuse_after_apology`: an explanation right after the apology, in the same sentence or at
  the start of the next ("sorry, but we were short-staffed", "I apologise; the system was
  down"). Not checked when the customer asked for an explanation.
- `no_apology`: a first reply to a complaint without any apology (span: the opening sentence).
- `no_thanks`: a closing message without thanks in its last two sentences or its sign-off
  (span: the last sentence).

Precision matters as much as recall: a false "no" blocks a frontline employee. Hence the
exceptions kept next to each phrase: "no problem", "can't wait", "won't take long", "not your
fault", "if we can't repair it", "I understand you can't log in"… "Not good enough" is not
flagged: agreeing with the customer that we fell short is part of a good apology.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from makegood.accounts.models import Role


class Rule(StrEnum):
    SAYS_NO = "says_no"
    PASSES_BUCK = "passes_buck"
    BLAMES = "blames"
    EXCUSE_AFTER_APOLOGY = "excuse_after_apology"
    NO_APOLOGY = "no_apology"
    NO_THANKS = "no_thanks"


Severity = Literal["block", "warn"]

# Roles whose "no" is a warning, not a block: denials are theirs to deliver.
DENIAL_ROLES: Final = frozenset({Role.MANAGER, Role.ADMINISTRATOR})

MESSAGES: Final[dict[Rule, str]] = {
    Rule.SAYS_NO: "“{excerpt}” tells the customer no.",
    Rule.PASSES_BUCK: "“{excerpt}” sends the customer somewhere else.",
    Rule.BLAMES: "“{excerpt}” puts the blame on the customer or on someone else.",
    Rule.EXCUSE_AFTER_APOLOGY: "“{excerpt}” explains right after the apology, which takes the apology back.",
    Rule.NO_APOLOGY: "A first reply to a complaint should apologise; this one doesn't.",
    Rule.NO_THANKS: "The message closes without thanking the customer.",
}
BLOCK_NOTE: Final = " Frontline staff never say no: reword it to send."


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    severity: Severity
    start: int
    end: int
    excerpt: str  # text[start:end]
    message: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class CoachResult:
    findings: list[Finding]
    blocking: bool


# Matching machinery ---------------------------------------------------------------------------

# No IGNORECASE: it makes Python's engine several times slower. Patterns are lower-cased when
# compiled and run on lower-cased text instead (`_prepared`).
_FLAGS: Final = re.MULTILINE
_LOOKBEHIND: Final = 60  # characters of context that `unless_before` patterns see

# Same-length replacements only, so that offsets into the normalised text are offsets into the
# original: curly apostrophes and quotes, odd hyphens and spaces.
_NORMALISE: Final = str.maketrans(
    dict.fromkeys("\u2019\u2018\u02bc\u201b\u2032`\u00b4", "'")
    | dict.fromkeys("\u201c\u201d\u201e", '"')
    | dict.fromkeys("\u2010\u2011", "-")
    | dict.fromkeys("\u00a0\u202f\u2009", " ")
)


@dataclass(frozen=True, slots=True)
class _Matcher:
    """A pattern, minus the matches whose surroundings make them harmless."""

    regex: re.Pattern[str]
    unless_before: re.Pattern[str] | None = None  # searched in the text just before the match
    unless_after: re.Pattern[str] | None = None  # matched right after the match

    def spans(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int]]:
        end_at = len(text) if endpos is None else endpos
        for match in self.regex.finditer(text, pos, end_at):
            # A group named `x` narrows the span to the words themselves (not their context).
            start, end = match.span("x") if "x" in self.regex.groupindex else match.span()
            if self.unless_before is not None and self.unless_before.search(text[max(0, start - _LOOKBEHIND) : start]):
                continue
            if self.unless_after is not None and self.unless_after.match(text, end):
                continue
            yield start, end


def _compile(pattern: str) -> re.Pattern[str]:
    if re.search(r"\\[A-Z]", pattern):
        raise ValueError(f"Upper-case escapes would change meaning when lower-cased: {pattern!r}")
    return re.compile(pattern.lower(), _FLAGS)


def _m(pattern: str, *, unless_before: str | None = None, unless_after: str | None = None) -> _Matcher:
    return _Matcher(
        _compile(pattern),
        _compile(unless_before) if unless_before else None,
        _compile(unless_after) if unless_after else None,
    )


def _prepared(text: str) -> str:
    """The text with apostrophes and quotes normalised and lower-cased, character for character."""
    norm = text.translate(_NORMALISE)
    lowered = norm.lower()
    if len(lowered) != len(norm):  # a few characters ("İ") lower-case to two: keep the offsets
        lowered = "".join(low if len(low := char.lower()) == 1 else char for char in norm)
    return lowered


@dataclass(frozen=True, slots=True)
class _Phrase:
    rule: Rule
    matcher: _Matcher
    suggestion: str
    # Python's regex engine tries every position of the text, so a phrase only runs when one of
    # these (lower-case) words is in the text at all; that keeps a keystroke's check fast.
    needles: tuple[str, ...]

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        if any(needle in lowered for needle in self.needles):
            yield from self.matcher.spans(text)


def _p(
    rule: Rule,
    suggestion: str,
    pattern: str,
    *,
    needles: str,
    unless_before: str | None = None,
    unless_after: str | None = None,
) -> _Phrase:
    matcher = _m(pattern, unless_before=unless_before, unless_after=unless_after)
    return _Phrase(rule, matcher, suggestion, tuple(needles.split("|")))


# Shared pieces of patterns ----------------------------------------------------------------------

# A negation, written out or contracted (with or without the apostrophe).
_NEG = r"(?:\bnot|\b(?:is|are|was|were|do|does|did|wo|ca|could|would|should|has|have|had|ai|need|must)n'?t)\b"
_CANT = r"(?:\bcan(?:'?t|not)\b|\bcan not\b(?!\s+only))"
_WONT = r"(?:\bwon'?t\b|\bwill not\b)"
# "if we can't repair it…", "unless it won't…": a condition, not a refusal.
_CONDITIONAL = r"\b(?:if|unless|in case|whether|when|even if|so that)\s+(?:[\w']+\s+){1,2}$"
# "I understand you can't log in", "sorry your card won't work": the customer's problem, reported.
_REPORTED = (
    r"\b(?:understand|hear|heard|see|know|sorry|said|say|says|mentioned|told (?:us|me)|noticed|reali[sz]ed?"
    r"|frustrating|annoying|explained)(?:\s+that)?\s+(?:you|it|they|he|she|your\s+[\w-]+|the\s+[\w-]+|this|that)"
    r"\s+(?:(?:still|just|really|simply|even)\s+)?$"
)
_NOT_A_REFUSAL = f"{_CONDITIONAL}|{_REPORTED}"
# After a bad-news opener: "we", and the refusal if one follows ("unfortunately we can't").
_WE_REFUSE = (
    r"(?:we|I)(?:'re|'m|'ve|'ll|'d)?\b(?:\s+(?:really|just|simply|still))?(?:\s+(?:can(?:'?t|not)|can\s+not|won'?t"
    r"|will\s+not|(?:are|am)\s+unable\s+to|unable\s+to|do(?:n'?t|\s+not)|(?:are|am)\s+not\s+able\s+to|not\s+able\s+to"
    r"|have\s+to|must|had\s+to)\b)?"
)
# "I'll contact the courier", "let me call the bank": the employee doing it, which is the point.
_FIRST_PERSON = (
    r"(?:\b(?:I|we)(?:'ll|'d|'m|'re)?(?:\s+(?:will|shall|would|am|are|be|just|already|personally|also|now|then"
    r"|immediately|gladly|happily|going\s+to|today|directly|can|could|should|must|need\s+to|have\s+to))*"
    r"|\blet\s+(?:me|us))\s+$"
)
_THIRD_PARTIES = (
    r"(?:manufacturer|maker|brand|courier|carrier|delivery\s+(?:company|firm|service)|shipping\s+company"
    r"|post\s+office|postal\s+service|bank|card\s+(?:issuer|provider|company)|airline|supplier|vendor|seller"
    r"|head\s+office|corporate|customer\s+(?:services?|care|support)|help\s*desk|call\s+cent(?:er|re)|insurer"
    r"|insurance(?:\s+company|\s+provider)?|travel\s+agent|booking\s+(?:site|agent|platform)|third[- ]party"
    r"|landlord|warranty\s+(?:department|provider)|(?:baggage|lost\s+property|information|service)\s+desk)"
)
_OTHERS = (
    r"(?:courier|delivery\s+(?:driver|company|guy|man|firm|team)|driver|warehouse|kitchen|chef|cook|waiter"
    r"|waitress|server|supplier|manufacturer|vendor|factory|carrier|post\s+office|postal\s+service|postman"
    r"|mailman|airline|bank|card\s+issuer|travel\s+agent|contractor|cleaners?|housekeeping|night\s+shift"
    r"|day\s+shift|other\s+shift|previous\s+(?:agent|shift|manager|owner)|new\s+(?:guy|girl|hire|starter|trainee"
    r"|employee)|trainee|temp|intern|colleague|head\s+office|agency|technician|engineer)"
)
_OTHERS_NEEDLES = (
    "courier|delivery|driver|warehouse|kitchen|chef|cook|waiter|waitress|server|supplier|manufacturer|vendor"
    "|factory|carrier|post|mailman|airline|bank|card|travel|contractor|cleaner|housekeeping|shift|previous|new"
    "|trainee|temp|intern|colleague|head|agency|technician|engineer"
)
# Someone else, and what they did wrong ("courier lost", "warehouse messed up").
_OTHERS_FAILED = (
    rf"(?:\w+\s+)?{_OTHERS}(?:'s)?\s+(?:(?:must\s+have|clearly|obviously|apparently|probably|just|completely"
    r"|totally)\s+)?(?:lost|messed(?:\s+up)?|screwed(?:\s+up)?|broke|damaged|dropped(?:\s+the\s+ball)?|forgot"
    r"|misplaced|mixed(?:\s+up)?|botched|mislabell?ed|overbooked|got\s+(?:it|this|that|your\s+\w+|the\s+\w+)\s+wrong"
    r"|made\s+(?:a|an|the)\s+(?:mistake|error|mess)|(?:is|was|are|were)\s+to\s+blame|(?:is|was|were)\s+at\s+fault"
    r"|fault|error|mistake|failed|didn'?t|did\s+not|never|sent\s+(?:you\s+)?(?:the\s+)?wrong"
    r"|delivered\s+(?:it\s+)?to\s+the\s+wrong)\b"
)

# Suggestions --------------------------------------------------------------------------------------

_S_CAN = "Say what you can do: “What I can do is …”"
_S_WILL = "Say what will happen instead: “What I'll do is …”"
_S_ABLE = "Lead with what you're able to do: “Here's what I can do for you …”"
_S_POSSIBLE = "Offer the closest thing that is possible: “The best option I have for you is …”"
_S_POLICY = "Leave the rules out of it and offer what you can: “What I can offer you instead is …”"
_S_WE_DO = "Say what you do instead: “What we can do is …”"
_S_NEXT_STEP = "There is always a next step: “Here's what I can do right now …”"
_S_OPENER = "Skip the bad-news opener and lead with the option: “What I can do is …”"
_S_NO = "Replace the no with an option: “Let me see what I can do for you.”"
_S_OFFER = "Offer the alternative instead: “What I can offer you is …”"
_S_OWN = "Own it: “Let me find the right person, and I'll come back to you by …”"
_S_CALL_FOR_THEM = "Make the call yourself: “I'll contact them for you and update you by …”"
_S_STAY = "Stay the customer's contact: “I'll bring in a colleague and stay with you until it's sorted.”"
_S_FIX_NOT_FAULT = "Leave fault out of it and focus on the fix: “Let's get this sorted for you.”"
_S_WE = "Own it as “we”: “We got this wrong, and here's how I'll put it right.”"
_S_EXCUSE = "Let the apology stand on its own (“I'm so sorry.”), then say what you'll do; explain only if asked."
_S_APOLOGISE = "Open with a sincere apology: “I'm so sorry about …”"
_S_THANK = "Close by thanking them: “Thank you for letting us know — it helps us get better.”"

# The phrases ----------------------------------------------------------------------------------------

NO, BUCK, BLAME = Rule.SAYS_NO, Rule.PASSES_BUCK, Rule.BLAMES

_PHRASES: Final[tuple[_Phrase, ...]] = (
    # -- says no ---------------------------------------------------------------------------------------
    _p(
        NO,
        _S_CAN,
        _CANT,
        unless_before=_NOT_A_REFUSAL,
        unless_after=(
            r"\s+(?:(?:even|really|possibly|quite|honestly|just)\s+)?(?:wait|thank|apologi[sz]e|believe|imagine"
            r"|stress|recommend|emphasi[sz]e|express|say\s+(?:enough|how)|tell\s+you\s+how|help\s+but"
            r"|help\s+feeling|miss\b|go\s+wrong|be\s+happier|agree\s+more|overstate|fault\s+you|blame\s+you"
            r"|be\s+(?:easy|fun|pleasant|nice|good|right|comfortable|acceptable)\b|have\s+been\s+(?:easy|fun"
            r"|pleasant|nice|good|comfortable))"
        ),
        needles="can",
    ),
    # The passive refusal ("it can't be refunded") even where the subject looks reported.
    _p(
        NO,
        _S_CAN,
        rf"(?:{_CANT}|{_WONT})\s+be\s+(?:\w+\s+)?(?:refunded|exchanged|returned|changed|amended|cancell?ed"
        r"|accepted|honou?red|processed|reimbursed|compensated|offered|given|approved|granted|replaced|repaired"
        r"|waived|upgraded|moved|transferred|extended|credited|covered|made|done)\b",
        unless_before=_CONDITIONAL,
        needles="can|won|will not",
    ),
    _p(
        NO,
        _S_WILL,
        _WONT,
        unless_before=_NOT_A_REFUSAL,
        unless_after=(
            r"\s+(?:(?:ever|even|need\s+to|have\s+to)\s+)?(?:take\s+(?:long|more\s+than|a\s+minute|a\s+moment|much)"
            r"|be\s+(?:long|charged|billed|disappointed|out\s+of\s+pocket|a\s+problem|an\s+issue|left|any|the\s+case"
            r"|needed|necessary|affected|waiting)|happen\s+again|let\s+(?:you|this|that|it)\s+(?:down|happen)"
            r"|have\s+(?:to|any\s+(?:trouble|problems?))|need\b|regret|forget|cost|lose|affect|keep\s+you|hesitate|mind"
            r"|stop|rest"
            r"|make\s+you\s+wait|leave\s+you|charge\s+you|bill\s+you|ask\s+you\s+to)"
        ),
        needles="won|will not",
    ),
    # "We were unable to reach you" reports an attempt; "we are unable to" refuses.
    _p(
        NO,
        _S_ABLE,
        r"\bunable\s+to\b",
        unless_before=rf"\b(?:was|were|been)\s+(?:\w+\s+)?$|{_NOT_A_REFUSAL}",
        needles="unable",
    ),
    _p(
        NO,
        _S_ABLE,
        r"\bnot\s+(?:be\s+)?able\s+to\b|\b(?:aren'?t|isn'?t)\s+able\s+to\b|\bnot\s+in\s+a\s+position\s+to\b",
        unless_before=rf"\b(?:was|were)\s+$|{_NOT_A_REFUSAL}",
        needles="able|position",
    ),
    _p(NO, _S_POSSIBLE, rf"{_NEG}\s+(?:\w+\s+){{0,2}}possible\b", needles="possible"),
    _p(
        NO,
        _S_POSSIBLE,
        r"\bimpossible\b",
        unless_before=r"(?:felt|feel|feels|feeling|seemed|seem|seems|made\s+it|must\s+have\s+been|sounds|sounded"
        r"|nearly|almost|next\s+to)\s+$",
        needles="impossible",
    ),
    _p(
        NO,
        _S_POLICY,
        rf"{_NEG}\s+(?:\w+\s+)?(?:allowed|permitted|authori[sz]ed)\b|\b(?:prohibited|forbidden)\b",
        needles="allowed|permitted|authori|prohibited|forbidden",
    ),
    _p(
        NO,
        _S_POLICY,
        r"\bagainst\s+(?:\w+\s+){0,2}polic(?:y|ies)\b"
        r"|\b(?:our|the|company|store|hotel|bank|airline|shop|restaurant)(?:\s+\w+)?\s+polic(?:y|ies)\s+"
        r"(?:does(?:n'?t|\s+not)|do(?:n'?t|\s+not)|won'?t|will\s+not|prevents?|prohibits?|forbids?|says|states"
        r"|is\s+(?:not|that|clear))\b"
        r"|\b(?:it|that)(?:'s|\s+is)\s+(?:(?:just|simply|company|our|store|hotel|bank|airline)\s+)*policy\b"
        r"|\bpolicy\s+is\s+policy\b"
        r"|\b(?:as\s+per|per|according\s+to)\s+(?:our|company|the|store|hotel)\s+polic(?:y|ies)\b",
        needles="polic",
    ),
    _p(
        NO,
        _S_WE_DO,
        r"\b(?:we|I|the\s+(?:store|shop|hotel|restaurant|bank|airline|company|branch))\s+(?:do(?:n'?t|\s+not)"
        r"|does(?:n'?t|\s+not))\s+(?:(?:normally|usually|generally|really|currently|ever)\s+)?"
        r"(?:do\s+(?:refunds?|exchanges?|returns?|that|this|those|exceptions?|deliveries|delivery|cash|bookings?"
        r"|reservations?)|offer|accept|allow|give(?!\s+up\b)|provide|refund|issue|exchange|make\s+exceptions?"
        r"|honou?r|cover|support|deliver|ship|sell|stock|carry|guarantee|price[- ]match|process|reimburse"
        r"|compensate|permit|take\s+(?:returns|refunds|reservations|bookings|cards?|cash|cheques|checks|back"
        r"|walk-ins|pets)|have\s+(?:any\s+(?:left|record|rooms?|tables?|seats?|availability|stock)|availability"
        r"|(?:a|the|any)\s+record|(?:the\s+)?(?:rooms?|tables?|seats?|stock)|(?:it|that|those|them|this)\s+in\s+stock))\b",
        needles="do not|don't|dont|does not|doesn't|doesnt",
    ),
    _p(
        NO,
        _S_NEXT_STEP,
        rf"\b(?:nothing|(?:{_NEG})\s+(?:much|a\s+lot|anything)|little)\s+(?:(?:more|else|further)\s+)?(?:that\s+)?"
        r"(?:we|I)\s+(?:can|could|are\s+able\s+to|am\s+able\s+to)\s+(?:do|offer)\b"
        r"|\bnothing\s+(?:(?:more|else|further)\s+)?(?:to\s+be\s+done|can\s+be\s+done)\b"
        r"|\b(?:my|our)\s+hands\s+are\s+tied\b",
        needles="nothing|much|a lot|anything|little|tied",
    ),
    # The bad-news openers. The span runs on over a refusal that follows ("unfortunately we can't").
    _p(NO, _S_OPENER, rf"\bunfortunately,?\s+{_WE_REFUSE}", needles="unfortunately"),
    _p(
        NO,
        _S_OPENER,
        rf"\bI(?:'m|\s+am)\s+afraid(?:\s+not\b|,?\s+(?:that\s+)?{_WE_REFUSE}"
        r"|(?=,?\s+(?:that\s+)?(?:it|this|that|there|the|your|you|our)\b))"
        r"|\b(?:we|I)\s+regret\s+to\s+(?:inform|say|tell|advise|announce|let)\b|^[ \t]*afraid\s+not\b",
        needles="afraid|regret",
    ),
    # "No" as an answer: at the start of a sentence or after a comma, and followed by punctuation.
    _p(
        NO,
        _S_NO,
        r"\bno\b(?!\.\s*\d)(?=[ \t]*(?:[,.!;:…\u2014\u2013]|$))",
        unless_before=r"(?:\w|/)['\")]?[ \t]*$",  # mid-sentence: "yes/no", "the answer is no" (below)
        unless_after=(
            r"[ \t]*[,.!:;\u2014\u2013-]*[ \t]*(?:no[ \t]*[,!.]*[ \t]*){0,2}"
            r"(?:problem|worries|worry|need|trouble|bother|thanks|thank|not\s+at\s+all|not\s+to\s+worry"
            r"|don'?t\s+worry|of\s+course|absolutely|please|not\s+your\s+fault"
            r"|not\s+a\s+problem|never|you(?:'re|\s+are)\s+(?:right|not|absolutely)|you\s+did\s+(?:nothing|everything)"
            r"|you\s+haven'?t|it'?s\s+(?:fine|ok|okay|all\s+right|alright|on\s+us|free|covered|no\s+trouble)"
            r"|that'?s\s+(?:fine|ok|okay|all\s+right|alright|covered|on\s+us)|there(?:'?s|\s+is)\s+no\s+(?:charge"
            r"|cost|fee|need)|you\s+(?:don'?t|won'?t)\s+(?:need|have)|you\s+won'?t\s+be|(?:we|I)(?:'ll|\s+will)\s+"
            r"(?:cover|pay|refund|replace|send|sort|fix|take\s+care)|happy\s+to|glad\s+to"
            r"|(?:we(?:'re|\s+are)|I(?:'m|\s+am))\s+(?:happy|glad))"
        ),
        needles="no",
    ),
    _p(
        NO,
        _S_OFFER,
        r"\bno\s+(?:(?:more|further|other)\s+)?(?:refunds?|exceptions?|exchanges?|returns?|compensation|credit"
        r"|vouchers?|substitutions?|availability|rooms?|tables?|seats?|spaces?|places?|stock|upgrades?|discounts?"
        r"|reimbursement|guarantees?|options?|alternatives?|way\b|chance|can\s+do)\b"
        r"|\bno\s+(?:record|trace)s?\s+of\b|\bnope\b"
        r"|\b(?:answer|response)\s+(?:is|has\s+to\s+be|would\s+be|will\s+have\s+to\s+be|must\s+be)\s+(?:a\s+)?no\b"
        r"|\b(?:have|had|got|going|need)\s+to\s+say\s+no\b"
        r"|\bno\s+longer\s+(?:\w+\s+)?(?:offer|accept|sell|stock|carry|do|provide|support|honou?r|available"
        r"|possible|valid|eligible|in\s+stock|offered|supported|accepted|refundable|able)\b",
        unless_before=r"\bin\s+$",
        unless_after=r"\s+(?:label|postage|shipping|fee|cost|trip|card|check|needed|required|necessary)\b",
        needles="no |nope|answer|response|say no",
    ),
    _p(
        NO,
        _S_OFFER,
        rf"{_NEG}\s+(?:\w+\s+)?(?:eligible|covered|refundable|valid|entitled)\b"
        r"|\b(?:ineligible|non-?refundable|non-?transferable)\b|\bdo(?:es)?(?:n'?t|\s+not)\s+qualify\b",
        needles="eligible|covered|refundable|valid|entitled|qualify|non-|nonrefundable|nontransferable",
    ),
    _p(
        NO,
        _S_OFFER,
        r"\b(?:we|I)(?:'ll|'re|'m|'ve)?(?:\s+(?:will|must|have|has|had|am|are|need|going|forced|obliged|bound|to"
        r"|got))*\s+(?:refused?|declined?|denied|deny|rejected|reject)\b"
        r"|\b(?:request|claim|application|refund|complaint|appeal)\s+(?:has\s+been|have\s+been|was|is|will\s+be)"
        r"\s+(?:\w+\s+)?(?:declined|denied|rejected|refused|unsuccessful)\b",
        needles="refuse|declin|deny|denied|reject|unsuccessful",
    ),
    _p(
        NO,
        _S_OFFER,
        r"\bnot\s+something\s+(?:that\s+)?(?:we|I)\s+(?:can|do|offer|are\s+able|could)\b"
        r"|\bnot\s+(?:going\s+to|gonna)\s+happen\b|\b(?:is|are|'s|'re)\s+not\s+an?\s+option\b|\bisn'?t\s+an?\s+option\b"
        rf"|{_NEG}\s+(?:\w+\s+)?available\s+any\s*(?:more|longer)\b"
        r"|\b(?:that|it)(?:'s|\s+is)\s+(?:just\s+|simply\s+)?(?:how\s+it\s+is|the\s+way\s+it\s+is|the\s+rules?|our\s+rules?)\b"
        r"|\brules\s+are\s+rules\b",
        needles="something|happen|option|available|how it is|way it is|rule",
    ),
    # -- passes the buck --------------------------------------------------------------------------------
    _p(
        BUCK,
        _S_OWN,
        rf"{_NEG}\s+(?:really\s+)?(?:my|our)\s+(?:department|dept|job|area|responsibility|problem|remit|team"
        r"|division|decision|call|concern|business)\b",
        needles="department|dept|job|area|responsibility|problem|remit|team|division|decision|call|concern|business",
    ),
    _p(
        BUCK,
        _S_OWN,
        r"\b(?:that|this|it)(?:'s|\s+is|\s+would\s+be|'d\s+be|\s+will\s+be|'ll\s+be)\s+(?:(?:one|a\s+matter"
        r"|something|a\s+question)\s+for\s+|for\s+|handled\s+by\s+|dealt\s+with\s+by\s+)?(?:another|a\s+different"
        r"|a\s+separate|the\s+other|our\s+other)\s+(?:team|department|dept|company|desk|office|branch|store"
        r"|division|section|unit)\b"
        r"|\b(?:handled|dealt\s+with|managed|looked\s+after|covered|done)\s+by\s+(?:another|a\s+different"
        r"|a\s+separate|the\s+other)\s+(?:team|department|dept|company|desk|office|branch|division)\b"
        r"|\b(?:another|a\s+different|a\s+separate|the\s+other)\s+(?:team|department|dept)(?:'s\b|\s+will\s+have\s+to"
        r"|\s+has\s+to|\s+needs\s+to|\s+handles|\s+deals\s+with)",
        needles="another|different|separate|other",
    ),
    _p(
        BUCK,
        _S_CALL_FOR_THEM,
        r"\byou(?:'ll|\s+will|'d|\s+would|\s+may|\s+might)?\s+(?:have|need|want|got)\s+to\s+(?:(?:go\s+and|try\s+and"
        r"|try\s+to|directly)\s+)?(?:call|ring|phone|contact|speak|talk|reach\s+out|get\s+in\s+touch"
        r"|take\s+(?:it|this|that)\s+up|complain|write|go\s+(?:to|through|back\s+to)|check\s+with|ask|raise|file)\b",
        # "Do you want to talk to a manager?", "if you want to go to the spa": offers, not hand-offs.
        unless_before=r"\b(?:if|whenever|when|should|do|did|would|whether|unless|in\s+case)\s+$",
        unless_after=r"\s+(?:(?:to|with)\s+)?(?:me|us)\b",
        needles="have to|need to|want to|got to",
    ),
    _p(
        BUCK,
        _S_CALL_FOR_THEM,
        r"\b(?:contact|call|ring|phone|email|e-mail|write\s+to|reach\s+out\s+to|speak\s+(?:to|with)|talk\s+(?:to|with)"
        r"|get\s+in\s+touch\s+with|take\s+(?:it|this|that)\s+up\s+with|complain\s+to|raise\s+(?:it|this)\s+with"
        rf"|check\s+with|go\s+back\s+to|ask)\s+(?:(?:the|your|their|our)\s+)?(?:\w+\s+)?{_THIRD_PARTIES}\b",
        unless_before=_FIRST_PERSON,
        needles=(
            "manufacturer|maker|brand|courier|carrier|delivery co|delivery f|delivery s|shipping co|post office|postal"
            "|bank|card issuer|card provider|card company|airline|supplier|vendor|seller|head office|corporate"
            "|customer serv|customer care|customer support|help desk|helpdesk|call cent|insur|travel agent|booking s"
            "|booking a|booking p|third|landlord|warranty d|warranty p| desk"
        ),
    ),
    # "…so it never happens to someone else" is a promise, not a hand-off.
    _p(
        BUCK,
        _S_STAY,
        r"\b(?:someone|somebody)\s+else(?:'s)?\b",
        unless_before=r"\b(?:happen(?:s|ed|ing)?\s+(?:to\s+)?|for\s+|like\s+|than\s+)$",
        unless_after=r"\s+should(?:'ve|\s+have)\b",  # that is blame (below)
        needles="else",
    ),
    _p(
        BUCK,
        _S_OWN,
        r"\bout\s+of\s+(?:my|our)\s+hands\b|\bnothing\s+to\s+do\s+with\s+(?:me|us)\b|\bI\s+(?:just|only)\s+work\s+here\b"
        r"|\babove\s+my\s+pay\s*grade\b|\bnot\s+up\s+to\s+(?:me|us)\b|\bnot\s+(?:in\s+)?my\s+(?:hands|control|power)\b"
        r"|\b(?:manufacturer|courier|warehouse|bank|airline|supplier|carrier|head\s+office)'s\s+(?:problem"
        r"|responsibility|job|issue|department)\b",
        needles="hands|nothing to do|work here|grade|up to|control|power|'s ",
    ),
    _p(
        BUCK,
        _S_CALL_FOR_THEM,
        r"\b(?:ask|enquire|inquire|check)\s+(?:at|in|with)\s+(?:the\s+)?(?:desk|front\s+desk|reception|counter|till"
        r"|store|shop|branch)\b",
        unless_before=_FIRST_PERSON,
        needles="desk|reception|counter|till|store|shop|branch",
    ),
    # -- blames -------------------------------------------------------------------------------------------
    _p(
        BLAME,
        _S_FIX_NOT_FAULT,
        r"\byou\s+(?:should(?:'ve|\s+have)|ought\s+to\s+have)\b",
        unless_after=r"\s+(?:(?:already|by\s+now|also|then)\s+)?(?:received|got|gotten|been|heard|had|seen|arrived)\b",
        needles="should|ought",
    ),
    _p(
        BLAME,
        _S_FIX_NOT_FAULT,
        r"\byou\s+should(?:n'?t|\s+not)\s+have\b",
        unless_after=r"\s+(?:(?:had\s+)?to|been|needed)\b",
        needles="should",
    ),
    # "I'm sorry you didn't get a reply" acknowledges; "you didn't read the terms" blames.
    _p(
        BLAME,
        _S_FIX_NOT_FAULT,
        r"\byou\s+(?:didn'?t|did\s+not|never)\b",
        unless_before=(
            r"\b(?:sorry|shame|pity|understand|see|appreciate|know|noticed?|reali[sz]ed?|apologi[sz]e|regret|hear"
            r"|heard|if|when|unless|frustrating|disappointing|unacceptable|upsetting|worrying)\s+(?:that\s+)?$"
        ),
        unless_after=(
            r"\s+(?:(?:even|actually|yet|ever|once)\s+)?(?:receiv\w*|get\w*|got|hear\w*|deserv\w*|have|had|enjoy\w*"
            r"|lik\w*|lov\w*|expect\w*|feel|felt|need\w*|want\w*|find|found|see|saw|sleep|slept|mean|meant|order\w*"
            r"|ask\w*|sign\w*|authori[sz]\w*|agree\w*|cause\w*|arriv\w*|miss\w*|know|do\s+(?:anything|nothing)\s+wrong"
            r"|make\s+(?:a|any)\s+mistake)"
        ),
        needles="didn|did not|never",
    ),
    _p(
        BLAME,
        _S_FIX_NOT_FAULT,
        r"\b(?:you\s+(?:(?:failed|forgot|neglected|omitted)\s+to|(?:were|are)\s+(?:supposed|meant|required)\s+to)"
        r"|as\s+you\s+(?:were|have\s+been)\s+(?:told|advised|warned|informed))\b",
        needles="failed|forgot|neglected|omitted|supposed|meant|required|as you",
    ),
    _p(
        BLAME,
        _S_FIX_NOT_FAULT,
        r"\byou\s+must\s+have\b",
        unless_after=(
            r"\s+(?:been|felt|had|thought|wondered|found|waited|expected|gone\s+through|hoped|seen|worried"
            r"|struggled)\b"
        ),
        needles="must have",
    ),
    _p(
        BLAME,
        _S_FIX_NOT_FAULT,
        r"\byour\s+(?:own\s+)?(?:fault|mistake|error|responsibility)\b|\b(?:user|customer|operator)\s+error\b",
        unless_before=(
            r"(?:\bnot|n't|\bno\s+way|\bnever|\bnone\s+of\s+(?:this|it|that)\s+(?:is|was)|\bnothing\s+to\s+do\s+with)"
            r"\s+(?:\w+\s+){0,3}$"
        ),
        unless_after=r"\s+(?:message|code|screen)\b",
        needles="fault|mistake|error|responsibility",
    ),
    _p(
        BLAME,
        _S_FIX_NOT_FAULT,
        r"\b(?:it|this|the\s+\w+)\s+(?:is\s+|was\s+|are\s+)?(?:clearly|plainly|explicitly)\s+(?:says|states|stated|said"
        r"|mentions|mentioned|shows|shown|explained|marked|labell?ed)\b"
        r"|\bas\s+(?:clearly\s+)?(?:stated|stipulated|outlined|explained|set\s+out|mentioned)\s+(?:in|on)\s+"
        r"(?:the|our|your)\s+[\w-]+(?:\s+and\s+[\w-]+)?"
        r"|\b(?:if\s+you(?:'d|\s+had)|had\s+you)\s+(?:(?:only|just|actually|properly|carefully)\s+)?(?:read|checked"
        r"|looked|followed|called|told|contacted|booked|arrived|kept|ordered|selected|entered|filled|printed|paid"
        r"|registered|measured|listened|asked)\b",
        needles="clearly|plainly|explicitly|stated|stipulated|outlined|explained|set out|mentioned|if you|had you",
    ),
    _p(BLAME, _S_WE, rf"\b(?:the|their|his|her)\s+{_OTHERS_FAILED}", needles=_OTHERS_NEEDLES),
    # "I'm sorry our driver didn't ring" owns the failure; "our driver didn't ring" points at him.
    _p(
        BLAME,
        _S_WE,
        rf"\b(?:our|my)\s+{_OTHERS_FAILED}",
        unless_before=r"\b(?:sorry|apologi[sz]e|regret)\s+(?:that\s+)?$",
        needles=_OTHERS_NEEDLES,
    ),
    _p(
        BLAME,
        _S_WE,
        r"\b(?:the|their|his|her)\s+(?:\w+\s+)?\w+'s\s+fault\b|\b(?:their|his|her)\s+fault\b"
        rf"|{_NEG}\s+(?:our|my)\s+(?:fault|mistake|error)\b|\b(?:it|that)\s+(?:wasn'?t|was\s+not)\s+(?:us|me)\b"
        r"|\b(?:we'?re|we\s+are|I'?m|I\s+am)\s+not\s+to\s+blame\b|\bblame\s+(?:lies|rests)\s+with\b"
        r"|(?<!n't\s)(?<!not\s)\bblame\s+(?:the|our|their|it\s+on)\b|\b(?:someone|somebody)\s+else\s+should(?:'ve|\s+have)\b",
        needles="fault|wasn|was not|blame|else should",
    ),
)

# Apologies, thanks and excuses --------------------------------------------------------------------

_APOLOGY: Final = _m(
    r"\b(?:sorry|apologi[sz](?:e|es|ed|ing)|apolog(?:y|ies)|regret(?:s|ted|table)?|my\s+bad|forgive\s+(?:us|me))\b",
    unless_before=r"(?:no\s+need\s+to|don'?t|do\s+not|never|won'?t|will\s+not)\s+(?:\w+\s+)?$",
    unless_after=r"\s+to\s+(?:inform|say\s+that|advise|announce)\b",
)
_THANKS: Final = (
    _m(
        r"\b(?:thank(?:s|ful|ing)?|thx|grateful|gratitude|cheers)\b",
        unless_before=r"\bno\s+$",
        unless_after=r"\s+to\s+(?:the|a|an|our|their|this|that|bad|poor|heavy)\b",  # "thanks to the storm"
    ),
    # "I'd appreciate it if you…" asks; "I appreciate that it's frustrating" understands.
    _m(r"\bappreciat(?:e|ed|es|ion|ive)\b", unless_after=r"\s+(?:(?:it\s+)?if|that|how)\b"),
)
# Words that announce an explanation: an excuse wherever they follow the apology in its sentence;
# in the next sentence, "but"/"however" must open it and a cause must come early ("It was caused by…").
_CONTRAST = r"\b(?:but|however)\b"
_CAUSE = (
    r"\b(?:because|due\s+to|owing\s+to|on\s+account\s+of|as\s+a\s+result\s+of|caused\s+by|the\s+reason"
    r"|(?:this|it|that)\s+(?:was|is|has\s+been)\s+(?:(?:all|partly|mainly|entirely)\s+)?(?:because|caused\s+by|due\s+to"
    r"|down\s+to|the\s+result\s+of)"
    r"|as\s+(?:we|it|there)(?:'re|'ve|\s+(?:were|was|are|is|had|have))|as\s+(?:the|our)\s+\w+\s+(?:was|were|is|are|had)"
    r"|since\s+(?:we|it|there)(?:'re|'s|\s+(?:were|was|are|is|had|have)))\b"
)
# "Sorry, but I've already sent a new one": the good news, not an excuse.
_GOOD_NEWS = (
    r",?\s+(?:the\s+)?good\s+news|,?\s+(?:let\s+me|here'?s|rest\s+assured|please\s+know|I\s+promise|we\s+promise)\b"
    r"|,?\s+(?:I(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|'ve|\s+have)|we(?:'ll|\s+will|'re\s+going\s+to"
    r"|\s+are\s+going\s+to|'ve|\s+have))\s+(?!to\b|have\s+to\b|need|not\b|been\s+told)"
)
_EXCUSE_CONJUNCTION: Final = _m(f"{_CONTRAST}|{_CAUSE}", unless_after=_GOOD_NEWS)
# Clauses that give a reason; an excuse when set off from the apology ("sorry, the system was down"),
# but not when they are what the apology is for ("sorry the app won't open").
_EXCUSE_CLAUSE: Final = _m(
    r"\bwe(?:'ve|\s+have|'re|\s+are|\s+were|\s+had)\s+(?:been\s+)?(?:(?:very|really|extremely|incredibly|so|a\s+bit"
    r"|a\s+little|all)\s+)?(?:short|understaffed|busy|swamped|slammed|overwhelmed|inundated|experiencing"
    r"|having\s+(?:a\s+|some\s+)?(?:\w+\s+)?(?:problems?|issues?|trouble|difficult(?:y|ies)|outage)|dealing\s+with"
    r"|waiting\s+(?:for|on)|down|closed|out\s+of|ran\s+out|running\s+(?:low|late|behind|short)"
    r"|under\s+(?:pressure|strain)|affected|hit|not\s+(?:informed|told|aware|notified)|unaware|migrating"
    r"|upgrading|short-staffed)\b"
    r"|\b(?:the|our)\s+(?:\w+\s+)?(?:system|systems|computer|computers|website|site|app|server|servers|network|till"
    r"|software|courier|warehouse|kitchen|supplier|manufacturer|weather|storm|snow|strike|airport|traffic|driver"
    r"|printer|branch|store|shop|office|restaurant|hotel|lines?|phones?)(?:\s+\w+)?\s+(?:was|were|had|has\s+been"
    r"|have\s+been|went|did|didn'?t|wasn'?t|weren'?t|couldn'?t|lost|failed|crashed|broke|misplaced|missed|mixed"
    r"|messed|overbooked|glitched|froze|ran|got|forgot)\b"
    r"|\bshort[- ]?staffed\b|\bunderstaffed\b|\b(?:a|the)\s+staff(?:ing)?\s+shortage\b"
    r"|\b(?:a|an|the|some)\s+(?:\w+\s+)?(?:glitch|outage|power\s+cut|technical\s+(?:issue|problem|error|fault)"
    r"|system\s+(?:error|issue|problem|fault))\b"
    r"|\bthere\s+(?:was|were|has\s+been|have\s+been)\s+(?:a|an|some)\s+(?:\w+\s+)?(?:problem|issue|glitch|error"
    r"|outage|delay|backlog|mix-up|misunderstanding|breakdown|fault|shortage|strike|storm|power\s+cut|problems"
    r"|issues|delays)\b"
)
_CONTRAST_WORD: Final = _compile(_CONTRAST)
_CLAUSE_BREAK: Final = re.compile(r"[,;:\u2014\u2013(]|\s-\s")
_NEXT_SENTENCE_REACH: Final = 40  # an explanation "right after" starts this close to the sentence start

# Sentences, greetings and sign-offs --------------------------------------------------------------

_BOUNDARY: Final = re.compile(r"[.!?…]+[\"')\]]*(?=\s|$)|\n")
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
_SIGN_OFF_LINES: Final = 4  # a valediction this close to the end starts the sign-off
_CLOSE_SENTENCES: Final = 2  # thanks belong in the last sentences (or the sign-off)


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end], trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    begin = start
    for boundary in _BOUNDARY.finditer(text, start, end):
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


def _body_end(text: str) -> int:
    """Where the sign-off ("Kind regards,\\nSam") starts, or the end of the text."""
    tail_start = len(text)
    for _ in range(_SIGN_OFF_LINES):
        tail_start = text.rfind("\n", 0, max(tail_start - 1, 0)) + 1 if tail_start > 0 else 0
        if tail_start == 0:
            break
    for valediction in _VALEDICTION.finditer(text, tail_start):
        after = text[valediction.end() :].strip()
        if all(len(line) <= 40 for line in after.splitlines()) and text[: valediction.start()].strip():
            return valediction.start()
    return len(text)


def _without_greeting(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if not sentences:
        return sentences
    start, end = sentences[0]
    greeting = _GREETING.match(text, start, end)
    if greeting is None:
        return sentences
    if greeting.end() >= end:
        return sentences[1:]
    return [(greeting.end(), end), *sentences[1:]]


def _clause_end(text: str, start: int, end: int) -> int:
    """Where the clause starting at `start` ends: the next clause break, or the sentence's end."""
    brk = _CLAUSE_BREAK.search(text, start, end)
    if brk is not None and brk.start() > start:
        end = brk.start()
    while end > start and text[end - 1] in ".!?…\"') \t":
        end -= 1
    return end


# The coach -------------------------------------------------------------------------------------------


def _as_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(Role.values)
        raise ValueError(f"Unknown role {role!r}: expected one of {choices}.") from None


def _merged(found: list[tuple[Rule, int, int, str]]) -> list[tuple[Rule, int, int, str]]:
    """Overlapping matches of one rule become one finding ("unfortunately we can't")."""
    found.sort(key=lambda item: (item[0], item[1], -item[2]))
    merged: list[tuple[Rule, int, int, str]] = []
    for rule, start, end, suggestion in found:
        if merged and merged[-1][0] == rule and start < merged[-1][2]:
            last = merged[-1]
            merged[-1] = (rule, last[1], max(last[2], end), last[3])
        else:
            merged.append((rule, start, end, suggestion))
    return merged


def _excuses(text: str, sentences: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for index, (start, end) in enumerate(sentences):
        apology = next(_APOLOGY.spans(text, start, end), None)
        if apology is None:
            continue
        reason = next(_EXCUSE_CONJUNCTION.spans(text, apology[1], end), None)
        clause = next(
            (s for s in _EXCUSE_CLAUSE.spans(text, apology[1], end) if _CLAUSE_BREAK.search(text, apology[1], s[0])),
            None,
        )
        candidates = [span for span in (reason, clause) if span is not None]
        if candidates:
            first = min(candidates)
            yield first[0], _clause_end(text, first[0], end)
        elif index + 1 < len(sentences):
            next_start, next_end = sentences[index + 1]
            reach = min(next_end, next_start + _NEXT_SENTENCE_REACH)
            spans = [span for span in _EXCUSE_CLAUSE.spans(text, next_start, next_end) if span[0] < reach]
            spans.extend(
                span
                for span in _EXCUSE_CONJUNCTION.spans(text, next_start, next_end)
                if span[0] == next_start or (span[0] < reach and not _CONTRAST_WORD.fullmatch(text, *span))
            )
            if spans:
                first = min(spans)
                yield first[0], _clause_end(text, first[0], next_end)


def coach_reply(
    text: str,
    *,
    role: Role | str,
    first_reply: bool = False,
    closing: bool = True,
    explanation_requested: bool = False,
) -> CoachResult:
    """Findings on a message to a customer, in text order, and whether they block sending.

    `first_reply`: the first reply to a complaint (it must apologise). `closing`: the message
    closes the conversation (it must thank). `explanation_requested`: the customer asked why,
    so an explanation after the apology is welcome. Raises ValueError for an unknown role.
    """
    role = _as_role(role)
    if not text.strip():
        return CoachResult(findings=[], blocking=False)
    norm = _prepared(text)
    no_severity: Severity = "warn" if role in DENIAL_ROLES else "block"

    lowered = " ".join(norm.split())  # for the needles: one space between words
    found = [
        (phrase.rule, start, end, phrase.suggestion)
        for phrase in _PHRASES
        for start, end in phrase.spans(norm, lowered)
    ]
    body_end = _body_end(norm)
    sentences = _without_greeting(norm, _sentences(norm, 0, body_end)) or _sentences(norm, 0, len(norm))
    if not explanation_requested:
        found.extend((Rule.EXCUSE_AFTER_APOLOGY, s, e, _S_EXCUSE) for s, e in _excuses(norm, sentences))
    if first_reply and sentences and next(_APOLOGY.spans(norm), None) is None:
        found.append((Rule.NO_APOLOGY, *sentences[0], _S_APOLOGISE))
    if closing and sentences:
        close_start = sentences[-_CLOSE_SENTENCES:][0][0]
        if not any(next(thanks.spans(norm, close_start), None) for thanks in _THANKS):
            found.append((Rule.NO_THANKS, *sentences[-1], _S_THANK))

    findings = []
    for rule, start, end, suggestion in sorted(_merged(found), key=lambda item: (item[1], item[2], item[0])):
        severity: Severity = no_severity if rule == Rule.SAYS_NO else "warn"
        excerpt = text[start:end]
        message = MESSAGES[rule].format(excerpt=excerpt) + (BLOCK_NOTE if severity == "block" else "")
        findings.append(Finding(rule, severity, start, end, excerpt, message, suggestion))
    return CoachResult(findings=findings, blocking=any(f.severity == "block" for f in findings))


# The table of examples: documentation, and every row is a test (tests/test_coach.py) ---------------


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    flagged: tuple[str, ...]  # the excerpts this rule flags, in order; () for "leaves it alone"
    first_reply: bool = False
    closing: bool = False
    explanation_requested: bool = False


def _ex(text: str, *flagged: str, first_reply: bool = False, closing: bool = False, asked: bool = False) -> Example:
    return Example(text, flagged, first_reply, closing, asked)


EXAMPLES: Final[dict[Rule, tuple[Example, ...]]] = {
    Rule.SAYS_NO: (
        _ex("No, we can't refund a sale item.", "No", "can't"),
        _ex("Unfortunately we can\u2019t change the name on the ticket.", "Unfortunately we can\u2019t"),
        _ex("We cannot offer a discount.", "cannot"),
        _ex("I cant do that.", "cant"),
        _ex("The manager won't approve it.", "won't"),
        _ex("We are unable to hold the room.", "unable to"),
        _ex("That's not possible after check-in.", "not possible"),
        _ex("It is against our policy to refund opened software.", "against our policy"),
        _ex(
            "We don't offer refunds on flights, and we don't do exceptions.", "We don't offer", "we don't do exceptions"
        ),
        _ex("I'm afraid there's nothing we can do.", "I'm afraid", "nothing we can do"),
        _ex("Sorry, no. No refunds after 30 days.", "no", "No refunds"),
        _ex("Changing the date is impossible.", "impossible"),
        _ex("Pets are not allowed in the rooms.", "not allowed"),
        _ex("This fare is non-refundable.", "non-refundable"),
        _ex("Your claim has been declined.", "claim has been declined"),
        _ex("The ticket can't be refunded.", "can't be refunded"),
        _ex("No problem at all! No worries, there's no charge for that."),
        _ex("I can't wait to help, and it won't take long."),
        _ex("Nothing wrong with asking! Don't worry."),
        _ex("I know, not good enough. You won't be charged, and this won't happen again."),
        _ex("I understand you can't log in. If we can't repair it, we'll replace it."),
        _ex("We were unable to reach you by phone yesterday."),
        _ex("It must have felt impossible to get through to us."),
        _ex("I can't imagine how frustrating that was."),
        _ex("No, you're not being unreasonable at all."),
    ),
    Rule.PASSES_BUCK: (
        _ex("That's not my department.", "not my department"),
        _ex("You'll have to call the airline.", "You'll have to call the airline"),
        _ex("Please contact the manufacturer about the warranty.", "contact the manufacturer"),
        _ex("Someone else handles refunds.", "Someone else"),
        _ex("That's another team, I'm afraid.", "That's another team"),
        _ex("It's out of my hands now.", "out of my hands"),
        _ex("I've contacted the manufacturer and I'll call the courier myself."),
        _ex("We'll make sure this never happens to someone else."),
        _ex("You'll need to call us back? No: I'll call you."),
    ),
    Rule.BLAMES: (
        _ex("You should have read the terms.", "You should have"),
        _ex("You didn't enter the discount code.", "You didn't"),
        _ex("That was your fault, not ours.", "your fault"),
        _ex("The courier lost it in transit.", "The courier lost"),
        _ex("Our warehouse messed up the labels.", "Our warehouse messed up"),
        _ex("It's not our fault; the airline overbooked.", "not our fault", "the airline overbooked"),
        _ex("If you had checked the size chart, this wouldn't have happened.", "If you had checked"),
        _ex("None of this is your fault. You should have been told, and you shouldn't have had to wait."),
        _ex("I'm sorry you didn't get a reply; you didn't deserve that."),
        _ex("You must have been so worried."),
    ),
    Rule.EXCUSE_AFTER_APOLOGY: (
        _ex("I'm so sorry, but we were short-staffed that night.", "but we were short-staffed that night"),
        _ex("I apologize; the system was down.", "the system was down"),
        _ex("Sorry for the wait. We've been really busy this week.", "We've been really busy this week"),
        _ex("My apologies for the delay due to the storm.", "due to the storm"),
        _ex("Sorry, the courier was late.", "the courier was late"),
        _ex("I'm so sorry. Here is a new booking for Friday."),
        _ex("I'm sorry the app won't let you log in."),
        _ex("I'm sorry, but I've already sent a replacement."),
        _ex("I'm sorry, the system was down.", asked=True),
    ),
    Rule.NO_APOLOGY: (
        _ex("Hi Dana,\nYour replacement ships today.", "Your replacement ships today.", first_reply=True),
        _ex("Hi Dana, I'm so sorry about the broken lamp.", first_reply=True),
        _ex("We regret the mix-up with your booking.", first_reply=True),
        _ex("No need to apologise! Your table is ready.", "No need to apologise!", first_reply=True),
        _ex("Your replacement ships today."),  # not a first reply
    ),
    Rule.NO_THANKS: (
        _ex("Your refund is on its way.\n\nBest,\nSam", "Your refund is on its way.", closing=True),
        _ex("Your refund is on its way. Thank you for telling us.", closing=True),
        _ex("Your refund is on its way.\n\nMany thanks,\nSam", closing=True),
        _ex("We appreciate your patience. The room is ready.", closing=True),
        _ex("Thanks to the storm, we were delayed. It's on its way.", "It's on its way.", closing=True),
        _ex("Your refund is on its way."),  # not closing the conversation
    ),
}
