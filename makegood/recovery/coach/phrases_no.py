"""The phrases of saying no: "can't", "won't", "unable to", "not possible", "against policy",
"we don't offer", "nothing we can do", "unfortunately we…", and the exceptions kept next to each
("no problem", "can't wait", "won't take long", "if we can't repair it", "I understand you can't
log in"). Precision matters as much as recall: a false "no" blocks a frontline employee.
"""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach.matching import Phrase, phrase
from makegood.recovery.coach.pieces import CANT, CONDITIONAL, NEG, NOT_A_REFUSAL, WE_REFUSE, WONT
from makegood.recovery.coach.rules import Rule
from makegood.recovery.coach.suggestions import (
    S_ABLE,
    S_CAN,
    S_NEXT_STEP,
    S_NO,
    S_OFFER,
    S_OPENER,
    S_POLICY,
    S_POSSIBLE,
    S_WE_DO,
    S_WILL,
)

NO: Final = Rule.SAYS_NO

SAYS_NO: Final[tuple[Phrase, ...]] = (
    phrase(
        NO,
        S_CAN,
        CANT,
        unless_before=NOT_A_REFUSAL,
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
    phrase(
        NO,
        S_CAN,
        rf"(?:{CANT}|{WONT})\s+be\s+(?:\w+\s+)?(?:refunded|exchanged|returned|changed|amended|cancell?ed"
        r"|accepted|honou?red|processed|reimbursed|compensated|offered|given|approved|granted|replaced|repaired"
        r"|waived|upgraded|moved|transferred|extended|credited|covered|made|done)\b",
        unless_before=CONDITIONAL,
        needles="can|won|will not",
    ),
    phrase(
        NO,
        S_WILL,
        WONT,
        unless_before=NOT_A_REFUSAL,
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
    phrase(
        NO,
        S_ABLE,
        r"\bunable\s+to\b",
        # "Are you still unable to log in?", "you're unable to find it": the customer's problem.
        unless_before=rf"\b(?:was|were|been)\s+(?:\w+\s+)?$|\byou(?:'re|\s+are)?\s+(?:still\s+)?$|{NOT_A_REFUSAL}",
        needles="unable",
    ),
    phrase(
        NO,
        S_ABLE,
        r"\bnot\s+(?:be\s+)?able\s+to\b|\b(?:aren'?t|isn'?t)\s+able\s+to\b|\bnot\s+in\s+a\s+position\s+to\b",
        unless_before=rf"\b(?:was|were)\s+$|{NOT_A_REFUSAL}",
        needles="able|position",
    ),
    phrase(NO, S_POSSIBLE, rf"{NEG}\s+(?:\w+\s+){{0,2}}possible\b", needles="possible"),
    phrase(
        NO,
        S_POSSIBLE,
        r"\bimpossible\b",
        unless_before=r"(?:felt|feel|feels|feeling|seemed|seem|seems|made\s+it|must\s+have\s+been|sounds|sounded"
        r"|nearly|almost|next\s+to)\s+$",
        needles="impossible",
    ),
    phrase(
        NO,
        S_POLICY,
        rf"{NEG}\s+(?:\w+\s+)?(?:allowed|permitted|authori[sz]ed)\b|\b(?:prohibited|forbidden)\b",
        needles="allowed|permitted|authori|prohibited|forbidden",
    ),
    phrase(
        NO,
        S_POLICY,
        r"\bagainst\s+(?:\w+\s+){0,2}polic(?:y|ies)\b"
        r"|\b(?:our|the|company|store|hotel|bank|airline|shop|restaurant)(?:\s+\w+)?\s+polic(?:y|ies)\s+"
        r"(?:does(?:n'?t|\s+not)|do(?:n'?t|\s+not)|won'?t|will\s+not|prevents?|prohibits?|forbids?|says|states"
        r"|is\s+(?:not|that|clear))\b"
        r"|\b(?:it|that)(?:'s|\s+is)\s+(?:(?:just|simply|company|our|store|hotel|bank|airline)\s+)*policy\b"
        r"|\bpolicy\s+is\s+policy\b"
        r"|\b(?:as\s+per|per|according\s+to)\s+(?:our|company|the|store|hotel)\s+polic(?:y|ies)\b",
        needles="polic",
    ),
    phrase(
        NO,
        S_WE_DO,
        r"\b(?:we|I|the\s+(?:store|shop|hotel|restaurant|bank|airline|company|branch))\s+(?:do(?:n'?t|\s+not)"
        r"|does(?:n'?t|\s+not))\s+(?:(?:normally|usually|generally|really|currently|ever)\s+)?"
        r"(?:do\s+(?:refunds?|exchanges?|returns?|that|this|those|exceptions?|deliveries|delivery|cash|bookings?"
        r"|reservations?)|offer|accept|allow|give(?!\s+up\b)|provide|refund|issue|exchange|make\s+exceptions?"
        r"|honou?r|cover|support|deliver|ship|sell|stock|carry|guarantee|price[- ]match|process|reimburse"
        r"|compensate|permit|take\s+(?:returns|refunds|reservations|bookings|cards?|cash|cheques|checks|back"
        r"|walk-ins|pets)|have\s+(?:any\s+(?:left|record|rooms?|tables?|seats?|availability|stock)|availability"
        r"|(?:a|the|any)\s+record|(?:the\s+)?(?:rooms?|tables?|seats?|stock)|(?:it|that|those|them|this)\s+in\s+stock))\b",
        unless_before=r"\b(?:if|unless|in\s+case|whether|when|even\s+if)\s+$",  # "if we don't have it, we'll order it"
        needles="do not|don't|dont|does not|doesn't|doesnt",
    ),
    phrase(
        NO,
        S_NEXT_STEP,
        rf"\b(?:nothing|(?:{NEG})\s+(?:much|a\s+lot|anything)|little)\s+(?:(?:more|else|further)\s+)?(?:that\s+)?"
        r"(?:we|I)\s+(?:can|could|are\s+able\s+to|am\s+able\s+to)\s+(?:do|offer)\b"
        r"|\bnothing\s+(?:(?:more|else|further)\s+)?(?:to\s+be\s+done|can\s+be\s+done)\b"
        r"|\b(?:my|our)\s+hands\s+are\s+tied\b",
        needles="nothing|much|a lot|anything|little|tied",
    ),
    # The bad-news openers. The span runs on over a refusal that follows ("unfortunately we can't").
    phrase(NO, S_OPENER, rf"\bunfortunately,?\s+{WE_REFUSE}", needles="unfortunately"),
    phrase(
        NO,
        S_OPENER,
        rf"\bI(?:'m|\s+am)\s+afraid(?:\s+not\b|,?\s+(?:that\s+)?{WE_REFUSE}"
        r"|(?=,?\s+(?:that\s+)?(?:it|this|that|there|the|your|you|our)\b))"
        r"|\b(?:we|I)\s+regret\s+to\s+(?:inform|say|tell|advise|announce|let)\b|^[ \t]*afraid\s+not\b",
        needles="afraid|regret",
    ),
    # "No" as an answer: at the start of a sentence or after a comma, and followed by punctuation.
    phrase(
        NO,
        S_NO,
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
    phrase(
        NO,
        S_OFFER,
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
    phrase(
        NO,
        S_OFFER,
        rf"{NEG}\s+(?:\w+\s+)?(?:eligible|covered|refundable|valid|entitled)\b"
        r"|\b(?:ineligible|non-?refundable|non-?transferable)\b|\bdo(?:es)?(?:n'?t|\s+not)\s+qualify\b",
        needles="eligible|covered|refundable|valid|entitled|qualify|non-|nonrefundable|nontransferable",
    ),
    phrase(
        NO,
        S_OFFER,
        r"\b(?:we|I)(?:'ll|'re|'m|'ve)?(?:\s+(?:will|must|have|has|had|am|are|need|going|forced|obliged|bound|to"
        r"|got))*\s+(?:refused?|declined?|denied|deny|rejected|reject)\b"
        r"|\b(?:request|claim|application|refund|complaint|appeal)\s+(?:has\s+been|have\s+been|was|is|will\s+be)"
        r"\s+(?:\w+\s+)?(?:declined|denied|rejected|refused|unsuccessful)\b",
        needles="refuse|declin|deny|denied|reject|unsuccessful",
    ),
    phrase(
        NO,
        S_OFFER,
        r"\bnot\s+something\s+(?:that\s+)?(?:we|I)\s+(?:can|do|offer|are\s+able|could)\b"
        r"|\bnot\s+(?:going\s+to|gonna)\s+happen\b|\b(?:is|are|'s|'re)\s+not\s+an?\s+option\b|\bisn'?t\s+an?\s+option\b"
        rf"|{NEG}\s+(?:\w+\s+)?available\s+any\s*(?:more|longer)\b"
        r"|\b(?:that|it)(?:'s|\s+is)\s+(?:just\s+|simply\s+)?(?:how\s+it\s+is|the\s+way\s+it\s+is|the\s+rules?|our\s+rules?)\b"
        r"|\brules\s+are\s+rules\b",
        needles="something|happen|option|available|how it is|way it is|rule",
    ),
)
