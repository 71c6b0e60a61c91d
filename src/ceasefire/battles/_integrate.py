"""Forward simulation of an attrition law, with optional exogenous reinforcements.

``dA/dt = −loss_A(A, B, t) − ℓ_A·A + r_A(t)`` and likewise for B, where ``ℓ`` is an
optional operational (non-combat) loss rate per unit time and ``r`` a reinforcement
rate. Three steppers: forward Euler at step ``dt``, classical RK4 at step ``dt``, and
the discrete daily form (Euler with ``dt = 1``, the step index as the time, as in
Bracken 1995 and Rubio-Campillo 2016).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ceasefire.battles._laws import AttritionLaw

__all__ = ["Method", "Trajectory", "simulate"]

FloatArray = npt.NDArray[np.float64]
Rate = Callable[[float], float]
Method = Literal["euler", "rk4", "daily"]


@dataclass(frozen=True)
class Trajectory:
    """Saved times and both sides' strengths."""

    time: FloatArray
    a_strength: FloatArray
    b_strength: FloatArray

    def at(self, t: float) -> tuple[float, float]:
        """Return ``(A, B)`` at a saved time ``t`` (nearest saved point)."""
        index = int(np.argmin(np.abs(self.time - t)))
        return float(self.a_strength[index]), float(self.b_strength[index])


def _zero(t: float) -> float:
    return 0.0


def simulate(
    law: AttritionLaw,
    a0: float,
    b0: float,
    t_end: float,
    *,
    dt: float = 1.0,
    method: Method = "euler",
    a_reinforcement: Rate | None = None,
    b_reinforcement: Rate | None = None,
    operational_loss: tuple[float, float] = (0.0, 0.0),
    attacker: Callable[[float], float] | None = None,
    save_step: float | None = None,
    clip: bool = True,
) -> Trajectory:
    """Simulate ``law`` from ``(a0, b0)`` at time 0 to ``t_end``.

    ``save_step`` (a multiple of ``dt``; default ``dt``) sets which points are returned.
    Reinforcements are rates per unit time. RK4 samples them at the start, middle and
    a hair before the end of each step, so a piecewise-constant schedule whose breaks
    lie on the step grid is integrated exactly. With ``clip`` (the default) strengths
    are clipped at 0 after every step; ``clip=False`` lets them go negative, as an
    unclipped ODE solver (e.g. Mathematica's ``NDSolve``) does.
    """
    if method == "daily":
        dt = 1.0
    elif method not in ("euler", "rk4"):
        raise ValueError(f"method: expected 'euler', 'rk4' or 'daily', got {method!r}")
    if not dt > 0:
        raise ValueError(f"dt: must be positive, got {dt}")
    steps = round(t_end / dt)
    if steps < 0 or not np.isclose(steps * dt, t_end):
        raise ValueError(f"t_end: {t_end} is not a non-negative multiple of dt = {dt}")
    stride = 1 if save_step is None else round(save_step / dt)
    if stride < 1 or (save_step is not None and not np.isclose(stride * dt, save_step)):
        raise ValueError(f"save_step: {save_step} is not a positive multiple of dt = {dt}")
    r_a = a_reinforcement or _zero
    r_b = b_reinforcement or _zero
    loss_rate_a, loss_rate_b = operational_loss

    def rates(t: float, a: float, b: float, t_rate: float) -> tuple[float, float]:
        side = None if attacker is None else attacker(t)
        if clip:
            # RK4 stages may overshoot below 0; fractional powers need non-negative input.
            a, b = max(a, 0.0), max(b, 0.0)
        loss_a, loss_b = law.losses(a, b, t, side)
        da = -float(loss_a) - loss_rate_a * a + r_a(t_rate)
        db = -float(loss_b) - loss_rate_b * b + r_b(t_rate)
        return da, db

    a, b = float(a0), float(b0)
    saved_t, saved_a, saved_b = [0.0], [a], [b]
    for k in range(steps):
        t = k * dt
        if method == "rk4":
            half, end = t + dt / 2, t + dt
            before_end = float(np.nextafter(end, t))
            k1 = rates(t, a, b, t)
            k2 = rates(half, a + dt / 2 * k1[0], b + dt / 2 * k1[1], half)
            k3 = rates(half, a + dt / 2 * k2[0], b + dt / 2 * k2[1], half)
            k4 = rates(end, a + dt * k3[0], b + dt * k3[1], before_end)
            a += dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
            b += dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        else:
            da, db = rates(t, a, b, t)
            a += dt * da
            b += dt * db
        if clip:
            a, b = max(a, 0.0), max(b, 0.0)
        if (k + 1) % stride == 0:
            saved_t.append((k + 1) * dt)
            saved_a.append(a)
            saved_b.append(b)
    return Trajectory(np.array(saved_t), np.array(saved_a), np.array(saved_b))
