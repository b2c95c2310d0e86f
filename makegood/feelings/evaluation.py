"""Macro-F1 over the nine feelings, the figure the detector is judged by (see `MAPPING.md`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from makegood.feelings.labels import FEELINGS


@dataclass(frozen=True)
class FeelingScore:
    feeling: str
    precision: float
    recall: float
    f1: float
    support: int  # rows whose true feeling this is


@dataclass(frozen=True)
class Evaluation:
    macro_f1: float
    accuracy: float
    per_feeling: tuple[FeelingScore, ...]


def evaluate(truth: Sequence[str], predicted: Sequence[str]) -> Evaluation:
    """Per-feeling precision, recall and F1, and their unweighted mean over all nine feelings
    (a feeling never seen nor predicted scores 0, as scikit-learn's `f1_score(labels=...)` does)."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    scores = []
    for feeling in FEELINGS:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == feeling and p == feeling)
        support = sum(1 for t in truth if t == feeling)
        guessed = sum(1 for p in predicted if p == feeling)
        precision = tp / guessed if guessed else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(FeelingScore(feeling, precision, recall, f1, support))
    right = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p)
    return Evaluation(
        macro_f1=sum(s.f1 for s in scores) / len(scores),
        accuracy=right / len(truth) if truth else 0.0,
        per_feeling=tuple(scores),
    )
