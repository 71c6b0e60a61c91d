"""Why each manpower crisis happened, read from an ensemble's counters after the run.

For a draw whose side falls below its required minimum at month ``t_c``
(``months_to_crisis``), the counters are read at the first monthly save at or after
``t_c`` and the crisis gets one cause, checked in this order:

1. **pool ran dry**: recruitment from the pool is at most half of what a full pool would
   give, ``(pool(t_c) / pool(0))^γ ≤ ½`` (the depletion law of the model; ``γ`` the side's
   ``pool.depletion_exponent``);
2. **desertion**: the men who deserted since the start are at least the whole net fall of
   the active force, ``deserted(t_c) ≥ active(0) − active(t_c)``: without desertion the
   force would not have fallen that far;
3. **losses outran recruits**: otherwise, combat losses (killed, and wounded not returned)
   exceeded what recruitment replaced.

The rule is a reading of the counters, not a counterfactual run; the order puts the
structural limit (the pool) before the flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["CAUSES", "crisis_causes"]

CAUSES = ("losses outran recruits", "pool ran dry", "desertion")
"""The possible causes, in the order a report lists them."""

FloatArray = npt.NDArray[np.float64]


def _exponent(ensemble: xr.Dataset, scenario: Any, side: str, draws: int) -> FloatArray:
    name = f"sides.{side}.pool.depletion_exponent"
    if name in ensemble:
        return np.asarray(ensemble[name].values, dtype=np.float64)
    pool = None if scenario is None else scenario.sides[side].pool
    value = 1.0 if pool is None else pool.depletion_exponent.central()
    return np.full(draws, value)


def crisis_causes(
    ensemble: xr.Dataset, scenario: Any = None, *, within_months: float | None = None
) -> dict[str, dict[str, Any]]:
    """Count the crises of each side by cause.

    Parameters
    ----------
    ensemble:
        A ``simulate`` dataset saved with trajectories (``save="trajectories"``).
    scenario:
        The scenario, for the pool's depletion exponent where it is not sampled.
    within_months:
        Count only crises up to this month (default: the whole horizon).

    Returns
    -------
    dict
        Per side: ``draws``, ``crises`` (count), ``at_start`` (crises at month 0, which a
        consistent scenario never has) and ``causes`` (count per entry of :data:`CAUSES`).

    """
    if "active" not in ensemble or "months_to_crisis" not in ensemble:
        raise ValueError("crisis causes need an ensemble saved with trajectories")
    months = np.asarray(ensemble["time"].values, dtype=np.float64)
    out: dict[str, dict[str, Any]] = {}
    for side in (str(s) for s in ensemble["side"].values):
        crisis = np.asarray(ensemble["months_to_crisis"].sel(side=side).values, dtype=np.float64)
        draws = crisis.shape[0]
        hit = np.isfinite(crisis)
        if within_months is not None:
            hit &= crisis <= within_months
        active = ensemble["active"].sel(side=side).sum("channel").values
        deserted = ensemble["deserted"].sel(side=side).values
        pool = ensemble["pool"].sel(side=side).values if "pool" in ensemble else None
        index = np.minimum(np.searchsorted(months, np.where(hit, crisis, 0.0)), len(months) - 1)
        rows = np.arange(draws)
        fall = active[:, 0] - active[rows, index]
        by_desertion = (deserted[rows, index] - deserted[:, 0]) >= np.maximum(fall, 0.0)
        dry = np.zeros(draws, dtype=bool)
        if pool is not None and np.all(np.isfinite(pool[:, 0])):
            gamma = _exponent(ensemble, scenario, side, draws)
            with np.errstate(divide="ignore", invalid="ignore"):
                left = np.where(pool[:, 0] > 0, pool[rows, index] / pool[:, 0], 1.0)
            dry = left**gamma <= 0.5
        cause = np.where(dry, 1, np.where(by_desertion, 2, 0))
        out[side] = {
            "draws": draws,
            "crises": int(hit.sum()),
            "at_start": int(np.sum(hit & (crisis <= 0.0))),
            "causes": {name: int(np.sum(hit & (cause == k))) for k, name in enumerate(CAUSES)},
        }
    return out
