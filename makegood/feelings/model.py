"""The trained detector: its features, its scoring, and its file.

Features (the same functions build them in training and here, so the two cannot drift apart):
- word uni- and bigrams, TF-IDF (sublinear tf, L2-normalised);
- character 2- to 5-grams inside word boundaries, TF-IDF likewise;
- one column per feeling counting the text's cue words (`lexicon.py`).

The weight matrix has one column per *shade* (`goemotions.LABEL_TO_SHADE`: anger and disgust are
shades of angry; neutral has four, from "love this!" to "why though?"). A feeling's score is the best
of its shades' linear scores plus a per-feeling offset tuned for macro-F1 on out-of-fold predictions;
the named feeling is the best score, and its confidence is the softmax of the feelings' scores at a
temperature fitted on those same out-of-fold predictions (calibration). `training.py` explains how
the columns come from two linear SVMs.

The file is gzip'd JSON (no pickle: nothing executable, readable by any version): the vocabularies,
idf weights and weight matrix (float16, base64), the columns' feelings and intercepts, the offsets,
temperature and cue words. Scoring needs only numpy, never scikit-learn.
"""

from __future__ import annotations

import base64
import functools
import gzip
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from makegood.feelings.labels import FEELINGS, NEUTRAL
from makegood.feelings.lexicon import CueMatcher

FORMAT = "makegood-feelings/2"
MAX_CHARS = 2000  # longer texts are read at their head and tail (where feelings are stated), to bound the time
CUE_SCALE = 0.3  # a cue column's value per cue, comparable to a TF-IDF value
MAX_CUES = 3  # more cues of one feeling add nothing
WORDS_REMEMBERED = 20_000  # per process, each with its character n-grams' columns

_WORD = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Feeling:
    """A feeling named in a text, with the detector's confidence in it (0..1)."""

    feeling: str
    confidence: float


def normalise(text: str) -> str:
    if len(text) > MAX_CHARS:
        half = MAX_CHARS // 2
        text = f"{text[:half]} {text[-half:]}"
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def word_features(text: str) -> list[str]:
    """Word unigrams and bigrams of a normalised text (words of two or more letters/digits)."""
    words = _WORD.findall(text)
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def char_feature_words(text: str) -> list[str]:
    """The words whose character n-grams `char_features` takes (split at white space)."""
    return _SPACES.sub(" ", text).split()


def word_char_grams(word: str, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams of one space-padded word, in `char_features`' order."""
    grams: list[str] = []
    padded = f" {word} "
    length = len(padded)
    for n in range(low, high + 1):
        if length <= n:
            grams.append(padded)  # the whole padded word, once, as scikit-learn counts it
            break
        grams.extend([padded[i : i + n] for i in range(length - n + 1)])
    return grams


def char_features(text: str, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams within each space-padded word (scikit-learn's `char_wb` analyzer)."""
    grams: list[str] = []
    for word in char_feature_words(text):
        grams.extend(word_char_grams(word, low, high))
    return grams


def cue_features(text: str, matcher: CueMatcher, feelings: Sequence[str]) -> list[float]:
    """Per feeling, the square root of how many of its cues a normalised text uses (at most MAX_CUES)."""
    found = matcher.count(text)
    return [CUE_SCALE * math.sqrt(min(found.get(feeling, 0), MAX_CUES)) for feeling in feelings]


def _encode(array: np.ndarray, dtype: str) -> dict[str, Any]:
    data = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "shape": list(data.shape), "data": base64.b64encode(data.tobytes()).decode("ascii")}


def _decode(blob: dict[str, Any]) -> np.ndarray:
    dtype = np.dtype(blob["dtype"]).newbyteorder("<")
    raw = np.frombuffer(base64.b64decode(blob["data"]), dtype=dtype)
    return raw.reshape(blob["shape"]).astype(np.float32)


class Detector:
    """A loaded model. Build it with `Detector.load(path)` or from training's parts."""

    def __init__(
        self,
        *,
        word_vocabulary: Sequence[str],
        word_idf: np.ndarray,
        char_vocabulary: Sequence[str],
        char_idf: np.ndarray,
        cue_feelings: Sequence[str],
        cues: dict[str, list[str]],
        weights: np.ndarray,  # (words + chars + cue_feelings) x columns
        offsets: np.ndarray,  # the tuned offset of each feeling
        temperature: float,
        feelings: Sequence[str] = FEELINGS,
        columns: Sequence[str] | None = None,  # the feeling each weight column scores (default: `feelings`)
        intercepts: np.ndarray | None = None,  # each column's intercept (default: 0)
        info: dict[str, Any] | None = None,
    ) -> None:
        self.feelings = tuple(feelings)
        columns = self.feelings if columns is None else tuple(columns)
        unknown = set(columns) - set(self.feelings)
        missing = set(self.feelings) - set(columns)
        if unknown or missing:
            raise ValueError(f"model columns name unknown feelings {sorted(unknown)} or miss {sorted(missing)}")
        # Columns grouped by feeling, in the feelings' order: a feeling's score is one `maximum.reduceat`.
        order = sorted(range(len(columns)), key=lambda c: self.feelings.index(columns[c]))
        self.columns = tuple(columns[c] for c in order)
        self._starts = np.array([self.columns.index(f) for f in self.feelings])
        self.word_index = {gram: i for i, gram in enumerate(word_vocabulary)}
        self.char_index = {gram: i for i, gram in enumerate(char_vocabulary)}
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.char_idf = np.asarray(char_idf, dtype=np.float32)
        self.cue_feelings = tuple(cue_feelings)
        self.cues = {feeling: list(words) for feeling, words in cues.items()}
        self.matcher = CueMatcher(self.cues)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.intercepts = (
            np.zeros(len(columns), np.float32) if intercepts is None else np.asarray(intercepts, np.float32)
        )
        self.offsets = np.asarray(offsets, dtype=np.float32)
        self.temperature = float(temperature)
        self.info = dict(info or {})
        self._char_start = len(self.word_index)
        self._cue_start = self._char_start + len(self.char_index)
        # The idf weights as Python floats, read one gram at a time while scoring: indexing the
        # numpy array for each gram cost more than the rest of the loop.
        self._word_idf = self.word_idf.tolist()
        self._char_idf = self.char_idf.tolist()
        # The known character n-grams of a word, by column, remembered for the words seen most
        # (complaints share most of their words): scoring a text then looks each word up once
        # instead of each of its dozen n-grams.
        self._word_char_columns = functools.lru_cache(maxsize=WORDS_REMEMBERED)(self._char_columns)
        expected = (self._cue_start + len(self.cue_feelings), len(columns))
        if (
            self.weights.shape != expected
            or self.intercepts.shape != (len(columns),)
            or self.offsets.shape != (len(self.feelings),)
        ):
            raise ValueError(f"model weights have shape {self.weights.shape}, expected {expected}")
        self.weights = np.ascontiguousarray(self.weights[:, order])
        self.intercepts = self.intercepts[order]
        if NEUTRAL not in self.feelings:
            raise ValueError("a model must know the neutral feeling")

    # Scoring ---------------------------------------------------------------------------------------

    def _char_columns(self, word: str) -> tuple[int, ...]:
        find = self.char_index.get
        return tuple(i for gram in word_char_grams(word) if (i := find(gram)) is not None)

    def _block(self, grams: Iterable[str], index: dict[str, int], idf: list[float], start: int) -> np.ndarray | None:
        find = index.get
        # (column, count) of each known gram, in the order the grams first occur.
        known = [(i, count) for gram, count in Counter(grams).items() if (i := find(gram)) is not None]
        return self._tf_idf_scores(known, idf, start)

    def _char_block(self, lowered: str) -> np.ndarray | None:
        """`_block` of `char_features(lowered)`: the same columns in the same order, summed alike."""
        columns: list[int] = []
        for word in char_feature_words(lowered):
            columns.extend(self._word_char_columns(word))
        return self._tf_idf_scores(list(Counter(columns).items()), self._char_idf, self._char_start)

    def _tf_idf_scores(self, known: list[tuple[int, int]], idf: list[float], start: int) -> np.ndarray | None:
        if not known:
            return None
        log = math.log
        rows = [start + i for i, _ in known]
        # Sublinear tf, 1 + log(count): 1 for most grams.
        vector = np.asarray(
            [idf[i] if count == 1 else (1.0 + log(count)) * idf[i] for i, count in known], dtype=np.float32
        )
        vector /= np.linalg.norm(vector)
        result: np.ndarray = vector @ self.weights[rows]
        return result

    def column_scores(self, text: str) -> np.ndarray:
        """The linear score of each weight column (in `self.columns` order) for one text."""
        lowered = normalise(text)
        total = self.intercepts.copy()
        for block in (
            self._block(word_features(lowered), self.word_index, self._word_idf, 0),
            self._char_block(lowered),
        ):
            if block is not None:
                total += block
        if self.cue_feelings:
            cue_values = np.asarray(cue_features(lowered, self.matcher, self.cue_feelings), dtype=np.float32)
            if cue_values.any():
                total += cue_values @ self.weights[self._cue_start :]
        return total

    def scores(self, text: str) -> np.ndarray:
        """The decision score of each feeling (in `self.feelings` order): its best column, plus its offset."""
        best: np.ndarray = np.maximum.reduceat(self.column_scores(text), self._starts)
        return best + self.offsets

    def probabilities(self, text: str) -> np.ndarray:
        scaled = self.temperature * self.scores(text).astype(np.float64)
        scaled -= scaled.max()
        exp = np.exp(scaled)
        result: np.ndarray = exp / exp.sum()
        return result

    def name(self, text: str) -> Feeling:
        """The feeling a text shows and the confidence in it. A text with nothing to read in it
        (empty, blank, only punctuation the model does not know) is neutral with confidence 1."""
        if not text.strip():
            return Feeling(NEUTRAL, 1.0)
        probabilities = self.probabilities(text)
        best = int(probabilities.argmax())
        return Feeling(self.feelings[best], round(float(probabilities[best]), 4))

    # The file --------------------------------------------------------------------------------------

    def to_document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "feelings": list(self.feelings),
            "word_vocabulary": list(self.word_index),
            "word_idf": _encode(self.word_idf, "float32"),
            "char_vocabulary": list(self.char_index),
            "char_idf": _encode(self.char_idf, "float32"),
            "cue_feelings": list(self.cue_feelings),
            "cues": self.cues,
            "columns": list(self.columns),
            "weights": _encode(self.weights, "float16"),
            "intercepts": _encode(self.intercepts, "float32"),
            "offsets": _encode(self.offsets, "float32"),
            "temperature": self.temperature,
            "info": self.info,
        }

    def save(self, path: Path) -> int:
        """Write the model (byte-for-byte the same for the same model) and return its size in bytes."""
        payload = json.dumps(self.to_document(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
            out.write(payload.encode("utf-8"))
        return path.stat().st_size

    @classmethod
    def load(cls, path: Path) -> Detector:
        with gzip.open(path, "rb") as handle:
            document = json.loads(handle.read().decode("utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError(f"{path} is not a {FORMAT} model")
        return cls(
            word_vocabulary=document["word_vocabulary"],
            word_idf=_decode(document["word_idf"]),
            char_vocabulary=document["char_vocabulary"],
            char_idf=_decode(document["char_idf"]),
            cue_feelings=document["cue_feelings"],
            cues=document["cues"],
            columns=document["columns"],
            weights=_decode(document["weights"]),
            intercepts=_decode(document["intercepts"]),
            offsets=_decode(document["offsets"]),
            temperature=document["temperature"],
            feelings=document["feelings"],
            info=document.get("info"),
        )
