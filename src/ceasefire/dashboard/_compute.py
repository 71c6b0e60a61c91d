"""What the dashboard computes, apart from the page: checked settings in, plain results out.

Runs in a worker thread (no Panel here), so the page stays responsive while it works.
"""

from __future__ import annotations

import inspect
import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.analysis import Summary
from ceasefire.dashboard._controls import (
    DRAWS_RANGE,
    HORIZON_RANGE,
    Control,
    apply_controls,
    check_integer,
)
from ceasefire.scenario import Scenario, load_scenario

__all__ = [
    "Results",
    "Settings",
    "build_scenario",
    "compute",
    "compute_window",
    "overlay_catalogue",
]

FloatArray = npt.NDArray[np.float64]
_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Settings:
    """One request from the page: control values, overlays switched on, size of the run."""

    values: dict[str, float]
    overlays: tuple[str, ...] = ()
    draws: int = 2000
    horizon_months: int | None = None
    seed: int = 0
    window_draws: int = 0


@dataclass
class Results:
    """What the page shows: bands by month, crisis probability, numbers, and the run's facts."""

    scenario: Scenario
    months: FloatArray
    active: dict[str, FloatArray]
    crisis: dict[str, FloatArray]
    summary: Summary
    seconds: float
    window: dict[str, Any] | None = None
    window_seconds: float = 0.0
    names: dict[str, str] = field(default_factory=dict)
    causes: dict[str, Any] = field(default_factory=dict)  # crisis causes per side

    def to_json(self, settings: Settings) -> str:
        """Return the results (summary, bands, deal window) and the settings as JSON text."""
        record = {
            "settings": {
                "values": settings.values,
                "overlays": list(settings.overlays),
                "draws": settings.draws,
                "horizon_months": settings.horizon_months,
                "seed": settings.seed,
            },
            "summary": self.summary.to_json(),
            "months": self.months.tolist(),
            "active_quantiles": list(_QUANTILES),
            "active": {side: band.tolist() for side, band in self.active.items()},
            "p_crisis_by_month": {side: p.tolist() for side, p in self.crisis.items()},
            "crisis_causes": self.causes,
            "deal_window": self.window,
        }
        return json.dumps(record, indent=2, default=float)


def overlay_catalogue() -> dict[str, Any]:
    """Return the what-if overlays by name (belief overlays where no what-ifs are shipped)."""
    import ceasefire.scenario as scenario_module

    names_of = getattr(scenario_module, "whatif_names", None)
    load = getattr(scenario_module, "load_whatif", None)
    if names_of is None or load is None:
        names_of, load = scenario_module.overlay_names, scenario_module.load_overlay
    return {name: load(name) for name in names_of()}


def build_scenario(
    base: Scenario,
    controls: list[Control],
    settings: Settings,
    overlays: dict[str, Any],
) -> Scenario:
    """Apply the overlays switched on, then the controls; every value is checked here."""
    overrides: list[str] = []
    for name in settings.overlays:
        if name not in overlays:
            raise InputError("unknown overlay", where=name)
        overrides.extend(overlays[name].overrides)
    scenario = load_scenario(base, overrides=overrides) if overrides else base
    horizon = (
        None
        if settings.horizon_months is None
        else check_integer(settings.horizon_months, HORIZON_RANGE, "horizon (months)")
    )
    return apply_controls(scenario, controls, settings.values, horizon_months=horizon)


def _simulate(scenario: Scenario, draws: int, seed: int) -> Any:
    from ceasefire.ensemble import simulate

    options: dict[str, Any] = {}
    if "engine" in inspect.signature(simulate).parameters:
        options["engine"] = "auto"  # the compiled engine where it is installed
    return simulate(scenario, draws=draws, seed=seed, save="trajectories", **options)


def compute(
    base: Scenario, controls: list[Control], settings: Settings, overlays: dict[str, Any]
) -> Results:
    """Check the settings, simulate, and reduce the ensemble to what the page shows."""
    from ceasefire.analysis import crisis_causes
    from ceasefire.analysis.costs import summary_with_money

    draws = check_integer(settings.draws, DRAWS_RANGE, "draws")
    scenario = build_scenario(base, controls, settings, overlays)
    started = time.perf_counter()
    ensemble = _simulate(scenario, draws, settings.seed)
    months = np.asarray(ensemble["time"].values, dtype=np.float64)
    sides = [str(s) for s in ensemble["side"].values]
    active = {}
    crisis = {}
    for side in sides:
        total = ensemble["active"].sel(side=side).sum("channel").transpose("draw", "time").values
        active[side] = np.asarray(np.quantile(total, _QUANTILES, axis=0), dtype=np.float64)
        to_crisis = ensemble["months_to_crisis"].sel(side=side).values
        hit = np.where(np.isnan(to_crisis), np.inf, to_crisis)
        crisis[side] = np.asarray((hit[None, :] <= months[:, None]).mean(axis=1))
    # Money (where the scenario has costs) is the bonus lever's cost: money per month,
    # bonuses apart, beside the force it buys.
    ensemble, summary = summary_with_money(ensemble, scenario)
    return Results(
        scenario=scenario,
        months=months,
        active=active,
        crisis=crisis,
        summary=summary,
        seconds=time.perf_counter() - started,
        names={s: scenario.sides[s].name for s in sides},
        causes=crisis_causes(ensemble, scenario),
    )


def compute_window(scenario: Scenario, draws: int, seed: int) -> tuple[dict[str, Any] | None, str]:
    """Return the deal window of ``scenario`` (or None) and a sentence about it.

    Where the scenario has an information cutoff and the recorded offers fit its issues, this
    is the grounded deal calculus (revealed preferences, each side's own beliefs, the
    settlement forecast; no backtest, to stay interactive); otherwise the plain window.
    """
    from ceasefire._errors import InputError
    from ceasefire.bargaining import claimed_beliefs, deal_calculus, deal_window

    if scenario.bargaining is None or scenario.front is None:
        return None, "The scenario has no bargaining section or no front: no deal window."
    if scenario.information_cutoff is not None:
        beliefs_a, beliefs_b, _ = claimed_beliefs(scenario)
        try:
            window = deal_calculus(
                scenario,
                draws=draws,
                seed=seed,
                beliefs_a=beliefs_a,
                beliefs_b=beliefs_b,
                posterior_samples=20_000,
                backtest=False,
            )
        except InputError:
            pass
        else:
            return window, ""
    window = deal_window(scenario, draws=draws, seed=seed)
    return window, ""
