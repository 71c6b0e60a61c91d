"""The report's scenario-discovery section: where an outcome holds, in words and figures.

It reads the JSON of ``ceasefire discover`` (``discovery.json`` beside the ensemble): the
plain-words summary first, then the boxes with their restrictions, bootstrap intervals and
quasi-p-values, the coverage–density trade-off of the first box's peeling, and that box
drawn on its two most restrictive parameters over a sample of held-out draws.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ceasefire.report._style import new_figure, side_colour, to_svg

if TYPE_CHECKING:
    from ceasefire.report._html import ReportInputs, Section

__all__ = ["box_figure", "discovery", "tradeoff_figure"]

_ANCHOR = "discovery"
_TITLE = "Where the outcome holds (scenario discovery)"


def tradeoff_figure(trajectory: Mapping[str, Any], label: str) -> str:
    """Plot coverage against density along the peeling trajectory; the chosen box marked."""
    coverage = [float(v) for v in trajectory["coverage"]]
    density = [float(v) for v in trajectory["density"]]
    restricted = [int(v) for v in trajectory["restricted"]]
    chosen = int(trajectory["chosen"])
    figure, axes = new_figure(6.0, 3.6)
    points = axes.scatter(
        coverage, density, c=restricted, cmap="viridis", s=14, zorder=2, label="peeled boxes"
    )
    axes.plot(coverage, density, color="#999999", linewidth=0.8, zorder=1)
    axes.scatter(
        [coverage[chosen]],
        [density[chosen]],
        s=120,
        facecolors="none",
        edgecolors="#000000",
        linewidths=1.5,
        zorder=3,
        label="chosen box (before pasting)",
    )
    colourbar = figure.colorbar(points, ax=axes)
    colourbar.set_label("restricted parameters")
    axes.set_xlabel("coverage (share of the draws where it holds that lie in the box)")
    axes.set_ylabel("density (share of the box\nwhere it holds)")
    axes.set_title("Coverage against density as PRIM peels")
    axes.legend(loc="upper right", fontsize=8)
    return to_svg(
        figure,
        title=f"Peeling trajectory for {label}",
        description=f"{len(coverage)} boxes from all draws (coverage 1, density "
        f"{density[0]:.3f}) to the last peel (coverage {coverage[-1]:.2f}, density "
        f"{density[-1]:.2f}); the chosen box has coverage {coverage[chosen]:.2f} and "
        f"density {density[chosen]:.2f}.",
    )


def _axis_label(label: str, units: str) -> str:
    words = {"per_month": "a month", "per_day": "a day", "1": "", "": ""}.get(units, units)
    return f"{label} ({words})" if words else label


def box_figure(scatter: Mapping[str, Any], label: str) -> str:
    """Draw the box on its two most restrictive parameters over a sample of held-out draws."""
    from matplotlib.patches import Rectangle

    x, y = scatter["x"], scatter["y"]
    holds = [bool(v) for v in scatter["outcome"]]
    figure, axes = new_figure(6.0, 4.2)
    fails_x = [v for v, h in zip(x, holds, strict=True) if not h]
    fails_y = [v for v, h in zip(y, holds, strict=True) if not h]
    holds_x = [v for v, h in zip(x, holds, strict=True) if h]
    holds_y = [v for v, h in zip(y, holds, strict=True) if h]
    axes.scatter(fails_x, fails_y, s=5, color="#bbbbbb", marker="o", label="does not hold")
    axes.scatter(holds_x, holds_y, s=12, color=side_colour(1), marker="^", label="holds")
    (x_low, x_high), (y_low, y_high) = scatter["box"]
    axes.add_patch(
        Rectangle(
            (x_low, y_low),
            x_high - x_low,
            y_high - y_low,
            fill=False,
            edgecolor="#000000",
            linewidth=1.8,
            label="box (other limits not drawn)",
        )
    )
    axes.set_xlabel(_axis_label(scatter["labels"][0], scatter["units"][0]))
    axes.set_ylabel(_axis_label(scatter["labels"][1], scatter["units"][1]))
    axes.set_title("The box on its two most restrictive parameters")
    axes.legend(loc="upper right", fontsize=7, frameon=True, framealpha=0.9)
    return to_svg(
        figure,
        title=f"Box for {label}",
        description=f"{len(x)} held-out draws ({scatter.get('sampled', '')}) on "
        f"{scatter['labels'][0]} and {scatter['labels'][1]}; the box spans "
        f"{x_low:.4g} to {x_high:.4g} and {y_low:.4g} to {y_high:.4g}.",
    )


def _table(boxes: Sequence[Mapping[str, Any]]) -> str:
    from ceasefire.analysis.discover import format_bounds, format_share

    e = html.escape
    rows = []
    for box in boxes:
        cov, den, mass = box["coverage"], box["density"], box["mass"]
        head = (
            f"coverage {format_share(cov['found'])} ({format_share(cov['held_out'])} held out); "
            f"density {format_share(den['found'])} ({format_share(den['held_out'])}); "
            f"mass {format_share(mass['found'])}"
        )
        for index, row in enumerate(box["restrictions"]):
            quasi_p = row.get("quasi_p")
            first = (
                f'<td rowspan="{len(box["restrictions"])}">{box["number"]}: {e(head)}</td>'
                if index == 0
                else ""
            )
            rows.append(
                f"<tr>{first}<td>{e(row['words'])}<br><code>{e(row['parameter'])}</code></td>"
                f"<td>{e(format_bounds(row, ': ', ' to '))}</td>"
                f"<td>{'–' if quasi_p is None else f'{quasi_p:.2g}'}</td></tr>"
            )
    header = (
        "<tr><th>box</th><th>restriction</th><th>95% bootstrap interval</th><th>quasi-p</th></tr>"
    )
    caption = (
        "Each box's restrictions, in the parameters' own units; intervals from PRIM rerun on "
        "resampled draws; quasi-p: the chance that the box would hold as many cases if the "
        "restriction did not matter (Bryant &amp; Lempert 2010)."
    )
    return f"<table><caption>{caption}</caption>{header}{''.join(rows)}</table>"


def discovery(inputs: ReportInputs) -> Section:
    """Scenario discovery: the summary, the table of boxes, the trade-off and the box."""
    from ceasefire.report._html import Section, figure

    result: Mapping[str, Any] | None = getattr(inputs, "discovery", None)
    if result is None:
        body = (
            '<p class="missing">Not available: no scenario discovery was given (run '
            "<code>ceasefire discover --save discovery.json</code> beside the ensemble, or "
            "pass its JSON with --discovery).</p>"
        )
        return Section(_ANCHOR, _TITLE, body, False)
    e = html.escape
    label = str(result.get("label") or result.get("outcome", "the outcome"))
    parts = [
        f'<p class="question">{e(label)} (<code>{e(str(result.get("outcome", "")))}</code>): '
        "under which assumptions does it hold?</p>",
        f'<p class="answer">{e(str(result.get("summary", "")))}</p>',
    ]
    made_from = str(result.get("scenario_sha256", ""))
    shown = str(inputs.ensemble.attrs.get("scenario_sha256", ""))
    if made_from and shown and made_from != shown:
        parts.insert(
            0,
            '<p class="missing">'
            + e(
                f"This discovery was made from another scenario (sha256 {made_from[:12]}) "
                f"than the ensemble of this report ({shown[:12]}): rerun `ceasefire discover` "
                "on this scenario before reading it as this run's."
            )
            + "</p>",
        )
    boxes = list(result.get("boxes", []))
    if boxes:
        parts.append(_table(boxes))
        first = boxes[0]
        if first.get("trajectory"):
            parts.append(
                figure(
                    tradeoff_figure(first["trajectory"], label),
                    "The coverage–density trade-off of the first box: each point a box on "
                    "PRIM's peeling trajectory, from all draws (right) to the smallest box "
                    f"(left); circled, the box the rule picked ({result['rule']['description']}"
                    "), before pasting. Source: the model.",
                )
            )
        if first.get("scatter"):
            parts.append(
                figure(
                    box_figure(first["scatter"], label),
                    "The first box on its two most restrictive parameters, over held-out "
                    f"draws ({first['scatter'].get('sampled', '')}). Source: the model.",
                )
            )
    settings = result.get("settings", {})
    parts.append(
        '<p class="note">'
        + e(
            f"{str(result.get('method', 'prim')).upper()} on {result.get('draws_found_on', 0):,}"
            f" draws, checked on {result.get('draws_held_out', 0):,} held-out draws of "
            f"{result.get('draws', 0):,} (scenario {result.get('scenario', '')}, seed "
            f"{result.get('ensemble_seed')}); peel and paste alpha {settings.get('alpha')}, at "
            f"most {settings.get('max_dims')} parameters a box, restrictions with quasi-p above "
            f"{settings.get('max_p')} relaxed, {settings.get('bootstrap')} bootstrap "
            "replicates. Boxes describe where the outcome concentrates among the scenario's "
            "assumptions; they are not forecasts."
        )
        + "</p>"
    )
    return Section(_ANCHOR, _TITLE, "".join(parts))
