"""Probability words: the UK Defence Intelligence probability yardstick.

The yardstick (UK Professional Head of Intelligence Assessment, PHIA, 2019 revision) names
seven ranges and leaves gaps between them on purpose (5–10%, 20–25%, 35–40%, 50–55%,
75–80%, 90–95%): a judgement in a gap is not precise enough for either word. ceasefire must
word every probability it prints, so a value in a gap is worded with both neighbours,
joined by "to": 8% reads "remote chance to highly unlikely", 92% "highly likely to almost
certain". Then the words never claim a range the value lies outside, and the legend
(:func:`yardstick_legend`) states the rule.

The words are chosen for the value as printed (rounded to a tenth of a percentage point),
so a printed 10.0% is "highly unlikely", never a gap. Every table, the report and the
dashboard word probabilities through :func:`format_probability`.
"""

from __future__ import annotations

from itertools import pairwise

__all__ = ["YARDSTICK", "format_probability", "probability_words", "yardstick_legend"]

YARDSTICK: tuple[tuple[str, float, float], ...] = (
    ("remote chance", 0.0, 0.05),
    ("highly unlikely", 0.10, 0.20),
    ("unlikely", 0.25, 0.35),
    ("realistic possibility", 0.40, 0.50),
    ("likely", 0.55, 0.75),
    ("highly likely", 0.80, 0.90),
    ("almost certain", 0.95, 1.0),
)
"""(words, low, high) of each range of the yardstick; both ends belong to the range."""

_PRINTED_DIGITS = 3
"""Probabilities are worded as printed: to a tenth of a percentage point."""


def probability_words(probability: float) -> str:
    """Return the yardstick's words for ``probability`` (in [0, 1]).

    A value inside a range gets its words; a value in a gap between two ranges gets both,
    ``"<lower words> to <upper words>"``.
    """
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must lie in [0, 1], got {probability}")
    value = round(probability, _PRINTED_DIGITS)
    for words, low, high in YARDSTICK:
        if low <= value <= high:
            return words
    for (below, _, high), (above, low, _) in pairwise(YARDSTICK):
        if high < value < low:
            return f"{below} to {above}"
    raise AssertionError(f"the yardstick covers [0, 1]; {value} fell through")  # pragma: no cover


def format_probability(probability: float, digits: int = 1) -> str:
    """Return ``"8.2% (remote chance to highly unlikely)"``: the number, then its words."""
    return f"{probability:.{digits}%} ({probability_words(probability)})"


def yardstick_legend(*, sentence: bool = False) -> str:
    """Return the legend of the words, with the rule for values in the yardstick's gaps.

    ``sentence`` capitalises its first letter, to stand as a sentence of its own.
    """
    ranges = []
    for words, low, high in YARDSTICK:
        if low == 0.0:
            ranges.append(f"{words} ≤{high:.0%}")
        elif high == 1.0:
            ranges.append(f"{words} ≥{low:.0%}")
        else:
            ranges.append(f"{words} {low * 100:.0f}–{high:.0%}")
    lead = "Probabilities" if sentence else "probabilities"
    return (
        f"{lead} worded on the UK Defence Intelligence (PHIA) yardstick: "
        + ", ".join(ranges)
        + "; a value in a gap between two ranges takes both words "
        "(8% reads 'remote chance to highly unlikely')"
    )
