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

Each `Shape` is one such pattern, built from the word classes of `lexicon.py`, with a named
group `x` for the words to highlight, and guards for what makes the same words harmless: a
condition ("if we don't have it, we'll order it"), the customer's own problem reported ("sorry
you couldn't find it"), the employee doing it ("I'll contact the store").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from makegood.recovery.coach import lexicon as w
from makegood.recovery.coach.matching import compile_lower
from makegood.recovery.coach.pieces import NOT_A_REFUSAL
from makegood.recovery.coach.rules import Rule
from makegood.recovery.coach.sentences import CLAUSE_BREAK
from makegood.recovery.coach.suggestions import (
    S_ABLE,
    S_CALL_FOR_THEM,
    S_FIND_OUT,
    S_FIX_NOT_FAULT,
    S_OFFER,
    S_OPENER,
    S_OWN,
    S_WE,
    S_WE_DO,
)

Found = tuple[Rule, int, int, str]
# A condition right before the subject: "if we don't have it in stock, we'll order it".
_IF: Final = r"\b(?:if|unless|in\s+case|whether|when|even\s+if|so\s+that)\s+(?:[\w']+\s+){0,2}$"
_NOT_REFUSING: Final = f"{_IF}|{NOT_A_REFUSAL}"
NO, BUCK, BLAME = Rule.SAYS_NO, Rule.PASSES_BUCK, Rule.BLAMES


@dataclass(frozen=True, slots=True)
class Shape:
    rules: tuple[Rule, ...]
    regex: re.Pattern[str]
    suggestion: str
    unless_before: re.Pattern[str] | None = None  # searched in the sentence up to the match
    customer_acts: bool = False  # an imperative: no "I"/"we" may govern it in its clause


def _shape(
    rules: Rule | tuple[Rule, ...],
    suggestion: str,
    pattern: str,
    *,
    unless_before: str | None = None,
    customer_acts: bool = False,
) -> Shape:
    return Shape(
        rules if isinstance(rules, tuple) else (rules,),
        compile_lower(pattern),
        suggestion,
        compile_lower(unless_before) if unless_before else None,
        customer_acts,
    )


# -- who is sent where -------------------------------------------------------------------------------

_US_ELSEWHERE: Final = rf"\bus\b[^.!?]{{0,40}}?{w.CHANNEL}"
# "Call me on 0800…" keeps the employee as the customer's contact: not a hand-off.
_SENT_TO: Final = (
    rf"(?:{w.CALL_VERB}\b(?!\s+(?:me|myself)\b)(?:\s+[^\s]+){{0,6}}?\s*(?:{w.PARTY}|\b{w.THIRD_PERSON}\b|{_US_ELSEWHERE}|{w.CHANNEL})"
    rf"|{w.GO_VERB}\b(?:\s+[^\s]+){{0,6}}?\s+(?:{w.PARTY}|\b{w.THIRD_PERSON}\b)"
    rf"|let\s+(?:our|the|your|their)\s+(?:[\w-]+\s+){{0,2}}?{w.PARTY_NOUN}\s+know)"
)
# Where an imperative can stand: a clause's start, or right after "please" wherever it is.
_CLAUSE_START: Final = (
    r"(?:(?:^|[,;:(\u2013\u2014!?]\s*|\b(?:and|or|then|but|so|otherwise)\s+)[\"'(]*\s*|\b(?:please|kindly|pls)\s+)"
)
_GET_OTHERS: Final = (
    r"(?:have|get|ask|advise|tell|let)\s+(?:the\s+|your\s+|their\s+)?(?:recipient|sender|account\s+holder|seller"
    r"|driver|bank|store|carrier|courier|manufacturer|merchant|vendor|landlord|her|him|them)\s+(?:to\s+)?"
    r"(?!contact\s+us|call\s+us|reach\s+out\s+to\s+us|dm\s+us|message\s+us|get\s+in\s+touch\s+with\s+us)\w+"
)
_THEY_HELP: Final = (
    rf"\b(?:they|my\s+colleagues(?:\s+there)?|(?:the|an?|your|that|this)\s+(?:[\w-]+\s+){{0,2}}?{w.PARTY_NOUN})"
    r"(?:'ll|'d|\s+will|\s+would|\s+can|\s+could|\s+may|\s+might|\s+should)\s+(?:(?:also|then|definitely)\s+)?"
    r"(?:(?:be\s+)?(?:more\s+than\s+|very\s+|really\s+|best\s+)?(?:happy|glad|able|pleased|placed)\s+to\s+)?"
    rf"(?:further\s+)?{w.HELP_VERB}"
)
_OUR_TEAM_HELPS_THERE: Final = (
    rf"(?P<x>\bour\s+(?:[\w-]+\s+){{0,2}}?(?:team|experts|specialists|partners|colleagues)(?:\s+at\s+[\w&'-]+)?\s+"
    rf"(?:can|will|would|could)\s+(?:\w+\s+)?{w.HELP_VERB})\b(?=[^.!?]{{0,20}}?(?:{w.URL}|:\s*$))"
)

_BUCK_SHAPES: Final = (
    _shape(BUCK, S_CALL_FOR_THEM, rf"{_CLAUSE_START}{w.SOFTENERS}(?P<x>{_SENT_TO})", customer_acts=True),
    _shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"{w.YOU_MODAL}(?P<x>{_SENT_TO})",
        unless_before=r"\b(?:if|whenever|when|should|do|did|would|whether|unless|in\s+case)\s+(?:[\w']+\s+){0,4}$",
    ),
    _shape(BUCK, S_CALL_FOR_THEM, rf"{w.ADVISED}(?P<x>{_SENT_TO})"),
    _shape(BUCK, S_CALL_FOR_THEM, rf"{w.ASKED}(?P<x>{_SENT_TO})"),
    _shape(BUCK, S_CALL_FOR_THEM, rf"{_CLAUSE_START}{w.SOFTENERS}(?P<x>{_GET_OTHERS})", customer_acts=True),
    _shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"(?P<x>{w.SEND_NOTE}[^.!?]{{0,30}}?{w.CHANNEL}|\bgive\s+(?:us|them)\s+a\s+(?:call|ring|buzz)\b"
        rf"|\bgive\s+{w.PARTY}\s+a\s+(?:call|ring|buzz|shout)\b)",
        customer_acts=True,
    ),
    _shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"(?P<x>\bget\s+(?:help|support|assistance|answers)\b[^.!?]{{0,40}}?(?:{w.URL}|\bhere\b|\bfrom\s+{w.PARTY}))",
        customer_acts=True,
    ),
    # "…so they can look into it" is us passing it on, which is taking it on.
    _shape(
        BUCK,
        S_OWN,
        rf"(?P<x>{_THEY_HELP})",
        unless_before=r"\b(?:if|unless|whether)\s+(?:\w+\s+){0,3}$|\bso\s+(?:that\s+)?$",
    ),
    _shape(BUCK, S_OWN, _OUR_TEAM_HELPS_THERE),
    _shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"(?P<x>\b(?:allow|wait|give)\s+(?:[^\s]+\s+){{0,4}}?for\s+(?:the|your)\s+(?:\w+\s+)?(?:{w.PARTY_NOUN}|them)"
        r"\s+to\s+(?:respond|reply|get\s+back|contact|process|review|answer|refund|confirm|investigate))",
    ),
    _shape(
        BUCK,
        S_CALL_FOR_THEM,
        r"(?P<x>\b(?:look\s+into|take\s+a\s+(?:closer\s+|better\s+)?look\s+at|help\s+with|troubleshoot|assist\s+with)"
        rf"\s+(?:this|it|that)\s+with\s+you\s+(?:here|via|at|over)\b[^.!?]{{0,10}}?{w.URL})",
    ),
    # "Damage must be assessed in person", "this has to be done at the airport": elsewhere, and no.
    _shape(
        (NO, BUCK),
        S_CALL_FOR_THEM,
        r"(?P<x>\b(?:must|has\s+to|have\s+to|needs?\s+to|will\s+need\s+to|would\s+need\s+to)\s+be\s+(?:\w+\s+)?"
        r"(?:done|assessed|inspected|looked\s+at|seen|handled|processed|made|completed|submitted|checked|verified"
        r"|reported|collected|returned|picked\s+up|requested|arranged|booked|purchased|bought|raised|filed)\s+(?:in\s+"
        r"person|at\s+(?:the|a|an|your)\s+\w+|in\s+(?:store|branch|a\s+store)|directly\s+with|through\s+(?:the|your)"
        rf"\s+\w+|via\s+(?:the|our)\s+\w+|by\s+(?:the|a|an|your)\s+(?:\w+\s+)?{w.PARTY_NOUN}))",
    ),
)

# -- saying no -----------------------------------------------------------------------------------------

_WE: Final = (
    r"\b(?:we|I)(?:\s+(?:currently|really|just|simply|still|actually|unfortunately|sadly|also|generally|normally))?"
)
_NO_SHAPES: Final = (
    _shape(
        NO,
        S_WE_DO,
        rf"(?P<x>{_WE}\s+(?:do\s+not|don'?t|does\s+not|doesn'?t|no\s+longer)\s+(?:currently\s+|actually\s+|even\s+)?"
        rf"{w.PROVIDE_VERB})\b(?!\s+(?:to\b|you\s+waiting|(?:a|any)\s+(?:problem|issue)|how\b))",
        unless_before=_NOT_REFUSING,
    ),
    _shape(
        NO,
        S_WE_DO,
        rf"(?P<x>\b(?:we|I)(?:'d|\s+would|\s+can|\s+could|\s+will)?\s+(?:currently\s+|usually\s+|generally\s+|normally"
        rf"\s+)?only\s+(?:ever\s+)?{w.ONLY_VERB}\b"
        r"|\byou(?:'re|\s+are|\s+will\s+be|'ll\s+be)?\s+only\s+(?:able|allowed|permitted|eligible|entitled)\b"
        r"|\byou\s+(?:can|may)\s+only\b|\b(?:can|may)\s+only\s+be\s+\w+"
        r"|\b(?:is|are|'s|'re)\s+(?:currently\s+)?only\s+(?:available|valid|possible|offered|accepted|supported|open)\b"
        r"(?!\s+(?:until|till|through|for\s+(?:another|the\s+next))))",
        unless_before=_IF,
    ),
    _shape(
        NO,
        S_FIND_OUT,
        r"(?P<x>\bthere(?:'s|\s+is|\s+are|'re|\s+was|\s+were|\s+will\s+be)?\s+(?:(?:currently|unfortunately|sadly"
        r"|simply|really|still|just)\s+)?(?:no|not\s+any|not\s+an?|isn'?t\s+(?:an?|any)|aren'?t\s+any|wasn'?t\s+(?:an?"
        rf"|any)|weren'?t\s+any)\s+(?:(?:\w+|more|further|other)\s+)?(?:{w.KNOWLEDGE_NOUN}|{w.WAY_NOUN})\b)",
        unless_before=_IF,
    ),
    _shape(
        NO,
        S_FIND_OUT,
        rf"(?P<x>\bno\s+(?:(?:new|further|more|other|additional)\s+)?{w.KNOWLEDGE_NOUN}\b(?:\s+(?:to\s+(?:be\s+)?"
        r"(?:share|shared|give|given|provide|provided|report)|(?:is\s+)?available))?)(?=\s+(?:to\b|yet|at\s+(?:this|the)"
        r"\s+(?:time|moment|point)|as\s+of\b|right\s+now|for\s+now|available)|[.!,]|\s*$)"
        rf"|(?P<we>\b(?:we|I)(?:\s+currently|\s+still)?\s+(?:have|'ve|had|got)\s+no\s+(?:\w+\s+)?{w.KNOWLEDGE_NOUN}\b)",
    ),
    _shape(
        NO,
        S_OFFER,
        r"(?P<x>\b(?:is|are|'s|'re|was|were|has\s+been|have\s+been|will\s+be|be|seems?\s+to\s+be|looks?\s+to\s+be)\s+"
        rf"(?:(?:currently|temporarily|now|still|sadly|unfortunately|permanently)\s+)*{w.UNAVAILABLE}"
        r"|\b(?:isn'?t|aren'?t|wasn'?t|weren'?t|won'?t\s+be)\s+(?:currently\s+|yet\s+|now\s+)?available\b"
        r"|\bcan\s+no\s+longer\b|\bcurrently\s+unavailable)",
        unless_before=NOT_A_REFUSAL,
    ),
    _shape(NO, S_OFFER, r"(?P<x>\b(?:sorry|hate|afraid)\s+to\s+(?:disappoint|be\s+the\s+bearer))"),
    # "You wouldn't get those perks", "the booking rules apply": what the customer expects, denied.
    _shape(
        NO,
        S_OFFER,
        r"(?P<x>\byou\s+(?:wouldn'?t|would\s+not)\s+(?:get|receive|have|be\s+(?:able|eligible|entitled|allowed))\b"
        r"(?!\s+(?:charged|billed|to\b))|\b(?:rules?|polic(?:y|ies)|restrictions?)\s+(?:still\s+|do\s+)?apply\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    # Withheld by us: "we've turned it off", "we shut online ordering down".
    _shape(
        NO,
        S_OFFER,
        r"(?P<x>\bwe(?:'ve|\s+have|\s+had)?\s+(?:temporarily\s+|just\s+)?(?:turned|shut|switched|taken|closed)\s+"
        r"(?:it|this|that|them|(?:\w+\s+){1,2}?)\s*(?:off|down)\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    # A rule that excludes the customer's case: "the previous offer isn't applied", "is not included".
    _shape(
        NO,
        S_OFFER,
        r"(?P<x>\b(?:isn'?t|is\s+not|aren'?t|are\s+not|won'?t\s+be|will\s+not\s+be|doesn'?t\s+get|don'?t\s+get)\s+"
        r"(?:\w+\s+)?(?:applied|included|accepted|honou?red|offered|permitted|supported|processed|combined"
        r"|transferable|exchanged|returned|refunded|reimbursed|approved|granted)\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    # The customer contradicted: "that conflicts with what was discussed", "but we do follow the rules".
    _shape(
        NO,
        S_FIND_OUT,
        r"(?P<x>\b(?:conflicts?|contradicts?)\s+with\b|\bdoes(?:n'?t|\s+not)\s+match\s+(?:our|what|the)\b"
        # The emphatic "do" answering the customer back: "but we do follow…", "we do offer it, but…".
        r"|(?:(?<=but\s)|(?=we\s+do\s+[^.!?]*?\sbut\b))\bwe\s+do\s+(?:currently\s+|in\s+fact\s+|actually\s+|indeed\s+)?"
        r"(?!not\b|everything|all\b|our\s+best|what\b"
        r"|apologi|appreciate|understand"
        r"|value|care|want|hope|take|recogni|know|thank|see|hear|love|need|ask|work|try|strive|have\s+(?:a|an|your)\b)\w+)",
    ),
    _shape(
        NO,
        S_ABLE,
        r"(?P<x>\b(?:was|were|have\s+been|'ve\s+been)\s+(?:not\s+|un)able\s+to\s+(?:find|locate|trace|verify|confirm"
        r"|access|retrieve|pull\s+up|match)\b|\b(?:haven'?t|hasn'?t|have\s+not|has\s+not)\s+been\s+able\s+to\s+(?:find"
        r"|locate|trace|verify|confirm|access|retrieve)\b|\b(?:couldn'?t|could\s+not)\s+(?:find|locate|trace|verify"
        r"|confirm|access|retrieve)\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    _shape(
        NO,
        S_FIND_OUT,
        r"(?P<x>\bnothing\s+(?:that\s+)?(?:should|would|could)\s+be\s+caus\w*|\b(?:is|are)n'?t\s+registered\s+with\s+us"
        r"|\bnot\s+registered\s+with\s+us)",
    ),
    # A bad-news opener over a refusal later in its sentence ("Unfortunately, this must be done…"); not
    # over a failure it reports before a remedy ("Sadly it didn't arrive in time, so I've sent…").
    _shape(
        NO,
        S_OPENER,
        r"(?P<x>\b(?:unfortunately|sadly|regrettably))\b(?![^.!?]{0,80}?\b(?:so|but|and)\s+(?:I|we)(?:'ve|'ll|\s+have"
        r"|\s+will)\b)(?=[^.!?]{0,80}?(?:\bcan'?t\b|\bcannot\b|\bwon'?t\b|\bunable\b|\bnot\s+(?:be\s+)?(?:able"
        r"|possible|available|allowed|eligible|covered|valid)\b|\bno\s+longer\b|n'?t\s+(?:be\s+)?(?:able|possible"
        r"|available|allowed|eligible|covered|valid|offer|accept|refund|provide|do|have|support|track|allow)\b|\bonly\b"
        r"|\bmust\b|\bno\s+(?!doubt|problem|worries|need)\w+|\bunavailable\b|\bimpossible\b|\bnever\b))",
    ),
)

# -- blaming -----------------------------------------------------------------------------------------

_BLAME_SHAPES: Final = (
    # "We're not seeing any issues on our end": nothing wrong here, so it's the customer's.
    _shape(
        (NO, BLAME),
        S_FIX_NOT_FAULT,
        r"(?P<x>\b(?:(?:we|I)(?:'re|'m|\s+are|\s+am)\s+not\s+(?:seeing|showing|finding|detecting)|(?:we|I)\s+(?:do\s+not"
        r"|don'?t|can'?t|cannot)\s+see|there(?:'s|\s+is|\s+are)\s+(?:no|nothing))\s+(?:any\s+)?(?:[\w-]+\s+){0,2}?"
        r"(?:issues?|problems?|outages?|errors?|faults?|wrong)\b[^.!?]{0,30}?\bon\s+(?:our|my)\s+(?:end|side))",
    ),
    _shape(
        BLAME,
        S_WE,
        r"(?P<x>\b(?:out\s+of|beyond|outside(?:\s+of)?)\s+(?:our|my)\s+control\b|\bunavoidable\b)",
    ),
    # Another party did it: "declined by your bank", "delayed by the airport", "they must have left it".
    _shape(
        BLAME,
        S_WE,
        r"(?P<x>\b(?:declined|rejected|blocked|refused|delayed|lost|damaged|misdelivered)\s+by\s+(?:your|the|their)\s+"
        rf"(?:[\w-]+\s+)?{w.PARTY_NOUN}\b"
        r"|\b(?:they|the\s+(?:courier|driver|carrier|seller|bank|airline|store|kitchen|warehouse))\s+must\s+have\s+"
        r"(?:left|lost|put|dropped|sent|forgotten|misplaced|taken|delivered|mixed|missed)\b)",
        unless_before=r"\b(?:sorry|apologi[sz]e|regret)\s+(?:that\s+)?$",
    ),
    # The customer's doing, given as the cause: "because you didn't…", "because your details didn't match".
    _shape(
        BLAME,
        S_FIX_NOT_FAULT,
        r"(?P<x>\b(?:because|as|since)\s+(?:you\s+(?:didn'?t|did\s+not|never|forgot|failed|missed|entered|chose|selected"
        r"|picked|used)\b|your\s+(?:[\w-]+\s+){0,3}?(?:didn'?t|did\s+not|don'?t|do\s+not|wasn'?t|weren'?t|was\s+not"
        r"|were\s+not)\s+(?:match|correct|valid|right|entered|filled|completed|updated)\w*))",
    ),
    _shape(
        BLAME,
        S_WE,
        r"(?P<x>\b(?:the|your|their)\s+(?:(?:previous|other|last|original|first)\s+)?(?:\w+\s+)?(?:seller|courier"
        r"|carrier|driver|bank|airline|store|manufacturer|vendor|merchant|pilot|crew|agent|staff|captain|operator"
        r"|partner|supplier|network|provider|isp|retailer|third[- ]party)\s+(?:should(?:'ve|\s+have)|may\s+not\s+have"
        r"|might\s+not\s+have|must\s+not\s+have|(?:was|were)(?:n'?t|\s+not)\s+(?:aware|informed|told)|failed\s+to"
        r"|forgot\s+to)\b)",
        unless_before=r"\b(?:sorry|apologi[sz]e|regret)\s+(?:that\s+)?$",
    ),
    # "All charges are shown on our website, prior to calling us": it was there to read.
    _shape(
        (NO, BLAME),
        S_FIX_NOT_FAULT,
        r"(?P<x>\b(?:are|is|were|was)\s+(?:all\s+|clearly\s+|always\s+)?(?:available|listed|shown|displayed|stated"
        r"|published|detailed|explained|outlined|advertised)\s+(?:to\s+(?:view|read|see)\s+)?(?:on|in)\s+(?:our|the)"
        r"\s+(?:website|site|app|terms|t&cs|conditions|faqs?|confirmation|booking|policy|e-?mail)\b)"
        r"(?=[^.!?]{0,15}?\b(?:prior\s+to|before|at\s+the\s+time|when\s+you))"
        r"|(?P<we>\bwe\s+(?:do|did|clearly|always)\s+(?:\w+\s+)?(?:advise|state|list|display|show|mention|explain"
        r"|publish|advertise)\w*\b)(?=[^.!?]{0,50}?\b(?:online|on\s+(?:our|the)\s+(?:website|site|app)|in\s+(?:the|our)"
        r"\s+(?:terms|t&cs|policy|faq|confirmation)))",
    ),
    _shape(
        BLAME,
        S_FIX_NOT_FAULT,
        r"(?P<x>\bawaiting\s+(?:for\s+)?your\b|\bstill\s+waiting\s+(?:for|on)\s+(?:your|you)\b"
        r"|\byet\s+to\s+(?:receive|hear\s+from)\s+(?:your|you)\b"
        r"|\bin\s+order\s+(?:for\s+(?:us|me)\s+)?to\s+[^.!?]{0,40}?,?\s+you\s+(?:need|have|must|will\s+need|'ll\s+need)"
        r"\s+to)",
    ),
)

SHAPES: Final[tuple[Shape, ...]] = (*_NO_SHAPES, *_BUCK_SHAPES, *_BLAME_SHAPES)

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
    already found a rule keeps the phrase's finding for that rule, so each is flagged once."""
    added: list[Found] = []
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        known = {rule for rule, start, end, _ in found if start < s_end and end > s_start}
        for shape in SHAPES:
            for start, end in _spans(shape, sentence):
                for rule in shape.rules:
                    if rule not in known:
                        added.append((rule, s_start + start, s_start + end, shape.suggestion))
                        known.add(rule)
    return added
