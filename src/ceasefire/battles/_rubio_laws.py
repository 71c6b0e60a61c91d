"""The four step laws of Rubio-Campillo (2016), their step factor and their continuous limits.

Rubio-Campillo, X. (2016), "Model selection in historical research using approximate
Bayesian computation", *PLoS ONE* 11(1): e0146491, as its published tool runs them. Red
(R) and blue (B) fight in steps ``i = 0, 1, …``; ``k_blue`` scales red's losses (blue's
fire) and ``k_red = k_blue · ρ`` blue's, where ``ρ`` is red's power relative to blue's:

========== =========================== ===========================
law        red's loss in step ``i``    step factor ``k_blue``
========== =========================== ===========================
linear     ``k_blue · B · R``          ``men / (R₀ · B₀)``
square     ``k_blue · B``              ``men / max(R₀, B₀)``
logarithmic ``k_blue · R``             ``men / max(R₀, B₀)``
fatigue    ``k_blue · R / ln(e + i)``  ``men / max(R₀, B₀)``
========== =========================== ===========================

and blue's loss likewise with ``k_red`` and the sides swapped. With ``men = 100`` (the
paper's) about a hundred men fall per step.

These are the model's laws (:data:`ceasefire.model.laws.LAWS`: ``k_blue`` is blue's
lethality under the linear and square laws, red's own loss rate under the logarithmic and
fatigue laws, with ``τ`` one step; ``tests/test_battles_model_laws.py`` checks them against
the model's), written out here for two reasons the model's laws cannot serve. The paper's
tool truncates the strengths to whole men after every step, so the last bit of a loss
decides whether a man falls (``k·B·R`` in this order, ``ln`` from libm): the model's
fatigue law divides by its own branch-free ``log``, which differs there. And the compiled
engine (:mod:`._rubio_numba`) must give the NumPy path's numbers bit for bit from the same
function: the model compiles its laws only inside its private lane kernels.

:func:`continuous_casualties` integrates the same laws in continuous time, ``dR/dt =
−(red's loss)``, exactly, up to the first moment a side is down to its end strength. The
step factor only sets the clock there, so the casualties at the stop depend on ``ρ``
alone; and since the fatigue law is the logarithmic law on the clock ``τ(t) = ∫₀ᵗ du /
ln(e + u)``, the two give the same casualties.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "FATIGUE",
    "LINEAR",
    "LOGARITHMIC",
    "SQUARE",
    "STEP_LAWS",
    "continuous_casualties",
    "step_factor",
    "step_losses",
]

FloatArray = npt.NDArray[np.float64]

LINEAR, SQUARE, LOGARITHMIC, FATIGUE = 0, 1, 2, 3
STEP_LAWS = ("linear", "square", "logarithmic", "fatigue")
"""Law names by code, in the order of the paper's tool."""


def step_factor(law: int, men: float, red0: FloatArray, blue0: FloatArray) -> FloatArray:
    """``k_blue`` of a battle: ``men/(R₀·B₀)`` for the linear law, else ``men/max(R₀, B₀)``."""
    if law == LINEAR:
        return men / (red0 * blue0)
    return men / np.maximum(red0, blue0)


def step_losses(
    law: int, k_blue: FloatArray, k_red: FloatArray, red: FloatArray, blue: FloatArray, step: int
) -> tuple[FloatArray, FloatArray]:
    """Red's and blue's losses in step ``step`` (0 for the first) from the strengths at its start.

    Plain arithmetic on scalars or arrays, so that the compiled kernel and the NumPy
    path run this same function.
    """
    if law == LINEAR:
        return k_blue * blue * red, k_red * red * blue
    if law == SQUARE:
        return k_blue * blue, k_red * red
    if law == LOGARITHMIC:
        return k_blue * red, k_red * blue
    decay = 1.0 / math.log(math.e + step)
    return k_blue * red * decay, k_red * blue * decay


def continuous_casualties(
    law: int,
    ratio: FloatArray,
    red0: FloatArray,
    blue0: FloatArray,
    red_end: FloatArray,
    blue_end: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Casualties when the law runs in continuous time until a side reaches its end strength.

    Exact solutions, with ``ρ = ratio`` (red's power over blue's) and the time rescaled by
    ``k_blue``:

    - linear: ``dR/dB = 1/ρ``, so ``R₀ − R = (B₀ − B)/ρ``; red reaches ``R_end`` first
      iff ``ρ·(R₀ − R_end) ≤ B₀ − B_end``.
    - square: ``ρR² − B²`` is constant; red reaches ``R_end`` first iff
      ``ρR_end² − C ≥ B_end²`` with ``C = ρR₀² − B₀²``.
    - logarithmic and fatigue: ``R = R₀ e^{−τ}``, ``B = B₀ e^{−ρτ}``; the stop is at
      ``τ* = min(ln(R₀/R_end), ln(B₀/B_end)/ρ)``.

    An end strength of 0 under the linear, logarithmic and fatigue laws is reached only
    as ``t → ∞``; the limit is returned. Arrays broadcast; returns ``(R₀ − R, B₀ − B)``.
    """
    ratio = np.asarray(ratio, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if law == LINEAR:
            red_lost, blue_lost = red0 - red_end, blue0 - blue_end
            red_first = ratio * red_lost <= blue_lost
            return (
                np.where(red_first, red_lost, blue_lost / ratio),
                np.where(red_first, ratio * red_lost, blue_lost),
            )
        if law == SQUARE:
            constant = ratio * red0**2 - blue0**2
            red_first = ratio * red_end**2 - constant >= blue_end**2
            blue_at_red_end = np.sqrt(np.maximum(ratio * red_end**2 - constant, 0.0))
            red_at_blue_end = np.sqrt(np.maximum((constant + blue_end**2) / ratio, 0.0))
            return (
                np.where(red_first, red0 - red_end, red0 - red_at_blue_end),
                np.where(red_first, blue0 - blue_at_red_end, blue0 - blue_end),
            )
        tau = np.minimum(np.log(red0 / red_end), np.log(blue0 / blue_end) / ratio)
        # A ratio of exactly 0 (a gamma draw can underflow) leaves blue untouched even
        # when red fights for ever.
        blue_tau = np.where(ratio > 0, ratio * tau, 0.0)
        return red0 * -np.expm1(-tau), blue0 * -np.expm1(-blue_tau)
