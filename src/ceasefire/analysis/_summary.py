"""Summaries of an ensemble: quantile bands, probabilities in words, and a table.

Every number here is computed from the ensemble; the probability of a manpower
crisis carries its Monte-Carlo uncertainty (a Wilson score interval).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.analysis._words import probability_words, yardstick_legend
from ceasefire.ensemble import MEASURES, StreamedEnsemble

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["QUANTILES", "quantile_bands", "summarize", "summarize_streamed", "wilson_interval"]

QUANTILES = (0.05, 0.5, 0.95)


def _banded() -> list[str]:
    """Return the measures whose quantile bands a summary gives, in the registry's order."""
    return [m.name for m in MEASURES.values() if m.summarized]


def wilson_interval(
    successes: int, trials: int, z: float = 1.959963984540054
) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95% by default)."""
    if trials <= 0:
        raise ValueError("trials must be positive")
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def quantile_bands(values: npt.NDArray[np.float64]) -> dict[str, float | None]:
    """Return the 5/50/95% quantiles of the finite values as ``p05, p50, p95`` (None if none)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return {f"p{round(q * 100):02d}": None for q in QUANTILES}
    qs = np.quantile(finite, QUANTILES)
    return {f"p{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, qs, strict=True)}


def _crisis_months(horizon: float) -> list[int]:
    marks = [m for m in (12, 24, 36) if m <= horizon + 1e-9]
    if not marks or marks[-1] < math.floor(horizon + 1e-9):
        marks.append(math.floor(horizon + 1e-9))
    return [m for m in marks if m > 0]


def summarize(ensemble: xr.Dataset | StreamedEnsemble) -> dict[str, Any]:
    """Return the headline summary of an ensemble as a JSON-ready dict.

    ``ensemble`` is an ``xarray.Dataset`` or what ``save=StreamedSummary()`` returns (then
    the quantiles carry their rank-error bound where the sketches compacted).

    Per side: quantile bands (5/50/95%) of the active force at the start and the
    horizon, permanent losses per recruit, casualties and recruits per month,
    killed and territory change; the probability of a manpower crisis within
    12/24/36 months (those within the horizon) with its interval and words; and
    the distribution of months to crisis, where ``null`` means "beyond the horizon".
    """
    if isinstance(ensemble, StreamedEnsemble):
        return summarize_streamed(ensemble)
    draws = int(ensemble.sizes["draw"])
    horizon = float(ensemble.attrs["horizon_months"])
    sides: dict[str, Any] = {}
    for side in ensemble["side"].values.tolist():
        entry: dict[str, Any] = {}
        for name in _banded():
            if name in ensemble:
                entry[name] = {
                    "units": ensemble[name].attrs.get("units", ""),
                    **quantile_bands(ensemble[name].sel(side=side).values),
                }
        months = ensemble["months_to_crisis"].sel(side=side).values
        if side in str(ensemble.attrs.get("sides_with_minimum", "")).split(","):
            crisis: dict[str, Any] = {}
            for mark in _crisis_months(horizon):
                hits = int(np.count_nonzero(months <= mark))
                low, high = wilson_interval(hits, draws)
                p = hits / draws
                crisis[str(mark)] = {
                    "probability": p,
                    "ci95": [low, high],
                    "words": probability_words(p),
                }
            entry["p_crisis"] = crisis
            # No crisis within the horizon is censored: any value past the horizon will do
            # for the quantiles, which are then reported as null ("beyond the horizon").
            censored = np.where(np.isnan(months), horizon + 1.0, months)
            qs = np.quantile(censored, QUANTILES)
            entry["months_to_crisis"] = {
                "units": "months",
                **{
                    f"p{round(q * 100):02d}": (float(v) if v <= horizon else None)
                    for q, v in zip(QUANTILES, qs, strict=True)
                },
                "note": "null: beyond the horizon",
            }
        sides[side] = entry
    return {
        "scenario": ensemble.attrs["scenario"],
        "title": ensemble.attrs["title"],
        "scenario_sha256": ensemble.attrs["scenario_sha256"],
        "seed": int(ensemble.attrs["seed"]),
        "draws": draws,
        "sampler": ensemble.attrs["sampler"],
        "start": ensemble.attrs["start"],
        "horizon_months": horizon,
        "information_cutoff": ensemble.attrs.get("information_cutoff", ""),
        "ceasefire_version": ensemble.attrs["ceasefire_version"],
        "probability_words": yardstick_legend(),
        "sides": sides,
    }


def summarize_streamed(streamed: StreamedEnsemble) -> dict[str, Any]:
    """Return :func:`summarize`'s dict from a streamed ensemble (``summarize`` calls it).

    While the stream's sketches held every value the result equals ``summarize`` of the
    same ensemble; beyond that the quantiles carry a proven rank-error bound, reported as
    ``quantile_rank_error_bound``. Probabilities are exact counts either way.
    """
    draws = streamed.draws
    horizon = float(streamed.attrs["horizon_months"])
    levels = list(streamed.quantile_levels)

    def bands(values: npt.NDArray[np.float64], side: int) -> dict[str, float | None]:
        return {
            f"p{round(q * 100):02d}": (
                None if np.isnan(values[i, side]) else float(values[i, side])
            )
            for i, q in enumerate(QUANTILES)
        }

    if levels != list(QUANTILES):
        raise ValueError(f"a summary needs the quantiles {QUANTILES}, got {tuple(levels)}")
    sides: dict[str, Any] = {}
    with_minimum = str(streamed.attrs.get("sides_with_minimum", "")).split(",")
    for index, side in enumerate(streamed.sides):
        entry: dict[str, Any] = {}
        for name in _banded():
            if name in streamed.bands:
                entry[name] = {"units": streamed.units[name], **bands(streamed.bands[name], index)}
        if side in with_minimum:
            crisis: dict[str, Any] = {}
            for mark in _crisis_months(horizon):
                hits = streamed.crisis_hits(side, mark)
                low, high = wilson_interval(hits, draws)
                p = hits / draws
                crisis[str(mark)] = {
                    "probability": p,
                    "ci95": [low, high],
                    "words": probability_words(p),
                }
            entry["p_crisis"] = crisis
            assert streamed.crisis_bands is not None  # every stream counts months to crisis
            months = bands(streamed.crisis_bands, index)
            entry["months_to_crisis"] = {
                "units": "months",
                **{
                    key: (v if v is not None and v <= horizon else None)
                    for key, v in months.items()
                },
                "note": "null: beyond the horizon",
            }
        sides[side] = entry
    attrs = streamed.attrs
    summary: dict[str, Any] = {
        "scenario": attrs["scenario"],
        "title": attrs["title"],
        "scenario_sha256": attrs["scenario_sha256"],
        "seed": int(attrs["seed"]),
        "draws": draws,
        "sampler": attrs["sampler"],
        "start": attrs["start"],
        "horizon_months": horizon,
        "information_cutoff": attrs.get("information_cutoff", ""),
        "ceasefire_version": attrs["ceasefire_version"],
        "probability_words": yardstick_legend(),
        "sides": sides,
    }
    if not streamed.exact:
        summary["quantile_rank_error_bound"] = streamed.rank_error
    return summary
