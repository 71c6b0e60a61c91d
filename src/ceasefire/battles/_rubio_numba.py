"""The rubio2016 forward model compiled by Numba: one loop per run and battle.

The same steps as the NumPy path of :mod:`._rubio_kernel` (the step laws of
:mod:`._rubio_laws`, compiled from the same functions), with runs spread over threads
(``prange``) and each battle's loop kept in registers. Where many truncated steps in a
row take the same whole number of men (the long tail of battles that lose a man or two
a step: most of the steps on CDB90), they are applied at once (:func:`_stretch`).
Compiled on first use and cached on disk. Numba is optional (extra ``fast``): import
this module only for that engine.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from ceasefire.battles._rubio_laws import step_factor, step_losses

__all__ = ["one_run", "steps"]

_losses: Any = numba.njit(cache=True, inline="always")(step_losses)
_factor: Any = numba.njit(cache=True, inline="always")(step_factor)


@numba.njit(cache=True, error_model="numpy")
def _same_steps(
    law: int,
    k_blue: float,
    k_red: float,
    red: float,
    blue: float,
    red_step: float,
    blue_step: float,
    step: int,
    steps: int,
) -> bool:  # pragma: no cover - compiled; the tests compare it with NumPy
    """Whether the last of ``steps`` steps from here takes ``red_step, blue_step`` men too."""
    red_last = red - (steps - 1) * red_step
    blue_last = blue - (steps - 1) * blue_step
    last_red, last_blue = _losses(law, k_blue, k_red, red_last, blue_last, step + steps - 1)
    # A loss under the float spacing of a strength is lost in the subtraction (the
    # strength stays); the spacing shrinks as the strength falls, so a side that loses
    # men keeps losing them only if its smallest loss tops its first spacing.
    return bool(
        (red_step == 0.0 or last_red > np.spacing(red))
        and (blue_step == 0.0 or last_blue > np.spacing(blue))
        and red_last - np.trunc(red_last - last_red) == red_step
        and blue_last - np.trunc(blue_last - last_blue) == blue_step
    )


@numba.njit(cache=True, error_model="numpy")
def _stretch(
    law: int,
    k_blue: float,
    k_red: float,
    red: float,
    blue: float,
    red_end: float,
    blue_end: float,
    step: int,
    max_steps: int,
    red_loss: float,
    blue_loss: float,
) -> int:  # pragma: no cover - compiled; the tests compare it with NumPy
    """How many truncated steps from here take the same whole number of men a step.

    With integer strengths a truncated step takes ``d = S − trunc(S − loss)`` men (the
    loss rounded up). Every law's losses only shrink as the battle goes on (strengths
    fall, the fatigue divisor grows), so if the last step of a stretch takes the same
    ``d_red, d_blue`` as the first, every step between does: the stretch is applied in
    one subtraction. (Float subtraction gives ``d = ⌊loss⌋`` instead of ``⌈loss⌉`` when
    a loss lies within half a float spacing of ``S`` above a whole number, about 1e-11
    of a man: the one case where a stretch and the plain loop could part.)
    Stretches of 2, 4, 8, … steps are tried until one fails (a failure costs one
    evaluation of the law). The battle's final step is left to the plain loop (it may
    overshoot below zero). Returns 0 where no stretch of at least two steps applies.
    """
    red_step = red - np.trunc(red - red_loss)
    blue_step = blue - np.trunc(blue - blue_loss)
    if red_step <= 0.0 and blue_step <= 0.0:
        return 0
    big = float(max_steps)
    red_left = np.ceil((red - red_end) / red_step) if red_step > 0.0 else big
    blue_left = np.ceil((blue - blue_end) / blue_step) if blue_step > 0.0 else big
    limit = int(min(red_left, blue_left, float(max_steps - step) + 1.0)) - 1
    best = 0
    steps = 2
    while steps <= limit:
        if not _same_steps(law, k_blue, k_red, red, blue, red_step, blue_step, step, steps):
            return best
        best = steps
        steps *= 2
    if best < limit and _same_steps(
        law, k_blue, k_red, red, blue, red_step, blue_step, step, limit
    ):
        return limit
    return best


@numba.njit(cache=True, error_model="numpy")
def one_run(
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
            if rounding and step > 0:
                jump = _stretch(
                    law, k_blue, k_red, red, blue, red_end, blue_end, step, max_steps, red_loss,
                    blue_loss,
                )  # fmt: skip
                if jump > 0:
                    red -= jump * (red - np.trunc(red - red_loss))
                    blue -= jump * (blue - np.trunc(blue - blue_loss))
                    step += jump
                    continue
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
        distances[run], capped[run] = one_run(
            laws[run], ratios[run], red0, red_lost, blue0, blue_lost, men, rounding, max_steps
        )
    return distances, capped
