"""Backtests: calibrate up to a cutoff, forecast the months after it, score against the data.

For each observed series the forecast is the posterior predictive of its monthly value
(observation model × log-normal noise, over the calibrated particles) for the ``horizon``
calendar months after the cutoff, reported as the quantiles :data:`QUANTILES`. Where the
file holds those months, the forecast is scored per month and on average: CRPS, whether the
50% and 90% central intervals hold the outcome, the 90% interval's width, and the PIT
(probability integral transform) with its histogram. Two naive baselines are scored the same
way (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., 2021, §5.2):

- ``mean_last_3``: a normal with the mean and standard deviation of the last three observed
  months, the same for every month ahead;
- ``persistence``: a normal centred on the last observed month whose standard deviation is
  that of the last 12 month-to-month changes times ``√h`` for the ``h``-th month after the
  last observation (a random walk with the recent spread of changes).

Only observations up to the cutoff reach the calibration and the baselines, whatever the
files contain.
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
from ceasefire.calibrate._scoring import (
    QUANTILES,
    crps_normal,
    crps_samples,
    interval_covers,
    interval_width,
    pit_histogram,
    pit_values,
)
from ceasefire.observe import Series, to_monthly
from ceasefire.scenario import Scenario

__all__ = [
    "Backtest",
    "NormalForecast",
    "SeriesForecast",
    "backtest",
    "naive_baseline",
    "persistence_baseline",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class NormalForecast:
    """A naive forecast: a normal distribution per forecast month."""

    description: str
    means: FloatArray
    sds: FloatArray

    def scores(self, have: npt.NDArray[np.bool_], y: FloatArray) -> dict[str, Any]:
        """CRPS, coverage, 90% width and PIT over the observed months ``have`` (outcomes ``y``)."""
        from scipy.special import ndtr, ndtri

        mean, sd = self.means[have], self.sds[have]
        crps = crps_normal(mean, sd, y)
        out: dict[str, Any] = {
            "description": self.description,
            "crps": float(crps.mean()),
            "crps_by_month": _by_month(have, crps),
        }
        for level in (0.5, 0.9):
            half = sd * float(ndtri(0.5 + level / 2.0))
            inside = (y >= mean - half) & (y <= mean + half)
            out[f"coverage_{round(level * 100)}"] = float(inside.mean())
            out[f"covered_{round(level * 100)}"] = _by_month(have, inside)
        out["width_90"] = float(np.mean(2.0 * sd * float(ndtri(0.95))))
        safe = np.where(sd > 0, sd, 1.0)
        pit = np.where(sd > 0, ndtr((y - mean) / safe), (y >= mean).astype(np.float64))
        out["pit_histogram"] = pit_histogram(pit)
        return out


def _by_month(have: npt.NDArray[np.bool_], values: npt.ArrayLike) -> list[Any]:
    """Spread per-observed-month values over all forecast months (``None`` where unobserved)."""
    it = iter(np.asarray(values).tolist())
    return [next(it) if h else None for h in have]


@dataclass
class SeriesForecast:
    """The forecast of one series for the months after the cutoff, and its scores."""

    name: str
    label: str
    months: list[str]
    samples: FloatArray
    observed: list[float | None]
    baseline: tuple[float, float] | None
    scores: dict[str, Any] = field(default_factory=dict)
    baselines: dict[str, NormalForecast] = field(default_factory=dict)

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


def persistence_baseline(monthly: Series, months: list[str]) -> NormalForecast | None:
    """Last value, spread of the last 12 month-to-month changes × √h (``None``: < 3 months).

    ``h`` counts calendar months from the last observed month to each month of ``months``
    (``YYYY-MM``), so a series that stops before the cutoff gets the wider spread it should.
    """
    if len(monthly) < 3:
        return None
    changes = np.diff(monthly.values[-13:])
    spread = float(changes.std(ddof=1))
    last = np.datetime64(str(monthly.ends[-1].astype("datetime64[M]")), "M")
    ahead = np.array([(np.datetime64(m, "M") - last).astype(int) for m in months], dtype=float)
    return NormalForecast(
        "persistence: the last month, with the spread of the last 12 monthly changes × √h",
        np.full(len(months), float(monthly.values[-1])),
        spread * np.sqrt(np.maximum(ahead, 1.0)),
    )


def _score(forecast: SeriesForecast) -> None:
    have = np.array([v is not None for v in forecast.observed])
    scores: dict[str, Any] = dict.fromkeys(
        (
            "crps",
            "coverage_50",
            "coverage_90",
            "width_90",
            "baseline_crps",
            "baseline_coverage_50",
            "baseline_coverage_90",
        )
    )
    # The 90% interval's width is a property of the forecast, observed or not.
    scores["width_90_by_month"] = [float(w) for w in interval_width(forecast.samples, 0.9)]
    scores["baselines"] = {}
    if have.any():
        y = np.array([v for v in forecast.observed if v is not None], dtype=np.float64)
        draws = forecast.samples[:, have]
        crps = crps_samples(draws, y)
        scores["crps"] = float(crps.mean())
        scores["crps_by_month"] = _by_month(have, crps)
        for level in (0.5, 0.9):
            inside = interval_covers(draws, y, level)
            scores[f"coverage_{round(level * 100)}"] = float(inside.mean())
            scores[f"covered_{round(level * 100)}"] = _by_month(have, inside)
        scores["width_90"] = float(interval_width(draws, 0.9).mean())
        pit = pit_values(draws, y)
        scores["pit"] = _by_month(have, pit)
        scores["pit_histogram"] = pit_histogram(pit)
        for name, baseline in forecast.baselines.items():
            scores["baselines"][name] = baseline.scores(have, y)
        if "mean_last_3" in scores["baselines"]:  # the keys of earlier versions, kept
            first = scores["baselines"]["mean_last_3"]
            scores["baseline_crps"] = first["crps"]
            scores["baseline_coverage_50"] = first["coverage_50"]
            scores["baseline_coverage_90"] = first["coverage_90"]
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
    # The calibration's own scenario: re-anchored, with the front where the map put it.
    run_scenario = anchored(calibration.scenario, calibration.window_start, window + horizon)
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
        baseline = None if history is None else naive_baseline(history)
        baselines: dict[str, NormalForecast] = {}
        if baseline is not None:
            baselines["mean_last_3"] = NormalForecast(
                "mean and spread of the last three months",
                np.full(len(months), baseline[0]),
                np.full(len(months), baseline[1]),
            )
        persistence = None if history is None else persistence_baseline(history, months)
        if persistence is not None:
            baselines["persistence"] = persistence
        forecast = SeriesForecast(
            name=name,
            label=model.per_month_label,
            months=months,
            samples=samples,
            observed=observed_values,
            baseline=baseline,
            baselines=baselines,
        )
        _score(forecast)
        forecasts[name] = forecast
    return Backtest(cutoff=cutoff, horizon=horizon, calibration=calibration, series=forecasts)
