"""Forward models of ABC model choice: battles fought under a law for every coefficient pair.

Two ways a simulated battle ends: after its recorded duration in days
(:func:`simulate_casualty_fractions`), or at a side's historical end strength
(:func:`simulate_to_end_strength`). Both are vectorised over simulations and battles.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from ceasefire.battles._laws import AttritionLaw

__all__ = ["simulate_casualty_fractions", "simulate_to_end_strength"]

FloatArray = npt.NDArray[np.float64]


def simulate_casualty_fractions(
    law: Callable[[float, float], AttritionLaw],
    coefficients: FloatArray,
    a0: FloatArray,
    b0: FloatArray,
    days: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Fight every battle under every coefficient pair; return the casualty fractions.

    The forward model of :func:`select_law`: daily steps from ``(a0, b0)``, both sides'
    losses from the strengths at the start of the day, day ``t`` = days already fought
    (0 on the first), the last day weighted by its fraction, strengths clipped at 0.
    ``coefficients`` has shape (simulations, 2) (columns ``a, b`` per day); ``a0, b0,
    days`` one entry per battle. Returns ``(ac/a0, bc/b0)``, each (simulations, battles).
    """
    coefficients = np.asarray(coefficients, dtype=np.float64)
    a0, b0, days = (np.asarray(x, dtype=np.float64) for x in (a0, b0, days))
    order = np.argsort(-days, kind="stable")
    unit = law(1.0, 1.0)
    coef_a, coef_b = coefficients[:, :1], coefficients[:, 1:2]
    a_strength = np.repeat(a0[order][None, :], len(coefficients), axis=0)
    b_strength = np.repeat(b0[order][None, :], len(coefficients), axis=0)
    sorted_days = days[order]
    day = 0
    while True:
        # Battles are sorted longest first, so those still fighting are a prefix.
        fighting = int(np.count_nonzero(sorted_days > day))
        if fighting == 0:
            break
        weight = np.minimum(sorted_days[:fighting] - day, 1.0)
        a_now, b_now = a_strength[:, :fighting], b_strength[:, :fighting]
        loss_a, loss_b = unit.losses(a_now, b_now, float(day))
        a_next = np.maximum(a_now - coef_a * loss_a * weight, 0.0)
        b_next = np.maximum(b_now - coef_b * loss_b * weight, 0.0)
        a_strength[:, :fighting] = a_next
        b_strength[:, :fighting] = b_next
        day += 1
    inverse = np.argsort(order)
    fraction_a = 1.0 - a_strength[:, inverse] / a0
    fraction_b = 1.0 - b_strength[:, inverse] / b0
    return fraction_a, fraction_b


def simulate_to_end_strength(
    law: Callable[[float, float], AttritionLaw],
    coefficients: FloatArray,
    a0: FloatArray,
    b0: FloatArray,
    a_end: FloatArray,
    b_end: FloatArray,
    max_steps: int,
) -> tuple[FloatArray, FloatArray]:
    """Fight every battle until either side is down to its historical end strength.

    The forward model of Rubio-Campillo (2016) as ``reference/battle-fits.md`` (4.5)
    describes it: step ``t`` applies the law's losses from the strengths at its start;
    a battle stops after the step in which side A falls to ``a_end`` or side B to
    ``b_end`` (or after ``max_steps``). Returns the casualties ``(a0 − A, b0 − B)`` at
    the stop, each (simulations, battles). Pairs of simulation and battle still fighting
    are kept in flat arrays that shrink as battles end, so the work follows the battles
    that last.
    """
    coefficients = np.asarray(coefficients, dtype=np.float64)
    n_sims, n_battles = len(coefficients), len(a0)
    unit = law(1.0, 1.0)
    battle = np.tile(np.arange(n_battles), n_sims)
    pair = np.arange(n_sims * n_battles)
    coef_a = np.repeat(coefficients[:, 0], n_battles)
    coef_b = np.repeat(coefficients[:, 1], n_battles)
    a_now, b_now = a0[battle].copy(), b0[battle].copy()
    lost_a = np.empty(n_sims * n_battles)
    lost_b = np.empty(n_sims * n_battles)
    for step in range(max_steps):
        loss_a, loss_b = unit.losses(a_now, b_now, float(step))
        a_now = np.maximum(a_now - coef_a * loss_a, 0.0)
        b_now = np.maximum(b_now - coef_b * loss_b, 0.0)
        done = (a_now <= a_end[battle]) | (b_now <= b_end[battle])
        if step == max_steps - 1:
            done[:] = True
        if done.any():
            lost_a[pair[done]] = a0[battle[done]] - a_now[done]
            lost_b[pair[done]] = b0[battle[done]] - b_now[done]
            keep = ~done
            if not keep.any():
                break
            battle, pair = battle[keep], pair[keep]
            coef_a, coef_b, a_now, b_now = coef_a[keep], coef_b[keep], a_now[keep], b_now[keep]
    return lost_a.reshape(n_sims, n_battles), lost_b.reshape(n_sims, n_battles)
