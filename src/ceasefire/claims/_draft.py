"""Draft a scenario overlay from an article's claims, every figure citing its sentence.

The overlay has the belief-overlay form (``overrides:`` mapping dotted paths of the default
scenario to parameters). Each parameter taken from the article carries an inline
``source:`` (the article's title, publisher, date and the sentence itself) and ``says:``
with the arithmetic that turned the sentence into the parameter. A range becomes a uniform
distribution; an exact number a fixed value; "about X" the band X ± 10%, a band that is an
assumption and is said to be one. Open bounds ("more than X") are not drafted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ceasefire._errors import InputError
from ceasefire.claims._extract import Claim

__all__ = ["DraftOverlay", "draft_overlay"]

_ABOUT_BAND = 0.10
_RATE_PATHS = {
    "sides.russia.channels.contract.recruitment.0.value",
    "sides.russia.channels.prisoners.recruitment.0.value",
    "sides.ukraine.channels.mobilised.recruitment.0.value",
    "combat.casualties.0.value",
}
_MEN_PATHS = {
    "sides.russia.channels.north_korea.initial_active",
    "sides.russia.channels.mobilised.initial_active",
}


@dataclass
class DraftOverlay:
    """A drafted overlay: its overrides (dotted path → parameter) and what was left out."""

    name: str
    description: str
    overrides: dict[str, dict[str, Any]]
    skipped: list[str] = field(default_factory=list)

    def to_yaml_data(self) -> dict[str, Any]:
        """Return the overlay as the mapping written to its YAML file."""
        return {"name": self.name, "description": self.description, "overrides": self.overrides}

    def override_strings(self) -> list[str]:
        """Return the overrides as ``path=value`` strings, as ``load_scenario`` takes them."""
        import json

        return [f"{path}={json.dumps(value)}" for path, value in self.overrides.items()]


def _span(low: float, high: float) -> str:
    return f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"


def _source(claim: Claim, title: str, publisher: str, date: dt.date) -> dict[str, str]:
    return {
        "title": title,
        "publisher": publisher,
        "date": date.isoformat(),
        "says": claim.sentence,
    }


def _value(claim: Claim, unit: str | None) -> tuple[dict[str, Any], str] | None:
    """Return the parameter a claim gives and how, or None for an open bound."""
    if claim.low is None or claim.high is None:
        return None
    low, high = claim.low, claim.high
    out: dict[str, Any] = {}
    if low < high:
        out = {"dist": "uniform", "low": low, "high": high}
        note = f"the range {low:,.0f} to {high:,.0f}"
    elif claim.qualifier == "about":
        out = {
            "dist": "uniform",
            "low": round(low * (1 - _ABOUT_BAND), 6),
            "high": round(low * (1 + _ABOUT_BAND), 6),
        }
        word = re.search(r"([\w-]+)\s+" + re.escape(claim.text), claim.sentence)
        said = f"{word.group(1)} {claim.text}" if word else claim.text
        note = f'"{said}"; the ±{_ABOUT_BAND:.0%} band around it is an assumption'

    else:
        out = {"value": low}
        note = f"{low:,.0f} as stated"
    if unit is not None:
        out["unit"] = unit
    return out, note


def _choose(claims: list[Claim]) -> Claim:
    """Pick the claim to draft from: the latest, then one without hedges, then the first."""
    return max(claims, key=lambda claim: (claim.date or "", not claim.hedge, -claim.sentence_index))


def draft_overlay(
    claims: Sequence[Claim],
    *,
    date: dt.date | None,
    title: str | None,
    publisher: str,
    name: str = "article-claims",
) -> DraftOverlay:
    """Draft an overlay of the default scenario from ``claims``.

    Raises :class:`InputError` when the article has no date (a source needs one).
    """
    if date is None:
        raise InputError(
            "the article has no date, and every drafted figure's source needs one: give --date",
            where="--scenario",
        )
    heading = title or "Article read by ceasefire claims"
    overrides: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    grouped: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.parameter is not None:
            grouped.setdefault(claim.parameter, []).append(claim)

    for side in ("russia", "ukraine"):
        path = f"sides.{side}.killed_fraction"
        fraction = _killed_fraction(grouped.pop(path, []), heading, publisher, date)
        if fraction is not None:
            overrides[path] = fraction

    for path, group in grouped.items():
        claim = _choose(group)
        if path in _RATE_PATHS:
            unit: str | None = claim.period if claim.period in ("per_day", "per_month") else None
            if unit is None:
                skipped.append(f"{path}: the rate is {claim.period}, not per day or per month")
                continue
        elif path in _MEN_PATHS:
            unit = "men"
        elif path == "front.initial":
            unit = "km2"
        elif path == "combat.exchange_ratio":
            unit = None
        else:
            skipped.append(f"{path}: not drafted ({claim.text!r}, {claim.unit})")
            continue
        drafted = _value(claim, unit)
        if drafted is None:
            skipped.append(f"{path}: {claim.text!r} is an open bound")
            continue
        value, note = drafted
        value["source"] = _source(claim, heading, publisher, date)
        value["says"] = f"{note} (claim read by ceasefire claims)"
        if claim.reference:
            # The figure is the reference's, not the article's: cite where it comes from.
            reference = claim.reference
            value["says"] += (
                f"; {reference['name']} = {reference['stated']} = {reference['value']:,.0f} "
                f"{reference['unit']}, from {reference['source']}"
            )
        overrides[path] = value
    description = (
        f"Figures taken from {heading!r} ({publisher}, {date.isoformat()}) by ceasefire "
        "claims; each cites its sentence."
    )
    return DraftOverlay(name, description, overrides, skipped)


def _killed_fraction(
    group: list[Claim], title: str, publisher: str, date: dt.date
) -> dict[str, Any] | None:
    """Return killed / (killed + wounded) from a killed and a wounded total of one side."""
    killed = [c for c in group if c.counts == "killed" and c.low is not None and c.high is not None]
    wounded = [
        c for c in group if c.counts == "wounded" and c.low is not None and c.high is not None
    ]
    if not killed or not wounded:
        return None
    k, w = _choose(killed), _choose(wounded)
    assert k.low is not None
    assert k.high is not None
    assert w.low is not None
    assert w.high is not None
    low = k.low / (k.low + w.high)
    high = k.high / (k.high + w.low)
    says = (
        f"killed {_span(k.low, k.high)} and wounded {_span(w.low, w.high)} give a killed "
        f"share of {k.low:,.0f} / ({k.low:,.0f} + {w.high:,.0f}) = {low:.3f} to "
        f"{k.high:,.0f} / ({k.high:,.0f} + {w.low:,.0f}) = {high:.3f}"
    )
    source = _source(k, title, publisher, date)
    if w.sentence != k.sentence:
        source["says"] = f"{k.sentence} … {w.sentence}"
    if high - low < 1e-9:
        return {"value": round(low, 6), "source": source, "says": says}
    return {
        "dist": "uniform",
        "low": round(low, 6),
        "high": round(high, 6),
        "source": source,
        "says": says,
    }
