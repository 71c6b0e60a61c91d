"""Reduce an ensemble to what the report's figures show: bands by month, probabilities by month.

Each function reads only the ensemble and returns plain arrays; nothing here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["BAND_QUANTILES", "Bands", "crisis_by_month", "monthly_flow", "stock_bands"]

FloatArray = npt.NDArray[np.float64]

BAND_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""The fan: 5–95% and 25–75% bands around the median."""


@dataclass(frozen=True)
class Bands:
    """Quantiles over draws at each month: ``values[q, t]`` for ``BAND_QUANTILES[q]``."""

    months: FloatArray
    values: FloatArray

    def at(self, quantile: float) -> FloatArray:
        """Return the series of one quantile of ``BAND_QUANTILES``."""
        return self.values[BAND_QUANTILES.index(quantile)]


def _bands(months: FloatArray, per_draw: FloatArray) -> Bands:
    """Quantiles over axis 0 (draws) of ``per_draw[draw, t]``."""
    values = np.nanquantile(per_draw, BAND_QUANTILES, axis=0)
    return Bands(months=months, values=np.asarray(values, dtype=np.float64))


def has_trajectories(ensemble: xr.Dataset) -> bool:
    """Whether the ensemble kept monthly trajectories (``save="trajectories"``)."""
    return "time" in ensemble.dims and "active" in ensemble


def stock_bands(ensemble: xr.Dataset, side: str) -> Bands:
    """Bands of a side's active force (all channels) by month."""
    active = ensemble["active"].sel(side=side).sum("channel").transpose("draw", "time")
    return _bands(np.asarray(ensemble["time"].values, dtype=np.float64), active.values)


def front_bands(ensemble: xr.Dataset) -> Bands:
    """Bands of the area held by the front's holder by month (km²)."""
    front = ensemble["front"].transpose("draw", "time")
    return _bands(np.asarray(ensemble["time"].values, dtype=np.float64), front.values)


def monthly_flow(ensemble: xr.Dataset, side: str, counters: tuple[str, ...]) -> Bands:
    """Bands of a flow per month: the monthly increase of the summed cumulative ``counters``.

    Each saved interval's increase is divided by its length in months, and placed at the
    interval's end.
    """
    cumulative = np.sum(
        [ensemble[name].sel(side=side).transpose("draw", "time").values for name in counters],
        axis=0,
        dtype=np.float64,
    )
    months = np.asarray(ensemble["time"].values, dtype=np.float64)
    # Saves fall on the nearest integration step, so intervals differ by a step: divide by
    # the exact elapsed time, not the nominal month.
    if "elapsed_days" in ensemble.coords:
        from ceasefire.scenario import DAYS_PER_MONTH

        elapsed = np.asarray(ensemble["elapsed_days"].values, dtype=np.float64) / DAYS_PER_MONTH
    else:
        elapsed = months
    per_month = np.diff(cumulative, axis=1) / np.diff(elapsed)[None, :]
    return _bands(months[1:], per_month)


def crisis_by_month(ensemble: xr.Dataset, side: str) -> tuple[FloatArray, FloatArray]:
    """P(the side's active force has fallen below its required minimum) by whole month.

    From the per-draw ``months_to_crisis`` (nan: no crisis within the horizon), so it works
    for summary-only ensembles too.
    """
    horizon = float(ensemble.attrs["horizon_months"])
    months = np.arange(0.0, np.floor(horizon + 1e-9) + 1.0)
    to_crisis = np.asarray(ensemble["months_to_crisis"].sel(side=side).values, dtype=np.float64)
    hit = np.where(np.isnan(to_crisis), np.inf, to_crisis)
    probability = (hit[None, :] <= months[:, None]).mean(axis=1)
    return months, np.asarray(probability, dtype=np.float64)


def parameter_median(ensemble: xr.Dataset, path: str) -> float | None:
    """Median over draws of a sampled parameter, or None when it was not sampled."""
    if path not in ensemble:
        return None
    return float(np.median(ensemble[path].values))
