"""The reply coach: what to change in a message to a customer before it is sent.

    from makegood.recovery.coach import coach_reply
    coach_reply("Sorry, we can't refund it.", role="frontline")   # CoachResult(findings=[...], blocking=True)

`coach_reply(text, role=...)` is the front door. It runs on every (debounced) keystroke in the
browser, through `POST /api/v1/coach`, again when a reply is sent, and when the guided recovery's
Apologize step is recorded. It is a pure function over the text: no database, no model file to
load; a paragraph takes well under a millisecond (`bench/coach.py` prints the figures).

The rules (`Rule`), each with examples of what it flags and what it leaves alone in `examples.py`
(the tests run every example, so the table stays true):

- `says_no`: "no" and its cousins ("can't", "won't", "unable to", "not possible", "against
  policy", "we don't offer", "there's no way to", "that's only available…", "unfortunately we…").
  Frontline staff never say no, so for them this finding *blocks* sending; managers and
  administrators may send it (denials are theirs to deliver) and only get a warning.
- `passes_buck`: sending the customer elsewhere to get it solved ("not my department", "you'll
  have to call", "please contact the store", "reach out to our chat team here: <link>").
- `blames`: blaming the customer ("you should have", "you didn't", "it was clearly stated on our
  website") or others ("the courier lost it", "the previous agent wasn't aware").
- `excuse_after_apology`: an explanation right after the apology, in the same sentence or at
  the start of the next ("sorry, but we were short-staffed", "I apologise; the system was
  down"). Not checked when the customer asked for an explanation.
- `non_apology`: an apology that doubts the customer or the failure ("I'm sorry you feel that
  way", "we apologize for any inconvenience this may have caused").
- `no_apology`: a first reply to a complaint without any apology (span: the opening sentence).
- `no_thanks`: a closing message without thanks in its last two sentences or its sign-off
  (span: the last sentence).

Inside, two layers read each sentence: `phrases_no.py` / `phrases_buck.py` match the idioms
precisely, with the exceptions kept next to each ("no problem", "can't wait", "not your fault"),
and `shapes.py` reads the shape of the sentence (who is asked to act, the verb, negation,
modality, the party the customer is sent to), which is what catches the ways people write that
no phrase list enumerates; `shapes_quiet.py` adds the refusals that carry no negation ("hopefully
we'll have it again at some point", "only certain stores", "we offer support in English", "while
we do our best to…", "comparable to other airlines"), `shapes_recital.py` the policy recital (a rule,
a requirement or a definition that withholds or corrects, in a reply that offers nothing besides:
"next-day delivery refers to the next working day", "the voucher is limited to one per customer"),
and `phrases_languages.py` the set phrases of refusing and handing off in the other languages
support teams answer in. Every finding carries a
suggestion fitted to its sentence
(`suggestions.py`). Precision matters as much as recall: a false "no" blocks a frontline employee.
"""

from __future__ import annotations

from typing import Final

from makegood.accounts.models import Role
from makegood.recovery.coach.apologies import APOLOGY, THANKS, excuses, non_apologies
from makegood.recovery.coach.examples import EXAMPLES, Example
from makegood.recovery.coach.matching import Phrase, prepared
from makegood.recovery.coach.phrases_buck import PASSES_BUCK_AND_BLAMES
from makegood.recovery.coach.phrases_languages import OTHER_LANGUAGES
from makegood.recovery.coach.phrases_no import SAYS_NO
from makegood.recovery.coach.rules import BLOCK_NOTE, DENIAL_ROLES, MESSAGES, CoachResult, Finding, Rule, Severity
from makegood.recovery.coach.sentences import CLOSE_SENTENCES, body_end, sentences, without_greeting
from makegood.recovery.coach.shapes import shape_findings
from makegood.recovery.coach.suggestions import S_APOLOGISE, S_EXCUSE, S_THANK, fitted

__all__ = [
    "BLOCK_NOTE",
    "DENIAL_ROLES",
    "EXAMPLES",
    "MESSAGES",
    "CoachResult",
    "Example",
    "Finding",
    "Rule",
    "Severity",
    "coach_reply",
]

PHRASES: Final[tuple[Phrase, ...]] = (*SAYS_NO, *PASSES_BUCK_AND_BLAMES, *OTHER_LANGUAGES)

_Found = tuple[Rule, int, int, str]


def _as_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(Role.values)
        raise ValueError(f"Unknown role {role!r}: expected one of {choices}.") from None


def _merged(found: list[_Found]) -> list[_Found]:
    """Overlapping matches of one rule become one finding ("unfortunately we can't")."""
    found.sort(key=lambda item: (item[0], item[1], -item[2]))
    merged: list[_Found] = []
    for rule, start, end, suggestion in found:
        if merged and merged[-1][0] == rule and start < merged[-1][2]:
            last = merged[-1]
            merged[-1] = (rule, last[1], max(last[2], end), last[3])
        else:
            merged.append((rule, start, end, suggestion))
    return merged


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
    norm = prepared(text)
    no_severity: Severity = "warn" if role in DENIAL_ROLES else "block"

    lowered = " ".join(norm.split())  # for the needles: one space between words
    found: list[_Found] = [
        (phrase.rule, start, end, phrase.suggestion) for phrase in PHRASES for start, end in phrase.spans(norm, lowered)
    ]
    end_of_body = body_end(norm)
    spans = without_greeting(norm, sentences(norm, 0, end_of_body)) or sentences(norm, 0, len(norm))
    found.extend(shape_findings(norm, spans, found))
    if not explanation_requested:
        found.extend((Rule.EXCUSE_AFTER_APOLOGY, s, e, S_EXCUSE) for s, e in excuses(norm, spans))
    not_apologies = list(non_apologies(norm))
    found.extend((Rule.NON_APOLOGY, s, e, suggestion) for s, e, suggestion in not_apologies)
    if first_reply and spans and not not_apologies and APOLOGY.first(norm) is None:
        found.append((Rule.NO_APOLOGY, *spans[0], S_APOLOGISE))
    if closing and spans:
        close_start = spans[-CLOSE_SENTENCES:][0][0]
        if not any(thanks.first(norm, close_start) for thanks in THANKS):
            found.append((Rule.NO_THANKS, *spans[-1], S_THANK))

    findings = []
    for rule, start, end, suggestion in sorted(_merged(found), key=lambda item: (item[1], item[2], item[0])):
        severity: Severity = no_severity if rule == Rule.SAYS_NO else "warn"
        excerpt = text[start:end]
        message = MESSAGES[rule].format(excerpt=excerpt) + (BLOCK_NOTE if severity == "block" else "")
        advice = fitted(rule, text, norm, spans, start, end, suggestion)
        findings.append(Finding(rule, severity, start, end, excerpt, message, advice))
    return CoachResult(findings=findings, blocking=any(f.severity == "block" for f in findings))
