"""``ceasefire regions``: where a side's recruits and dead come from, and their political weight."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ceasefire._errors import InputError
from ceasefire.cli._app import (
    ScenarioArgument,
    SetOption,
    WithOption,
    _friendly,
    _load,
    with_examples,
)

if TYPE_CHECKING:
    from ceasefire.analysis import Supply

__all__ = ["register"]


def _text(result: dict[str, Any], supply: Supply | None, top: int) -> str:
    lines = [
        f"{result['side']}: recruits and killed by home region (top {top} by killed share; "
        f"{result['recruits_per_month_median']:,.0f} recruits a month, median)",
        f"{'iso':<6} {'region':<24} {'recruits/mo':>11} {'recruits':>9} {'killed':>8} "
        f"{'population':>10} {'political':>9}",
    ]
    for row in result["regions"][:top]:
        lines.append(
            f"{row['iso']:<6} {row['name'][:24]:<24} {row['recruits_per_month']:>11,.0f} "
            f"{row['recruits_share']:>9.1%} {row['killed_share']:>8.1%} "
            f"{row['population_share']:>10.1%} {row['political_weight']:>9.1%}"
        )
    carried = result["carried"]
    lines.append(
        "Covariates (assumed effects) move "
        + ", ".join(f"{name} {carried[name]:.0%}" for name in result["coefficients_per_sd"])
        + f" of contract recruits off population shares (all together {carried['all']:.0%})."
    )
    weight = result["political_weight_of_death"]
    lines.append(
        f"A death on this mix weighs {weight['p50']:.2f} ({weight['p05']:.2f}–{weight['p95']:.2f}) "
        "of a death drawn from the population at large."
    )
    if supply is not None:
        hold = supply.bonus_to_hold
        bonus = hold.bonus
        lines.append(
            f"Federal bonus to hold {hold.recruits_per_month:,.0f} recruits a month after "
            f"{hold.after_months:.0f} months: {bonus.p50:,.0f} {hold.units} "
            f"({bonus.p05:,.0f}–{bonus.p95:,.0f})."
        )
    return "\n".join(lines)


@with_examples(
    "ceasefire regions --draws 500",
    "ceasefire regions --json --top 85 > regions.json",
)
@_friendly
def regions(
    scenario: ScenarioArgument = None,
    side: Annotated[
        str | None,
        typer.Option(
            help="The side whose regions to show (default: the first side).", show_default=False
        ),
    ] = None,
    covariates: Annotated[
        Path | None,
        typer.Option(
            help="A regional covariate CSV (iso, name, men, mean_income_rub, poverty_pct, "
            "unemployment_pct) instead of the shipped table.",
            show_default=False,
        ),
    ] = None,
    top: Annotated[int, typer.Option(min=1, max=85, help="Regions to print.")] = 10,
    draws: Annotated[int, typer.Option("--draws", "-n", min=1, help="Ensemble size.")] = 1000,
    seed: Annotated[int, typer.Option(min=0, help="Root seed.")] = 0,
    overrides: SetOption = None,
    whatifs: WithOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print every region as JSON.")] = False,
) -> None:
    """Per region: recruits a month, shares of recruits and killed, political weight.

    Contract recruits follow men of working age, shifted by income, poverty and unemployment
    (assumed effects); other paid channels follow population. The JSON gives every region
    with `iso`, `name`, `recruits_per_month`, `recruits_share`, `killed_share`,
    `political_weight`.
    """
    from ceasefire.analysis.costs import load_region_table, money_summary_of, regional_summary

    table = load_region_table(covariates)
    loaded = _load(scenario, overrides, whatifs)
    chosen = side or loaded.side_ids[0]
    if loaded.costs is None or chosen not in loaded.costs.sides:
        raise InputError(
            f"the scenario has no `costs:` section for {chosen!r}", where=loaded.name, field="costs"
        )
    from ceasefire.ensemble import simulate

    ensemble = simulate(loaded, draws=draws, seed=seed, save="trajectories")
    result = regional_summary(ensemble, loaded, chosen, table=table)
    money = money_summary_of(ensemble, loaded)
    supply = money[chosen].supply if chosen in money else None
    if as_json:
        shown = None if supply is None else supply.to_json()
        typer.echo(
            json.dumps({**result, "regions": result["regions"][:top], "supply": shown}, indent=2)
        )
        return
    typer.echo(_text(result, supply, top))


def register(app: typer.Typer) -> None:
    """Add ``regions`` to ``app``."""
    app.command("regions")(regions)
