"""Parameters and boxes in words: names from dotted paths, numbers in the parameter's own unit."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "format_bounds",
    "format_interval",
    "format_number",
    "format_share",
    "outcome_words",
    "parameter_label",
    "restriction_words",
    "summary_words",
]

_UNIT_WORDS = {
    "per_month": ("", " a month"),
    "per_day": ("", " a day"),
    "men": ("", " men"),
    "months": ("", " months"),
    "days": ("", " days"),
    "km2": ("", " km²"),
    "1": ("", ""),
    "": ("", ""),
}
_FIELD_WORDS = {
    "killed_fraction": "killed share of casualties",
    "desertion_rate": "desertion rate",
    "required_minimum_force": "required minimum force",
    "initial_active": "initial deployed force",
    "initial_training": "initial men in training",
    "training_delay": "training time",
    "exchange_ratio": "loss-exchange ratio",
    "max_speed": "front speed at full advantage",
    "stall_ratio": "strength ratio at which the front stalls",
    "width": "front response width",
}


def format_interval(low: float, high: float, separator: str = "–") -> str:
    """Both ends of an interval, with as many figures (3 to 6) as it takes to tell them apart."""
    for figures in range(3, 7):
        a, b = format_number(low, figures), format_number(high, figures)
        if a != b:
            break
    return f"{a}{separator}{b}"


def format_share(value: float | None) -> str:
    """Write a coverage, density or mass as a percentage: one decimal below 10%; ``–`` for none."""
    if value is None:
        return "–"
    return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"


def format_bounds(row: Mapping[str, Any], label: str = " ", separator: str = "–") -> str:
    """Write a restriction's bootstrap intervals: ``lower 1.2–3.4; upper …`` (``–``: none).

    ``row`` holds ``lower_ci95`` and ``upper_ci95`` (``[low, high]`` or None); ``label``
    goes between a bound's name and its interval, ``separator`` between the interval's ends.
    """
    parts = []
    for side in ("lower", "upper"):
        interval = row.get(f"{side}_ci95")
        if interval is not None:
            parts.append(f"{side}{label}{format_interval(interval[0], interval[1], separator)}")
    return "; ".join(parts) or "–"


def format_number(value: float, figures: int = 3) -> str:
    """Three significant figures with thousands separators: 23,400; 1.12; 0.0431."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    digits = figures - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    if digits <= 0:
        return f"{rounded:,.0f}"
    return f"{rounded:,.{digits}f}".rstrip("0").rstrip(".")


def parameter_label(path: str, side_names: Mapping[str, str] | None = None) -> str:
    """Name a parameter from its dotted path, e.g. "Russia contract recruitment".

    ``sides.russia.channels.contract.recruitment.0.value`` reads "Russia contract recruitment";
    a schedule's later periods add "(period 2)"; ``combat.intensity.0.value`` reads "combat
    intensity".
    """
    names = dict(side_names or {})
    shocks = re.match(r"^(?P<segment>.+)\.process\.shocks_to\.(?P<months>\d+)$", path)
    if shocks is not None:
        what = parameter_label(shocks["segment"], side_names)
        return f"{what}: its random shocks over months 1–{shocks['months']} (summed, in sd)"
    parts = path.split(".")
    words: list[str] = []
    period = ""
    if parts and parts[-1] == "value":
        parts = parts[:-1]
    if parts and parts[-1].isdigit():
        if parts[-1] != "0":
            period = f" (period {int(parts[-1]) + 1})"
        parts = parts[:-1]
    if len(parts) >= 2 and parts[0] == "sides":
        side = parts[1]
        words.append(names.get(side, side.replace("_", " ").capitalize()))
        parts = parts[2:]
        if parts and parts[0] == "channels":
            parts = parts[1:]
    elif len(parts) == 3 and parts[0] == "bargaining" and parts[1] == "resolve":
        side = parts[2]
        return f"{names.get(side, side.replace('_', ' ').capitalize())}'s resolve{period}"
    elif parts and parts[0] in ("front", "combat") and len(parts) >= 2 and parts[1] in _FIELD_WORDS:
        parts = parts[1:]
    for part in parts:
        words.append(_FIELD_WORDS.get(part, part.replace("_", " ")))
    if len(words) >= 2 and words[0] == "combat" and words[1].startswith("loss-exchange"):
        words = words[1:]
    return re.sub(r"\s+", " ", " ".join(words)).strip() + period


_SIMPLE = re.compile(
    r"^\s*(?P<measure>[a-z_]+)\.(?P<side>[a-z][a-z0-9_]*)\s*(?P<op><=|<|>=|>)\s*"
    r"(?P<value>-?[0-9][0-9_]*(?:\.[0-9]+)?)\s*$"
)


def outcome_words(text: str, side_names: Mapping[str, str] | None = None) -> str:
    """Say a simple outcome in words ("A manpower crisis for Russia within 36 months").

    Only single comparisons of the common measures are worded; anything else is quoted.
    """
    match = _SIMPLE.match(text)
    if match is None:
        return f"The outcome '{text}'"
    side = match["side"]
    name = (side_names or {}).get(side, side.replace("_", " ").capitalize())
    value = float(match["value"].replace("_", ""))
    op = match["op"]
    if match["measure"] == "months_to_crisis" and op in ("<", "<="):
        within = "within" if op == "<=" else "in under"
        return f"A manpower crisis for {name} {within} {format_number(value)} months"
    if match["measure"] == "territory_change":
        if op in (">", ">="):
            more = "more than" if op == ">" else "at least"
            return f"{name} gaining {more} {format_number(value)} km²"
        less = "less than" if op == "<" else "at most"
        return f"{name}'s territory change {less} {format_number(value)} km²"
    return f"The outcome '{text}'"


def _with_unit(value: float, units: str) -> str:
    prefix, suffix = _UNIT_WORDS.get(units, ("", f" {units}"))
    return f"{prefix}{format_number(value)}{suffix}"


def restriction_words(label: str, units: str, lower: float | None, upper: float | None) -> str:
    """Say a restriction: "Russia contract recruitment is below 23,400 a month"."""
    if lower is not None and upper is not None:
        return (
            f"{label} is between {_with_unit(lower, units).strip()} and "
            f"{_with_unit(upper, units).strip()}"
        )
    if upper is not None:
        return f"{label} is below {_with_unit(upper, units).strip()}"
    if lower is not None:
        return f"{label} is above {_with_unit(lower, units).strip()}"
    return f"{label} is unrestricted"


def _percent(share: float) -> str:
    if share == 0:
        return "0%"
    if share < 0.001:
        return "under 0.1%"
    if share < 0.1:
        return f"{share:.1%}"
    return f"{share:.0%}"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summary_words(result: Mapping[str, Any]) -> str:
    """Return the plain-words summary of a discovery result (the dict ``discover`` returns)."""
    label = result.get("label") or result["outcome"]
    draws = int(result["draws"])
    text = [f"{label} holds in {_percent(result['base_rate'])} of {draws:,} draws."]
    boxes = result["boxes"]
    if not boxes:
        text.append(
            "No box concentrates it: no combination of parameter ranges found holds it "
            "markedly more often than the ensemble as a whole."
        )
        return " ".join(text)
    for number, box in enumerate(boxes):
        restrictions = _join([r["words"] for r in box["restrictions"]])
        coverage, density = box["coverage"], box["density"]
        held_out = density.get("held_out")
        lead = "Of them" if number == 0 else "Another"
        if number == 0:
            sentence = (
                f"{lead}, {_percent(coverage['found'])} lie in a box covering "
                f"{_percent(box['mass']['found'])} of the draws, where {restrictions}; "
                f"inside the box it has a probability of {_percent(density['found'])}"
            )
        else:
            sentence = (
                f"{lead} {_percent(coverage['found'])} lie where {restrictions} "
                f"({_percent(box['mass']['found'])} of the draws; probability inside "
                f"{_percent(density['found'])}"
            )
        if held_out is not None:
            sentence += f" ({_percent(held_out)} on held-out draws)"
        sentence += "." if number == 0 else ")."
        text.append(sentence)
    return " ".join(text)
