"""Forecast scores: the continuous ranked probability score (CRPS) and interval coverage.

CRPS is the score of the ViEWS prediction challenge and of most probabilistic forecasting
work (Gneiting & Raftery, *JASA* 102, 2007): for a forecast distribution ``F`` and an
outcome ``y``, ``CRPS(F, y) = E|X − y| − ½ E|X − X'|`` with ``X, X'`` independent draws from
``F``. It is in the units of the outcome; lower is better; for a point forecast it is the
absolute error.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "QUANTILES",
    "crps_normal",
    "crps_samples",
    "interval_covers",
    "interval_width",
    "pit_histogram",
    "pit_values",
]

FloatArray = npt.NDArray[np.float64]

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""The forecast quantiles reported for every series and month."""


def crps_samples(samples: npt.ArrayLike, observed: npt.ArrayLike) -> FloatArray:
    """CRPS of an ensemble forecast, per outcome.

    Uses the sorted-sample form of ``E|X − X'|``: for sorted ``x_(1) ≤ … ≤ x_(n)``,
    ``E|X − X'| = (2 / n²) Σ_i (2i − n − 1) x_(i)`` (the empirical distribution of the
    samples, as in Gneiting & Raftery 2007, eq. 20).

    Parameters
    ----------
    samples:
        Forecast draws, shape ``(n, m)`` for ``m`` outcomes (or ``(n,)`` for one).
    observed:
        Outcomes, shape ``(m,)`` (or a scalar).

    Returns
    -------
    numpy.ndarray
        The CRPS of each outcome, shape ``(m,)``.

    """
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    y = np.atleast_1d(np.asarray(observed, dtype=np.float64))
    n = x.shape[0]
    if n < 1:
        raise ValueError("crps_samples needs at least one sample")
    if y.shape != (x.shape[1],):
        raise ValueError(f"observed has shape {y.shape}, expected ({x.shape[1]},)")
    sorted_x = np.sort(x, axis=0)
    weights = (2.0 * np.arange(1, n + 1) - n - 1.0)[:, None]
    spread = 2.0 * np.sum(weights * sorted_x, axis=0) / (n * n)
    error = np.mean(np.abs(x - y[None, :]), axis=0)
    return np.asarray(error - 0.5 * spread, dtype=np.float64)


def crps_normal(mean: npt.ArrayLike, sd: npt.ArrayLike, observed: npt.ArrayLike) -> FloatArray:
    """Closed-form CRPS of a normal forecast ``N(mean, sd²)``.

    ``CRPS = sd [z (2Φ(z) − 1) + 2φ(z) − 1/√π]`` with ``z = (y − mean) / sd``
    (Gneiting, Raftery, Westveld & Goldman, *Monthly Weather Review* 133, 2005, eq. 5).
    ``sd = 0`` gives the absolute error.

    Parameters
    ----------
    mean, sd:
        The forecast's mean and standard deviation (broadcast against ``observed``).
    observed:
        The outcomes.

    Returns
    -------
    numpy.ndarray
        The CRPS of each outcome.

    """
    from scipy.special import ndtr

    mu = np.asarray(mean, dtype=np.float64)
    sigma = np.asarray(sd, dtype=np.float64)
    y = np.asarray(observed, dtype=np.float64)
    if np.any(sigma < 0):
        raise ValueError("sd must not be negative")
    safe = np.where(sigma > 0, sigma, 1.0)
    z = (y - mu) / safe
    density = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    score = safe * (z * (2.0 * ndtr(z) - 1.0) + 2.0 * density - 1.0 / math.sqrt(math.pi))
    return np.asarray(np.where(sigma > 0, score, np.abs(y - mu)), dtype=np.float64)


def interval_covers(
    samples: npt.ArrayLike, observed: npt.ArrayLike, level: float
) -> npt.NDArray[np.bool_]:
    """Whether each outcome lies in the forecast's central ``level`` interval.

    The interval runs from the ``(1 − level)/2`` to the ``(1 + level)/2`` sample quantile,
    both ends included.

    Parameters
    ----------
    samples:
        Forecast draws, shape ``(n, m)``.
    observed:
        Outcomes, shape ``(m,)``.
    level:
        Central probability of the interval, in ``(0, 1)`` (0.5 or 0.9 in backtests).

    Returns
    -------
    numpy.ndarray
        Booleans, shape ``(m,)``.

    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    y = np.atleast_1d(np.asarray(observed, dtype=np.float64))
    low, high = np.quantile(x, [(1.0 - level) / 2.0, (1.0 + level) / 2.0], axis=0)
    return np.asarray((y >= low) & (y <= high))


def interval_width(samples: npt.ArrayLike, level: float) -> FloatArray:
    """Width of the forecast's central ``level`` interval per outcome (sample quantiles)."""
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    low, high = np.quantile(x, [(1.0 - level) / 2.0, (1.0 + level) / 2.0], axis=0)
    return np.asarray(high - low, dtype=np.float64)


def pit_values(samples: npt.ArrayLike, observed: npt.ArrayLike) -> FloatArray:
    """Probability integral transform ``F(y)`` of each outcome under the ensemble forecast.

    ``F(y) = (#{x < y} + ½ #{x = y}) / n`` (ties split, so a point mass is not biased).
    A calibrated forecast gives uniform PIT values (Dawid, *JRSS A* 147, 1984; Gneiting,
    Balabdaoui & Raftery, *JRSS B* 69, 2007): a U-shaped histogram says the intervals are
    too narrow, a hump too wide, a slope a biased centre.
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    y = np.atleast_1d(np.asarray(observed, dtype=np.float64))
    below = np.mean(x < y[None, :], axis=0)
    ties = np.mean(x == y[None, :], axis=0)
    return np.asarray(below + 0.5 * ties, dtype=np.float64)


def pit_histogram(pit: npt.ArrayLike, bins: int = 10) -> list[int]:
    """Count the PIT values in ``bins`` equal bins of [0, 1] (the last bin includes 1)."""
    values = np.asarray(pit, dtype=np.float64)
    counts, _ = np.histogram(values, bins=bins, range=(0.0, 1.0))
    return [int(c) for c in counts]
