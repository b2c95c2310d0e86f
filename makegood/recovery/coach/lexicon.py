"""The words the sentence shapes are made of: who acts, the verbs of sending and refusing, the parties.

Each is a regular-expression alternation (lower case, no capturing groups), composed into the
shapes of `shapes.py`. They name classes of words, not sentences: a new way of writing "please
reach out to the store" is caught because "reach out" is a contact verb and "store" a party.
"""

from __future__ import annotations

from typing import Final


def alternation(*words: str) -> str:
    """`(?:a|b|c)` of the words, each word's spaces matching any run of whitespace."""
    return "(?:" + "|".join(word.replace(" ", r"\s+") for word in words) + ")"


# -- channels and parties ----------------------------------------------------------------------------

URL: Final = r"(?:https?://[^\s]+|www\.[^\s]+)"
PHONE: Final = r"(?:\+?\d[\d ().-]{6,}\d)"
# A private message on the same channel keeps the conversation here: not a hand-off.
PRIVATE: Final = alternation("dm", "dms", "direct message", "direct messages", "private message", "pm")
# Where the customer is sent: another line, a form, a page, a place.
CHANNEL: Final = (
    rf"(?:{URL}|{PHONE}|\bhere\b|\b(?:by|via|over|on)\s+(?:the\s+)?(?:phone|telephone|chat|live\s+chat|e-?mail"
    r"|our\s+(?:website|site|web\s*site|app|help\s+(?:page|centre|center)|forums?|community))\b|\bonline\b"
    r"|\bin\s+(?:store|person|branch)\b|\bat\s+(?:the|your|our)\s+(?:link|airport|store|counter|desk|station)\b"
    r"|\busing\s+the\s+link\b|\bthe\s+link\b|\bthis\s+link\b)"
)
# People and places the customer can be sent to (possibly after "the", "your", "our", "local", ...).
PARTY_NOUN: Final = alternation(
    "team", "teams", "department", "departments", "dept", "experts", "specialists", "specialist", "colleagues",
    "colleague", "store", "stores", "shop", "shops", "branch", "location", "outlet", "restaurant", "cafe", "seller",
    "sellers", "vendor", "merchant", "retailer", "manufacturer", "maker", "brand", "manager", "management",
    "supervisor", "airline", "carrier", "courier", "airport", "station", "station staff", "staff", "agent", "agents",
    "crew", "crew member", "flight attendants?", "attendants?", "desk", "counter", "reception", "reservations",
    "customer services?", "customer care", "customer support", "support", "help\\s*desk", "bank", "card issuer",
    "issuer", "provider", "isp", "insurer", "insurance company", "partner", "partners", "forums?", "community",
    "hotline", "line", "studio", "developers?", "publisher", "company", "post office", "recipient", "sender",
    "account holder", "landlord", "superstore", "partner website", "dealer", "dealership", "technician",
    "service cent(?:er|re)", "repair shop", "call cent(?:er|re)", "head office", "corporate", "embassy",
    "authorities", "police", "travel agent", "booking site", "third[- ]party",
)  # fmt: skip
PARTY: Final = (
    rf"(?:(?:the|your|our|their|a|an|any|one\s+of\s+(?:our|the)|my)\s+)?(?:(?:local|nearest|nearby|closest|own"
    rf"|other|relevant|dedicated|specialist|[\w&'-]+)\s+){{0,3}}?{PARTY_NOUN}(?:\s+{PARTY_NOUN})?\b"
)
THIRD_PERSON: Final = r"(?:them|her|him|they)"

# -- who is asked to act -----------------------------------------------------------------------------

# Words that may stand before an imperative ("please kindly just contact…").
SOFTENERS: Final = r"(?:(?:please|kindly|just|simply|also|then|so|instead|directly|first|now|feel\s+free\s+to)\s+)*"
# The customer, with a modal: "you can", "you'll need to", "you may want to try and".
YOU_MODAL: Final = (
    r"\byou(?:'ll|'d|\s+will|\s+would|\s+can|\s+could|\s+may|\s+might|\s+should|\s+must|'re\s+going\s+to"
    r"|\s+are\s+going\s+to|'re\s+welcome\s+to|\s+are\s+welcome\s+to)?(?:\s+(?:also|always|just|still|now|then|first"
    r"|directly|easily|simply|need\s+to|have\s+to|want\s+to|wish\s+to|be\s+able\s+to|try\s+to|try\s+and|go\s+ahead"
    r"\s+and|please))*\s+"
)
# "I'd recommend (that you) …", "we suggest you …", "your best bet is to …": the customer, advised.
ADVISED: Final = (
    r"(?:(?:\b(?:I|we)(?:'d|\s+would|\s+do|\s+always|\s+strongly|\s+kindly)*\s+|^)"
    r"(?:recommend|advise|suggest|encourage)(?:\s+that)?(?:\s+you)?(?:\s+to)?|(?:the\s+|your\s+)?best\s+(?:bet|option|way|thing)(?:\s+\w+){0,4}\s+(?:is|would"
    r"\s+be)\s+to|(?:it'?s\s+|^)best\s+to)\s+"
)
# "Have you (had a chance to) …", "did you …", "can you try …": the customer, asked.
ASKED: Final = (
    r"\b(?:have|did|can|could|would|will)\s+you(?:\s+(?:already|yet|ever|please|tried|try|had\s+a\s+chance\s+to"
    r"|been\s+able\s+to|be\s+able\s+to))*\s+"
)

# -- verbs of sending someone elsewhere (base, -ing and past forms) ------------------------------------

# Verbs that reach a line or a party ("call 1-800…", "reach out here: <link>", "contact the store")…
CALL_VERB: Final = alternation(
    "contact(?:ing|ed)?", "reach(?:ing|ed)?(?: out)?", "call(?:ing|ed)?", "ring(?:ing)?", "phon(?:e|ing|ed)",
    "e-?mail(?:ing|ed)?", "get(?:ting)? in touch", "got in touch", "been in touch", "speak(?:ing)?", "spoken?",
    "talk(?:ing|ed)?", "chat(?:ting|ted)? (?:to|with)", "check(?:ing|ed)? with", "consult(?:ing|ed)?",
    "report(?:ing|ed)?", "rais(?:e|ing|ed)", "tak(?:e|ing) (?:it|this|that) up", "address(?:ing|ed)?",
    "discuss(?:ing|ed)?", "follow(?:ing)? up", "request(?:ing)? a call ?-?back",
)  # fmt: skip
# …and verbs that go to a place or a person ("go into the store", "write to the seller", "ask the bank").
GO_VERB: Final = alternation(
    "visit(?:ing|ed)?", "go(?:ing)?", "went", "head(?:ing)?", "pop(?:ping)?", "stop(?:ping)? by", "return(?:ing|ed)?",
    "bring(?:ing)?", "brought", "tak(?:e|ing)", "took", "post(?:ing|ed)?", "fil(?:e|ing)", "submit(?:ting)?",
    "check(?:ing)? in", "open(?:ing)? a (?:claim|case|ticket|dispute)", "writ(?:e|ing) to", "wrote to",
    r"ask(?:ing|ed)?(?:\s+for)?", "enquir(?:e|ing)", "inquir(?:e|ing)",
)  # fmt: skip
# Sending us a note or a form elsewhere ("send us a note at <link>"); a DM is not elsewhere.
SEND_NOTE: Final = (
    r"\bsend(?:ing)?\s+(?:us|them|the\s+\w+)\s+(?:a|an|your)\s+(?:quick\s+)?(?:note|message|e-?mail|request|form|ticket"
    r"|enquiry|inquiry)\b"
)
HELP_VERB: Final = (
    r"(?:help|assist|walk\s+you\s+through|take\s+(?:a\s+)?(?:closer\s+|better\s+)?look|look\s+into|sort|advise|answer"
    r"|resolve|support|deal\s+with|handle|get\s+(?:this|it|that|you)\s+sorted)"
)

# -- verbs and words of refusing -------------------------------------------------------------------

# What a company provides; "we don't / we only / we no longer" + one of these refuses it.
PROVIDE_VERB: Final = alternation(
    "offer", "provide", "support", "accept", "allow", "permit", "sell", "ship", "deliver", "carry", "stock",
    "keep", "store", "do", "have", "give", "issue", "refund", "exchange", "honou?r", "cover", "serve", "process",
    "operate", "fly", "change", "guarantee", "reimburse", "compensate", "share", "disclose", "release", "comment",
    "handle", "price[- ]match", "hold", "reserve", "transfer", "extend", "waive", "install", "repair", "replace",
    "recommend", "know", "control", "track",
)  # fmt: skip
# What "we only …" restricts ("we only provide support in English"); "we only need your e-mail" asks.
ONLY_VERB: Final = alternation(
    "offer", "provide", "support", "accept", "allow", "permit", "sell", "ship", "deliver", "carry", "stock", "issue",
    "refund", "exchange", "honou?r", "cover", "serve", "process", "operate", "fly", "change", "guarantee",
    "reimburse", "compensate", "do", "give", "take (?:cash|cards?|returns|bookings|reservations)", "transfer",
)  # fmt: skip
# What the customer wants to know; "there's no <one of these>", "no <one> to share".
KNOWLEDGE_NOUN: Final = alternation(
    "info", "information", "update", "updates", "news", "eta", "details", "timeline", "timeframe", "time frame",
    "date", "record", "records", "trace", "plans?", "word", "confirmation", "visibility", "insight", "data",
)  # fmt: skip
WAY_NOUN: Final = alternation(
    "way", "option", "options", "possibility", "means", "workaround", "fix", "setting", "feature", "function",
    "availability", "seats?", "rooms?", "tables?", "stock", "slots?", "spaces?", "appointments?", "alternative",
    "guarantee", "exception", "exceptions", "refund", "refunds", "compensation",
)  # fmt: skip
UNAVAILABLE: Final = (
    r"(?:unavailable|not\s+available|discontinued|sold\s+out|out\s+of\s+stock|(?:turned|shut|switched)\s+off"
    r"|fully\s+booked|booked\s+up|at\s+capacity|full\b(?!\s+(?:of|refund|price|amount|details|name|address|credit))"
    r"|no\s+longer\s+(?:\w+\s+)?(?:available|active|supported|valid|offered|sold|stocked|in\s+stock|possible|running"
    r"|operating|accepted|honou?red|eligible))"
)
# What the customer is granted ("the voucher", "fast track", "the lounge"); fencing one off refuses it.
BENEFIT_NOUN: Final = alternation(
    "offers?", "discounts?", "deals?", "promotions?", "promo", "codes?", "vouchers?", "coupons?", "gift cards?",
    "credits?", "refunds?", "compensation", "upgrades?", "perks?", "benefits?", "rewards?", "points", "miles",
    "allowance", "warranty", "guarantee", "cover", "lounges?", "fast track", "priority boarding", "wi-?fi",
    "free [\\w-]+", "passes", "pass", "membership", "fares?", "rates?", "prices?", "sale", "service", "feature",
)  # fmt: skip
