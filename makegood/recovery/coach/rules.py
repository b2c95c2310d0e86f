"""What the coach reports: its rules, their messages, a finding and a result."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from makegood.accounts.models import Role


class Rule(StrEnum):
    SAYS_NO = "says_no"
    PASSES_BUCK = "passes_buck"
    BLAMES = "blames"
    EXCUSE_AFTER_APOLOGY = "excuse_after_apology"
    NON_APOLOGY = "non_apology"
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
    Rule.NON_APOLOGY: "“{excerpt}” is not an apology: it doubts the customer or the failure.",
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
