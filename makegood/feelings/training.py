"""Training the feeling detector on GoEmotions (scikit-learn is needed here only, not to score).

1. Features as `model.py` builds them, fitted on the single-label rows of the training file.
2. Two one-vs-rest linear SVMs (`LinearSVC`) on them: one over the nine feelings (class weights
   balanced by feeling: most rows are neutral), and one over the feelings' *shades*
   (`goemotions.LABEL_TO_SHADE`, weights balanced by shade; a row with several shades counts as a
   fraction of a row in each). A feeling's score is the first model's score for it plus the best
   of its shades' scores in the second, which is what a single linear score per feeling cannot do:
   "love this!" and "the bus is late" are both neutral but have nothing in common. Both models
   being linear, the sum is one weight column per shade, and scoring stays one sparse product.
   (5-fold cross-validation on train, offsets tuned on half the out-of-fold rows and scored on the
   other half: macro-F1 0.520 for the feeling model alone, 0.526 for the pair. One shade per
   GoEmotions label scored alike but would double the file; word trigrams, character 1- to 6-grams,
   other C or class weights, logistic regression and the multi-label rows each moved the feeling
   model by less than the noise, about 0.003. Issue 16 tried more on the feeling model, scored on
   dev: negation-scope words ("not" marks the next three words), "?", "!", capitals and emoji as
   features, and static word vectors distilled from all-MiniLM-L6-v2 (each word of the vocabulary
   run through the encoder alone, as model2vec does; SIF-weighted mean and max per text, or each
   word's similarity to the feelings' cue words) each moved it between -0.01 and +0.003; a logistic
   regression on those vectors alone reaches 0.34. Even offsets tuned on dev itself lift the linear
   model only to about 0.56-0.58: 0.60 needs context, a fine-tuned encoder, which does not fit in
   5 ms per message on one core.)
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
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from makegood.feelings.labels import FEELINGS, NEUTRAL
from makegood.feelings.lexicon import CUES, CueMatcher
from makegood.feelings.model import Detector, char_features, cue_features, normalise, word_features

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


def _full_scores(model: LinearSVC, features: Any, classes: int) -> np.ndarray:
    """Decision scores for all `classes` classes (a class absent from the fit scores ABSENT)."""
    raw = model.decision_function(features)
    if raw.ndim == 1:  # two classes: scikit-learn gives only the second's score
        raw = np.stack([-raw, raw], 1)
    full = np.full((features.shape[0], classes), ABSENT)
    full[:, model.classes_] = raw
    return full


def _full_weights(model: LinearSVC, classes: int) -> tuple[np.ndarray, np.ndarray]:
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    weights = np.zeros((coef.shape[1], classes))
    intercepts = np.full(classes, ABSENT)
    weights[:, model.classes_] = coef.T
    intercepts[model.classes_] = intercept
    return weights, intercepts


class _Shades:
    """The training rows' shades: which feeling each belongs to, and the rows the shade model fits
    (a row once per shade, weighted 1/number of its shades)."""

    def __init__(self, feelings: Sequence[str], shades: Sequence[Collection[str]]) -> None:
        owner: dict[str, str] = {}
        for feeling, row in zip(feelings, shades, strict=True):
            if not row:
                raise ValueError("every text needs at least one shade")
            for shade in row:
                if owner.setdefault(shade, feeling) != feeling:
                    raise ValueError(f"the shade {shade!r} belongs to both {owner[shade]} and {feeling}")
        self.names = sorted(owner, key=lambda shade: (FEELINGS.index(owner[shade]), shade))
        self.feeling = np.array([FEELINGS.index(owner[shade]) for shade in self.names])
        rows, labels, weights = [], [], []
        for i, row in enumerate(shades):
            for shade in sorted(row):
                rows.append(i)
                labels.append(self.names.index(shade))
                weights.append(1.0 / len(row))
        self.rows, self.labels, self.weights = np.array(rows), np.array(labels), np.array(weights)
        # The detector's columns: each shade, and a never-winning one for a feeling with no rows.
        self.columns: list[tuple[int, int | None]] = []
        for f in range(len(FEELINGS)):
            own = [s for s in range(len(self.names)) if self.feeling[s] == f]
            if own:
                self.columns.extend((f, s) for s in own)
            else:
                self.columns.append((f, None))

    def subset(self, fit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, shades and sample weights of the shade model for the training rows `fit`."""
        keep = np.isin(self.rows, fit)
        return self.rows[keep], self.labels[keep], self.weights[keep]

    def feeling_scores(self, by_feeling: np.ndarray, by_shade: np.ndarray) -> np.ndarray:
        """Per feeling, its score in the feeling model plus its best shade's (as `Detector.scores`)."""
        columns = np.stack([by_feeling[:, f] + (by_shade[:, s] if s is not None else 0.0) for f, s in self.columns], 1)
        starts = [next(c for c, (f, _) in enumerate(self.columns) if f == g) for g in range(len(FEELINGS))]
        return np.asarray(np.maximum.reduceat(columns, starts, axis=1), dtype=float)


def _feeling_svm(seed: int) -> LinearSVC:
    return LinearSVC(C=C, class_weight="balanced", random_state=seed, max_iter=5000)


def _shade_svm(labels: np.ndarray, weights: np.ndarray, seed: int) -> LinearSVC:
    """Balanced by shade: a shade's rows weigh (all rows) / (shades x its rows), as "balanced" does."""
    present = np.unique(labels)
    per_shade = np.bincount(labels, weights=weights)
    balance = {int(s): float(weights.sum() / (len(present) * per_shade[s])) for s in present}
    return LinearSVC(C=C, class_weight=balance, random_state=seed, max_iter=5000)


def train(
    texts: Sequence[str],
    feelings: Sequence[str],
    *,
    shades: Sequence[Collection[str]] | None = None,
    folds: int = 5,
    seed: int = 0,
    log: Callable[[str], None] = lambda _: None,
    info: dict[str, Any] | None = None,
) -> Detector:
    """A detector trained on texts with one feeling each (from `FEELINGS`) and, optionally, the
    shades of that feeling each shows (default: the feeling itself, its only shade)."""
    unknown = set(feelings) - set(FEELINGS)
    if unknown:
        raise ValueError(f"unknown feelings: {', '.join(sorted(unknown))}")
    if len(texts) != len(feelings) or (shades is not None and len(shades) != len(texts)):
        raise ValueError("texts, feelings and shades differ in length")
    counts = Counter(feelings)
    if len(counts) < 2:
        raise ValueError("training needs texts of at least two different feelings")
    y = np.array([FEELINGS.index(f) for f in feelings])
    present = sorted(set(y.tolist()))
    shading = _Shades(feelings, shades if shades is not None else [[f] for f in feelings])

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
        f"{len(char_vectorizer.vocabulary_)} character n-grams, {len(CUE_FEELINGS)} cue counts), "
        f"{len(shading.names)} shades")  # fmt: skip

    def fit_both(fit: np.ndarray) -> tuple[LinearSVC, LinearSVC]:
        by_feeling = _feeling_svm(seed).fit(features[fit], y[fit])
        rows, labels, weights = shading.subset(fit)
        by_shade = _shade_svm(labels, weights, seed).fit(features[rows], labels, sample_weight=weights)
        return by_feeling, by_shade

    def score_both(models: tuple[LinearSVC, LinearSVC], rows: Any) -> np.ndarray:
        by_feeling = _full_scores(models[0], features[rows], len(FEELINGS))
        return shading.feeling_scores(by_feeling, _full_scores(models[1], features[rows], len(shading.names)))

    offsets = np.zeros(len(FEELINGS))
    temperature = 1.0
    k = min(folds, min(counts.values()))
    summary: dict[str, Any] = {}
    if k >= 2:
        out_of_fold = np.zeros((len(texts), len(FEELINGS)))
        for number, (fit, held) in enumerate(StratifiedKFold(k, shuffle=True, random_state=seed).split(texts, y), 1):
            out_of_fold[held] = score_both(fit_both(fit), held)
            log(f"fold {number}/{k} done")
        raw = macro_f1(y, out_of_fold.argmax(1))
        offsets = bagged_offsets(out_of_fold, y, present, seed=seed)
        tuned = macro_f1(y, (out_of_fold + offsets).argmax(1))
        temperature = fit_temperature(out_of_fold + offsets, y)
        summary = {"folds": k, "oof_macro_f1": round(raw, 4), "oof_macro_f1_tuned": round(tuned, 4)}
        log(f"out-of-fold macro-F1 {raw:.4f}, {tuned:.4f} with the tuned offsets; temperature {temperature}")

    models = fit_both(np.arange(len(texts)))
    feeling_weights, feeling_intercepts = _full_weights(models[0], len(FEELINGS))
    shade_weights, shade_intercepts = _full_weights(models[1], len(shading.names))
    columns = []
    intercepts = []
    for f, s in shading.columns:
        if s is None:
            columns.append(np.zeros(features.shape[1]))
            intercepts.append(ABSENT)
        else:
            columns.append(feeling_weights[:, f] + shade_weights[:, s])
            intercepts.append(feeling_intercepts[f] + shade_intercepts[s])
    detector = Detector(
        word_vocabulary=_vocabulary(word_vectorizer),
        word_idf=word_vectorizer.idf_,
        char_vocabulary=_vocabulary(char_vectorizer),
        char_idf=char_vectorizer.idf_,
        cue_feelings=CUE_FEELINGS,
        cues=CUES,
        columns=[FEELINGS[f] for f, _ in shading.columns],
        weights=np.stack(columns, 1),
        intercepts=np.array(intercepts),
        offsets=offsets,
        temperature=temperature,
        info={
            **(info or {}),
            **summary,
            "rows": dict(sorted(counts.items())),
            "shades": [shading.names[s] if s is not None else None for _, s in shading.columns],
            "C": C,
            "seed": seed,
            "scikit_learn": sklearn.__version__,
            "offsets": {f: float(o) for f, o in zip(FEELINGS, offsets, strict=True)},
        },
    )
    _check(detector, lambda rows: score_both(models, rows) + offsets, texts)
    return detector


def _vocabulary(vectorizer: TfidfVectorizer) -> list[str]:
    by_index = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    return [gram for gram, _ in by_index]


def _check(detector: Detector, expected_scores: Callable[[list[int]], np.ndarray], texts: Sequence[str]) -> None:
    """The exported detector must score as scikit-learn does (up to float16 weights)."""
    sample = list(range(0, len(texts), max(1, len(texts) // 200)))
    expected = expected_scores(sample)
    got = np.array([detector.scores(texts[i]) for i in sample])
    live = expected > ABSENT / 2
    gap = float(np.abs(expected - got)[live].max())
    if gap > 0.02:
        raise RuntimeError(f"the exported model scores differ from scikit-learn's by {gap:.4f}")
