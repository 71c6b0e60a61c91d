"""What every report section shares: its inputs, the section record, and HTML helpers.

Numbers go through :mod:`ceasefire.analysis._format` (units in words, a precision that keeps
differences visible) and probabilities through
:func:`ceasefire.analysis.format_probability`, as in the terminal tables and the dashboard.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ceasefire.analysis import Band, Summary, format_values, unit_words

if TYPE_CHECKING:
    import xarray as xr

    from ceasefire.scenario import Scenario

__all__ = [
    "NO_SCENARIO",
    "ReportInputs",
    "Section",
    "band",
    "cell",
    "escape",
    "figure",
    "format_row",
    "missing",
    "table",
]


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report may show; only the ensemble is required.

    ``window`` is the result of :func:`ceasefire.bargaining.deal_window`; ``sensitivity``,
    ``claims`` and ``calibration`` are the JSON-ready results of those analyses (shapes in
    the README of the report).
    """

    ensemble: xr.Dataset
    summary: Summary
    scenario: Scenario | None = None
    window: Mapping[str, Any] | None = None
    window_note: str = "the deal window was not computed (pass the scenario and --window-draws)"
    sensitivity: Mapping[str, Any] | None = None
    claims: Mapping[str, Any] | None = None
    calibration: Mapping[str, Any] | None = None
    discovery: Mapping[str, Any] | None = None
    extra_notes: Sequence[str] = field(default_factory=tuple)

    def side_name(self, side: str) -> str:
        """Return the side's name in words (from the scenario when known)."""
        if self.scenario is not None and side in self.scenario.sides:
            return self.scenario.sides[side].name
        return side.replace("_", " ").capitalize()

    @property
    def sides(self) -> list[str]:
        """The side ids, in the ensemble's order."""
        return [str(s) for s in self.ensemble["side"].values]


@dataclass(frozen=True)
class Section:
    """One section of the report: an anchor, a heading, and its HTML body."""

    anchor: str
    title: str
    body: str
    available: bool = True


def escape(text: Any) -> str:
    """Return ``text`` escaped for HTML."""
    return html.escape(str(text))


NO_SCENARIO = "the scenario that made this ensemble was not given or not found (pass --scenario)"
"""Why a section that needs the scenario is missing."""


def missing(anchor: str, title: str, why: str) -> Section:
    """Return a section that says what is missing and why."""
    return Section(anchor, title, f'<p class="missing">Not available: {escape(why)}.</p>', False)


def figure(svg: str, caption: str) -> str:
    """Return an SVG figure with its caption."""
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    """Return an HTML table; every cell is escaped."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def band(entry: Band | Mapping[str, Any] | None, unit: str | None = None) -> str:
    """Return ``median unit (p05 to p95)`` at one precision that keeps the three apart."""
    if isinstance(entry, Mapping):
        entry = Band.from_json(entry) if entry else None
    if entry is None or entry.p50 is None:
        return "–"
    p50, p05, p95 = format_values([entry.p50, entry.p05, entry.p95])
    words = unit_words(unit)
    return f"{p50}{' ' + words if words else ''} ({p05} to {p95})"


def format_row(values: Sequence[float | None]) -> list[str]:
    """Format numbers shown side by side at one precision that keeps them apart."""
    return format_values(list(values))


def cell(value: Any) -> str:
    """Return a table cell: numbers at three significant digits, nothing raw (None, _)."""
    if value is None:
        return "–"
    if isinstance(value, list | tuple):
        return (
            " to ".join(format_values(list(value)))
            if all(isinstance(v, int | float) for v in value)
            else " to ".join(cell(v) for v in value)
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return format_values([float(value)])[0]
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {cell(v)}" for k, v in value.items())
    return str(value)
