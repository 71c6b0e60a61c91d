"""Backtests: calibrate up to a cutoff, forecast the months after it, score against the data.

For each observed series the forecast is the posterior predictive of its monthly value
(observation model × log-normal noise, over the calibrated particles) for the ``horizon``
calendar months after the cutoff, reported as the quantiles :data:`QUANTILES`. Where the
file holds those months, the forecast is scored by CRPS and by the coverage of its 50% and
90% central intervals, next to a naive baseline: a normal distribution with the mean and
standard deviation of the last three observed months (persistence with its empirical
spread). Only observations up to the cutoff reach the calibration and the baseline,
whatever the files contain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.calibrate._calibrate import (
    Calibration,
    _periods,
    _predictive,
    _run,
    anchored,
    calibrate,
    month_start,
)
from ceasefire.calibrate._observation import Trajectories, observation_model
from ceasefire.calibrate._scoring import QUANTILES, crps_normal, crps_samples, interval_covers
from ceasefire.observe import Series, to_monthly
from ceasefire.scenario import Scenario

__all__ = ["Backtest", "SeriesForecast", "backtest", "naive_baseline"]

FloatArray = npt.NDArray[np.float64]


@dataclass
class SeriesForecast:
    """The forecast of one series for the months after the cutoff, and its scores."""

    name: str
    label: str
    months: list[str]
    samples: FloatArray
    observed: list[float | None]
    baseline: tuple[float, float] | None
    scores: dict[str, float | None] = field(default_factory=dict)

    def quantiles(self) -> dict[str, list[float]]:
        """Forecast quantiles per month, keyed ``"0.05"`` … ``"0.95"``."""
        values = np.quantile(self.samples, QUANTILES, axis=0)
        return {f"{q:g}": [float(v) for v in row] for q, row in zip(QUANTILES, values, strict=True)}


def naive_baseline(monthly: Series) -> tuple[float, float] | None:
    """Mean and sample standard deviation of the last three months (``None``: fewer)."""
    if len(monthly) < 3:
        return None
    last = monthly.values[-3:]
    return float(last.mean()), float(last.std(ddof=1))


def _score(forecast: SeriesForecast) -> None:
    have = np.array([v is not None for v in forecast.observed])
    scores: dict[str, float | None] = {
        "crps": None,
        "coverage_50": None,
        "coverage_90": None,
        "baseline_crps": None,
        "baseline_coverage_50": None,
        "baseline_coverage_90": None,
    }
    if have.any():
        y = np.array([v for v in forecast.observed if v is not None], dtype=np.float64)
        draws = forecast.samples[:, have]
        scores["crps"] = float(crps_samples(draws, y).mean())
        scores["coverage_50"] = float(interval_covers(draws, y, 0.5).mean())
        scores["coverage_90"] = float(interval_covers(draws, y, 0.9).mean())
        if forecast.baseline is not None:
            from scipy.special import ndtri

            mean, sd = forecast.baseline
            scores["baseline_crps"] = float(crps_normal(mean, sd, y).mean())
            for level in (0.5, 0.9):
                half = sd * float(ndtri(0.5 + level / 2.0))
                inside = (y >= mean - half) & (y <= mean + half)
                scores[f"baseline_coverage_{round(level * 100)}"] = float(inside.mean())
    forecast.scores = scores


@dataclass
class Backtest:
    """A backtest: the calibration at the cutoff and the scored forecast of each series."""

    cutoff: dt.date
    horizon: int
    calibration: Calibration
    series: dict[str, SeriesForecast]

    def to_json(self) -> dict[str, Any]:
        """Return the JSON record of ``ceasefire backtest --json``."""
        diagnostics = self.calibration.diagnostics()
        return {
            "cutoff": self.cutoff.isoformat(),
            "horizon": self.horizon,
            "scenario": self.calibration.scenario.name,
            "window_start": self.calibration.window_start.isoformat(),
            "series": {
                name: {
                    "label": forecast.label,
                    "months": forecast.months,
                    "quantiles": forecast.quantiles(),
                    "observed": forecast.observed,
                    **forecast.scores,
                    "baseline": (
                        None
                        if forecast.baseline is None
                        else {"mean": forecast.baseline[0], "sd": forecast.baseline[1]}
                    ),
                }
                for name, forecast in self.series.items()
            },
            "calibration": {
                "particles": self.calibration.particles,
                "runs": self.calibration.runs,
                "max_rhat": diagnostics["max_rhat"],
                "min_ess_bulk": diagnostics["min_ess_bulk"],
                "smc": diagnostics["runs"],
                "ppc": self.calibration.ppc(),
                "notes": self.calibration.notes,
            },
        }


def backtest(
    scenario: Scenario,
    observed: Mapping[str, Series],
    *,
    cutoff: dt.date,
    horizon: int,
    window: int = 6,
    particles: int = 1000,
    runs: int = 2,
    seed: int = 0,
    as_of: Mapping[str, dt.date] | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> Backtest:
    """Calibrate on observations up to ``cutoff``; forecast and score ``horizon`` months.

    Parameters
    ----------
    scenario:
        A scenario with an ``observations:`` section.
    observed:
        Series by name; they may hold data past the cutoff (used only for scoring).
    cutoff:
        Information cutoff, a month's last day.
    horizon:
        Calendar months forecast after the cutoff.
    window, particles, runs, seed, as_of, progress:
        As for :func:`~ceasefire.calibrate.calibrate`.

    Returns
    -------
    Backtest
        The calibration and, per series, forecast samples, quantiles and scores.

    """
    from ceasefire._errors import InputError

    if horizon < 1:
        raise InputError(f"horizon must be at least 1 month, got {horizon}", field="horizon")
    known = {name: series.until(cutoff) for name, series in observed.items()}
    calibration = calibrate(
        scenario,
        known,
        until=cutoff,
        window=window,
        particles=particles,
        runs=runs,
        seed=seed,
        as_of=as_of,
        progress=progress,
    )
    run_scenario = anchored(scenario, calibration.window_start, window + horizon)
    values = calibration.values()
    trajectories = Trajectories.of(_run(run_scenario, values))
    firsts = [month_start(cutoff, k) for k in range(1, horizon + 1)]
    starts = np.array([d.isoformat() for d in firsts], dtype="datetime64[D]")
    ends = np.array(
        [(month_start(d, 1) - dt.timedelta(days=1)).isoformat() for d in firsts],
        dtype="datetime64[D]",
    )
    months = [d.strftime("%Y-%m") for d in firsts]
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[1])
    forecasts: dict[str, SeriesForecast] = {}
    for name, series in observed.items():
        model = observation_model(name, scenario, as_of=(as_of or {}).get(name))
        samples = _predictive(model, (starts, ends), trajectories, run_scenario, values, rng)
        later = _periods(series)
        observed_values: list[float | None] = []
        for start, end in zip(starts, ends, strict=True):
            match = (later.starts == start) & (later.ends == end)
            observed_values.append(float(later.values[match][0]) if match.any() else None)
        try:
            history = to_monthly(known[name])
        except ValueError:
            history = None
        forecast = SeriesForecast(
            name=name,
            label=model.per_month_label,
            months=months,
            samples=samples,
            observed=observed_values,
            baseline=None if history is None else naive_baseline(history),
        )
        _score(forecast)
        forecasts[name] = forecast
    return Backtest(cutoff=cutoff, horizon=horizon, calibration=calibration, series=forecasts)
