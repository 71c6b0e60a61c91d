"""The model beside published figures: a scenario's ``checks:`` against its first year.

For each published figure (:class:`ceasefire.scenario.Check`) the model's flow per month,
averaged over the first ``months`` months of each draw, is summarised over the draws and
compared the way the figure's ``bound`` says: a floor should lie at or below the model's
median, a ceiling at or above it, and an estimate should meet the model's 5–95% band.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from ceasefire.scenario import CHECK_MEASURES, DAYS_PER_MONTH, Scenario

__all__ = ["published_checks"]

_WORDS = {
    ("floor", True): "at or above the published floor",
    ("floor", False): "below a published floor",
    ("ceiling", True): "at or below the published ceiling",
    ("ceiling", False): "above a published ceiling",
    ("estimate", True): "the published figure meets the model's 5–95% band",
    ("estimate", False): "the published figure lies outside the model's 5–95% band",
}


def _elapsed_months(ensemble: xr.Dataset) -> np.ndarray:
    if "elapsed_days" in ensemble.coords:
        return np.asarray(ensemble["elapsed_days"].values, dtype=np.float64) / DAYS_PER_MONTH
    return np.asarray(ensemble["time"].values, dtype=np.float64)


def published_checks(
    ensemble: xr.Dataset, scenario: Scenario, months: float = 12.0
) -> list[dict[str, Any]]:
    """Return one row per check of ``scenario``: the published figure, the model, a verdict.

    Parameters
    ----------
    ensemble:
        An ensemble with trajectories (``save="trajectories"``, the report's input).
    scenario:
        The scenario that made it; its ``checks:`` are read.
    months:
        The model's window: the mean flow per month over its first ``months`` months (or
        the whole run where it is shorter).

    Returns
    -------
    list[dict]
        ``side``, ``measure``, ``bound``, ``published`` ``[low, high]``, ``source`` (the key),
        ``source_title``, ``source_date``, ``says``, ``model`` (``median``, ``q05``, ``q95``
        per month), ``months`` (the window used), ``consistent`` and ``verdict`` (words).

    """
    elapsed = _elapsed_months(ensemble)
    end = int(np.argmin(np.abs(elapsed - min(months, float(elapsed[-1])))))
    window = float(elapsed[end] - elapsed[0])
    rows = []
    for check in scenario.checks:
        cumulative = np.zeros((ensemble.sizes["draw"], elapsed.size))
        for name in CHECK_MEASURES[check.measure]:
            cumulative += ensemble[name].sel(side=check.side).transpose("draw", "time").values
        flow = (cumulative[:, end] - cumulative[:, 0]) / max(window, 1e-12)
        q05, median, q95 = (float(v) for v in np.quantile(flow, [0.05, 0.5, 0.95]))
        low, high = check.per_month
        if check.bound == "floor":
            consistent = median >= low
        elif check.bound == "ceiling":
            consistent = median <= high
        else:
            consistent = low <= q95 and high >= q05
        source = scenario.sources[check.source]
        rows.append(
            {
                "side": check.side,
                "measure": check.measure,
                "bound": check.bound,
                "published": [low, high],
                "source": check.source,
                "source_title": source.title,
                "source_date": source.date,
                "says": check.says,
                "model": {"median": median, "q05": q05, "q95": q95},
                "months": round(window, 2),
                "consistent": bool(consistent),
                "verdict": _WORDS[(check.bound, bool(consistent))],
            }
        )
    return rows
