"""Probability words: the UK Defence Intelligence probability yardstick.

The yardstick (UK Professional Head of Intelligence Assessment, 2019 revision)
names seven ranges and leaves gaps between them on purpose. ceasefire must word
every probability, so a value in a gap takes the nearer range: the cut points
are the gaps' midpoints.
"""

from __future__ import annotations

from itertools import pairwise

__all__ = ["YARDSTICK", "probability_words"]

YARDSTICK: tuple[tuple[str, float, float], ...] = (
    ("remote chance", 0.0, 0.05),
    ("highly unlikely", 0.10, 0.20),
    ("unlikely", 0.25, 0.35),
    ("realistic possibility", 0.40, 0.50),
    ("likely", 0.55, 0.75),
    ("highly likely", 0.80, 0.90),
    ("almost certain", 0.95, 1.0),
)
"""(words, low, high) of each range of the yardstick."""


def probability_words(probability: float) -> str:
    """Return the yardstick's words for ``probability`` (in [0, 1])."""
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must lie in [0, 1], got {probability}")
    for (words, _, high), (_, next_low, _) in pairwise(YARDSTICK):
        if probability < (high + next_low) / 2.0:
            return words
    return YARDSTICK[-1][0]
