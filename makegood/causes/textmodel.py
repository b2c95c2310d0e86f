"""The suggester's text model, free of Django (the benchmark uses it as it is).

TF-IDF over words and word pairs plus TF-IDF over character 3-5-grams (which survive typos,
plurals and run-together words), into a multinomial logistic regression. Its raw scores are
over-confident, so a temperature fitted on held-out cases calibrates the probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

# Stories are cut here: the start of a complaint says what it is about, and training stays fast.
MAX_CHARS = 2000


@dataclass(frozen=True)
class Trained:
    """A fitted text pipeline over cause ids, with its temperature (probabilities calibrated on the hold-out)."""

    pipeline: Any
    temperature: float

    def probabilities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(class cause ids, probabilities per text), the scores softened by the temperature."""
        scores = self.pipeline.decision_function(texts)
        classes = np.asarray(self.pipeline.classes_)
        if scores.ndim == 1:  # two classes: one score, for the second
            scores = np.column_stack([-scores, scores])
        scaled = scores / self.temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        exp = np.exp(scaled)
        return classes, exp / exp.sum(axis=1, keepdims=True)


def build_pipeline() -> Pipeline:
    # At most 50,000 features each: as accurate on the CFPB replay as unbounded, and faster to train.
    words = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2, stop_words="english", max_features=50_000)
    chars = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5), min_df=2, max_features=50_000)
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("classifier", LogisticRegression(C=10.0, max_iter=2000)),
        ]
    )


def fit(texts: Sequence[str], labels: Sequence[Any]) -> Pipeline:
    return build_pipeline().fit([t[:MAX_CHARS] for t in texts], list(labels))


def fit_temperature(trained: Trained, texts: Sequence[str], labels: Sequence[Any]) -> float:
    """The temperature that minimises the log loss of the held-out cases (1.0 when none can be used)."""
    classes = list(trained.pipeline.classes_)
    known = [(t, classes.index(y)) for t, y in zip(texts, labels, strict=True) if y in classes]
    if len(known) < 2:
        return 1.0
    scores = trained.pipeline.decision_function([t[:MAX_CHARS] for t, _ in known])
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    target = np.array([i for _, i in known])

    def log_loss(temperature: float) -> float:
        scaled = scores / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        return float(np.mean(log_norm - scaled[np.arange(len(target)), target]))

    return float(minimize_scalar(log_loss, bounds=(0.05, 20.0), method="bounded").x)


def top_k_hits(ranked: Sequence[Sequence[Any]], truth: Sequence[Any], k: int) -> float:
    if not truth:
        return 0.0
    return sum(1 for r, y in zip(ranked, truth, strict=True) if y in list(r)[:k]) / len(truth)
