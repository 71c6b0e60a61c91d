"""The summary as a table for the terminal."""

from __future__ import annotations

from typing import Any

from ceasefire.analysis._words import format_probability
from ceasefire.ensemble import MEASURES

__all__ = ["summary_question", "summary_rows"]


def summary_question(summary: dict[str, Any]) -> str:
    """Return the question the headline table answers, in one sentence."""
    return (
        f"Over the {summary['horizon_months']:g} months from {summary['start']}, does each "
        "side's active force stay above the minimum it needs to hold the line (a manpower "
        "crisis if not), and what does the war cost each side in men and ground?"
    )


def _band(entry: dict[str, Any] | None, fmt: Any) -> str:
    if entry is None:
        return "n/a"
    return f"{fmt(entry['p50'])} ({fmt(entry['p05'])} to {fmt(entry['p95'])})"


def _months(value: float | None, horizon: float) -> str:
    return f"beyond {horizon:g}" if value is None else f"{value:.1f}"


def summary_rows(summary: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the summary table (median, 5–95% in brackets)."""
    sides = summary["sides"]
    names = list(sides)
    horizon = summary["horizon_months"]
    rows: list[list[str]] = []

    def add(label: str, cell: Any) -> None:
        rows.append([label, *[cell(sides[name]) for name in names]])

    for measure in MEASURES.values():
        # A row for each measure with a label, where some side has it (or it is always there).
        if measure.label is None or (
            measure.needs_front and not any(measure.name in sides[n] for n in names)
        ):
            continue
        add(
            measure.label.format(horizon=horizon),
            lambda s, m=measure: _band(s.get(m.name), m.format),
        )
    marks = sorted({m for n in names for m in sides[n].get("p_crisis", {})}, key=lambda m: float(m))
    for mark in marks:

        def crisis(s: dict[str, Any], mark: str = mark) -> str:
            entry = s.get("p_crisis", {}).get(mark)
            if entry is None:
                return "n/a"
            return format_probability(entry["probability"])

        add(f"P(manpower crisis within {mark} months)", crisis)
    if marks:

        def months(s: dict[str, Any]) -> str:
            entry = s.get("months_to_crisis")
            if entry is None:
                return "n/a"
            if entry["p05"] is None:
                return f"beyond {horizon:g}"
            return (
                f"{_months(entry['p50'], horizon)} "
                f"({_months(entry['p05'], horizon)} to {_months(entry['p95'], horizon)})"
            )

        add("Months to crisis", months)
    return ["", *names], rows
