"""The feelings the detector names, in the order of its model's columns (the Empathy step's choices)."""

from __future__ import annotations

NEUTRAL = "neutral"
FEELINGS: tuple[str, ...] = (
    "angry",
    "frustrated",
    "disappointed",
    "anxious",
    "scared",
    "sad",
    "confused",
    "grateful",
    NEUTRAL,
)
