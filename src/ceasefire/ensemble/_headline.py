"""The per-draw headline measures of a chunk, and the per-side sums they are built from."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ceasefire.model import ChunkResult
from ceasefire.scenario import DAYS_PER_MONTH

__all__ = ["HEADLINE_ATTRS", "SIDE_TRAJECTORIES", "headline_measures", "side_sums"]

FloatArray = npt.NDArray[np.float64]

HEADLINE_ATTRS: dict[str, dict[str, str]] = {
    "active_initial": {"units": "men", "long_name": "active force at the start"},
    "active_final": {"units": "men", "long_name": "active force at the horizon"},
    "months_to_crisis": {
        "units": "months",
        "long_name": "months until the active force first falls below the required minimum "
        "(nan: not within the horizon, or no minimum set)",
    },
    "loss_to_recruitment": {
        "units": "1",
        "long_name": "permanent losses (killed + discharged + deserted) per recruit, "
        "over the horizon",
    },
    "casualties_per_month": {
        "units": "men/month",
        "long_name": "killed + wounded per month, horizon average",
    },
    "recruits_per_month": {
        "units": "men/month",
        "long_name": "recruits per month, horizon average",
    },
    "killed_total": {"units": "men", "long_name": "killed over the horizon"},
    "territory_change": {
        "units": "km2",
        "long_name": "change in contested area held, start to horizon",
    },
}


# Trajectories kept per side (summed over channels), with their long names, in file order.
SIDE_TRAJECTORIES = {
    "training": "recruits in training",
    "wounded": "wounded under treatment",
    "recruited": "cumulative recruits",
    "killed": "cumulative killed",
    "wounded_total": "cumulative wounded",
    "returned": "cumulative wounded returned to duty",
    "discharged": "cumulative wounded discharged",
    "deserted": "cumulative deserted",
}


def side_sums(slots: FloatArray, side_start: npt.NDArray[np.intp], axis: int) -> FloatArray:
    """Sum the slots of each side along ``axis`` (slots of side 0 first).

    What ``np.add.reduceat(slots, side_start, axis)`` gives (summed left to right, so the
    last digit can differ), without its slowness on an axis that is not the last (about a
    quarter of the time of keeping trajectories on the reference workload); a side of one
    slot is its slot.
    """
    moved = np.moveaxis(slots, axis, 0)
    count = moved.shape[0]
    if len(side_start) == count:
        return slots.copy()
    stops = [*side_start[1:].tolist(), count]
    parts = []
    for first, stop in zip(side_start.tolist(), stops, strict=True):
        total = moved[first].copy()
        for k in range(first + 1, stop):
            total += moved[k]
        parts.append(total)
    return np.stack(parts, axis=axis)


def headline_measures(
    result: ChunkResult,
    side_start: npt.NDArray[np.intp],
    integrated_months: float,
    holder: int | None,
) -> dict[str, FloatArray]:
    """Reduce one chunk to its per-draw headline measures, each ``(draws, sides)``."""

    def per_side(slots: FloatArray) -> FloatArray:
        return side_sums(slots, side_start, 0).T

    final = result.final
    recruited = per_side(final["recruited"])
    permanent = per_side(final["killed"] + final["discharged"] + final["deserted"])
    ratio = np.full_like(recruited, np.nan)
    with np.errstate(over="ignore"):  # a handful of recruits against many losses: inf
        np.divide(permanent, recruited, out=ratio, where=recruited > 0)
    out = {
        "active_initial": per_side(result.initial["active"]),
        "active_final": per_side(final["active"]),
        "months_to_crisis": result.crisis_day.T / DAYS_PER_MONTH,
        "loss_to_recruitment": ratio,
        "casualties_per_month": per_side(final["killed"] + final["wounded_total"])
        / integrated_months,
        "recruits_per_month": recruited / integrated_months,
        "killed_total": per_side(final["killed"]),
    }
    if holder is not None:
        change = final["front"] - result.initial["front"]
        sides = len(side_start)
        out["territory_change"] = np.stack(
            [change if s == holder else -change for s in range(sides)], axis=-1
        )
    return out
