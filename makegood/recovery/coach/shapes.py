"""The shape of a sentence: who is asked to act, the verb, negation, modality, the party."""

from __future__ import annotations

from makegood.recovery.coach.rules import Rule

Found = tuple[Rule, int, int, str]


def shape_findings(text: str, sentences: list[tuple[int, int]], found: list[Found]) -> list[Found]:
    """Findings that the sentences' shapes add to the phrases' (`found`)."""
    return []
