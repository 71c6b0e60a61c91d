"""The summary as a table for the terminal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ceasefire.analysis._summary_types import Band, SideSummary, Summary
from ceasefire.analysis._words import format_probability
from ceasefire.ensemble import MEASURES, Measure

__all__ = ["format_band", "summary_question", "summary_rows"]


def summary_question(summary: Summary | Mapping[str, Any]) -> str:
    """Return the question the headline table answers, in one sentence."""
    typed = Summary.of(summary)
    return (
        f"Over the {typed.horizon_months:g} months from {typed.start}, does each "
        "side's active force stay above the minimum it needs to hold the line (a manpower "
        "crisis if not), and what does the war cost each side in men and ground?"
    )


def format_band(band: Band | None, fmt: Callable[[float | None], str]) -> str:
    """Write a band as the table does: ``median (5% to 95%)``, each value by ``fmt``."""
    if band is None:
        return "n/a"
    return f"{fmt(band.p50)} ({fmt(band.p05)} to {fmt(band.p95)})"


def _months(value: float | None, horizon: float) -> str:
    return f"beyond {horizon:g}" if value is None else f"{value:.1f}"


def summary_rows(summary: Summary | Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the summary table (median, 5–95% in brackets)."""
    typed = Summary.of(summary)
    sides = typed.sides
    names = list(sides)
    horizon = typed.horizon_months
    rows: list[list[str]] = []

    def add(label: str, cell: Callable[[SideSummary], str]) -> None:
        rows.append([label, *[cell(sides[name]) for name in names]])

    for measure in MEASURES.values():
        # A row for each measure with a label, where some side has it (or it is always there:
        # computed from every chunk, not only with a front or, like money, after the run).
        always = measure.from_chunks and not measure.needs_front
        if measure.label is None or (
            not always and not any(measure.name in sides[n].bands for n in names)
        ):
            continue

        def cell(s: SideSummary, m: Measure = measure) -> str:
            return format_band(s.bands.get(m.name), m.format)

        add(measure.label.format(horizon=horizon), cell)
    marks = sorted({m for n in names for m in sides[n].p_crisis or {}})
    for mark in marks:

        def crisis(s: SideSummary, mark: int = mark) -> str:
            entry = (s.p_crisis or {}).get(mark)
            return "n/a" if entry is None else format_probability(entry.probability)

        add(f"P(manpower crisis within {mark} months)", crisis)
    if marks:

        def months(s: SideSummary) -> str:
            band = s.months_to_crisis
            if band is None:
                return "n/a"
            if band.p05 is None:
                return f"beyond {horizon:g}"
            return (
                f"{_months(band.p50, horizon)} "
                f"({_months(band.p05, horizon)} to {_months(band.p95, horizon)})"
            )

        add("Months to crisis", months)
    return ["", *names], rows
