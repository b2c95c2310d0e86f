"""One sentence shape: a pattern over word classes (`lexicon.py`), the rules it finds, its guards.

A shape's pattern names a group `x` (or `we`) for the words to highlight. `unless_before` is searched
in the sentence up to the match (a condition, the customer's problem reported); `customer_acts` marks
an imperative, which no "I"/"we" may govern ("I'll go ahead and contact the store" is not one);
`alone` keeps a shape for replies that offer the customer nothing besides (a policy recital).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from makegood.recovery.coach.matching import compile_lower
from makegood.recovery.coach.pieces import NOT_A_REFUSAL
from makegood.recovery.coach.rules import Rule

# A condition right before the subject: "if we don't have it in stock, we'll order it".
IF_BEFORE: Final = r"\b(?:if|unless|in\s+case|whether|when|even\s+if|so\s+that)\s+(?:[\w']+\s+){0,2}$"
NOT_REFUSING: Final = f"{IF_BEFORE}|{NOT_A_REFUSAL}"
NO, BUCK, BLAME = Rule.SAYS_NO, Rule.PASSES_BUCK, Rule.BLAMES


@dataclass(frozen=True, slots=True)
class Shape:
    rules: tuple[Rule, ...]
    regex: re.Pattern[str]
    suggestion: str
    unless_before: re.Pattern[str] | None = None  # searched in the sentence up to the match
    customer_acts: bool = False  # an imperative: no "I"/"we" may govern it in its clause
    alone: bool = False  # a finding only in a reply that offers nothing else (`shapes_recital.OFFERS`)


def shape(
    rules: Rule | tuple[Rule, ...],
    suggestion: str,
    pattern: str,
    *,
    unless_before: str | None = None,
    customer_acts: bool = False,
    alone: bool = False,
) -> Shape:
    return Shape(
        rules if isinstance(rules, tuple) else (rules,),
        compile_lower(pattern),
        suggestion,
        compile_lower(unless_before) if unless_before else None,
        customer_acts,
        alone,
    )
