"""Deal measures per draw and month, for ``ceasefire sensitivity`` and ``compare``.

Registered with :func:`ceasefire.analysis._measures.register_ensemble_measures` when
:mod:`ceasefire.bargaining` is imported, so that ``--output deal_credible@12`` and the
comparison tables can take them. One world (the scenario's own beliefs; the own-belief
worlds of :func:`~ceasefire.bargaining.deal_calculus` would need more simulations per
evaluation) and the revealed preferences held at their posterior medians, so that each
measure is a deterministic function of the scenario's parameters (as Sobol indices need):

* ``deal_window``: 1 if a deal both prefer to fighting on exists at the month;
* ``deal_credible``: 1 if it also passes the commitment test;
* ``deal_surplus``: the Nash agreement's total gain over fighting on (utility; 1 = all);
* ``deal_nash_territory_km2``: the Nash territory for the first side, in km²;
* ``deal_settled``: P(settled by the month), base-rate hazard times the window's factor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import _vector as vec
from ceasefire.bargaining._coupling import World, _casualties, _parameter
from ceasefire.bargaining._mechanisms import commitment_problem
from ceasefire.bargaining._offers import load_offers

__all__ = ["DEAL_MEASURES", "add_deal_measures"]

FloatArray = npt.NDArray[np.float64]
DEAL_MEASURES = (
    "deal_window",
    "deal_credible",
    "deal_surplus",
    "deal_nash_territory_km2",
    "deal_settled",
)
_CACHE: dict[str, dict[str, float]] = {}


def _medians(scenario: Any) -> dict[str, float] | None:
    """Posterior medians of the revealed preferences (cached per scenario)."""
    from ceasefire.bargaining._record_model import scenario_posterior
    from ceasefire.scenario import scenario_hash

    key = scenario_hash(scenario)
    if key not in _CACHE:
        kinds = {name: issue.kind for name, issue in scenario.bargaining.issues.items()}
        area = scenario.front.contested_area.central()
        record = load_offers(
            "recorded-offers",
            sides=scenario.side_ids,
            kinds=kinds,
            contested_area_km2=area,
            cutoff=scenario.information_cutoff,
        )
        line = scenario.front.initial.central() / area
        posterior = scenario_posterior(
            scenario, record, scenario.information_cutoff, line, 20_000, 0
        )
        summary = posterior.summary()["parameters"]
        _CACHE[key] = {name: bands["posterior"]["p50"] for name, bands in summary.items()}
        _CACHE[key]["_age_months"] = (
            scenario.information_cutoff - (record.war_start or scenario.information_cutoff)
        ).days / 30.4375
    return _CACHE[key]


def add_deal_measures(ensemble: Any, scenario: Any) -> Any:
    """Return ``ensemble`` with the deal measures added (unchanged where they do not apply)."""
    from ceasefire._errors import InputError

    if (
        scenario is None
        or getattr(scenario, "bargaining", None) is None
        or scenario.front is None
        or not isinstance(scenario.information_cutoff, dt.date)
        or "killed" not in ensemble
        or "front" not in ensemble
        or set(scenario.side_ids) != set(scenario.bargaining.resolve)
    ):
        return ensemble
    try:
        medians = _medians(scenario)
    except InputError:  # the scenario's issues do not match the shipped record
        return ensemble
    assert medians is not None
    import xarray as xr

    from ceasefire.bargaining._calculus import _line_share
    from ceasefire.bargaining._record_model import _utility
    from ceasefire.bargaining._settlement import base_rate, shipped_war_durations

    world = World(scenario, ensemble)
    sides = scenario.side_ids
    issues = scenario.bargaining.issues
    names = list(issues)
    draws = ensemble.sizes["draw"]
    steps = ensemble.sizes["time"]
    weights = {}
    for side in sides:
        raw = np.array([medians[f"weight.{side}.{n}"] for n in names])
        weights[side] = {n: np.full(draws, w / raw.sum()) for n, w in zip(names, raw, strict=True)}
    line = _line_share(world)
    decisions = list(range(steps))
    values = {}
    for index, side in enumerate(sides):
        cas = _casualties(world, side)
        ahead = round(medians[f"duration.{side}"])
        end = np.minimum(np.arange(steps) + ahead, steps - 1)
        outcome = {
            n: line[:, end]
            if issues[n].at_war == "front"
            else _parameter(world, ("bargaining", "issues", n, "at_war"), issues[n].at_war)
            for n in names
        }
        resolve = medians[f"resolve.{side}"]
        values[side] = _utility(index, weights[side], outcome) - (cas[:, end] - cas) / resolve
    weight_a = np.column_stack([weights[sides[0]][n] for n in names])
    weight_b = np.column_stack([weights[sides[1]][n] for n in names])
    chains = vec.chains(weight_a, weight_b, [issues[n].kind == "binary" for n in names])
    d_a, d_b = values[sides[0]], values[sides[1]]
    window = vec.window_open(chains, d_a, d_b)
    commitment = np.zeros_like(window)
    for index, side in enumerate(sides):
        point = {
            n: line
            if issues[n].at_war == "front"
            else _parameter(world, ("bargaining", "issues", n, "at_war"), issues[n].at_war)
            for n in names
        }
        commitment |= commitment_problem(
            _utility(index, weights[side], point),
            _casualties(world, side),
            np.full(draws, medians[f"resolve.{side}"]),
            decisions,
            lookahead=6,
            monthly_discount=0.98,
        )
    credible = window & ~commitment
    nash = vec.nash_terms(chains, d_a, d_b)
    gain_a = np.einsum("dmi,di->dm", nash, weight_a) - d_a
    gain_b = np.einsum("dmi,di->dm", 1.0 - nash, weight_b) - d_b
    rate = base_rate(shipped_war_durations(), medians["_age_months"])
    # The rule of settlement_curve, per draw: likelihood ratio 3, half the reference
    # class's months with a window, so the factor is 3/2 (open) or 1/2 (closed).
    hazard = rate.hazard * (credible * 3.0 + ~credible) / 2.0
    settled = 1.0 - np.cumprod(1.0 - hazard, axis=1)
    area = _parameter(world, ("front", "contested_area"), scenario.front.contested_area)
    territory = names.index("territory") if "territory" in names else None
    coords = {"draw": ensemble["draw"], "time": ensemble["time"]}
    months = [m for m in (6, 12, 24) if m < steps]
    added = {
        "deal_window": (window.astype(np.float64), "1 if a deal both prefer exists"),
        "deal_credible": (credible.astype(np.float64), "1 if a credible deal exists"),
        "deal_surplus": (gain_a + gain_b, "utility (1 = everything on the table)"),
        "deal_settled": (settled, "probability settled by the month"),
    }
    if territory is not None:
        added["deal_nash_territory_km2"] = (nash[..., territory] * area[:, None], "km2")
    out = ensemble.copy()
    for name, (data, units) in added.items():
        out[name] = xr.DataArray(
            data,
            dims=("draw", "time"),
            coords=coords,
            attrs={"units": units, "compare_months": months, "source": "deal calculus"},
        )
    return out
