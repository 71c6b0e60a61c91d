"""Russia's regions, resolved from the names English reporting gives them.

``data/regions.csv`` holds the 85 regions with their ISO 3166-2 codes (without ``RU-``),
copied from ``shared/data/ukraine/regions/regNames.csv`` (provenance in the file's header),
with the spellings English reporting uses added as aliases (Yakutia for Sakha).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["Region", "find_regions", "names_pattern", "regions"]


@dataclass(frozen=True)
class Region:
    """One of Russia's regions: its English name and ISO 3166-2 code (without ``RU-``)."""

    name: str
    iso: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ceasefire.claims").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def names_pattern(names: list[str]) -> str:
    """Return an alternation of ``names``, longest first, spaces matching any blank."""
    ordered = sorted({name for name in names if name}, key=len, reverse=True)
    return "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in ordered)


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
def _regions_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{names_pattern(list(regions()))})\b", re.IGNORECASE)


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
