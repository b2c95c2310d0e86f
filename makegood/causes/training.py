"""Training the suggester on the business's own labelled cases.

The text model: TF-IDF over words and word pairs plus TF-IDF over character 3-5-grams (which
survive typos, plurals and run-together words), into a multinomial logistic regression. Its raw
scores are over-confident, so a temperature, fitted on the newest cases held out, calibrates the
probabilities. The same hold-out decides whether the model beats the keyword rules: it takes over
only when its top-1 accuracy is higher. `bench/rootcause.py` measures the same pipeline.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from makegood.causes.models import CaseCause, CauseModel
from makegood.causes.suggester import _load_taxonomy, rules_rank
from makegood.causes.textmodel import MAX_CHARS, Trained, fit, fit_temperature, top_k_hits

# No model below this many labelled cases (or with fewer than two causes among them).
MIN_LABELS = 30
# The periodic task retrains once this many new labels have accumulated since the last training.
RETRAIN_AFTER_NEW_LABELS = 50
# The newest share of the labelled cases held out to calibrate and to compare with the rules.
HOLDOUT_SHARE = 0.2
MIN_HOLDOUT = 10


@dataclass(frozen=True)
class TrainResult:
    trained: bool
    reason: str
    model: CauseModel | None = None


def _labelled() -> QuerySet[CaseCause]:
    return CaseCause.objects.filter(cause__active=True).exclude(case__story="")


def labelled_cases() -> tuple[list[str], list[int], list[datetime]]:
    """Every case with a cause and a story, oldest first: (texts, cause ids, received)."""
    rows = (
        _labelled()
        .order_by("received_at", "case_id")
        .values_list("case__subject", "case__story", "cause_id", "received_at")
    )
    texts, labels, received = [], [], []
    for subject, story, cause_id, at in rows.iterator(chunk_size=2000):
        texts.append(f"{subject}\n{story}" if subject else story)
        labels.append(cause_id)
        received.append(at)
    return texts, labels, received


def cause_model_train(*, now: datetime | None = None) -> TrainResult:
    """Train on the labelled cases, compare with the rules on the newest ones, keep the result."""
    texts, labels, _received = labelled_cases()
    if len(texts) < MIN_LABELS or len(set(labels)) < 2:
        return TrainResult(
            False, f"Needs at least {MIN_LABELS} labelled cases of two causes or more ({len(texts)} now)."
        )
    cut = len(texts) - max(MIN_HOLDOUT, int(len(texts) * HOLDOUT_SHARE))
    train_x, train_y, hold_x, hold_y = texts[:cut], labels[:cut], texts[cut:], labels[cut:]
    if len(set(train_y)) < 2:
        return TrainResult(False, "The older cases name only one cause: nothing to learn yet.")
    candidate = Trained(fit(train_x, train_y), 1.0)
    temperature = fit_temperature(candidate, hold_x, hold_y)
    classes, probabilities = candidate.probabilities([t[:MAX_CHARS] for t in hold_x])
    model_ranked = [list(classes[np.argsort(-p, kind="stable")[:3]]) for p in probabilities]
    taxonomy = _load_taxonomy()
    rules_ranked = [[cid for cid, _ in rules_rank(t, taxonomy)[:3]] for t in hold_x]
    scores = {
        "model_top1": top_k_hits(model_ranked, hold_y, 1),
        "model_top3": top_k_hits(model_ranked, hold_y, 3),
        "rules_top1": top_k_hits(rules_ranked, hold_y, 1),
        "rules_top3": top_k_hits(rules_ranked, hold_y, 3),
    }
    final = fit(texts, labels)
    with transaction.atomic():
        # Only the newest training keeps its (large) blob.
        CauseModel.objects.filter(blob__isnull=False).update(blob=None)
        model = CauseModel.objects.create(
            trained_at=now or timezone.now(),
            labels=len(texts),
            causes=len(set(labels)),
            holdout=len(hold_x),
            temperature=temperature,
            beats_rules=scores["model_top1"] > scores["rules_top1"],
            blob=pickle.dumps(final, protocol=pickle.HIGHEST_PROTOCOL),
            **scores,
        )
    verdict = "takes over from the keyword rules" if model.beats_rules else "does not beat the keyword rules yet"
    return TrainResult(True, f"Trained on {len(texts)} cases; the model {verdict}.", model)


def cause_model_due() -> bool:
    """Enough new labels since the last training (or none yet, and enough to start)."""
    last = CauseModel.objects.order_by("-trained_at", "-pk").first()
    labelled = _labelled().count()
    if last is None:
        return labelled >= MIN_LABELS
    return labelled - last.labels >= RETRAIN_AFTER_NEW_LABELS
