"""The shapes of passing the buck: the customer asked to contact, go to or wait for another party or
line ("please reach out to the Flight Attendants", "did you call your local store?", "I'd advise
going into store", "send us a note at <link>", "they'll be happy to help you at the counter")."""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach import lexicon as w
from makegood.recovery.coach.shape import BUCK, NO, Shape, shape
from makegood.recovery.coach.suggestions import (
    S_CALL_FOR_THEM,
    S_OWN,
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

PASSES_BUCK: Final[tuple[Shape, ...]] = (
    shape(BUCK, S_CALL_FOR_THEM, rf"{_CLAUSE_START}{w.SOFTENERS}(?P<x>{_SENT_TO})", customer_acts=True),
    shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"{w.YOU_MODAL}(?P<x>{_SENT_TO})",
        unless_before=r"\b(?:if|whenever|when|should|do|did|would|whether|unless|in\s+case)\s+(?:[\w']+\s+){0,4}$",
    ),
    shape(BUCK, S_CALL_FOR_THEM, rf"{w.ADVISED}(?P<x>{_SENT_TO})"),
    shape(BUCK, S_CALL_FOR_THEM, rf"{w.ASKED}(?P<x>{_SENT_TO})"),
    shape(BUCK, S_CALL_FOR_THEM, rf"{_CLAUSE_START}{w.SOFTENERS}(?P<x>{_GET_OTHERS})", customer_acts=True),
    shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"(?P<x>{w.SEND_NOTE}[^.!?]{{0,30}}?{w.CHANNEL}|\bgive\s+(?:us|them)\s+a\s+(?:call|ring|buzz)\b"
        rf"|\bgive\s+{w.PARTY}\s+a\s+(?:call|ring|buzz|shout)\b)",
        customer_acts=True,
    ),
    shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"(?P<x>\bget\s+(?:help|support|assistance|answers)\b[^.!?]{{0,40}}?(?:{w.URL}|\bhere\b|\bfrom\s+{w.PARTY}))",
        customer_acts=True,
    ),
    # "…so they can look into it" is us passing it on, which is taking it on.
    shape(
        BUCK,
        S_OWN,
        rf"(?P<x>{_THEY_HELP})",
        unless_before=r"\b(?:if|unless|whether)\s+(?:\w+\s+){0,3}$|\bso\s+(?:that\s+)?$",
    ),
    shape(BUCK, S_OWN, _OUR_TEAM_HELPS_THERE),
    shape(
        BUCK,
        S_CALL_FOR_THEM,
        rf"(?P<x>\b(?:allow|wait|give)\s+(?:[^\s]+\s+){{0,4}}?for\s+(?:the|your)\s+(?:\w+\s+)?(?:{w.PARTY_NOUN}|them)"
        r"\s+to\s+(?:respond|reply|get\s+back|contact|process|review|answer|refund|confirm|investigate))",
    ),
    shape(
        BUCK,
        S_CALL_FOR_THEM,
        r"(?P<x>\b(?:look\s+into|take\s+a\s+(?:closer\s+|better\s+)?look\s+at|help\s+with|troubleshoot|assist\s+with)"
        rf"\s+(?:this|it|that)\s+with\s+you\s+(?:here|via|at|over)\b[^.!?]{{0,10}}?{w.URL})",
    ),
    # "Damage must be assessed in person", "this has to be done at the airport": elsewhere, and no.
    shape(
        (NO, BUCK),
        S_CALL_FOR_THEM,
        r"(?P<x>\b(?:must|has\s+to|have\s+to|needs?\s+to|will\s+need\s+to|would\s+need\s+to)\s+be\s+(?:\w+\s+)?"
        r"(?:done|assessed|inspected|looked\s+at|seen|handled|processed|made|completed|submitted|checked|verified"
        r"|reported|collected|returned|picked\s+up|requested|arranged|booked|purchased|bought|raised|filed)\s+(?:in\s+"
        r"person|at\s+(?:the|a|an|your)\s+\w+|in\s+(?:store|branch|a\s+store)|directly\s+with|through\s+(?:the|your)"
        rf"\s+\w+|via\s+(?:the|our)\s+\w+|by\s+(?:the|a|an|your)\s+(?:\w+\s+)?{w.PARTY_NOUN}))",
    ),
)
