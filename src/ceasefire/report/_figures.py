"""The report's figures, each a function from reduced data to an inline SVG string.

Every figure has a title, axis labels with units, and a text description for screen
readers; the caption that goes under it is written by the section that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ceasefire.analysis import probability_axis_top
from ceasefire.report._reduce import Bands
from ceasefire.report._style import (
    LINESTYLES,
    legend_below,
    new_figure,
    side_colour,
    thousands,
    to_svg,
)

__all__ = [
    "crisis_figure",
    "deal_window_figure",
    "delay_figure",
    "fan_figure",
    "flows_figure",
    "front_figure",
    "tornado_figure",
]


def _fan(axes: Any, bands: Bands, colour: str, label: str, style: str = "-") -> None:
    months = bands.months
    axes.fill_between(months, bands.at(0.05), bands.at(0.95), color=colour, alpha=0.15, linewidth=0)
    axes.fill_between(months, bands.at(0.25), bands.at(0.75), color=colour, alpha=0.3, linewidth=0)
    axes.plot(months, bands.at(0.5), color=colour, linestyle=style, label=label)


def fan_figure(
    bands: Mapping[str, Bands],
    names: Mapping[str, str],
    minimum: Mapping[str, float | None],
) -> str:
    """Fan charts of active force per side (median, 25–75% and 5–95% bands)."""
    figure, axes = new_figure(7.0, 3.6)
    for index, (side, band) in enumerate(bands.items()):
        colour = side_colour(index)
        _fan(axes, band, colour, f"{names[side]}: median", LINESTYLES[index % 4])
        floor = minimum.get(side)
        if floor is not None:
            axes.axhline(floor, color=colour, linestyle=":", linewidth=1.2)
            axes.annotate(
                f"{names[side]} required minimum (median)",
                (band.months[0], floor),
                xytext=(2, 3),
                textcoords="offset points",
                fontsize=8,
                color=colour,
            )
    axes.set_title("Active force per side")
    axes.set_xlabel("months from the start")
    axes.set_ylabel("deployed personnel (men)")
    axes.yaxis.set_major_formatter(thousands)
    legend_below(axes)
    medians = ", ".join(
        f"{names[s]} from {b.at(0.5)[0]:,.0f} to {b.at(0.5)[-1]:,.0f}" for s, b in bands.items()
    )
    return to_svg(
        figure,
        title="Active force per side",
        description=f"Median active force {medians} men, with 25–75% and 5–95% bands.",
    )


def flows_figure(
    casualties: Mapping[str, Bands], recruits: Mapping[str, Bands], names: Mapping[str, str]
) -> str:
    """Casualties per month against recruits per month, one panel per side."""
    figure, panels = new_figure(7.5, 3.4, panels=len(casualties))
    panels = list(np.atleast_1d(panels))
    # One scale for every panel, from zero: sides are compared by eye across panels.
    top = max(
        float(np.nanmax(bands.at(0.95)))
        for group in (casualties, recruits)
        for bands in group.values()
    )
    parts = []
    for axes, side in zip(panels, casualties, strict=True):
        _fan(axes, casualties[side], side_colour(1), "casualties (killed + wounded)")
        _fan(axes, recruits[side], side_colour(2), "recruits", "--")
        axes.set_title(names[side])
        axes.set_xlabel("months from the start")
        axes.set_ylabel("men per month (shared scale from 0)")
        axes.set_ylim(0.0, top * 1.05)
        axes.yaxis.set_major_formatter(thousands)
        parts.append(
            f"{names[side]}: median {np.median(casualties[side].at(0.5)):,.0f} casualties and "
            f"{np.median(recruits[side].at(0.5)):,.0f} recruits a month"
        )
    legend_below(panels[0])
    figure.suptitle("Casualties per month against recruits per month", fontweight="bold")
    return to_svg(
        figure,
        title="Casualties per month against recruits per month",
        description="; ".join(parts) + " (medians over months of the median draw).",
    )


def crisis_figure(
    series: Mapping[str, tuple[np.ndarray, np.ndarray]], names: Mapping[str, str]
) -> str:
    """P(manpower crisis) by month, one line per side."""
    figure, axes = new_figure(7.0, 3.2)
    for index, (side, (months, probability)) in enumerate(series.items()):
        axes.step(
            months,
            probability,
            where="post",
            color=side_colour(index),
            linestyle=LINESTYLES[index % 4],
            label=names[side],
        )
    peak = max((float(np.max(p)) for _, p in series.values()), default=0.0)
    top = probability_axis_top(peak)
    axes.set_ylim(0.0, top * 1.02)
    axes.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}" if top >= 0.05 else f"{v:.1%}")
    axes.set_title("Probability of a manpower crisis by month")
    axes.set_xlabel("months from the start")
    axes.set_ylabel(
        "share of draws in crisis"
        if top >= 1.0
        else f"share of draws in crisis\n(axis 0–{top:.0%}, scaled to the data)"
    )
    legend_below(axes)
    ends = ", ".join(f"{names[s]} {p[-1]:.1%}" for s, (_, p) in series.items())
    return to_svg(
        figure,
        title="Probability of a manpower crisis by month",
        description=f"Cumulative probability that the active force has fallen below the "
        f"required minimum; at the horizon: {ends}.",
    )


def front_figure(bands: Bands, holder: str, contested: float | None) -> str:
    """Fan chart of the area held by the front's holder (km²)."""
    figure, axes = new_figure(7.0, 3.2)
    _fan(axes, bands, side_colour(0), f"area held by {holder}: median")
    axes.set_title(f"Territory held by {holder}")
    axes.set_xlabel("months from the start")
    axes.set_ylabel("area held (km²)")
    axes.yaxis.set_major_formatter(thousands)
    legend_below(axes)
    share = (
        f" ({bands.at(0.5)[-1] / contested:.1%} of the contested {contested:,.0f} km²)"
        if contested
        else ""
    )
    return to_svg(
        figure,
        title=f"Territory held by {holder}",
        description=f"Median area held by {holder} goes from {bands.at(0.5)[0]:,.0f} to "
        f"{bands.at(0.5)[-1]:,.0f} km²{share}, with 25–75% and 5–95% bands.",
    )


def deal_window_figure(
    months: Sequence[float], p_open: Sequence[float], deal: Mapping[str, Sequence[float]]
) -> str:
    """P(a deal both sides prefer exists) by decision month, and a proposed deal's support."""
    figure, axes = new_figure(7.0, 3.4)
    axes.plot(months, p_open, color=side_colour(2), label="a deal both prefer exists")
    for index, (label, series) in enumerate(deal.items()):
        axes.plot(
            months,
            series,
            color=side_colour(index + 3),
            linestyle=LINESTYLES[(index + 1) % 4],
            label=label,
        )
    axes.set_ylim(-0.02, 1.02)
    axes.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes.set_title("The deal window by decision month")
    axes.set_xlabel("decision month")
    axes.set_ylabel("share of draws")
    legend_below(axes, ncol=1)
    return to_svg(
        figure,
        title="The deal window by decision month",
        description=f"Probability that a deal both sides prefer to fighting on exists: "
        f"{p_open[0]:.0%} at month {months[0]:g}, {p_open[-1]:.0%} at month {months[-1]:g}.",
    )


def delay_figure(months: Sequence[float], by_side: Mapping[str, Sequence[float]]) -> str:
    """Each side's median cost of one more month of fighting, by month."""
    figure, axes = new_figure(7.0, 3.2)
    for index, (name, series) in enumerate(by_side.items()):
        axes.plot(
            months[: len(series)],
            series,
            color=side_colour(index),
            linestyle=LINESTYLES[index % 4],
            label=name,
        )
    peak = max((float(np.max(series)) for series in by_side.values() if len(series)), default=0.0)
    axes.set_ylim(0.0, peak * 1.1 if peak > 0 else 1.0)
    axes.set_title("Cost of delay: what one more month of fighting costs each side")
    axes.set_xlabel("month")
    axes.set_ylabel("utility per month (median; axis from 0)")
    legend_below(axes)
    return to_svg(
        figure,
        title="Cost of delay by month",
        description="Median cost of one more month of fighting for "
        + ", ".join(f"{n} (average {np.mean(s):.4f})" for n, s in by_side.items())
        + ", in utility per month where 1 is everything on the table.",
    )


def tornado_figure(factors: Sequence[Mapping[str, Any]], measure: str, index_name: str) -> str:
    """Horizontal bars of the top drivers of ``measure``, largest on top."""
    shown = list(factors)[::-1]
    figure, axes = new_figure(7.0, 0.6 + 0.38 * max(len(shown), 2))
    values = [float(f["index"]) for f in shown]
    labels = [str(f.get("label") or f["name"]) for f in shown]
    positions = np.arange(len(shown))
    axes.barh(positions, values, color=side_colour(0))
    if all("low" in f and "high" in f for f in shown):
        lows = [float(f["index"]) - float(f["low"]) for f in shown]
        highs = [float(f["high"]) - float(f["index"]) for f in shown]
        axes.errorbar(
            values, positions, xerr=[lows, highs], fmt="none", ecolor="#000000", capsize=3
        )
    axes.set_yticks(positions, labels, fontsize=8)
    axes.grid(axis="y", visible=False)
    axes.set_title(f"What drives {measure}")
    axes.set_xlabel(index_name)
    return to_svg(
        figure,
        title=f"What drives {measure}",
        description=f"{index_name} of the top drivers: "
        + ", ".join(
            f"{label} {value:.2f}" for label, value in zip(labels[::-1], values[::-1], strict=True)
        ),
    )
