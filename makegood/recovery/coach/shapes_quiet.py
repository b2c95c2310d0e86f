"""The quiet shapes of saying no and of blaming: no "can't" in them, and still a "no" to the customer.

Support staff often refuse without a negation: they put the thing off to an unnamed future
("hopefully we'll have it available again soon", "we hope to add that at some point"), narrow it
to others ("only certain stores take part", "there are only specific pick-up zones", "we offer
support in English"), concede before refusing ("while we do our best to honour seat requests…",
"though we'd love to help…"), or defend the thing complained about instead of fixing it ("our
seats are comparable to other airlines'"). Blame can be as quiet: "it sounds like you booked a
basic fare" makes the customer's choice the cause. Each shape keeps the guard that makes the same
words harmless ("hopefully we'll see you again soon" looks forward to the customer, not away from
the request; "I can help in Spanish too" offers a language, it does not restrict one).
"""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach.pieces import NO_REMEDY_AFTER, NOT_A_REFUSAL
from makegood.recovery.coach.shape import BLAME, IF_BEFORE, NO, Shape, shape
from makegood.recovery.coach.suggestions import S_FIX_NOT_FAULT, S_OFFER, S_WE_DO

# The people and things a hope may look forward to without putting the request off.
_HOPE_FOR_THE_CUSTOMER: Final = (
    r"(?![^.!?]{0,40}?\b(?:see|welcome|serve|hear\s+from|host|have|help|fly|meet|get)\s+(?:you|y'all|u)\b)"
    # "Hopefully this won't happen again": a failure hoped away, not a request put off.
    r"(?![^.!?]{0,40}?(?:\bwon'?t|\bwill\s+not|\bnever|n'?t\s+happen|\bnot\s+happen))"
)
LANGUAGE: Final = (
    r"(?:english|spanish|french|german|italian|portuguese|dutch|japanese|chinese|mandarin|cantonese|korean"
    r"|arabic|hindi|russian|polish|turkish|swedish|norwegian|danish|finnish|greek|hebrew|welsh|irish)"
)

QUIET_NO: Final[tuple[Shape, ...]] = (
    # Put off to an unnamed future: not now, then.
    shape(
        NO,
        S_OFFER,
        rf"(?P<x>\b(?:hopefully|(?:we|I)(?:'re|\s+are|'m|\s+am)?\s+(?:really\s+)?(?:hope|hoping)\s+(?:to|that|we)\b)"
        rf"{_HOPE_FOR_THE_CUSTOMER}[^.!?]{{0,60}}?\b(?:(?:available|back|in\s+stock|on\s+sale|offered)\s+again(?!\s+(?:next|tomorrow|on\s+\w+|by\b|this\b))"
        r"|at\s+some\s+point(?!\s+(?:today|tonight|tomorrow|this|later|in\s+the\s+next))|some\s*day|one\s+day"
        r"|eventually|down\s+the\s+(?:road|line)"
        r"|in\s+(?:the\s+)?(?:near\s+|not\s+too\s+distant\s+)?future|in\s+(?:a\s+)?future\s+(?:update|release|version"
        rf"|menu|season))){NO_REMEDY_AFTER}",
        unless_before=IF_BEFORE,
    ),
    # Narrowed to others: "only certain stores take part", "there are only specific pick-up zones".
    shape(
        NO,
        S_WE_DO,
        r"(?P<x>\bonly\s+(?:a\s+few\s+|some\s+)?(?:specific|certain|select|selected|designated|specified|participating"
        r"|particular)\b(?!\s+(?:steps?|details?|information|questions?)\b)"
        r"(?!(?:\s+[\w-]+){1,3}\s+(?:were|was|are|is|have\s+been|has\s+been)\s+(?:affected|impacted|involved)\b)"
        r"|\bthere(?:'s|\s+is|\s+are|'re)\s+(?:usually\s+|generally\s+|currently\s+|just\s+)?only\s+(?:one|a\s+(?:few"
        r"|limited|small)|limited|specific|certain|designated)\b(?=[^.!?]{0,40}?\b(?:zones?|areas?|locations?|stores?"
        r"|seats?|rooms?|spaces?|spots?|options?|slots?|flights?|routes?|times?|days?|places?|items?|products?"
        rf"|models?|number)\b)){NO_REMEDY_AFTER}",
        unless_before=NOT_A_REFUSAL,
    ),
    # The languages served: "we offer support via Twitter in English", "we can help in English only".
    shape(
        NO,
        S_WE_DO,
        r"(?P<x>\b(?:we|I)\s+(?:currently\s+|only\s+)?(?:offer|provide|handle|can\s+only\s+(?:help|assist|respond"
        rf"|reply|answer))\b[^.!?]{{0,40}}?\bin\s+{LANGUAGE}\b(?:\s+only\b)?(?!,?\s+(?:too|as\s+well|also|or|and)\b)"
        rf"|\b(?:support|help|assistance|service)\s+(?:is\s+)?(?:only\s+)?(?:available|offered|provided)\s+in\s+{LANGUAGE})",
        unless_before=NOT_A_REFUSAL,
    ),
    # Conceding before refusing: "while we do our best to honour seat requests, …", "though we'd love to …".
    shape(
        NO,
        S_OFFER,
        r"(?P<x>\b(?:though|although|while|whilst|even\s+though)\s+(?:we|I)(?:\s+(?:always|certainly|really|do))?\s+"
        r"(?:try|do|make|strive|aim|endeavou?r)\s+(?:our\s+(?:very\s+)?(?:best|utmost|hardest)|every\s+effort|hard)\s+to"
        r"|\b(?:though|although|while|whilst)\s+(?:we|I)(?:'d|\s+would)\s+(?:really\s+)?(?:love|like)\s+to\b"
        r"(?!\s+(?:hear|see|chat|know|talk|connect|learn|welcome|have\s+you)\b))"
        # …and only with the refusal that follows it in the sentence ("it's just a request", "is not guaranteed").
        r"(?=[^.!?]{0,120}?(?:\bnot\b|n'?t\b|\bno\b|\bcannot\b|\bunable\b|\bonly\b|\bjust\s+(?:that|a)\b"
        r"|\bguarantee))",
    ),
    # The thing complained about, defended: "our seat pitch is comparable to other airlines".
    shape(
        NO,
        S_OFFER,
        r"(?P<x>\b(?:is|are|'s|'re)\s+(?:very\s+|quite\s+|fully\s+|actually\s+)?(?:comparable|similar|equivalent"
        r"|on\s+par|in\s+line|consistent|competitive)\s+(?:to|with)\s+(?:those\s+of\s+|that\s+of\s+)?(?:other|most|the"
        r"\s+rest\s+of\s+the|any\s+other|our\s+competitors|the\s+industry|industry)\b"
        rf"|\b(?:is|are|'s|'re)\s+(?:the\s+)?(?:industry|standard)\s+(?:standard|practice|across\s+the\s+industry)\b)"
        rf"{NO_REMEDY_AFTER}",
    ),
)

QUIET_BLAME: Final[tuple[Shape, ...]] = (
    # The customer's choice, given as the cause: "it sounds like you booked a basic fare".
    shape(
        BLAME,
        S_FIX_NOT_FAULT,
        r"(?P<x>\b(?:it\s+(?:sounds|looks|seems|appears)(?:\s+(?:like|as\s+though|as\s+if|that))?|seems\s+like"
        r"|looks\s+like)\s+you(?:'d|'ve|\s+had|\s+have)?\s+(?:booked|bought|purchased|chose|selected|picked|used|entered"
        r"|typed|opted|forgot|missed|skipped|ignored|declined|(?:didn'?t|did\s+not|never)\s+(?:select|enter|click|confirm"
        r"|complete|add|check|read|update|follow|submit|book|pay|cancel|sign|verify|activate|register|save|include"
        r"|choose|opt|tick|accept|apply|use)\w*|had\s+(?:an?|the)\s+(?:[\w-]+\s+)"
        r"{0,2}?(?:ticket|fare|plan|account|subscription|membership|card|booking|reservation|order|tariff|package)\b))",
    ),
)
