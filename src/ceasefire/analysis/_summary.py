"""Summaries of an ensemble: quantile bands, probabilities in words, and a table.

Every number here is computed from the ensemble; the probability of a manpower
crisis carries its Monte-Carlo uncertainty (a Wilson score interval).
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.analysis._summary_types import Band, CrisisChance, SideSummary, Summary
from ceasefire.analysis._words import probability_words, yardstick_legend
from ceasefire.ensemble import MEASURES, StreamedEnsemble

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "QUANTILES",
    "quantile_bands",
    "summarize",
    "summarize_streamed",
    "summary_of",
    "wilson_interval",
]

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

    ``summary_of(ensemble).to_json()``: the typed :class:`Summary`, serialised.
    """
    return summary_of(ensemble).to_json()


def _crisis(hits: int, draws: int) -> CrisisChance:
    low, high = wilson_interval(hits, draws)
    p = hits / draws
    return CrisisChance(p, (low, high), probability_words(p))


_BEYOND = "null: beyond the horizon"


def _band(units: str, quantiles: dict[str, float | None]) -> Band:
    return Band(units, quantiles["p05"], quantiles["p50"], quantiles["p95"])


def _provenance(attrs: Any, draws: int, sides: dict[str, SideSummary]) -> Summary:
    return Summary(
        scenario=attrs["scenario"],
        title=attrs["title"],
        scenario_sha256=attrs["scenario_sha256"],
        seed=int(attrs["seed"]),
        draws=draws,
        sampler=attrs["sampler"],
        start=attrs["start"],
        horizon_months=float(attrs["horizon_months"]),
        information_cutoff=attrs.get("information_cutoff", ""),
        ceasefire_version=attrs["ceasefire_version"],
        probability_words=yardstick_legend(),
        sides=sides,
    )


def summary_of(ensemble: xr.Dataset | StreamedEnsemble) -> Summary:
    """Return the headline summary of an ensemble (in memory or streamed).

    Per side: quantile bands (5/50/95%) of each headline measure the registry summarises
    (active force at the start and the horizon, permanent losses per recruit, casualties
    and recruits per month, killed, territory change); the probability of a manpower
    crisis within 12/24/36 months (those within the horizon) with its interval and words;
    and the distribution of months to crisis, where ``None`` means "beyond the horizon".
    A streamed ensemble gives the same numbers while its sketches held every value, and
    else quantiles within ``quantile_rank_error_bound``.
    """
    if isinstance(ensemble, StreamedEnsemble):
        return _summary_streamed(ensemble)
    draws = int(ensemble.sizes["draw"])
    horizon = float(ensemble.attrs["horizon_months"])
    with_minimum = str(ensemble.attrs.get("sides_with_minimum", "")).split(",")
    sides: dict[str, SideSummary] = {}
    for side in ensemble["side"].values.tolist():
        bands = {
            name: _band(
                ensemble[name].attrs.get("units", ""),
                quantile_bands(ensemble[name].sel(side=side).values),
            )
            for name in _banded()
            if name in ensemble
        }
        if side not in with_minimum:
            sides[side] = SideSummary(bands)
            continue
        months = ensemble["months_to_crisis"].sel(side=side).values
        crisis = {
            mark: _crisis(int(np.count_nonzero(months <= mark)), draws)
            for mark in _crisis_months(horizon)
        }
        # No crisis within the horizon is censored: any value past the horizon will do
        # for the quantiles, which are then reported as None ("beyond the horizon").
        censored = np.where(np.isnan(months), horizon + 1.0, months)
        p05, p50, p95 = (
            float(v) if v <= horizon else None for v in np.quantile(censored, QUANTILES)
        )
        sides[side] = SideSummary(bands, crisis, Band("months", p05, p50, p95, _BEYOND))
    return _provenance(ensemble.attrs, draws, sides)


def summarize_streamed(streamed: StreamedEnsemble) -> dict[str, Any]:
    """Return :func:`summarize`'s dict from a streamed ensemble (``summarize`` takes one too)."""
    return _summary_streamed(streamed).to_json()


def _summary_streamed(streamed: StreamedEnsemble) -> Summary:
    draws = streamed.draws
    horizon = float(streamed.attrs["horizon_months"])
    levels = list(streamed.quantile_levels)
    if levels != list(QUANTILES):
        raise ValueError(f"a summary needs the quantiles {QUANTILES}, got {tuple(levels)}")

    def band(units: str, values: npt.NDArray[np.float64], side: int) -> Band:
        p05, p50, p95 = (
            None if np.isnan(values[i, side]) else float(values[i, side])
            for i in range(len(QUANTILES))
        )
        return Band(units, p05, p50, p95)

    sides: dict[str, SideSummary] = {}
    with_minimum = str(streamed.attrs.get("sides_with_minimum", "")).split(",")
    for index, side in enumerate(streamed.sides):
        bands = {
            name: band(streamed.units[name], streamed.bands[name], index)
            for name in _banded()
            if name in streamed.bands
        }
        if side not in with_minimum:
            sides[side] = SideSummary(bands)
            continue
        crisis = {
            mark: _crisis(streamed.crisis_hits(side, mark), draws)
            for mark in _crisis_months(horizon)
        }
        assert streamed.crisis_bands is not None  # every stream counts months to crisis
        months = band("months", streamed.crisis_bands, index)
        p05, p50, p95 = (
            v if v is not None and v <= horizon else None
            for v in (months.p05, months.p50, months.p95)
        )
        sides[side] = SideSummary(bands, crisis, Band("months", p05, p50, p95, _BEYOND))
    summary = _provenance(streamed.attrs, draws, sides)
    if not streamed.exact:
        summary = dataclasses.replace(summary, quantile_rank_error_bound=streamed.rank_error)
    return summary
