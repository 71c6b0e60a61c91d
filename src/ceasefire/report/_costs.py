"""The report's costs section: money per month per side, the bonus that holds recruits, regions.

A section function like those of :mod:`ceasefire.report._sections`; it needs the scenario's
``costs:`` and the ensemble's trajectories, and says so when either is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ceasefire.analysis import MoneySummary, format_band, format_probability
from ceasefire.ensemble import MEASURES
from ceasefire.report import _html as h
from ceasefire.report._html import ReportInputs, Section
from ceasefire.report._style import legend_below, new_figure, side_colour, to_svg

__all__ = ["costs", "regions_figure"]

_TOP = 15


def regions_figure(rows: list[dict[str, Any]], side: str) -> str:
    """Killed share against population share for the regions with the largest killed share."""
    figure, axes = new_figure(7.0, 3.6)
    top = rows[:_TOP]
    x = np.arange(len(top))
    axes.bar(
        x - 0.2,
        [100 * r["killed_share"] for r in top],
        0.4,
        color=side_colour(0),
        label="share of killed",
    )
    axes.bar(
        x + 0.2,
        [100 * r["population_share"] for r in top],
        0.4,
        color=side_colour(1),
        label="share of men aged 16–61.5",
        hatch="//",
    )
    axes.set_xticks(x, [r["iso"] for r in top], rotation=60)
    axes.set_ylim(0.0, max(100 * max(r["killed_share"], r["population_share"]) for r in top) * 1.15)
    axes.set_title(f"{side}: the {len(top)} regions with the largest share of killed")
    axes.set_xlabel("region (ISO 3166-2 code)")
    axes.set_ylabel("% (axis from 0)")
    legend_below(axes, ncol=2)
    return to_svg(
        figure,
        title="Killed by home region",
        description="Share of killed and of men of working age for "
        + ", ".join(
            f"{r['name']} ({r['killed_share']:.1%} against {r['population_share']:.1%})"
            for r in top
        ),
    )


def _money_table(inputs: ReportInputs, money: Mapping[str, MoneySummary]) -> str:
    dollars = MEASURES["money_per_month"]
    rows = []
    for side, entry in money.items():
        total = entry.total
        shown = h.format_row([total.p50, total.p05, total.p95])
        parts = h.format_row([part.p50 for part in entry.components.values()])
        crisis = entry.budget_crisis
        rows.append(
            [
                inputs.side_name(side),
                f"{shown[0]} ({shown[1]} to {shown[2]}) {entry.currency}",
                *parts,
                f"{crisis.share_of_budget_median:.0%}",
                format_probability(crisis.p_within_horizon)
                + (f", cause: {crisis.cause}" if crisis.cause else ""),
                format_band(inputs.summary.sides[side].bands.get(dollars.name), dollars.format),
            ]
        )
    return h.table(
        [
            "side",
            "money per month",
            "pay",
            "bonuses",
            "compensation",
            "equipment",
            "share of budget",
            "budget crisis within the horizon",
            "in US$",
        ],
        rows,
        "Median (5% to 95%) over draws of the horizon-average money per month, in each side's "
        "currency; components as medians; in US$ at each draw's exchange rate (the measure "
        "`money_per_month` that compare and sensitivity take). A budget crisis is a month whose "
        "money exceeds the budget per month; its cause the component that grew most. "
        "Parameters: the scenario's costs section (most are assumptions: see Parameters).",
    )


def costs(inputs: ReportInputs) -> Section:
    """Show what the war costs each side in money, and where its recruits and dead come from."""
    title = "What the war costs"
    scenario = inputs.scenario
    if scenario is None:
        return h.missing("costs", title, h.NO_SCENARIO)
    if scenario.costs is None:
        return h.missing("costs", title, "the scenario has no `costs:` section")
    if "active" not in inputs.ensemble or "time" not in inputs.ensemble["active"].dims:
        return h.missing("costs", title, "the ensemble has no trajectories (--save summary)")
    from ceasefire.analysis.costs import money_summary_of, regional_summary

    money = inputs.summary.money
    if money is None:
        money = money_summary_of(inputs.ensemble, scenario)
    body = [_money_table(inputs, money)]
    for side, entry in money.items():
        if entry.supply is None:
            continue
        hold = entry.supply.bonus_to_hold
        shown = h.format_row([hold.bonus.p50, hold.bonus.p05, hold.bonus.p95])
        body.append(
            f"<p>{h.escape(inputs.side_name(side))}: the federal sign-on bonus that holds "
            f"{hold.recruits_per_month:,.0f} recruits a month after "
            f"{hold.after_months:.0f} months is {shown[0]} ({shown[1]} to {shown[2]}) "
            f"{h.escape(hold.units)}, against the doubled bonus of 400,000 of July 2024: the "
            "supply curve is calibrated on recruitment held through that doubling while the "
            "willing pool thinned (an assumption about what the claims show).</p>"
        )
    for side, side_costs in scenario.costs.sides.items():
        if not side_costs.regions:
            continue
        result = regional_summary(inputs.ensemble, scenario, side)
        rows = [
            [
                r["iso"],
                r["name"],
                f"{r['recruits_per_month']:,.0f}",
                f"{r['recruits_share']:.1%}",
                f"{r['killed_share']:.1%}",
                f"{r['population_share']:.1%}",
                f"{r['political_weight']:.1%}",
            ]
            for r in result["regions"][:_TOP]
        ]
        weight = result["political_weight_of_death"]
        name = inputs.side_name(side)
        body.append(
            f"<p>A death from {h.escape(name)}'s regional mix weighs {weight['p50']:.2f} "
            f"({weight['p05']:.2f} to {weight['p95']:.2f}) of a death drawn from its population "
            f"at large; the covariates move {result['carried']['all']:.0%} of contract recruits "
            "off population shares (their effects are assumptions).</p>"
        )
        body.append(
            h.table(
                [
                    "iso",
                    "region",
                    "recruits per month",
                    "recruits",
                    "killed",
                    "population",
                    "political weight",
                ],
                rows,
                f"The {_TOP} regions with the largest share of {name}'s killed (median "
                "recruits; shares over draws). Source: 2021 census and Rosstat 2020 covariates "
                "(ruCasualtiesPublic); the model.",
            )
        )
        body.append(
            h.figure(
                regions_figure(result["regions"], name),
                "Share of killed against share of men of working age, by home region. "
                "Source: the model, on the shipped regional table.",
            )
        )
    return Section("costs", title, "".join(body))
