"""The rubio2016 forward model compiled by Numba: one loop per run and battle.

The same steps as the NumPy path of :mod:`._rubio_kernel` (the step laws of
:mod:`._rubio_laws`, compiled from the same functions), with runs spread over threads
(``prange``) and each battle's loop kept in registers. Compiled on first use and cached
on disk. Numba is optional (extra ``fast``): import this module only for that engine.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from ceasefire.analysis.battles._rubio_laws import step_factor, step_losses

__all__ = ["steps"]

_losses = numba.njit(cache=True, inline="always")(step_losses)
_factor = numba.njit(cache=True, inline="always")(step_factor)


@numba.njit(cache=True, parallel=True, error_model="numpy")
def steps(
    laws: Any,
    ratios: Any,
    red0: Any,
    red_lost: Any,
    blue0: Any,
    blue_lost: Any,
    men: float,
    rounding: bool,
    max_steps: int,
) -> tuple[Any, Any]:  # pragma: no cover - compiled; the tests compare it with NumPy
    """Distance per run and battles capped per run; arguments as ``run_distances``."""
    n_runs, n_battles = ratios.shape
    distances = np.zeros(n_runs)
    capped = np.zeros(n_runs, dtype=np.int64)
    for run in numba.prange(n_runs):
        law = laws[run]
        total = 0.0
        for b in range(n_battles):
            red, blue = red0[b], blue0[b]
            red_end, blue_end = red0[b] - red_lost[b], blue0[b] - blue_lost[b]
            k_blue = _factor(law, men, red0[b], blue0[b])
            k_red = k_blue * ratios[run, b]
            step = 0
            while red > red_end and blue > blue_end:
                if step == max_steps:
                    capped[run] += 1
                    break
                red_loss, blue_loss = _losses(law, k_blue, k_red, red, blue, step)
                red, blue = red - red_loss, blue - blue_loss
                if rounding:
                    red, blue = np.trunc(red), np.trunc(blue)
                step += 1
            total += abs(red0[b] - red - red_lost[b]) / red_lost[b]
            total += abs(blue0[b] - blue - blue_lost[b]) / blue_lost[b]
        distances[run] = total
    return distances, capped
