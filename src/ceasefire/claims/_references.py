"""Reference values and Russia's regions: the tables an article's words are resolved against.

``data/references.csv`` holds the areas and populations that writers compare with ("roughly
the size of the U.S. state of Virginia"), each with its source; an area in square miles is
converted at 1 sq mi = 2.589988110336 km² (the international mile, 1,609.344 m, squared).
``data/regions.csv`` holds Russia's 85 regions with their ISO 3166-2 codes, copied from
``shared/data/ukraine/regions/regNames.csv`` (provenance in the file's header) with the
spellings English reporting uses added as aliases.

A comparison with a reference becomes a number: "roughly the size of Virginia" is about
42,775 sq mi × 2.589988 = 110,787 km²; "twice the size of Belgium" is 2 × 30,528 km²;
"larger than Maryland" is more than 32,131 km².
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

from ceasefire.claims._numbers import NumberMention

__all__ = ["Reference", "Region", "find_regions", "reference_mentions", "references", "regions"]

SQ_MILE_KM2 = 2.589988110336


@dataclass(frozen=True)
class Reference:
    """A reference value: ``value`` in ``unit`` (km2 or people), as ``stated`` by ``source``."""

    name: str
    quantity: str
    value: float
    unit: str
    stated: str
    source: str


@dataclass(frozen=True)
class Region:
    """One of Russia's regions: its English name and ISO 3166-2 code (without ``RU-``)."""

    name: str
    iso: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ceasefire.claims").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _names_pattern(names: list[str]) -> str:
    ordered = sorted({name for name in names if name}, key=len, reverse=True)
    return "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in ordered)


@functools.cache
def references() -> dict[str, Reference]:
    """Return the reference table, keyed by every lower-cased name and alias."""
    table: dict[str, Reference] = {}
    for row in _rows("references.csv"):
        value = float(row["value"])
        unit = row["unit"]
        stated = f"{value:,.0f} {unit.replace('_', ' ')}"
        if unit == "sq_mi":
            value, unit = round(value * SQ_MILE_KM2), "km2"
        reference = Reference(row["name"], row["quantity"], value, unit, stated, row["source"])
        for name in [row["name"], *row["aliases"].split("|")]:
            if name and not name.endswith("(U.S. state)"):
                table.setdefault(f"{row['quantity']}:{name.lower()}", reference)
    return table


@functools.cache
def regions() -> dict[str, Region]:
    """Return Russia's regions, keyed by every lower-cased name and alias."""
    table: dict[str, Region] = {}
    for row in _rows("regions.csv"):
        region = Region(row["name"], row["iso"])
        for name in [row["name"], *row["aliases"].split("|")]:
            if name:
                table[name.lower()] = region
    return table


@functools.cache
def _comparison_patterns() -> list[tuple[str, re.Pattern[str]]]:
    names = [key.split(":", 1)[1] for key in references()]
    name = rf"(?:the\s+)?(?P<name>{_names_pattern(names)})\b"
    approx = r"(?P<approx>roughly|about|around|approximately|nearly|almost|some|close\s+to)"
    multiple = (
        r"(?P<mult>twice|half|a\s+third\s+of|a\s+quarter\s+of|(?:two|three|four|five|ten|"
        r"\d+(?:\.\d+)?)\s+times)"
    )
    texts = [
        ("area", rf"(?:{approx}\s+)?(?:{multiple}\s+)?(?:the\s+)?(?:size|area)\s+of\s+{name}"),
        ("area", rf"(?:{multiple}\s+)?as\s+(?:large|big)\s+as\s+{name}"),
        ("area", rf"(?P<cmp>larger|bigger|smaller)\s+than\s+{name}"),
        ("population", rf"(?:{approx}\s+)?(?:{multiple}\s+)?(?:the\s+)?population\s+of\s+{name}"),
        (
            "population",
            rf"(?:{multiple}\s+)?as\s+many\s+(?:people|inhabitants|residents)\s+as\s+"
            rf"(?:live\s+in\s+)?{name}",
        ),
    ]
    return [(quantity, re.compile(text, re.IGNORECASE)) for quantity, text in texts]


_TRIGGER = re.compile(
    r"\b(?:size|area|population)\s+of\b|\b(?:larger|bigger|smaller)\s+than\b|"
    r"\bas\s+(?:large|big|many)\s+(?:as|people|inhabitants|residents)\b",
    re.IGNORECASE,
)
_MULTIPLES = {"twice": 2.0, "half": 0.5, "a third of": 1 / 3, "a quarter of": 0.25}
_WORD_MULTIPLES = {"two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "ten": 10.0}


def _multiple(text: str | None) -> float:
    if not text:
        return 1.0
    text = re.sub(r"\s+", " ", text.lower())
    if text in _MULTIPLES:
        return _MULTIPLES[text]
    number = text.split()[0]
    return _WORD_MULTIPLES.get(number) or float(number)


def reference_mentions(sentence: str) -> list[NumberMention]:
    """Return the comparisons of ``sentence`` with a reference value, as numbers.

    "roughly the size of X" gives X's area with the qualifier "about"; "twice the size of X"
    twice it; "larger than X" a lower bound, "smaller than X" an upper bound; "the
    population of X" and "as many people as live in X" X's population.
    """
    if not _TRIGGER.search(sentence):
        return []
    found: list[NumberMention] = []
    for quantity, pattern in _comparison_patterns():
        for match in pattern.finditer(sentence):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            key = re.sub(r"\s+", " ", match.group("name").lower())
            reference = references().get(f"{quantity}:{key}")
            if reference is None:
                continue
            groups = match.groupdict()
            value = reference.value * _multiple(groups.get("mult"))
            low: float | None = value
            high: float | None = value
            qualifier = "about" if groups.get("approx") else None
            comparison = groups.get("cmp")
            if comparison:
                low, high = (None, value) if comparison.lower() == "smaller" else (value, None)
                qualifier = "up to" if low is None else "more than"
            kind = "area" if quantity == "area" else "count"
            unit = "km2" if quantity == "area" else "people"
            found.append(
                NumberMention(
                    *match.span(),
                    match.group(0),
                    low,
                    high,
                    kind,
                    unit,
                    qualifier,
                    reference=reference.name,
                )
            )
    return found


def lookup(name: str, quantity: str) -> Reference | None:
    """Return the reference named ``name`` (or an alias) for ``quantity``."""
    return references().get(f"{quantity}:{name.lower()}")


@functools.cache
def _regions_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_names_pattern(list(regions()))})\b", re.IGNORECASE)


def find_regions(sentence: str) -> list[Region]:
    """Return the Russian regions ``sentence`` names, in order, each once."""
    found: list[Region] = []
    for match in _regions_pattern().finditer(sentence):
        if not match.group(0)[0].isupper():
            continue  # "perm" or "komi" in lower case is not the region
        region = regions()[re.sub(r"\s+", " ", match.group(0).lower())]
        if region not in found:
            found.append(region)
    return found
