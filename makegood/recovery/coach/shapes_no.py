"""The shapes of saying no ("we don't track…", "we only ship…", "there's no information…", "that
model is no longer available") and of blaming ("we're not seeing any issues on our end", "declined
by your bank", "because your details didn't match")."""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach import lexicon as w
from makegood.recovery.coach.pieces import NO_REMEDY_AFTER, NOT_A_REFUSAL
from makegood.recovery.coach.shape import BLAME, IF_BEFORE, NO, NOT_REFUSING, Shape, shape
from makegood.recovery.coach.suggestions import (
    S_ABLE,
    S_FIND_OUT,
    S_FIX_NOT_FAULT,
    S_OFFER,
    S_OPENER,
    S_WE,
    S_WE_DO,
)

# -- saying no -----------------------------------------------------------------------------------------

_WE: Final = (
    r"\b(?:we|I)(?:\s+(?:currently|really|just|simply|still|actually|unfortunately|sadly|also|generally|normally))?"
)
SAYS_NO: Final[tuple[Shape, ...]] = (
    shape(
        NO,
        S_WE_DO,
        rf"(?P<x>{_WE}\s+(?:do\s+not|don'?t|does\s+not|doesn'?t|no\s+longer)\s+(?:currently\s+|actually\s+|even\s+)?"
        rf"{w.PROVIDE_VERB})\b(?!\s+(?:to\b|you\s+waiting|(?:a|any)\s+(?:problem|issue)|how\b))",
        unless_before=NOT_REFUSING,
    ),
    shape(
        NO,
        S_WE_DO,
        rf"(?P<x>\b(?:we|I)(?:'d|\s+would|\s+can|\s+could|\s+will)?\s+(?:currently\s+|usually\s+|generally\s+|normally"
        rf"\s+)?only\s+(?:ever\s+)?{w.ONLY_VERB}\b"
        r"|\byou(?:'re|\s+are|\s+will\s+be|'ll\s+be)?\s+only\s+(?:able|allowed|permitted|eligible|entitled)\b"
        r"|\byou\s+(?:can|may)\s+only\b|\b(?:can|may)\s+only\s+be\s+\w+"
        r"|\b(?:is|are|'s|'re)\s+(?:currently\s+)?only\s+(?:available|valid|possible|offered|accepted|supported|open)\b"
        r"(?!\s+(?:until|till|through|for\s+(?:another|the\s+next))))"
        # "Refunds are only possible within 30 days, so I've made an exception": the rule, then the remedy.
        rf"{NO_REMEDY_AFTER}",
        unless_before=IF_BEFORE,
    ),
    shape(
        NO,
        S_FIND_OUT,
        r"(?P<x>\bthere(?:'s|\s+is|\s+are|'re|\s+was|\s+were|\s+will\s+be)?\s+(?:(?:currently|unfortunately|sadly"
        r"|simply|really|still|just)\s+)?(?:no|not\s+any|not\s+an?|isn'?t\s+(?:an?|any)|aren'?t\s+any|wasn'?t\s+(?:an?"
        rf"|any)|weren'?t\s+any)\s+(?:(?:\w+|more|further|other)\s+)?(?:{w.KNOWLEDGE_NOUN}|{w.WAY_NOUN})\b)",
        unless_before=IF_BEFORE,
    ),
    shape(
        NO,
        S_FIND_OUT,
        rf"(?P<x>\bno\s+(?:(?:new|further|more|other|additional)\s+)?{w.KNOWLEDGE_NOUN}\b(?:\s+(?:to\s+(?:be\s+)?"
        r"(?:share|shared|give|given|provide|provided|report)|(?:is\s+)?available))?)(?=\s+(?:to\b|yet|at\s+(?:this|the)"
        r"\s+(?:time|moment|point)|as\s+of\b|right\s+now|for\s+now|available)|[.!,]|\s*$)"
        rf"|(?P<we>\b(?:we|I)(?:\s+currently|\s+still)?\s+(?:have|'ve|had|got)\s+no\s+(?:\w+\s+)?{w.KNOWLEDGE_NOUN}\b)",
    ),
    shape(
        NO,
        S_OFFER,
        r"(?P<x>\b(?:is|are|'s|'re|was|were|has\s+been|have\s+been|will\s+be|be|seems?\s+to\s+be|looks?\s+to\s+be)\s+"
        rf"(?:(?:currently|temporarily|now|still|sadly|unfortunately|permanently)\s+)*{w.UNAVAILABLE}"
        r"|\b(?:isn'?t|aren'?t|wasn'?t|weren'?t|won'?t\s+be)\s+(?:currently\s+|yet\s+|now\s+)?available\b"
        r"|\bcan\s+no\s+longer\b|\bcurrently\s+unavailable)",
        unless_before=NOT_A_REFUSAL,
    ),
    shape(NO, S_OFFER, r"(?P<x>\b(?:sorry|hate|afraid)\s+to\s+(?:disappoint|be\s+the\s+bearer))"),
    # "You wouldn't get those perks", "the booking rules apply": what the customer expects, denied.
    shape(
        NO,
        S_OFFER,
        r"(?P<x>\byou\s+(?:wouldn'?t|would\s+not)\s+(?:get|receive|have|be\s+(?:able|eligible|entitled|allowed))\b"
        r"(?!\s+(?:charged|billed|to\b))|\b(?:rules?|polic(?:y|ies)|restrictions?)\s+(?:still\s+|do\s+)?apply\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    # Withheld by us: "we've turned it off", "we shut online ordering down".
    shape(
        NO,
        S_OFFER,
        r"(?P<x>\bwe(?:'ve|\s+have|\s+had)?\s+(?:temporarily\s+|just\s+)?(?:turned|shut|switched|taken|closed)\s+"
        r"(?:it|this|that|them|(?:\w+\s+){1,2}?)\s*(?:off|down)\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    # A rule that excludes the customer's case: "the previous offer isn't applied", "is not included".
    shape(
        NO,
        S_OFFER,
        r"(?P<x>\b(?:isn'?t|is\s+not|aren'?t|are\s+not|won'?t\s+be|will\s+not\s+be|doesn'?t\s+get|don'?t\s+get)\s+"
        r"(?:\w+\s+)?(?:applied|included|accepted|honou?red|offered|permitted|supported|processed|combined"
        r"|transferable|exchanged|returned|refunded|reimbursed|approved|granted)\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    # The customer contradicted: "that conflicts with what was discussed", "but we do follow the rules".
    shape(
        NO,
        S_FIND_OUT,
        r"(?P<x>\b(?:conflicts?|contradicts?)\s+with\b|\bdoes(?:n'?t|\s+not)\s+match\s+(?:our|what|the)\b"
        # The emphatic "do" answering the customer back: "but we do follow…", "we do offer it, but…".
        r"|(?:(?<=but\s)|(?=we\s+do\s+[^.!?]*?\sbut\b))\bwe\s+do\s+(?:currently\s+|in\s+fact\s+|actually\s+|indeed\s+)?"
        r"(?!not\b|everything|all\b|our\s+best|what\b"
        r"|apologi|appreciate|understand"
        r"|value|care|want|hope|take|recogni|know|thank|see|hear|love|need|ask|work|try|strive|have\s+(?:a|an|your)\b)\w+)",
    ),
    shape(
        NO,
        S_ABLE,
        r"(?P<x>\b(?:was|were|have\s+been|'ve\s+been)\s+(?:not\s+|un)able\s+to\s+(?:find|locate|trace|verify|confirm"
        r"|access|retrieve|pull\s+up|match)\b|\b(?:haven'?t|hasn'?t|have\s+not|has\s+not)\s+been\s+able\s+to\s+(?:find"
        r"|locate|trace|verify|confirm|access|retrieve)\b|\b(?:couldn'?t|could\s+not)\s+(?:find|locate|trace|verify"
        r"|confirm|access|retrieve)\b)",
        unless_before=NOT_A_REFUSAL,
    ),
    shape(
        NO,
        S_FIND_OUT,
        r"(?P<x>\bnothing\s+(?:that\s+)?(?:should|would|could)\s+be\s+caus\w*|\b(?:is|are)n'?t\s+registered\s+with\s+us"
        r"|\bnot\s+registered\s+with\s+us)",
    ),
    # A bad-news opener over a refusal later in its sentence ("Unfortunately, this must be done…"); not
    # over a failure it reports before a remedy ("Sadly it didn't arrive in time, so I've sent…").
    shape(
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

BLAMES: Final[tuple[Shape, ...]] = (
    # "We're not seeing any issues on our end": nothing wrong here, so it's the customer's.
    shape(
        (NO, BLAME),
        S_FIX_NOT_FAULT,
        r"(?P<x>\b(?:(?:we|I)(?:'re|'m|\s+are|\s+am)\s+not\s+(?:seeing|showing|finding|detecting)|(?:we|I)\s+(?:do\s+not"
        r"|don'?t|can'?t|cannot)\s+see|there(?:'s|\s+is|\s+are)\s+(?:no|nothing))\s+(?:any\s+)?(?:[\w-]+\s+){0,2}?"
        r"(?:issues?|problems?|outages?|errors?|faults?|wrong)\b[^.!?]{0,30}?\bon\s+(?:our|my)\s+(?:end|side))",
    ),
    shape(
        BLAME,
        S_WE,
        r"(?P<x>\b(?:out\s+of|beyond|outside(?:\s+of)?)\s+(?:our|my)\s+control\b|\bunavoidable\b)",
    ),
    # Another party did it: "declined by your bank", "delayed by the airport", "they must have left it".
    shape(
        BLAME,
        S_WE,
        r"(?P<x>\b(?:declined|rejected|blocked|refused|delayed|lost|damaged|misdelivered)\s+by\s+(?:your|the|their)\s+"
        rf"(?:[\w-]+\s+)?{w.PARTY_NOUN}\b"
        r"|\b(?:they|the\s+(?:courier|driver|carrier|seller|bank|airline|store|kitchen|warehouse))\s+must\s+have\s+"
        r"(?:left|lost|put|dropped|sent|forgotten|misplaced|taken|delivered|mixed|missed)\b)",
        unless_before=r"\b(?:sorry|apologi[sz]e|regret)\s+(?:that\s+)?$",
    ),
    # The customer's doing, given as the cause: "because you didn't…", "because your details didn't match".
    shape(
        BLAME,
        S_FIX_NOT_FAULT,
        r"(?P<x>\b(?:because|as|since)\s+(?:you\s+(?:didn'?t|did\s+not|never|forgot|failed|missed|entered|chose|selected"
        r"|picked|used)\b|your\s+(?:[\w-]+\s+){0,3}?(?:didn'?t|did\s+not|don'?t|do\s+not|wasn'?t|weren'?t|was\s+not"
        r"|were\s+not)\s+(?:match|correct|valid|right|entered|filled|completed|updated)\w*))",
    ),
    shape(
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
    shape(
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
    shape(
        BLAME,
        S_FIX_NOT_FAULT,
        r"(?P<x>\bawaiting\s+(?:for\s+)?your\b|\bstill\s+waiting\s+(?:for|on)\s+(?:your|you)\b"
        r"|\byet\s+to\s+(?:receive|hear\s+from)\s+(?:your|you)\b"
        r"|\bin\s+order\s+(?:for\s+(?:us|me)\s+)?to\s+[^.!?]{0,40}?,?\s+you\s+(?:need|have|must|will\s+need|'ll\s+need)"
        r"\s+to)",
    ),
)
