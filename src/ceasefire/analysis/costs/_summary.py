"""What the war costs each side, summarised from an ensemble: money, recruits bought, regions.

The channels a side pays a sign-on bonus (``bonus_channels``) are recruited by money and
follow the regional covariate model; its other paid channels follow population shares; a
channel it does not pay (a foreign contingent) has no home region.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from ceasefire.analysis._summary import quantile_bands, summary_of
from ceasefire.analysis._summary_types import (
    BonusToHold,
    BudgetCrisis,
    ForeignAid,
    MoneySummary,
    Quantiles,
    Summary,
    Supply,
)
from ceasefire.analysis._words import format_probability
from ceasefire.analysis.costs._money import (
    COMPONENTS,
    FloatArray,
    SideMoney,
    money_per_month,
    supply_curve,
)
from ceasefire.analysis.costs._regions import (
    COVARIATES,
    RegionalModel,
    RegionTable,
    load_region_table,
    political_weights,
)
from ceasefire.ensemble import format_money
from ceasefire.scenario import Scenario

__all__ = [
    "HOLD_MONTHS",
    "HOLD_RECRUITS",
    "add_money_measure",
    "format_money",
    "money_lines",
    "money_summary",
    "money_summary_of",
    "political_factor",
    "regional_summary",
    "summary_with_money",
]

HOLD_RECRUITS = 30_000.0
"""Recruits a month to hold (the official and Ukrainian estimates of 2024)."""
HOLD_MONTHS = 12.0


def _quantiles(values: FloatArray) -> Quantiles:
    return Quantiles.from_json(quantile_bands(values))


def _side_money_summary(money: SideMoney) -> MoneySummary:
    total = money.total
    without_foreign_aid = None
    if money.foreign_share is not None:
        domestic = money.budget_per_month * (1.0 - money.foreign_share)
        without_foreign_aid = ForeignAid(
            p_budget_short=float(np.mean(total.mean(axis=1) > domestic)),
            note="the share of draws in which the side's own money could not carry the path",
        )
    return MoneySummary(
        currency=money.currency,
        total=_quantiles(total.mean(axis=1)),
        first_month=_quantiles(total[:, 0]),
        last_month=_quantiles(total[:, -1]),
        components={c: _quantiles(money.components[c].mean(axis=1)) for c in COMPONENTS},
        total_usd=_quantiles(total.mean(axis=1) / money.per_usd),
        budget_per_month=_quantiles(money.budget_per_month),
        budget_crisis=BudgetCrisis.from_json(money.crisis()),
        without_foreign_aid=without_foreign_aid,
    )


def money_summary_of(
    ensemble: Any, scenario: Scenario, *, money: Mapping[str, SideMoney] | None = None
) -> dict[str, MoneySummary]:
    """Money per month per side with bands, budget crises, and the bonus that holds recruits.

    Typed (:class:`~ceasefire.analysis.MoneySummary` per side); :func:`money_summary` is
    its JSON. Empty where the scenario has no ``costs:``. ``money``: each side's
    :class:`SideMoney` where it is computed already.
    """
    if scenario.costs is None:
        return {}
    out: dict[str, MoneySummary] = {}
    for side in scenario.side_ids:
        if side not in scenario.costs.sides:
            continue
        entry = _side_money_summary(_money_of(ensemble, scenario, side, money))
        curve = supply_curve(ensemble, scenario, side)
        if curve is not None:
            bonus = curve.bonus_to_hold(HOLD_RECRUITS, HOLD_MONTHS)
            supply = Supply(
                elasticity=_quantiles(curve.elasticity),
                bonus_to_hold=BonusToHold(
                    recruits_per_month=HOLD_RECRUITS,
                    after_months=HOLD_MONTHS,
                    bonus=_quantiles(bonus),
                    units=scenario.costs.sides[side].currency,
                    note="federal sign-on bonus that keeps this many recruits a month coming "
                    "after the willing pool has given that many a month for these months",
                ),
            )
            entry = dataclasses.replace(entry, supply=supply)
        out[side] = entry
    return out


def _money_of(
    ensemble: Any, scenario: Scenario, side: str, money: Mapping[str, SideMoney] | None
) -> SideMoney:
    """Return ``side``'s money: from ``money`` where given there, else computed."""
    if money is not None and side in money:
        return money[side]
    return money_per_month(ensemble, scenario, side)


def money_summary(ensemble: Any, scenario: Scenario) -> dict[str, Any]:
    """Return :func:`money_summary_of` as JSON: per side, the dict under ``money``."""
    return {side: entry.to_json() for side, entry in money_summary_of(ensemble, scenario).items()}


def summary_with_money(ensemble: Any, scenario: Scenario) -> tuple[Any, Summary]:
    """Summarise an ensemble kept with trajectories, money included where the scenario has costs.

    Returns the ensemble with the registry's ``money_per_month`` added (:func:`add_money_measure`)
    and its :class:`~ceasefire.analysis.Summary`, whose sides then band money like every
    measure (in US dollars) and whose ``money`` gives each side's detail in its own currency.
    Without costs or trajectories: the ensemble as it is and its summary, without money.
    """
    if scenario.costs is None or not _has_trajectories(ensemble):
        return ensemble, summary_of(ensemble)
    # Each side's money once, for the measure and for the detail.
    money = {
        side: money_per_month(ensemble, scenario, side)
        for side in scenario.side_ids
        if side in scenario.costs.sides
    }
    ensemble = add_money_measure(ensemble, scenario, money=money)
    detail = money_summary_of(ensemble, scenario, money=money)
    return ensemble, dataclasses.replace(summary_of(ensemble), money=detail)


def _has_trajectories(ensemble: Any) -> bool:
    return "active" in ensemble and "time" in ensemble["active"].dims


def add_money_measure(
    ensemble: Any, scenario: Scenario, *, money: Mapping[str, SideMoney] | None = None
) -> Any:
    """Return ``ensemble`` with the registry's ``money_per_month`` added, per draw and side.

    The horizon-average money per month in US dollars (each draw's own exchange rate), nan
    for a side without ``costs:``. Unchanged where the scenario has no costs or the ensemble
    no trajectories (money needs them), or where it has the measure already. ``money``:
    each side's :class:`SideMoney` where it is computed already.
    """
    name = "money_per_month"
    if scenario.costs is None or not _has_trajectories(ensemble) or name in ensemble:
        return ensemble
    import xarray as xr

    from ceasefire.ensemble import MEASURES

    sides = [str(s) for s in ensemble["side"].values]
    values = np.full((ensemble.sizes["draw"], len(sides)), np.nan)
    for index, side in enumerate(sides):
        if side in scenario.costs.sides:
            side_money = _money_of(ensemble, scenario, side, money)
            values[:, index] = side_money.total.mean(axis=1) / side_money.per_usd
    variable = xr.DataArray(values, dims=("draw", "side"), attrs=MEASURES[name].attrs)
    return ensemble.assign({name: variable})


def _channel_mix(ensemble: Any, side: str, name: str, channels: list[str]) -> FloatArray:
    """Per draw, each channel's share of the side's horizon count ``name`` among ``channels``."""
    counts = np.asarray(ensemble[f"final_{name}"].sel(side=side, channel=channels).values)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(total > 0, counts / total, 1.0 / len(channels)))


def political_factor(
    ensemble: Any,
    scenario: Scenario,
    side: str,
    *,
    table: RegionTable | None = None,
    model: RegionalModel | None = None,
) -> FloatArray:
    """Per draw, ``φ``: the political weight of one of ``side``'s deaths (1 without regions)."""
    costs = scenario.costs.sides.get(side) if scenario.costs is not None else None
    if costs is None or not costs.regions:
        return np.ones(ensemble.sizes["draw"])
    table = table or load_region_table()
    model = model or RegionalModel()
    channels = list(costs.paid_channels)
    population = table.men_share
    bought = model.contract_shares(table)
    per_channel = np.stack([bought if c in costs.bonus_channels else population for c in channels])
    killed = _channel_mix(ensemble, side, "killed", channels) @ per_channel
    return np.asarray(killed @ (political_weights(table) / population), dtype=np.float64)


def regional_summary(
    ensemble: Any,
    scenario: Scenario,
    side: str,
    *,
    table: RegionTable | None = None,
    model: RegionalModel | None = None,
) -> dict[str, Any]:
    """Per region: recruits a month, shares of recruits and killed, political weight."""
    if scenario.costs is None or side not in scenario.costs.sides:
        raise KeyError(f"the scenario has no `costs:` for {side!r}")
    table = table or load_region_table()
    model = model or RegionalModel()
    costs = scenario.costs.sides[side]
    channels = list(costs.paid_channels)
    bought = model.contract_shares(table)
    population = table.men_share
    per_channel = np.stack(
        [bought if c in costs.bonus_channels else population for c in channels]
    )  # (channel, region)
    recruit_mix = _channel_mix(ensemble, side, "recruited", channels).mean(axis=0)
    killed_mix = _channel_mix(ensemble, side, "killed", channels)  # (draw, channel)
    recruits_share = recruit_mix @ per_channel
    killed_share_draws = killed_mix @ per_channel
    killed_share = killed_share_draws.mean(axis=0)
    weight = political_weights(table)
    names = [str(c) for c in ensemble["channel"].values]
    final = np.asarray(ensemble["final_recruited"].sel(side=side).values)
    horizon = float(ensemble["time"].values[-1])
    paid_recruits = final[:, [names.index(c) for c in channels]].sum(axis=1) / horizon
    recruits_median = float(np.median(paid_recruits))
    political = killed_share_draws @ (weight / population)
    rows = [
        {
            "iso": table.iso[r],
            "name": table.name[r],
            "recruits_per_month": recruits_median * float(recruits_share[r]),
            "recruits_share": float(recruits_share[r]),
            "killed_share": float(killed_share[r]),
            "population_share": float(population[r]),
            "political_weight": float(weight[r]),
        }
        for r in np.argsort(-killed_share, kind="stable")
    ]
    carried = model.carried(table)
    return {
        "side": side,
        "regions": rows,
        "table": table.source,
        "coefficients_per_sd": dict(model.coefficients),
        "carried": {
            **{c: carried[c] for c in COVARIATES if c in carried},
            "all": carried["all"],
            "note": "share of contract recruits each covariate alone moves off population "
            "shares (total variation distance); coefficients are assumptions",
        },
        "killed_off_population": 0.5 * float(np.abs(killed_share - population).sum()),
        "political_weight_of_death": quantile_bands(political),
        "political_note": "political weight of a death on the model's regional mix, against a "
        "death drawn from the population at large (1): below 1, losses fall where they weigh "
        "less",
        "recruits_per_month_median": recruits_median,
    }


def money_lines(money: Mapping[str, MoneySummary] | Mapping[str, Any]) -> list[str]:
    """Return the money summary in words: one line per side, then its budget and crisis."""
    lines = ["Money per month (median, 5% to 95%; pay, bonuses, compensation, equipment):"]
    for side, raw in money.items():
        entry = raw if isinstance(raw, MoneySummary) else MoneySummary.from_json(raw)
        total, cur = entry.total, entry.currency
        parts = ", ".join(
            f"{name} {format_money(entry.components[name].p50, cur)}" for name in COMPONENTS
        )
        crisis = entry.budget_crisis
        lines.append(
            f"  {side}: {format_money(total.p50, cur)} ({format_money(total.p05, cur)} to "
            f"{format_money(total.p95, cur)}); {parts}; "
            f"{crisis.share_of_budget_median:.0%} of the budget"
            + (
                f"; budget crisis: {format_probability(crisis.p_within_horizon)} "
                f"(cause: {crisis.cause})"
                if crisis.p_within_horizon > 0
                else "; no budget crisis"
            )
        )
    return lines
