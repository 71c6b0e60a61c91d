"""The report's forecast section: how the fans widen, the territory path, crisis causes.

A section function like those of :mod:`ceasefire.report._sections`. :func:`forecast_section`
returns one that also draws the observed territory path (a DeepState series) up to the
cutoff when it is given; :func:`forecast` is the plain one in the default sections.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ceasefire.report import _html as h
from ceasefire.report import _reduce as reduce
from ceasefire.report._sections import ReportInputs, Section

__all__ = ["forecast", "forecast_section"]

_MARKS = (1, 6, 12, 24, 36)


def _widths(inputs: ReportInputs) -> str:
    ds = inputs.ensemble
    rows = []
    marks = [m for m in _MARKS if m < ds.sizes["time"]]
    for side in inputs.sides:
        bands = reduce.monthly_flow(ds, side, ("killed", "wounded_total"))
        width = bands.at(0.95) - bands.at(0.05)
        median = bands.at(0.5)
        rows.append(
            [inputs.side_name(side)]
            + [
                f"{width[m - 1]:,.0f} ({width[m - 1] / max(median[m - 1], 1e-9):.0%})"
                for m in marks
            ]
        )
    return h.table(
        ["casualties per month: 5–95% width", *(f"month {m}" for m in marks)],
        rows,
        "Width of the 90% band of monthly casualties (and as a share of the median) by month. "
        "With a stochastic schedule (a random walk or AR(1) on a rate) the band widens with the "
        "horizon; with constant rates per draw it does not. Source: the model.",
    )


def _territory(inputs: ReportInputs, observed: Any) -> str:
    ds = inputs.ensemble
    if "front" not in ds:
        return '<p class="missing">Not available: the scenario has no front.</p>'
    bands = reduce.front_bands(ds)
    marks = [0, *(m for m in _MARKS if m < len(bands.months))]
    rows = [
        [
            f"month {m}",
            f"{bands.at(0.5)[m]:,.0f}",
            f"{bands.at(0.05)[m]:,.0f} – {bands.at(0.95)[m]:,.0f}",
            f"{bands.at(0.5)[m] - bands.at(0.5)[0]:+,.0f}",
        ]
        for m in marks
    ]
    text = h.table(
        ["month", "median area held (km²)", "5–95%", "median change since the start"],
        rows,
        "The area held by the front's holder. Source: the model.",
    )
    cutoff = None if inputs.scenario is None else inputs.scenario.information_cutoff
    if observed is not None and cutoff is not None:
        observed = observed.until(cutoff)  # never show what was not known at the cutoff
    if observed is not None and len(observed) > 1:
        seen = [
            [str(end)[:7], f"{value:,.0f}"]
            for end, value in zip(observed.ends[-6:], observed.values[-6:], strict=True)
        ]
        change = observed.values[-1] - observed.values[max(len(observed) - 4, 0)]
        direction = "gaining" if change > 0 else "losing"
        months = min(3, len(observed) - 1)
        forward = bands.at(0.5)[min(3, len(bands.months) - 1)] - bands.at(0.5)[0]
        text += h.table(
            ["month end", "observed area (km²)"],
            seen,
            f"Observed up to the cutoff ({observed.source}): the holder was {direction} "
            f"{abs(change):,.0f} km² over the last {months} months; the model's median moves "
            f"{forward:+,.0f} km² over its first 3 months.",
        )
    return text


def _causes(inputs: ReportInputs) -> str:
    from ceasefire.analysis import CAUSES, crisis_causes

    ds = inputs.ensemble
    if "months_to_crisis" not in ds or not str(ds.attrs.get("sides_with_minimum", "")):
        return '<p class="missing">Not available: no side has a required minimum force.</p>'
    result = crisis_causes(ds, inputs.scenario)
    rows = []
    for side in str(ds.attrs["sides_with_minimum"]).split(","):
        if side not in result:
            continue
        entry = result[side]
        total = max(entry["crises"], 1)
        rows.append(
            [
                inputs.side_name(side),
                f"{entry['crises']:,} of {entry['draws']:,}",
                f"{entry['at_start']:,}",
                *(f"{entry['causes'][c]:,} ({entry['causes'][c] / total:.0%})" for c in CAUSES),
            ]
        )
    return h.table(
        ["side", "draws in crisis", "at month 0", *CAUSES],
        rows,
        "Why each crisis happened, read from the counters at the crisis month: the pool ran "
        "dry if recruitment from it had fallen to half or less; desertion if the deserters "
        "alone exceed the force's net fall; otherwise losses outran recruits. Source: the model.",
    )


def forecast_section(observed_territory: Any = None) -> Callable[[ReportInputs], Section]:
    """Return the forecast section, with the observed territory path when it is given."""

    def section(inputs: ReportInputs) -> Section:
        if not reduce.has_trajectories(inputs.ensemble):
            return Section(
                "forecast",
                "How the forecast spreads",
                '<p class="missing">Not available: no trajectories in the ensemble.</p>',
                False,
            )
        body = (
            _widths(inputs)
            + _territory(inputs, observed_territory)
            + _causes(inputs)
            + f'<p class="note">{np.asarray(inputs.ensemble["draw"]).size:,} draws.</p>'
        )
        return Section("forecast", "How the forecast spreads", body)

    return section


forecast = forecast_section()
"""The forecast section without observed data (in the default sections)."""
