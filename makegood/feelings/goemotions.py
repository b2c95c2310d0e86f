"""GoEmotions (Demszky et al., 2020), read and mapped to Makegood's feelings as its `MAPPING.md` says.

Each line of `train.tsv` / `dev.tsv` is `text<TAB>label ids (comma-separated, 0-based)<TAB>comment id`.
A label maps to one feeling (every label not in `LABEL_TO_FEELING` counts as `neutral`); a row whose
labels map to several feelings keeps the non-neutral ones, and single-label evaluation drops the rows
that still have more than one.

For training, each feeling also has *shades*, finer groups of its labels (`LABEL_TO_SHADE`):
`neutral` gathers sentences as different as "love this!", "why though?" and "the bus is late", which
no single linear score separates well from the eight other feelings. The detector gives each shade
its own score and a feeling the best of its shades' (see `training.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from makegood.feelings.labels import NEUTRAL

# The 28 labels of GoEmotions, in the order of its `labels.txt` (the ids index into it).
GOEMOTIONS_LABELS: tuple[str, ...] = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
)

LABEL_TO_FEELING: dict[str, str] = {
    "anger": "angry",
    "disgust": "angry",
    "annoyance": "frustrated",
    "disapproval": "frustrated",
    "disappointment": "disappointed",
    "nervousness": "anxious",
    "fear": "scared",
    "sadness": "sad",
    "grief": "sad",
    "confusion": "confused",
    "gratitude": "grateful",
}


# Shades: a feeling's labels grouped by how differently they are worded. A label not listed here is
# its feeling's only shade, named after the feeling (so `neutral`'s own label is the shade `neutral`).
_SHADE_LABELS: dict[str, tuple[str, ...]] = {
    "anger": ("anger",),
    "disgust": ("disgust",),
    "annoyance": ("annoyance",),
    "disapproval": ("disapproval",),
    "sadness": ("sadness",),
    "grief": ("grief",),
    "positive": ("admiration", "amusement", "approval", "caring", "desire", "excitement", "joy", "love", "optimism",
                 "pride", "relief"),
    "wondering": ("curiosity", "surprise", "realization"),
    "sorry": ("remorse", "embarrassment"),
}  # fmt: skip
LABEL_TO_SHADE: dict[str, str] = {label: shade for shade, labels in _SHADE_LABELS.items() for label in labels}


@dataclass(frozen=True)
class Example:
    text: str
    feelings: frozenset[str]  # after mapping; more than one only when several non-neutral feelings remain
    labels: tuple[str, ...] = ()  # GoEmotions' own labels of the row

    @property
    def feeling(self) -> str | None:
        """The single feeling of the row, or None when it has several (dropped from single-label evaluation)."""
        return next(iter(self.feelings)) if len(self.feelings) == 1 else None

    @property
    def shades(self) -> frozenset[str]:
        """The shades of the row's labels that map to its feelings (its feelings when it has no labels)."""
        shades = frozenset(shade_of(label) for label in self.labels if feeling_of(label) in self.feelings)
        return shades or self.feelings


def feeling_of(label: str) -> str:
    return LABEL_TO_FEELING.get(label, NEUTRAL)


def shade_of(label: str) -> str:
    return LABEL_TO_SHADE.get(label, feeling_of(label))


def feelings_of(labels: Iterable[str]) -> frozenset[str]:
    mapped = {feeling_of(label) for label in labels}
    if len(mapped) > 1:
        mapped.discard(NEUTRAL)
    return frozenset(mapped)


def labels_for(tsv: Path) -> tuple[str, ...]:
    """The label names for a TSV: its sibling `labels.txt` when there is one, else GoEmotions' own."""
    sibling = tsv.with_name("labels.txt")
    if sibling.is_file():
        names = tuple(line.strip() for line in sibling.read_text(encoding="utf-8").splitlines() if line.strip())
        if names:
            return names
    return GOEMOTIONS_LABELS


def read_examples(tsv: Path) -> Iterator[Example]:
    """Every usable row of a GoEmotions-format TSV, mapped to feelings. Malformed rows are skipped."""
    labels = labels_for(tsv)
    with tsv.open(encoding="utf-8", errors="replace", newline="") as lines:
        for line in lines:
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) < 2 or not fields[0].strip():
                continue
            try:
                ids = [int(raw) for raw in fields[1].split(",")]
            except ValueError:
                continue
            if not ids or any(not 0 <= i < len(labels) for i in ids):
                continue
            names = tuple(labels[i] for i in ids)
            yield Example(text=fields[0], feelings=feelings_of(names), labels=names)


def single_label(examples: Iterable[Example]) -> tuple[list[str], list[str]]:
    """Texts and their feeling, for the rows that have exactly one feeling after mapping."""
    texts: list[str] = []
    feelings: list[str] = []
    for example in examples:
        feeling = example.feeling
        if feeling is not None:
            texts.append(example.text)
            feelings.append(feeling)
    return texts, feelings


def single_label_shades(examples: Iterable[Example]) -> tuple[list[str], list[str], list[frozenset[str]]]:
    """As `single_label`, with each row's shades (for training)."""
    texts: list[str] = []
    feelings: list[str] = []
    shades: list[frozenset[str]] = []
    for example in examples:
        feeling = example.feeling
        if feeling is not None:
            texts.append(example.text)
            feelings.append(feeling)
            shades.append(example.shades)
    return texts, feelings, shades
