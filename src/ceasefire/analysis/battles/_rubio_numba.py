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

__all__ = ["steps", "steps_serial"]

_losses = numba.njit(cache=True, inline="always")(step_losses)
_factor = numba.njit(cache=True, inline="always")(step_factor)


@numba.njit(cache=True, error_model="numpy")
def _one_run(
    law: int,
    ratios: Any,
    red0: Any,
    red_lost: Any,
    blue0: Any,
    blue_lost: Any,
    men: float,
    rounding: bool,
    max_steps: int,
) -> tuple[float, int]:  # pragma: no cover - compiled; the tests compare it with NumPy
    """Distance of one run (power ratios ``ratios[b]``) and how many battles hit the cap."""
    total = 0.0
    capped = 0
    for b in range(len(red0)):
        red, blue = red0[b], blue0[b]
        red_end, blue_end = red0[b] - red_lost[b], blue0[b] - blue_lost[b]
        k_blue = _factor(law, men, red0[b], blue0[b])
        k_red = k_blue * ratios[b]
        step = 0
        while red > red_end and blue > blue_end:
            if step == max_steps:
                capped += 1
                break
            red_loss, blue_loss = _losses(law, k_blue, k_red, red, blue, step)
            red, blue = red - red_loss, blue - blue_loss
            if rounding:
                red, blue = np.trunc(red), np.trunc(blue)
            step += 1
        total += abs(red0[b] - red - red_lost[b]) / red_lost[b]
        total += abs(blue0[b] - blue - blue_lost[b]) / blue_lost[b]
    return total, capped


@numba.njit(cache=True, parallel=True)
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
    """Distance per run and battles capped per run, runs over threads."""
    n_runs = ratios.shape[0]
    distances = np.zeros(n_runs)
    capped = np.zeros(n_runs, dtype=np.int64)
    for run in numba.prange(n_runs):
        distances[run], capped[run] = _one_run(
            laws[run], ratios[run], red0, red_lost, blue0, blue_lost, men, rounding, max_steps
        )
    return distances, capped


@numba.njit(cache=True)
def steps_serial(
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
    """Run :func:`steps` on the calling thread, for a few runs (ABC-SMC particles).

    Waking the thread pool for one run costs more than the run itself.
    """
    n_runs = ratios.shape[0]
    distances = np.zeros(n_runs)
    capped = np.zeros(n_runs, dtype=np.int64)
    for run in range(n_runs):
        distances[run], capped[run] = _one_run(
            laws[run], ratios[run], red0, red_lost, blue0, blue_lost, men, rounding, max_steps
        )
    return distances, capped
