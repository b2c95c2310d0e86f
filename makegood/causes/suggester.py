"""The three likeliest root causes of a complaint, with their probabilities and where they came from.

Two sources. Before the business has labelled enough cases, keyword rules per cause (editable by
administrators) rank the causes whose words the story uses. Once a trained model (training.py)
has beaten those rules on a time-ordered hold-out of the business's own cases, it takes over.
Both are kept per process (`ProcessCache`), so a suggestion costs a few milliseconds, no query.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from makegood.causes.models import Cause, CauseModel, Source
from makegood.process_cache import ProcessCache

if TYPE_CHECKING:
    # scikit-learn takes seconds to import: only a process that suggests from a model pays for it.
    from makegood.causes.textmodel import Trained

TOP = 3


@dataclass(frozen=True)
class Suggested:
    cause_id: int
    label: str
    probability: float

    def as_json(self) -> dict[str, object]:
        return {"cause": self.cause_id, "label": self.label, "probability": round(self.probability, 4)}


@dataclass(frozen=True)
class Suggestions:
    source: str  # Source
    items: list[Suggested]

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label)

    def as_json(self) -> list[dict[str, object]]:
        return [item.as_json() for item in self.items]


@dataclass(frozen=True)
class Rule:
    cause_id: int
    label: str
    pattern: re.Pattern[str] | None
    weights: dict[str, float]


@dataclass(frozen=True)
class Taxonomy:
    """The active causes (id -> label) and their keyword rules, compiled once."""

    labels: dict[int, str]
    rules: list[Rule]


def _compile_rule(cause: Cause) -> Rule:
    words = cause.keyword_list()
    if not words:
        return Rule(cause.pk, cause.label, None, {})
    # Longer phrases say more than single words ("box crushed" versus "box").
    weights = {word: 1.0 + 0.5 * word.count(" ") for word in words}
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return Rule(cause.pk, cause.label, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), weights)


def _load_taxonomy() -> Taxonomy:
    causes = list(Cause.objects.filter(active=True, category__active=True).select_related("category"))
    return Taxonomy(labels={c.pk: c.label for c in causes}, rules=[_compile_rule(c) for c in causes])


taxonomy_cache: ProcessCache[Taxonomy] = ProcessCache(_load_taxonomy, ttl_seconds=60, name="cause_taxonomy")


def rules_rank(text: str, taxonomy: Taxonomy) -> list[tuple[int, float]]:
    """Every cause whose keywords the text uses, by weighted hits, as (cause id, share of all hits)."""
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    scores: list[tuple[int, float]] = []
    for rule in taxonomy.rules:
        if rule.pattern is None:
            continue
        # Each keyword counts once, however often it is repeated.
        hits = {match.group(0) for match in rule.pattern.finditer(lowered)}
        if hits:
            scores.append((rule.cause_id, sum(rule.weights.get(hit, 1.0) for hit in hits)))
    total = sum(score for _, score in scores)
    ranked = sorted(scores, key=lambda item: (-item[1], item[0]))
    return [(cause_id, score / total) for cause_id, score in ranked]


def _load_model() -> Trained | None:
    row = CauseModel.objects.filter(blob__isnull=False).order_by("-trained_at", "-pk").first()
    if row is None or not row.beats_rules or row.blob is None:
        return None
    from makegood.causes.textmodel import Trained

    pipeline = pickle.loads(bytes(row.blob))  # noqa: S301 - written by cause_model_train only
    return Trained(pipeline=pipeline, temperature=row.temperature)


model_cache: ProcessCache[Trained | None] = ProcessCache(_load_model, ttl_seconds=60, name="cause_model")


def model_rank(text: str, trained: Trained, taxonomy: Taxonomy) -> list[tuple[int, float]]:
    classes, probabilities = trained.probabilities([text])
    order = np.argsort(-probabilities[0], kind="stable")
    return [(int(classes[i]), float(probabilities[0][i])) for i in order if int(classes[i]) in taxonomy.labels]


def causes_suggest(text: str, *, top: int = TOP) -> Suggestions:
    """The `top` likeliest causes for a complaint's text: from the model when it has taken over,
    else from the keyword rules; none when neither has anything to say."""
    taxonomy = taxonomy_cache.get()
    trained = model_cache.get()
    if trained is not None and text.strip():
        ranked, source = model_rank(text, trained, taxonomy), Source.MODEL
    else:
        ranked, source = rules_rank(text, taxonomy), Source.RULES
    items = [Suggested(cid, taxonomy.labels[cid], p) for cid, p in ranked[:top] if cid in taxonomy.labels]
    return Suggestions(source=source if items else Source.NONE, items=items)
