"""Messages to the customer, coached: the coach reads every message with the writer's own role.

The browser shows the coach's findings as the employee types, and may disable the Send button,
but only `case_message_send` decides: it runs the coach again, on the server, with the sender's
role from the database, and refuses an e-mail reply that the coach blocks for that sender.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from makegood.accounts.models import Role
from makegood.accounts.roles import role_of
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent
from makegood.cases.services import case_record_response
from makegood.recovery.coach import CoachResult, coach_reply


def refusal_message(result: CoachResult, *, outcome: str = "Not sent") -> str:
    """Why the coach refuses these words for this sender, in the employee's words."""
    blocking = [f.excerpt for f in result.findings if f.severity == "block"]
    words = ", ".join(f"\u201c{excerpt}\u201d" for excerpt in blocking)
    return (
        f"{outcome}: {words} tells the customer no, and frontline staff never say no. "
        "Reword it to say what you can do; your text is kept."
    )


class ReplyRefused(Exception):
    """The coach blocks this reply for this sender (a frontline employee saying no)."""

    def __init__(self, result: CoachResult) -> None:
        self.result = result
        super().__init__(refusal_message(result))


def coach_role(user: User) -> Role:
    """The role the coach judges by. Someone without a role is held to the frontline rule."""
    return role_of(user) or Role.FRONTLINE


def case_message_coach(*, case: Case, user: User, text: str, closing: bool = True) -> CoachResult:
    """The coach's findings on a message this user is writing on this case.

    It is a first reply (which should apologise) until a reply or live contact is recorded.
    """
    return coach_reply(text, role=coach_role(user), first_reply=case.first_responded_at is None, closing=closing)


def case_words_check(*, case: Case, user: User, text: str) -> None:
    """Words said to the customer in a step of the guided recovery (the apology) answer to the same
    rules as a reply: a ValidationError on `text` when the coach blocks them for this sender."""
    result = case_message_coach(case=case, user=user, text=text, closing=False)
    if result.blocking:
        raise ValidationError({"text": [refusal_message(result, outcome="Not recorded")]})


def case_message_send(*, case: Case, user: User, kind: str, text: str) -> CaseEvent:
    """Reply to the customer by e-mail, or record a live contact (`case_record_response`).

    An e-mail reply is coached first and refused (`ReplyRefused`, nothing sent) when a finding
    blocks this sender. A live contact records what was already said, so it is never refused
    for its words.
    """
    if kind == EventKind.REPLY_SENT:
        result = case_message_coach(case=case, user=user, text=text)
        if result.blocking:
            raise ReplyRefused(result)
    return case_record_response(case=case, user=user, kind=kind, body=text)
