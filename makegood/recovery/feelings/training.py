"""Training the feeling detector on GoEmotions (scikit-learn is needed here only, not to score).

1. Features as `model.py` builds them, fitted on the single-label rows of the training file.
2. A one-vs-rest linear SVM (`LinearSVC`, balanced class weights: most rows are neutral).
3. Out-of-fold scores (stratified k-fold on the same rows) to tune one offset per feeling for
   macro-F1 (neutral's stays 0; averaged over bootstrap resamples) and then a softmax temperature
   by log-likelihood, so the confidence behaves like a probability.
4. The exported `Detector` is checked against scikit-learn's own scores before it is returned.

Deterministic: the vocabulary is sorted, the folds and the solver are seeded, and the file is written
without timestamps, so the same data and versions give the same bytes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from makegood.recovery.feelings.labels import FEELINGS, NEUTRAL
from makegood.recovery.feelings.lexicon import CUES, CueMatcher
from makegood.recovery.feelings.model import Detector, char_features, cue_features, normalise, word_features

C = 0.1  # the SVM's regularisation, chosen by cross-validation on train (0.05-0.2 score alike)
ABSENT = -50.0  # the score of a feeling the training data never shows
OFFSET_GRID = np.round(np.arange(-1.0, 1.0001, 0.05), 2)
CUE_FEELINGS = tuple(f for f in FEELINGS if f in CUES)


def _words(text: str) -> list[str]:
    return word_features(normalise(text))


def _chars(text: str) -> list[str]:
    return char_features(normalise(text))


def macro_f1(truth: np.ndarray, predicted: np.ndarray, k: int = len(FEELINGS)) -> float:
    confusion = np.bincount(truth * k + predicted, minlength=k * k).reshape(k, k)
    tp = np.diag(confusion).astype(float)
    denominator = confusion.sum(0) + confusion.sum(1)
    f1 = np.divide(2 * tp, denominator, out=np.zeros(k), where=denominator > 0)
    return float(f1.mean())


def tune_offsets(scores: np.ndarray, truth: np.ndarray, present: Sequence[int], rounds: int = 3) -> np.ndarray:
    """Per-feeling offsets that maximise macro-F1 of argmax(scores + offsets), by coordinate ascent."""
    offsets = np.zeros(scores.shape[1])
    best = macro_f1(truth, scores.argmax(1))
    neutral = FEELINGS.index(NEUTRAL)
    for _ in range(rounds):
        improved = False
        for j in present:
            if j == neutral:
                continue
            for value in OFFSET_GRID:
                trial = offsets.copy()
                trial[j] = value
                score = macro_f1(truth, (scores + trial).argmax(1))
                if score > best + 1e-9:
                    best, offsets, improved = score, trial, True
        if not improved:
            break
    return offsets


def bagged_offsets(
    scores: np.ndarray, truth: np.ndarray, present: Sequence[int], *, bags: int = 20, seed: int = 0
) -> np.ndarray:
    """`tune_offsets` averaged over bootstrap resamples: one tuning chases the quirks of its sample
    (nested cross-validation on train: macro-F1 0.516 for one tuning, 0.521 for the average)."""
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(bags):
        sample = rng.integers(0, len(truth), len(truth))
        runs.append(tune_offsets(scores[sample], truth[sample], present))
    return np.asarray(np.round(np.mean(runs, axis=0), 4), dtype=float)


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature with the least negative log-likelihood (a grid, then a finer grid)."""

    def nll(t: float) -> float:
        z = t * scores
        z = z - z.max(1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(1, keepdims=True))
        return float(-log_p[np.arange(len(truth)), truth].mean())

    grid = np.exp(np.linspace(math.log(0.1), math.log(30.0), 61))
    t = float(min(grid, key=nll))
    fine = t * np.exp(np.linspace(-0.1, 0.1, 21))
    return round(float(min(fine, key=nll)), 4)


def _full_scores(model: LinearSVC, features: Any) -> np.ndarray:
    """Decision scores for all nine feelings (a feeling absent from training scores ABSENT)."""
    raw = model.decision_function(features)
    if raw.ndim == 1:  # two classes: scikit-learn gives only the second's score
        raw = np.stack([-raw, raw], 1)
    full = np.full((features.shape[0], len(FEELINGS)), ABSENT)
    full[:, model.classes_] = raw
    return full


def _full_weights(model: LinearSVC) -> tuple[np.ndarray, np.ndarray]:
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    weights = np.zeros((coef.shape[1], len(FEELINGS)))
    offsets = np.full(len(FEELINGS), ABSENT)
    weights[:, model.classes_] = coef.T
    offsets[model.classes_] = intercept
    return weights, offsets


def train(
    texts: Sequence[str],
    feelings: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    log: Callable[[str], None] = lambda _: None,
    info: dict[str, Any] | None = None,
) -> Detector:
    """A detector trained on texts with one feeling each (from `FEELINGS`)."""
    unknown = set(feelings) - set(FEELINGS)
    if unknown:
        raise ValueError(f"unknown feelings: {', '.join(sorted(unknown))}")
    if len(texts) != len(feelings):
        raise ValueError("texts and feelings differ in length")
    counts = Counter(feelings)
    if len(counts) < 2:
        raise ValueError("training needs texts of at least two different feelings")
    y = np.array([FEELINGS.index(f) for f in feelings])
    present = sorted(set(y.tolist()))

    # Tiny sets (tests, trials) keep every n-gram; real ones drop those seen once or twice.
    small = len(texts) < 1000
    word_vectorizer = TfidfVectorizer(analyzer=_words, min_df=1 if small else 2, sublinear_tf=True)
    char_vectorizer = TfidfVectorizer(analyzer=_chars, min_df=1 if small else 3, sublinear_tf=True)
    matcher = CueMatcher(CUES)
    cue_matrix = sp.csr_matrix(np.array([cue_features(normalise(t), matcher, CUE_FEELINGS) for t in texts]))
    features = sp.hstack(
        [word_vectorizer.fit_transform(texts), char_vectorizer.fit_transform(texts), cue_matrix], format="csr"
    )
    log(f"{len(texts)} texts, {features.shape[1]} features ({len(word_vectorizer.vocabulary_)} word n-grams, "
        f"{len(char_vectorizer.vocabulary_)} character n-grams, {len(CUE_FEELINGS)} cue counts)")  # fmt: skip

    def svm() -> LinearSVC:
        return LinearSVC(C=C, class_weight="balanced", random_state=seed, max_iter=5000)

    offsets = np.zeros(len(FEELINGS))
    temperature = 1.0
    k = min(folds, min(counts.values()))
    summary: dict[str, Any] = {}
    if k >= 2:
        out_of_fold = np.zeros((len(texts), len(FEELINGS)))
        for number, (fit, held) in enumerate(StratifiedKFold(k, shuffle=True, random_state=seed).split(texts, y), 1):
            out_of_fold[held] = _full_scores(svm().fit(features[fit], y[fit]), features[held])
            log(f"fold {number}/{k} done")
        raw = macro_f1(y, out_of_fold.argmax(1))
        offsets = bagged_offsets(out_of_fold, y, present, seed=seed)
        tuned = macro_f1(y, (out_of_fold + offsets).argmax(1))
        temperature = fit_temperature(out_of_fold + offsets, y)
        summary = {"folds": k, "oof_macro_f1": round(raw, 4), "oof_macro_f1_tuned": round(tuned, 4)}
        log(f"out-of-fold macro-F1 {raw:.4f}, {tuned:.4f} with the tuned offsets; temperature {temperature}")

    model = svm().fit(features, y)
    weights, intercepts = _full_weights(model)
    detector = Detector(
        word_vocabulary=_vocabulary(word_vectorizer),
        word_idf=word_vectorizer.idf_,
        char_vocabulary=_vocabulary(char_vectorizer),
        char_idf=char_vectorizer.idf_,
        cue_feelings=CUE_FEELINGS,
        cues=CUES,
        weights=weights,
        offsets=intercepts + offsets,
        temperature=temperature,
        info={
            **(info or {}),
            **summary,
            "rows": dict(sorted(counts.items())),
            "C": C,
            "seed": seed,
            "scikit_learn": sklearn.__version__,
            "offsets": {f: float(o) for f, o in zip(FEELINGS, offsets, strict=True)},
        },
    )
    _check(detector, model, features, texts, offsets)
    return detector


def _vocabulary(vectorizer: TfidfVectorizer) -> list[str]:
    by_index = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    return [gram for gram, _ in by_index]


def _check(detector: Detector, model: LinearSVC, features: Any, texts: Sequence[str], offsets: np.ndarray) -> None:
    """The exported detector must score as scikit-learn does (up to float16 weights)."""
    sample = list(range(0, len(texts), max(1, len(texts) // 200)))
    expected = _full_scores(model, features[sample]) + offsets
    got = np.array([detector.scores(texts[i]) for i in sample])
    live = expected > ABSENT / 2
    gap = float(np.abs(expected - got)[live].max())
    if gap > 0.02:
        raise RuntimeError(f"the exported model scores differ from scikit-learn's by {gap:.4f}")
