"""Numbers for people: a quantity with its unit, at a precision that keeps differences visible.

One rule everywhere (report, tables, dashboard): three significant digits, never scientific
notation, thousands separated; values shown side by side (a median and its band, two sides'
costs) share a precision with enough digits that different values read differently
(0.0135 and 0.0059 are not both "0.01").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "decimals_for",
    "format_quantity",
    "format_values",
    "probability_axis_top",
    "unit_words",
]

_UNIT_WORDS = {
    "": "",
    "1": "",
    "men": "men",
    "man": "men",
    "km2": "km²",
    "days": "days",
    "day": "days",
    "months": "months",
    "month": "months",
    "per_month": "a month",
    "per_day": "a day",
    "men/month": "men a month",
    "men/day": "men a day",
    "probability": "",
}
_MAX_DIGITS = 6


def unit_words(unit: str | None) -> str:
    """Return a unit as words: ``per_month`` → ``a month``, ``km2`` → ``km²``."""
    if unit is None:
        return ""
    return _UNIT_WORDS.get(unit, unit.replace("_", " "))


def decimals_for(value: float, digits: int = 3) -> int:
    """Return the decimals that show ``value`` to ``digits`` significant digits (≥ 0)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


def _render(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return "0" if text.lstrip("-").strip("0.,") == "" else text


def format_values(values: Sequence[float | None], digits: int = 3) -> list[str]:
    """Format values shown together with one precision, enough to tell them apart.

    The precision is the one ``digits`` significant digits give the largest value in
    magnitude, raised (by up to three more digits) while two different values would print
    alike. ``None`` prints as ``–``.
    """
    finite = [v for v in values if v is not None and math.isfinite(v)]
    nonzero = [abs(v) for v in finite if v != 0]
    decimals = decimals_for(max(nonzero), digits) if nonzero else 0
    if all(float(v).is_integer() for v in finite):
        decimals = 0  # counts and whole numbers print as such: 90, not 90.0
    distinct = sorted(set(finite))
    limit = decimals + _MAX_DIGITS - digits
    while decimals < limit and len({_render(v, decimals) for v in distinct}) < len(distinct):
        decimals += 1
    return ["–" if v is None else _render(v, decimals) for v in values]


def format_quantity(value: float | None, unit: str | None = None, digits: int = 3) -> str:
    """Return ``value`` with its unit in words: ``44,434,800 men``, ``0.0135 a month``."""
    if value is None:
        return "–"
    text = format_values([value], digits)[0]
    words = unit_words(unit)
    return f"{text} {words}" if words else text


def probability_axis_top(peak: float) -> float:
    """Return the top of a probability axis scaled to the data: 0 to a round level above it.

    Values of a few percent on a 0–100% axis look like zero; the axis ends at the next of
    1, 2, 5, 10, 20, 50 or 100% at or above 1.15 times the peak, and a peak above a half
    keeps the whole 0–100% axis.
    """
    if peak > 0.5:
        return 1.0
    target = max(peak * 1.15, 0.005)
    for level in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0):
        if level >= target:
            return level
    return 1.0  # pragma: no cover - the last level is 1
