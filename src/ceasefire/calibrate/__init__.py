"""Calibration to observations and scored backtests.

``calibrate(scenario, observed, until=DATE)`` samples the posterior of a scenario's uncertain
parameters given observed series (tempered SMC, several independent runs as ArviZ chains)
and returns a :class:`Calibration` (``values()``, ``diagnostics()``, ``ppc()``,
``to_inference_data()``, ``save(path)``). ``backtest(scenario, observed, cutoff=DATE,
horizon=MONTHS)`` calibrates at the cutoff, forecasts each series month by month and scores
the forecast (CRPS, 50%/90% coverage) against the data after the cutoff and against a naive
baseline. ``posterior_values(path, draws, seed)`` resamples a stored posterior for
``simulate(..., values=...)``. The observation models live in
:mod:`ceasefire.calibrate._observation`; scores in :mod:`ceasefire.calibrate._scoring`.
"""

from ceasefire.calibrate._backtest import Backtest, SeriesForecast, backtest, naive_baseline
from ceasefire.calibrate._calibrate import Calibration, anchored, calibrate, posterior_values
from ceasefire.calibrate._observation import MEASURES, observation_model
from ceasefire.calibrate._scoring import QUANTILES, crps_normal, crps_samples, interval_covers

__all__ = [
    "MEASURES",
    "QUANTILES",
    "Backtest",
    "Calibration",
    "SeriesForecast",
    "anchored",
    "backtest",
    "calibrate",
    "crps_normal",
    "crps_samples",
    "interval_covers",
    "naive_baseline",
    "observation_model",
    "posterior_values",
]
