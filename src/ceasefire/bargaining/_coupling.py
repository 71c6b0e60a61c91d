"""The deal window: when a settlement both sides prefer to fighting on exists, and on what terms.

Coupling of the war model to bargaining (DESIGN.md, Bargaining). Side A is the scenario's
first side; every issue's outcome is A's share of it. For decision month ``t`` and draw
``d``, each side ``s`` values fighting on to the horizon ``H`` in its own world (the
scenario under its belief overlay, paired draw by draw through common random numbers)::

    w_s(t) = U_s(war outcome at H) − (casualties_s(H) − casualties_s(t)) / resolve_s

with ``U_s(o) = Σ_j weight_sj · o_j`` for A and ``Σ_j weight_sj · (1 − o_j)`` for B, the
war outcome of an issue being A's share of the contested area at ``H`` (``at_war: front``)
or a fixed share. A deal both prefer exists iff the exact Pareto frontier over the issues
(:func:`~ceasefire.bargaining.pareto_frontier`) reaches ``U_A ≥ w_A`` and ``U_B ≥ w_B``:
with shared beliefs it always does (Fearon 1995: war is costly); divergent beliefs
(mutual optimism) can close it. The terms are the Nash and Kalai–Smorodinsky agreements
with disagreement point ``(w_A, w_B)``.

A side's cost of delay in month ``t`` is what one more month of fighting takes from it, in
the same utility units: its casualties of the month over its resolve, plus the territory
it loses that month times its territory weight. The side with the larger cost of delay
needs the deal more (in Rubinstein's fixed-cost game the side with the lower cost of
continuing takes the surplus).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.analysis import quantile_bands
from ceasefire.bargaining._multi_issue import (
    Issue,
    kalai_smorodinsky_agreement,
    nash_agreement,
    pareto_frontier,
)
from ceasefire.ensemble import simulate
from ceasefire.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["World", "deal_window"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class World:
    """One side's view of the future: the scenario under its beliefs, simulated."""

    scenario: Scenario
    ensemble: xr.Dataset


def _parameter(world: World, path: tuple[str, ...], param: Any) -> FloatArray:
    """Per-draw values of a scenario parameter (sampled, or its fixed value)."""
    key = ".".join(path)
    draws = world.ensemble.sizes["draw"]
    if key in world.ensemble:
        return np.asarray(world.ensemble[key].values, dtype=np.float64)
    return np.full(draws, param.central())


def _share_a(world: World) -> FloatArray:
    """A's share of the contested area, ``(draw, time)``."""
    scenario = world.scenario
    assert scenario.front is not None
    area = _parameter(world, ("front", "contested_area"), scenario.front.contested_area)
    held = world.ensemble["front"].values / area[:, None]
    first = scenario.side_ids[0]
    return np.asarray(held if scenario.front.holder == first else 1.0 - held)


def _casualties(world: World, side: str) -> FloatArray:
    """Cumulative killed and wounded of ``side``, ``(draw, time)``."""
    ds = world.ensemble
    return np.asarray(
        (ds["killed"].sel(side=side) + ds["wounded_total"].sel(side=side)).values,
        dtype=np.float64,
    )


def _weights(world: World, side: str) -> dict[str, FloatArray]:
    """Per-draw issue weights of ``side``, normalised to sum to 1 in each draw."""
    bargaining = world.scenario.bargaining
    assert bargaining is not None
    raw = {
        name: _parameter(
            world, ("bargaining", "issues", name, "weights", side), issue.weights[side]
        )
        for name, issue in bargaining.issues.items()
    }
    total = sum(raw.values())
    return {name: values / total for name, values in raw.items()}


def _war_outcome(world: World, name: str, share_at_horizon: FloatArray) -> FloatArray:
    bargaining = world.scenario.bargaining
    assert bargaining is not None
    issue = bargaining.issues[name]
    if issue.at_war == "front":
        return share_at_horizon
    return _parameter(world, ("bargaining", "issues", name, "at_war"), issue.at_war)


def _by_month(values: FloatArray) -> list[dict[str, float | None]]:
    """Quantiles over draws of each decision month's column (draws without a deal skipped)."""
    return [quantile_bands(values[:, column]) for column in range(values.shape[1])]


def _overrides(overlay: Mapping[str, Any] | Sequence[str] | None) -> list[str]:
    """Turn a belief overlay (``{path: value}`` or ``path=value`` strings) into overrides."""
    if overlay is None:
        return []
    if isinstance(overlay, Mapping):
        return [f"{path}={json.dumps(value)}" for path, value in overlay.items()]
    return list(overlay)


def deal_window(
    scenario: Scenario | str | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    beliefs_a: Mapping[str, Any] | Sequence[str] | None = None,
    beliefs_b: Mapping[str, Any] | Sequence[str] | None = None,
    deal: Mapping[str, float | str] | None = None,
    every_months: int = 1,
) -> dict[str, Any]:
    """Compute the deal window of a scenario, month by month, as a JSON-ready dict.

    ``beliefs_a`` and ``beliefs_b`` are overlays (``{path: value}`` or ``path=value``
    strings, as ``--set`` takes) that give each side its own view; ``deal`` maps each issue
    to A's share (``"front"``: the line at the decision month). Keys: ``months``,
    ``p_window_open``, ``opening_month`` (quantiles, null: never within the horizon),
    ``terms`` (Nash and KS, per issue, quantiles by month), ``cost_of_delay`` (per side),
    ``needs_deal_more``, and ``deal`` (per side, probability of preferring it, by month).
    """
    base = load_scenario(scenario)
    if base.bargaining is None:
        from ceasefire._errors import InputError

        raise InputError(
            "the scenario has no `bargaining:` section (resolve and issues)", where=base.name
        )
    side_a, side_b = base.side_ids
    worlds = {
        side_a: World(
            sa := load_scenario(base, overrides=_overrides(beliefs_a)),
            simulate(sa, draws=draws, seed=seed, save="trajectories"),
        ),
        side_b: World(
            sb := load_scenario(base, overrides=_overrides(beliefs_b)),
            simulate(sb, draws=draws, seed=seed, save="trajectories"),
        ),
    }
    bargaining = base.bargaining
    issue_names = list(bargaining.issues)
    months = worlds[side_a].ensemble["time"].values
    decisions = list(range(0, len(months) - 1, every_months))

    shares = {side: _share_a(world) for side, world in worlds.items()}
    casualties = {side: _casualties(worlds[side], side) for side in (side_a, side_b)}
    resolve = {
        side: _parameter(worlds[side], ("bargaining", "resolve", side), bargaining.resolve[side])
        for side in (side_a, side_b)
    }
    weights = {side_a: _weights(worlds[side_a], side_a), side_b: _weights(worlds[side_b], side_b)}
    war_a = {n: _war_outcome(worlds[side_a], n, shares[side_a][:, -1]) for n in issue_names}
    war_b = {n: _war_outcome(worlds[side_b], n, shares[side_b][:, -1]) for n in issue_names}
    war_utility_a: FloatArray = np.sum([weights[side_a][n] * war_a[n] for n in issue_names], axis=0)
    war_utility_b: FloatArray = np.sum(
        [weights[side_b][n] * (1.0 - war_b[n]) for n in issue_names], axis=0
    )

    # Each side's value of fighting on from each decision month to the horizon, (draw, t).
    remaining = {
        side: (casualties[side][:, -1:] - casualties[side][:, decisions]) / resolve[side][:, None]
        for side in (side_a, side_b)
    }
    value_a = war_utility_a[:, None] - remaining[side_a]
    value_b = war_utility_b[:, None] - remaining[side_b]

    n_draws = len(resolve[side_a])
    window = np.zeros((n_draws, len(decisions)), dtype=bool)
    nash = {n: np.full((n_draws, len(decisions)), np.nan) for n in issue_names}
    ks = {n: np.full((n_draws, len(decisions)), np.nan) for n in issue_names}
    prefers = {side: np.zeros((n_draws, len(decisions)), dtype=bool) for side in (side_a, side_b)}
    binary = {n: bargaining.issues[n].kind == "binary" for n in issue_names}
    frontiers: dict[tuple[float, ...], Any] = {}

    for draw in range(n_draws):
        issues = [
            Issue(n, float(weights[side_a][n][draw]), float(weights[side_b][n][draw]), binary[n])
            for n in issue_names
        ]
        key = tuple(x for i in issues for x in (i.weight_a, i.weight_b))
        frontier = frontiers.get(key)
        if frontier is None:
            frontier = frontiers[key] = pareto_frontier(issues)
        low_a = frontier.pieces[0][0].utility_a
        high_a = frontier.pieces[-1][-1].utility_a
        for column, t in enumerate(decisions):
            d_a = float(value_a[draw, column])
            d_b = float(value_b[draw, column])
            reach = max(d_a, low_a)
            open_ = reach <= high_a and frontier.utility_b_at(reach) >= d_b - 1e-12
            window[draw, column] = open_
            if open_:
                agreement = nash_agreement(issues, (d_a, d_b))
                compromise = kalai_smorodinsky_agreement(issues, (d_a, d_b))
                for n in issue_names:
                    nash[n][draw, column] = agreement.outcome[n]
                    ks[n][draw, column] = compromise.outcome[n]
            if deal is not None:
                offer = {
                    n: (shares[side_a][draw, t] if deal[n] == "front" else float(deal[n]))
                    for n in issue_names
                }
                utility_a = sum(weights[side_a][n][draw] * offer[n] for n in issue_names)
                utility_b = sum(weights[side_b][n][draw] * (1.0 - offer[n]) for n in issue_names)
                prefers[side_a][draw, column] = utility_a >= d_a
                prefers[side_b][draw, column] = utility_b >= d_b

    decision_months = [float(months[t]) for t in decisions]
    first_open = np.where(window.any(axis=1), np.argmax(window, axis=1), -1)
    opening = np.array([decision_months[i] if i >= 0 else np.nan for i in first_open])

    # Saves fall on the nearest integration step, so consecutive saves are 30 or 31 days
    # apart: per-interval costs divided by the interval's length in months give a regular
    # monthly grid (otherwise the series zigzags with the calendar).
    ensemble_a = worlds[side_a].ensemble
    if "elapsed_days" in ensemble_a.coords:
        from ceasefire.scenario import DAYS_PER_MONTH

        elapsed = np.asarray(ensemble_a["elapsed_days"].values, dtype=np.float64) / DAYS_PER_MONTH
    else:
        elapsed = np.asarray(months, dtype=np.float64)
    interval_months = np.diff(elapsed)[None, :]

    def delay_cost(side: str) -> FloatArray:
        """Per-draw, per-month cost of one more month of fighting, in utility units."""
        monthly_casualties = (
            np.diff(casualties[side], axis=1) / interval_months / resolve[side][:, None]
        )
        own_share = shares[side] if side == side_a else 1.0 - shares[side]
        territory_weight = weights[side].get("territory")
        lost = np.maximum(-np.diff(own_share, axis=1), 0.0) / interval_months
        if territory_weight is None:
            return monthly_casualties
        return monthly_casualties + territory_weight[:, None] * lost

    delay = {side: delay_cost(side) for side in (side_a, side_b)}
    mean_delay = {side: delay[side].mean(axis=1) for side in delay}
    p_a_more = float(np.mean(mean_delay[side_a] > mean_delay[side_b]))

    result: dict[str, Any] = {
        "scenario": base.name,
        "draws": n_draws,
        "seed": seed,
        "sides": [side_a, side_b],
        "share_of": side_a,
        "months": decision_months,
        "p_window_open": window.mean(axis=0).tolist(),
        "opening_month": {
            **quantile_bands(opening),
            "p_never": float(np.mean(np.isnan(opening))),
            "note": "null: the window does not open within the horizon",
        },
        "terms": {
            "nash": {n: _by_month(nash[n]) for n in issue_names},
            "kalai_smorodinsky": {n: _by_month(ks[n]) for n in issue_names},
        },
        "cost_of_delay": {
            side: {
                "units": "utility per month (1 = everything on the table)",
                "average": quantile_bands(mean_delay[side]),
                "by_month_median": np.median(delay[side], axis=0)[: len(decisions)].tolist(),
            }
            for side in (side_a, side_b)
        },
        "needs_deal_more": {
            "side": side_a if p_a_more >= 0.5 else side_b,
            f"p_{side_a}_cost_of_delay_higher": p_a_more,
        },
        "war_value": {
            side_a: quantile_bands(war_utility_a),
            side_b: quantile_bands(war_utility_b),
        },
    }
    if deal is not None:
        result["deal"] = {
            "offer": dict(deal),
            **{side: prefers[side].mean(axis=0).tolist() for side in (side_a, side_b)},
            "both": (prefers[side_a] & prefers[side_b]).mean(axis=0).tolist(),
        }
    return result
