"""Money per month per side, from an ensemble's counters (equations in ``scenario/_costs.py``).

Design: money is linear in the counters the engine already keeps (active per channel and
month; recruits, killed and wounded per side and month; their split by channel at the
horizon), so it is computed here, after the run, instead of as new flows in the compiled
kernels. The split of a side's monthly recruits, killed and wounded between channels is each
draw's split at the horizon (the engine keeps per-channel monthly counts only of the active
force): exact for a side with one paid channel, an approximation otherwise.

A side is in a *budget crisis* in a month where its money path exceeds its budget per month;
the cause is the component that grew most from the first month to that one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.analysis.costs._supply import MONTHS_PER_YEAR, SupplyCurve, calibrate_supply
from ceasefire.scenario import DAYS_PER_MONTH, Scenario

__all__ = ["COMPONENTS", "SideMoney", "money_per_month", "parameter_values", "supply_curve"]

FloatArray = npt.NDArray[np.float64]

COMPONENTS = ("pay", "bonuses", "compensation", "equipment")
"""The parts of a side's money per month; they sum to its total."""


def parameter_values(ensemble: Any, path: tuple[str | int, ...], param: Any) -> FloatArray:
    """Per-draw values of a scenario parameter: sampled in ``ensemble``, or its fixed value."""
    key = ".".join(str(p) for p in path)
    draws = ensemble.sizes["draw"]
    if key in ensemble:
        return np.asarray(ensemble[key].values, dtype=np.float64)
    return np.full(draws, param.central())


@dataclass(frozen=True)
class SideMoney:
    """One side's money per month, ``(draw, month)`` arrays in ``currency``."""

    side: str
    currency: str
    per_usd: FloatArray
    components: dict[str, FloatArray]
    budget_per_month: FloatArray
    foreign_share: FloatArray | None

    @property
    def total(self) -> FloatArray:
        """Money per month, the sum of :data:`COMPONENTS`."""
        return np.asarray(sum(self.components[c] for c in COMPONENTS), dtype=np.float64)

    def crisis(self) -> dict[str, Any]:
        """P(the budget cannot carry the path) within the horizon, the first month, the cause."""
        over = self.total > self.budget_per_month[:, None]
        any_over = over.any(axis=1)
        first = np.where(any_over, np.argmax(over, axis=1), -1)
        causes: dict[str, int] = {}
        for draw in np.flatnonzero(any_over):
            month = first[draw]
            growth = {
                c: self.components[c][draw, month] - self.components[c][draw, 0] for c in COMPONENTS
            }
            cause = max(growth, key=lambda c: growth[c])
            causes[cause] = causes.get(cause, 0) + 1
        return {
            "p_within_horizon": float(any_over.mean()),
            "first_month_median": float(np.median(first[any_over] + 1)) if any_over.any() else None,
            "cause": max(causes, key=lambda c: causes[c]) if causes else None,
            "share_of_budget_median": float(
                np.median(self.total.mean(axis=1) / self.budget_per_month)
            ),
        }


def _monthly(ensemble: Any, name: str, side: str) -> FloatArray:
    cumulative = np.asarray(ensemble[name].sel(side=side).values, dtype=np.float64)
    return np.asarray(np.diff(cumulative, axis=1), dtype=np.float64)


def _channel_share(ensemble: Any, name: str, side: str, channels: list[str]) -> FloatArray:
    """Per draw, the share of a side's horizon count ``name`` that falls in ``channels``."""
    counts = np.asarray(ensemble[f"final_{name}"].sel(side=side).values, dtype=np.float64)
    names = [str(c) for c in ensemble["channel"].values]
    chosen = counts[:, [names.index(c) for c in channels]].sum(axis=1) if channels else 0.0
    total = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(total > 0, chosen / total, 0.0), dtype=np.float64)


def _bonus_by_month(scenario: Scenario, side: str, channel: str, months: int) -> FloatArray:
    """Return the channel's federal bonus in force in the middle of each month (0 without one)."""
    incentive = scenario.sides[side].channels[channel].incentive
    if incentive is None:
        return np.zeros(months)
    out = np.zeros(months)
    for month in range(months):
        day = scenario.time.start + dt.timedelta(days=(month + 0.5) * DAYS_PER_MONTH)
        started = [s for s in incentive.bonus if s.start is None or s.start <= day]
        segment = started[-1] if started else incentive.bonus[0]
        out[month] = segment.value.central()
    return out


def money_per_month(ensemble: Any, scenario: Scenario, side: str) -> SideMoney:
    """Return ``side``'s money per month on every draw of ``ensemble`` (module docstring)."""
    if scenario.costs is None or side not in scenario.costs.sides:
        raise KeyError(f"the scenario has no `costs:` for {side!r}")
    if "active" not in ensemble or "time" not in ensemble["active"].dims:
        raise ValueError("money per month needs the ensemble's trajectories (save='trajectories')")
    costs = scenario.costs.sides[side]
    where = ("costs", "sides", side)

    def value(field: str) -> FloatArray:
        return parameter_values(ensemble, (*where, field), getattr(costs, field))

    paid = costs.paid_channels
    active = np.asarray(ensemble["active"].sel(side=side, channel=paid).values, dtype=np.float64)
    # Pay for a month is owed on the force that served through it: the mean of its two ends.
    serving = 0.5 * (active[:, 1:, :] + active[:, :-1, :]).sum(axis=2)
    months = serving.shape[1]
    pay = value("monthly_pay")[:, None] * serving

    recruits = _monthly(ensemble, "recruited", side)
    regional = value("regional_bonus") if costs.regional_bonus is not None else 0.0
    bonuses = np.zeros_like(pay)
    for channel in costs.bonus_channels:
        federal = _bonus_by_month(scenario, side, channel, months)
        if scenario.sides[side].channels[channel].incentive is None and costs.sign_on_bonus:
            federal = federal + value("sign_on_bonus")[:, None]
        share = _channel_share(ensemble, "recruited", side, [channel])
        bonuses += (federal[None, :] + np.asarray(regional)[..., None]) * share[:, None] * recruits

    killed = _monthly(ensemble, "killed", side)
    wounded = _monthly(ensemble, "wounded_total", side)
    compensation = (
        value("death_payment")[:, None]
        * killed
        * _channel_share(ensemble, "killed", side, paid)[:, None]
        + value("injury_payment")[:, None]
        * wounded
        * _channel_share(ensemble, "wounded_total", side, paid)[:, None]
    )
    equipment = value("equipment_per_casualty")[:, None] * (killed + wounded)
    return SideMoney(
        side=side,
        currency=costs.currency,
        per_usd=value("per_usd"),
        components={
            "pay": pay,
            "bonuses": bonuses,
            "compensation": compensation,
            "equipment": equipment,
        },
        budget_per_month=value("budget_per_year") / MONTHS_PER_YEAR,
        foreign_share=value("foreign_share") if costs.foreign_share is not None else None,
    )


def supply_curve(ensemble: Any, scenario: Scenario, side: str) -> SupplyCurve | None:
    """Return the side's calibrated supply curve per draw (``None`` without ``supply:``)."""
    costs = scenario.costs.sides.get(side) if scenario.costs is not None else None
    if costs is None or costs.supply is None:
        return None
    supply = costs.supply
    where = ("costs", "sides", side)

    def value(path: tuple[str, ...], param: Any) -> FloatArray:
        return parameter_values(ensemble, (*where, *path), param)

    wage = value(("civilian_wage",), costs.civilian_wage) if costs.civilian_wage else 0.0
    regional = value(("regional_bonus",), costs.regional_bonus) if costs.regional_bonus else 0.0
    premium = regional + MONTHS_PER_YEAR * (value(("monthly_pay",), costs.monthly_pay) - wage)
    held = supply.recruits_held
    per_month = DAYS_PER_MONTH if held.unit == "per_day" else 1.0
    return calibrate_supply(
        offer_before=value(("supply", "offer_before"), supply.offer_before),
        offer_after=value(("supply", "offer_after"), supply.offer_after),
        recruits_held=value(("supply", "recruits_held"), held) * per_month,
        months_between=value(("supply", "months_between"), supply.months_between),
        willing_pool=value(("supply", "willing_pool"), supply.willing_pool),
        premium=np.asarray(premium, dtype=np.float64),
    )
