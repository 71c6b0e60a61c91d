"""Reference values that articles compare with: "roughly the size of Virginia".

``data/references.csv`` holds areas and populations, each with its source: the 50 US states
(US Census Bureau 2010 total areas), a few countries (CIA World Factbook) and two
populations (US Census 2010). An area in square miles is converted at 1 sq mi =
2.589988110336 km² (the international mile, 1,609.344 m, squared). ``--references FILE``
adds a user's rows in the same columns (``name, aliases, quantity, value, unit, source``);
they win over the shipped ones of the same name.

A comparison with a reference becomes a number: "roughly the size of Virginia" is about
42,775 sq mi × 2.589988 = 110,787 km²; "twice the size of Belgium" is 2 × 30,528 km²;
"larger than Maryland" is more than 32,131 km².
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ceasefire._errors import InputError
from ceasefire.claims._numbers import NumberMention
from ceasefire.claims._regions import names_pattern

__all__ = [
    "SQ_MILE_KM2",
    "Reference",
    "ReferenceTable",
    "default_references",
    "load_references",
    "lookup",
    "reference_mentions",
    "references",
]

SQ_MILE_KM2 = 2.589988110336
_COLUMNS = ("name", "quantity", "value", "unit", "source")
_UNITS = {"area": ("km2", "sq_mi"), "population": ("people",)}


@dataclass(frozen=True)
class Reference:
    """A reference value: ``value`` in ``unit`` (km2 or people), as ``stated`` by ``source``."""

    name: str
    quantity: str
    value: float
    unit: str
    stated: str
    source: str


def _row(values: dict[str, str], where: str) -> tuple[Reference, list[str]]:
    """Return the reference of one CSV row and its names, or raise naming the bad field."""
    name = values.get("name", "").strip()
    if not name:
        raise InputError("expected the name of the reference", where=where, field="name")
    quantity = values.get("quantity", "").strip()
    if quantity not in _UNITS:
        raise InputError(
            f"expected area or population, got {quantity!r}", where=where, field="quantity"
        )
    text = values.get("value", "").strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise InputError(f"expected a positive number, got {text!r}", where=where, field="value")
    unit = values.get("unit", "").strip()
    if unit not in _UNITS[quantity]:
        expected = " or ".join(_UNITS[quantity])
        raise InputError(
            f"expected {expected} for a{'n' if quantity == 'area' else ''} {quantity}, "
            f"got {unit!r}",
            where=where,
            field="unit",
        )
    source = values.get("source", "").strip()
    if not source:
        raise InputError("expected the source of the value", where=where, field="source")
    stated = f"{value:,.0f} {unit.replace('_', ' ')}"
    if unit == "sq_mi":
        value, unit = round(value * SQ_MILE_KM2), "km2"
    reference = Reference(name, quantity, value, unit, stated, source)
    aliases = [alias.strip() for alias in values.get("aliases", "").split("|") if alias.strip()]
    # "Georgia (U.S. state)" is listed under its aliases only: bare "Georgia" may be the country.
    names = aliases if name.endswith("(U.S. state)") else [name, *aliases]
    return reference, names


def _parse(text: str, where: str) -> dict[str, Reference]:
    """Parse a references CSV (``#`` lines are comments); keys are ``quantity:name``."""
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]
    reader = csv.reader(lines)
    header: list[str] | None = None
    table: dict[str, Reference] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            missing = [column for column in _COLUMNS if column not in header]
            if missing:
                raise InputError(
                    f"expected the columns {', '.join(_COLUMNS)} (and aliases); "
                    f"missing: {', '.join(missing)}",
                    where=f"{where}:{reader.line_num}",
                )
            continue
        values = dict(zip(header, cells, strict=False))
        reference, names = _row(values, f"{where}:{reader.line_num}")
        for name in names:
            table[f"{reference.quantity}:{name.lower()}"] = reference
    if not table:
        raise InputError("no references: expected a header and at least one row", where=where)
    return table


class ReferenceTable:
    """Reference values keyed by quantity and lower-cased name, with their compiled patterns."""

    def __init__(self, entries: dict[str, Reference]) -> None:
        self.entries = entries
        self._patterns: list[tuple[str, re.Pattern[str]]] | None = None

    def lookup(self, name: str, quantity: str) -> Reference | None:
        """Return the reference named ``name`` (or an alias) for ``quantity``."""
        key = " ".join(name.lower().split())
        return self.entries.get(f"{quantity}:{key}")

    def patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """Return the comparison patterns, ``(quantity, pattern)``, compiled once."""
        if self._patterns is None:
            self._patterns = _compile([key.split(":", 1)[1] for key in self.entries])
        return self._patterns


@functools.cache
def default_references() -> ReferenceTable:
    """Return the shipped table of ``data/references.csv``."""
    text = resources.files("ceasefire.claims").joinpath("data", "references.csv")
    return ReferenceTable(_parse(text.read_text(encoding="utf-8"), "references.csv"))


def references() -> dict[str, Reference]:
    """Return the shipped references, keyed by ``quantity:name`` for every name and alias."""
    return default_references().entries


def lookup(name: str, quantity: str) -> Reference | None:
    """Return the shipped reference named ``name`` (or an alias) for ``quantity``."""
    return default_references().lookup(name, quantity)


def load_references(path: Path) -> ReferenceTable:
    """Return the shipped table with the rows of the CSV file ``path`` added (they win)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", where=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", where=str(path)) from None
    return ReferenceTable({**default_references().entries, **_parse(text, str(path))})


def _compile(names: list[str]) -> list[tuple[str, re.Pattern[str]]]:
    name = rf"(?:the\s+)?(?P<name>{names_pattern(names)})\b"
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


def reference_mentions(sentence: str, table: ReferenceTable | None = None) -> list[NumberMention]:
    """Return the comparisons of ``sentence`` with a reference value, as numbers.

    "roughly the size of X" gives X's area with the qualifier "about"; "twice the size of X"
    twice it; "larger than X" a lower bound, "smaller than X" an upper bound; "the
    population of X" and "as many people as live in X" X's population.
    """
    if not _TRIGGER.search(sentence):
        return []
    table = table or default_references()
    found: list[NumberMention] = []
    for quantity, pattern in table.patterns():
        for match in pattern.finditer(sentence):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            reference = table.lookup(match.group("name"), quantity)
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
            found.append(
                NumberMention(
                    *match.span(),
                    match.group(0),
                    low,
                    high,
                    "area" if quantity == "area" else "count",
                    reference.unit,
                    qualifier,
                    reference=" ".join(match.group("name").split()),
                )
            )
    return found
