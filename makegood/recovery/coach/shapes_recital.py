"""The policy recital: a reply that answers with a rule, a requirement or a definition, and nothing else.

Support staff often refuse or correct a customer by reciting how things work: a definition that
narrows the promise ("next-day delivery refers to the next working day after dispatch"), what the
customer saw sorted into a closed set ("the pets you saw in the cabin are all either service or
support animals"), a requirement with a deadline ("refunds must be requested within 30 days"), a
benefit fenced off ("the voucher is limited to one per customer", "the lounge is reserved for
members"), an extra step some cases need ("some bookings require additional checks"). None says
"no", and each is one when the reply stops there. So a recital is a finding only in a reply that
offers the customer nothing besides (`OFFERS`): no action of the employee ("I'll", "I've asked",
"let me", "happy to"), no question, no invitation to write back or to share details, nothing the
customer can still do or gets ("you can still…", "yours qualifies"). With one of those, the same
words are the context of an offer ("Refunds are only possible within 30 days, so I've made an
exception for you"). A definition that does not narrow ("DM means direct message"), a description
("all our sandwiches are either vegan or vegetarian", "our stores open at 9"), an epistemic "must"
("that must be frustrating", "it must be a glitch") and a deictic "this refers to your March bill"
are left alone. Like the other refusals without a negation (`shapes_quiet.py`), a recital is a
`says_no`: it blocks a frontline employee and warns a manager.
"""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach import lexicon as w
from makegood.recovery.coach.matching import compile_lower
from makegood.recovery.coach.pieces import NOT_A_REFUSAL
from makegood.recovery.coach.shape import NO, Shape, shape
from makegood.recovery.coach.suggestions import S_WITHIN_RULE

# "Please note that …", "To clarify, …": the openers of a recital, before its subject.
_OPENER: Final = (
    r"^(?:(?:please\s+(?:note|be\s+aware)|just\s+(?:so\s+you\s+know|to\s+clarify|a\s+heads[- ]up)|to\s+clarify"
    r"|for\s+clarity|as\s+a\s+reminder|fyi|actually|in\s+fact)\s*[,:-]?\s+(?:that\s+)?)?"
)
# The term a definition defines: a noun phrase of up to four words, not a pronoun or a deictic
# ("this refers to your March bill" points at something, it does not define a term).
_TERM: Final = (
    r"(?!(?:this|that|these|those|it|its|which|what|your|my|there|here|he|she|they|we|you|i|everything|something"
    r"|nothing|all|any|so|and|but|or|because|as|since|then|also|if|when|while|though|although|plus|still|well"
    r"|basically|ok|okay|yes|no)\b)"
    # …nor end in one ("so that means …", "basically this means …").
    r"(?!(?:[\w&\"'-]+[ \t]+){0,3}?(?:this|that|it|which|these|those|what|all)\s+(?:refers?|means|is|are)\b)"
    # Nor a thing the customer asks about ("the £5 fee refers to delivery, not the item"): named, not defined.
    r"(?!(?:[\w&\"'£$€.-]+[ \t]+){0,3}?[\"']?(?:charges?|fees?|amounts?|payments?|transactions?|debits?|deposits?"
    r"|holds?|references?|numbers?|codes?|e-?mails?|messages?|texts?|letters?|notifications?|errors?|status"
    r"|statuses|articles?|links?|posts?)[\"']?\s+(?:refers?|means|is|are)\b)"
    r"(?:the\s+|our\s+|an?\s+)?[\"']?[\w&-]+(?:[ \t\"'-]+[\w&-]+){0,3}?[\"']?"
)
_DEFINES: Final = (
    r"\s+(?:refers?\s+to|means|(?:is|are)\s+defined\s+as|(?:is|are)\s+(?:counted|calculated|measured)\s+(?:in|from"
    r"|after|only))\b"
    # "… means you can keep it", "… means we'll refund you": a definition that grants, not one that narrows.
    r"(?!\s+(?:that\s+)?(?:you|we|I)(?:'ll|'re|\s+will|\s+can|\s+may|\s+get|\s+are)\b)"
)
# What makes a definition narrow the promise or correct the customer ("only", "in working days", "not the
# date of the order"); not "after" or "once" alone, nor "only when you …", which as often reassure
# ("pre-order means we charge your card once it ships", "auto-renew means it renews only when you confirm").
_NARROWS: Final = (
    r"(?=[^.!?]{0,120}?(?:\bonly\b(?!\s+(?:when|if|once|after)\s+you\b)|\b(?:working|business)\s+days?\b"
    r"|\bexclud\w*|\bnot\s+(?:including|include|the|an?|to|until|after|before|on|for)\b|\brather\s+than\b"
    r"|\binstead\s+of\b|\bas\s+opposed\s+to\b|\bdoes(?:n'?t|\s+not)\s+(?:include|cover|mean|apply)\b))"
)
# A requirement with a deadline or a person ("within 30 days", "at least 24 hours before", "by the card holder");
# one with a place ("in person", "at the airport") is a hand-off too, and `shapes_buck.py` has it.
_REQUIRED: Final = (
    r"(?:must|has\s+to|have\s+to|needs?\s+to|(?:is|are)\s+required\s+to)\s+be\s+(?:\w+\s+)?(?:made|done|requested"
    r"|submitted|booked|cancell?ed|changed|amended|claimed|reported|returned|redeemed|used|activated|paid|purchased"
    r"|bought|completed|presented|shown|collected|picked\s+up|registered|raised|filed|placed|confirmed|approved"
    r"|arranged|checked\s+in|validated|received)\b(?=[^.!?]{0,40}?\b(?:within|before|prior\s+to|no\s+later\s+than"
    r"|in\s+advance|at\s+least|by\s+the\s+(?:\w+\s+)?(?:holder|owner|passenger|purchaser|cardholder|customer|buyer))\b)"
)
_CASES: Final = (
    r"(?:orders?|items?|products?|deliveries|parcels?|packages?|shipments?|bookings?|reservations?|requests?|claims?"
    r"|refunds?|returns?|payments?|transactions?|applications?|accounts?|tickets?|fares?|routes?|destinations?"
    r"|addresses|postcodes?|areas?|cards?|changes?|cancellations?)"
)

RECITAL: Final[tuple[Shape, ...]] = (
    # A definition that narrows: "Next-day delivery refers to the next working day after dispatch".
    shape(NO, S_WITHIN_RULE, rf"{_OPENER}(?P<x>{_TERM}{_DEFINES}){_NARROWS}", alone=True),
    # What the customer saw, sorted into a closed set: "Any dogs you saw in the cabin are either service or
    # support animals" (not "all our sandwiches are either vegan or vegetarian", which describes, not corrects).
    shape(
        NO,
        S_WITHIN_RULE,
        rf"{_OPENER}(?P<x>(?:any|all|every|each|the|these|those)\s+(?!(?:you|we|I|it|that|this|of\s+(?:you|us))\b)"
        # …that the customer saw, got or was told: the customer's reading of it, corrected.
        r"(?:[\w'-]+\s+){1,3}?(?:that\s+|which\s+)?you(?:'ve|'d|\s+have|\s+had)?\s+(?:[\w'-]+\s+){1,6}?"
        r"(?:are|is|were|was)\s+(?:all\s+|actually\s+)?either\b)(?=[^.!?]{1,80}?\bor\b)",
        alone=True,
    ),
    # A requirement with a deadline: "Refunds must be requested within 30 days".
    shape(
        NO,
        S_WITHIN_RULE,
        rf"(?P<x>\b{_REQUIRED})",
        # "you must be …", "it must be …": the customer, or a guess ("it must be delivered by now"); "your bag
        # must be checked in by 7": a reminder about the customer's own booking, not a rule recited.
        unless_before=rf"\b(?:you|we|I|it|that|this|they|he|she|there)\s+$|\byour\s+(?:[\w-]+\s+){{0,2}}$"
        rf"|{NOT_A_REFUSAL}",
        alone=True,
    ),
    # A benefit fenced off: "the voucher is limited to one per customer", "the lounge is reserved for members".
    shape(
        NO,
        S_WITHIN_RULE,
        rf"(?P<x>\b{w.BENEFIT_NOUN}\s+(?:(?:is|are|'s)\s+(?:only\s+)?(?:(?:limited|restricted|exclusive)\s+to"
        r"|reserved\s+for|(?:valid|available|applicable|redeemable|usable)\s+only\s+(?:for|to|on|in|with|at))"
        r"|(?:only\s+appl(?:y|ies)|appl(?:y|ies)\s+only)\s+(?:to|on|for|in))\b)(?!\s+you\b)",
        unless_before=NOT_A_REFUSAL,
        alone=True,
    ),
    # An extra step some cases need: "Some orders require additional processing".
    shape(
        NO,
        S_WITHIN_RULE,
        rf"{_OPENER}(?P<x>(?:some|certain|these|those|such|many|most|select(?:ed)?)\s+(?:[\w-]+\s+){{0,2}}?{_CASES}"
        r"\s+(?:(?:may|can|will|do|might|often|sometimes|also)\s+)*(?:require|need)s?\s+(?:an?\s+)?(?:additional"
        r"|extra|further|special|separate|manual)\s+(?:[\w-]+\s+)?(?:processing|handling|checks?|verification"
        r"|security|time|review|approval|documents?|documentation|paperwork|steps?|screening|authori[sz]ation|days?"
        r"|hours?|weeks?)\b)",
        alone=True,
    ),
)

# What a reply offers the customer beside a recital: the employee acting, a question, an invitation.
OFFERS: Final = compile_lower(
    # A question (not a "?" inside a link).
    r"\?(?=[\s\"')]|$)"
    # The employee acting, now or already: "I'll", "we can", "I've asked", "let me", "happy to".
    r"|\b(?:I|we)(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|\s+are\s+going\s+to|\s+can"
    r"|\s+could|'d\s+(?:be\s+)?(?:happy|glad|love)|\s+would\s+(?:be\s+)?(?:happy|glad|love))\b"
    r"(?!'?t\b|\s*not\b|\s+never\b|\s+only\b|\s+no\s+longer\b)"
    r"|\b(?:I|we)(?:'ve|\s+have)(?:\s+(?:just|already|now|also|gone\s+ahead\s+and))*\s+(?!been\b)(?:\w+ed|sent|made"
    r"|done|given|put|set|taken|found|spoken|written|paid|brought|held|kept|got|gotten)\b"
    r"|\blet\s+(?:me|us)\b|\ballow\s+me\b|\b(?:happy|glad|delighted)\s+to\b|\bhere'?s\s+(?:what|how)\b"
    r"|\bhere\s+is\s+(?:what|how)\b|\bwhat\s+(?:I|we)\s+can\s+do\b"
    # What the customer can do or gets within the rule: "you can still …", "you're covered", "yours qualifies".
    r"|\byou\s+(?:can|may)\s+(?:still\s+|also\s+|now\s+|simply\s+|easily\s+|just\s+)*(?!only\b|not\b|no\s+longer\b)"
    r"[a-z]\w*|\byou(?:'re|\s+are)\s+(?:still\s+)?(?:all\s+set|good\s+to\s+go|covered|eligible|entitled|within"
    r"|in\s+time)\b|\byou(?:'ll|\s+will)\s+(?:still\s+)?(?:get|receive|be\s+(?:refunded|reimbursed|credited))\b"
    r"|\b(?:yours|your\s+[\w-]+)\s+(?:qualifies|counts|(?:is|are)\s+(?:eligible|covered|included))\b"
    r"|\b(?:still|plenty\s+of)\s+(?:plenty\s+of\s+)?time\b"
    # An invitation to write back, to share details, to follow up.
    rf"|\b{w.PRIVATE}\b|\bsend\s+(?:us|me)\b|\bdrop\s+(?:us|me)\b|\blet\s+(?:us|me)\s+know\b|\bfeel\s+free\b"
    r"|\b(?:reach\s+out|get\s+in\s+touch|write|come\s+back)\s+(?:to\s+|with\s+)?(?:us|me)\b|\bcontact\s+(?:us|me)\b"
    r"|\b(?:tell|give)\s+(?:us|me)\b|\bshare\s+(?:your|the|a|an|some|more|any|it|them|those|these)\b"
    r"|\bprovide\s+(?:us|me|your)\b"
)
