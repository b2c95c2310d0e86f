"""Feeling detection: the feeling a customer's words show, with a confidence, for the Empathy step.

    from makegood.feelings import name_feeling, name_feelings
    name_feeling("I'm worried my card was charged twice")   # Feeling(feeling='anxious', confidence=0.7957)
    name_feelings(["Thank you so much!", ""])                # [Feeling('grateful', ...), Feeling('neutral', 1.0)]

The feelings are `FEELINGS` (angry, frustrated, disappointed, anxious, scared, sad, confused, grateful,
neutral: `makegood.cases.models.Feeling`'s values). The confidence (0..1) is the model's calibrated
probability of the feeling it names. A blank text is neutral with confidence 1.

It runs offline on one CPU core in about 0.2 ms for a short message and 1.6 ms for a 1,200-character
complaint: linear scores over word and character n-grams and cue words, one per shade of a feeling
(see `model.py`), loaded once per process, on first use (about 0.15 s), from `model.json.gz` in this
package (3.7 MB; numpy only, no download).

The model is trained on GoEmotions mapped to these feelings (`shared/data/goemotions/MAPPING.md`) by

    makegood train_feelings                       # reads ../shared/data/goemotions/train.tsv
    makegood train_feelings --train PATH --output PATH

which rewrites `model.json.gz` (deterministic: same data and versions, same bytes; about two minutes).
`python bench/feelings.py` prints its macro-F1 on the dev set and its time per message;
`makegood name_feelings < texts.txt` names the feeling of each line, for evaluating it on other data.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from makegood.feelings.labels import FEELINGS, NEUTRAL
from makegood.feelings.model import Detector, Feeling

__all__ = ["FEELINGS", "MODEL_PATH", "NEUTRAL", "Detector", "Feeling", "detector", "name_feeling", "name_feelings"]

MODEL_PATH = Path(__file__).resolve().parent / "model.json.gz"

_loaded: Detector | None = None
_lock = threading.Lock()


def detector() -> Detector:
    """The shipped model, loaded on first use and kept for the life of the process."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = Detector.load(MODEL_PATH)
    return _loaded


def name_feeling(text: str) -> Feeling:
    """The feeling `text` shows, and the confidence in it."""
    return detector().name(text)


def name_feelings(texts: Iterable[str]) -> list[Feeling]:
    """`name_feeling` for each text, in order."""
    model = detector()
    return [model.name(text) for text in texts]
