"""Scenario comparison with common random numbers.

Each variant is simulated with the base's seed, draws and design. Parameters the
scenarios share get the same draws (each parameter has its own random stream, keyed
by its path), so draw ``i`` of the variant is draw ``i`` of the base with only the
variant's changes applied. The difference of a measure is then computed draw by
draw, and its interval is that of a paired mean: far narrower than comparing two
independent ensembles, and exactly zero when a scenario is compared with itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire.ensemble import MEASURES

if TYPE_CHECKING:
    import xarray as xr

    from ceasefire.scenario import Scenario

__all__ = ["COMPARED", "compare", "compare_ensembles"]

FloatArray = npt.NDArray[np.float64]


def compared_measures() -> tuple[str, ...]:
    """Return the per-draw headline measures compared, each per side (the registry's)."""
    return tuple(m.name for m in MEASURES.values() if m.compared)


COMPARED = compared_measures()
"""The measures compared when this module was imported (:func:`compared_measures` is live)."""

_Z95 = 1.959963984540054


def _paired(base: FloatArray, variant: FloatArray) -> dict[str, Any]:
    both = np.isfinite(base) & np.isfinite(variant)
    diff = variant[both] - base[both]
    n = int(diff.size)
    if n == 0:
        return {"pairs": 0, "mean_difference": None, "ci95": [None, None]}
    mean = float(np.mean(diff))
    half = _Z95 * float(np.std(diff, ddof=1)) / math.sqrt(n) if n > 1 else math.inf
    return {
        # One statistic throughout: the mean, for which the difference of the two equals
        # the mean of the paired differences (medians do not subtract).
        "base_mean": float(np.mean(base[both])),
        "variant_mean": float(np.mean(variant[both])),
        "base_median": float(np.median(base[both])),
        "variant_median": float(np.median(variant[both])),
        "mean_difference": mean,
        "ci95": [mean - half, mean + half] if math.isfinite(half) else [None, None],
        "median_difference": float(np.median(diff)),
        "pairs": n,
    }


def compare_ensembles(base: xr.Dataset, variant: xr.Dataset) -> dict[str, Any]:
    """Compare two ensembles drawn with the same seed and draws, draw by draw."""
    if base.sizes["draw"] != variant.sizes["draw"]:
        raise ValueError("the ensembles have different numbers of draws")
    if base.attrs.get("seed") != variant.attrs.get("seed"):
        raise ValueError("the ensembles have different seeds: draws would not be paired")
    sides = [str(s) for s in base["side"].values]
    shared = sorted(
        str(name)
        for name in base.data_vars
        if "." in str(name)
        and name in variant.data_vars
        and np.array_equal(base[name].values, variant[name].values)
    )
    horizon = float(base.attrs["horizon_months"])
    measures: dict[str, dict[str, Any]] = {}
    for side in sides:
        for name in compared_measures():
            if name not in base.data_vars or name not in variant.data_vars:
                continue
            measures[f"{name}.{side}"] = {
                "units": str(base[name].attrs.get("units", "")),
                **_paired(
                    np.asarray(base[name].sel(side=side).values, dtype=np.float64),
                    np.asarray(variant[name].sel(side=side).values, dtype=np.float64),
                ),
            }
        with_minimum = str(base.attrs.get("sides_with_minimum", "")).split(",")
        if side not in with_minimum:
            continue
        for month in sorted({12, 24, int(horizon)} & set(range(1, int(horizon) + 1))):
            crisis = [
                np.nan_to_num(
                    np.asarray(ds["months_to_crisis"].sel(side=side).values, dtype=np.float64),
                    nan=np.inf,
                )
                <= month
                for ds in (base, variant)
            ]
            paired = _paired(crisis[0].astype(np.float64), crisis[1].astype(np.float64))
            measures[f"p_crisis_{month}m.{side}"] = {
                "units": "probability",
                "base": float(np.mean(crisis[0])),
                "variant": float(np.mean(crisis[1])),
                "mean_difference": paired["mean_difference"],
                "ci95": paired["ci95"],
                "pairs": paired["pairs"],
            }
    # Measures a higher layer added (the deal calculus): per draw and month, compared at a
    # few months.
    for name in sorted(str(n) for n in base.data_vars if base[n].attrs.get("compare_months")):
        if name not in variant.data_vars:
            continue
        for month in base[name].attrs["compare_months"]:
            if float(month) not in set(base["time"].values.tolist()):
                continue
            measures[f"{name}@{month:g}"] = {
                "units": str(base[name].attrs.get("units", "")),
                **_paired(
                    np.asarray(base[name].sel(time=month).values, dtype=np.float64),
                    np.asarray(variant[name].sel(time=month).values, dtype=np.float64),
                ),
            }
    return {
        "base": base.attrs.get("scenario", ""),
        "variant": variant.attrs.get("scenario", ""),
        "base_sha256": base.attrs.get("scenario_sha256", ""),
        "variant_sha256": variant.attrs.get("scenario_sha256", ""),
        "shared_parameters": len(shared),
        "measures": measures,
    }


def compare(
    base: Scenario,
    variants: Sequence[Scenario],
    *,
    draws: int = 10_000,
    seed: int = 0,
    sampler: str = "mc",
    progress: Callable[[int, int], None] | None = None,
    simulate_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Compare each variant with ``base`` under common random numbers.

    Returns ``{"draws", "seed", "sampler", "comparisons": [...]}``, one entry per
    variant as :func:`compare_ensembles` gives it: for every headline measure of
    each side the means (and medians) over the draws both have, the mean paired
    difference (variant − base, which equals the difference of the means) with its 95%
    interval, and for the crisis probabilities the two probabilities and their
    difference.
    """
    from ceasefire.analysis._measures import _AUGMENTERS, add_registered_measures
    from ceasefire.ensemble import simulate

    options = dict(simulate_options or {})
    total = draws * (1 + len(variants))
    # Measures added after the run need the trajectories: money (where the scenario has
    # costs) and the registered layers' (the deal calculus).
    after_run = base.costs is not None or (bool(_AUGMENTERS) and base.bargaining is not None)
    save: Literal["trajectories", "summary"] = "trajectories" if after_run else "summary"
    done = 0

    def run(scenario: Scenario) -> xr.Dataset:
        nonlocal done
        offset = done

        def report(finished: int, _: int) -> None:
            if progress is not None:
                progress(offset + finished, total)

        ensemble = simulate(
            scenario,
            draws=draws,
            seed=seed,
            sampler=sampler,
            save=save,
            progress=report,
            **options,
        )
        done += draws
        return add_registered_measures(ensemble, scenario)

    reference = run(base)
    comparisons = [compare_ensembles(reference, run(variant)) for variant in variants]
    return {"draws": draws, "seed": seed, "sampler": sampler, "comparisons": comparisons}
