"""The battle fitter's forward stepper, and the three ways it is run.

One step (:func:`advance`) of

    dA/dt = −loss_A(A, B, t, attacker) − ℓ_A·A + r_A(t)    (and likewise for B),

where the losses are the model's law (:meth:`.BattleLaw.losses`), ``ℓ`` an optional
operational (non-combat) loss rate per unit time and ``r`` a reinforcement rate: forward
Euler, or classical RK4, at step ``dt``; strengths are clipped at 0 after the step and
before each evaluation of the law (an RK4 stage may overshoot, and fractional powers need
non-negative input).

It is run three ways:

- :func:`simulate`: one battle from ``(a0, b0)`` to ``t_end``, a saved trajectory (the
  least-squares fits; ``method="daily"`` is Euler with ``dt = 1``, the step index as the
  time, as in Bracken 1995 and Rubio-Campillo 2016);
- :func:`simulate_casualty_fractions` and :func:`simulate_to_end_strength`: the forward
  models of ABC model choice, every battle under every coefficient pair in daily steps,
  until its recorded duration is fought (the last day weighted by its fraction) or until a
  side is down to its historical end strength. Both step only the battles still fighting,
  so the work follows the battles that last.

The rubio2016 procedure steps battles its own way (:mod:`._rubio_kernel`): integer
truncation after each step and a compiled path, both needing the paper's arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire.battles._laws import BattleLaw

__all__ = [
    "Flows",
    "Method",
    "Trajectory",
    "advance",
    "simulate",
    "simulate_casualty_fractions",
    "simulate_to_end_strength",
]

FloatArray = npt.NDArray[np.float64]
Rate = Callable[[float], float]
Method = Literal["euler", "rk4", "daily"]


@dataclass(frozen=True)
class Flows:
    """What moves the strengths besides combat, and who attacks when.

    ``operational_loss``: ``(ℓ_A, ℓ_B)`` per unit time; ``a_reinforcement``,
    ``b_reinforcement``: rates per unit time as functions of ``t``; ``attacker``: +1 (A
    attacks) or −1 as a function of ``t`` (the general law's tactical parameter).
    """

    operational_loss: tuple[float, float] = (0.0, 0.0)
    a_reinforcement: Rate | None = None
    b_reinforcement: Rate | None = None
    attacker: Callable[[float], float] | None = None

    @property
    def combat_only(self) -> bool:
        """Whether nothing but the law moves the strengths."""
        return (
            self.a_reinforcement is None
            and self.b_reinforcement is None
            and not any(self.operational_loss)
        )


COMBAT_ONLY = Flows()


def _zero(t: float) -> float:
    return 0.0


def _clip(x: Any) -> Any:
    """``max(x, 0)``; Python's on a scalar (the fits step one battle, ~10x faster there)."""
    return np.maximum(x, 0.0) if isinstance(x, np.ndarray) else max(x, 0.0)


def _rates(
    law: BattleLaw, a: Any, b: Any, t: float, t_rate: float, flows: Flows, clip: bool
) -> tuple[Any, Any]:
    """``(dA/dt, dB/dt)``; reinforcements are read at ``t_rate``."""
    side = None if flows.attacker is None else flows.attacker(t)
    if clip:
        a, b = _clip(a), _clip(b)
    loss_a, loss_b = law.losses(a, b, t, side)
    if flows.combat_only:
        return -loss_a, -loss_b
    loss_rate_a, loss_rate_b = flows.operational_loss
    r_a = flows.a_reinforcement or _zero
    r_b = flows.b_reinforcement or _zero
    return -loss_a - loss_rate_a * a + r_a(t_rate), -loss_b - loss_rate_b * b + r_b(t_rate)


def advance(
    law: BattleLaw,
    a: Any,
    b: Any,
    t: float,
    dt: Any,
    *,
    method: Literal["euler", "rk4"] = "euler",
    flows: Flows = COMBAT_ONLY,
    clip: bool = True,
) -> tuple[Any, Any]:
    """One step of ``law`` from the strengths ``(a, b)`` at time ``t``; returns the new ones.

    Euler: both sides' losses from the strengths at the start of the step. RK4 samples
    the reinforcements at the start, middle and a hair before the end of the step, so a
    piecewise-constant schedule whose breaks lie on the step grid is integrated exactly.
    ``dt`` may be an array (the fraction of a last day each battle fights). With ``clip``
    strengths are clipped at 0 after the step; without, they may go negative, as an
    unclipped ODE solver (e.g. Mathematica's ``NDSolve``) lets them.
    """
    if method == "rk4":
        half, end = t + dt / 2, t + dt
        before_end = float(np.nextafter(end, t))
        k1 = _rates(law, a, b, t, t, flows, clip)
        k2 = _rates(law, a + dt / 2 * k1[0], b + dt / 2 * k1[1], half, half, flows, clip)
        k3 = _rates(law, a + dt / 2 * k2[0], b + dt / 2 * k2[1], half, half, flows, clip)
        k4 = _rates(law, a + dt * k3[0], b + dt * k3[1], end, before_end, flows, clip)
        a = a + dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        b = b + dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    else:
        da, db = _rates(law, a, b, t, t, flows, clip)
        a = a + dt * da
        b = b + dt * db
    if clip:
        a, b = _clip(a), _clip(b)
    return a, b


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


def simulate(
    law: BattleLaw,
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
    """Simulate ``law`` from ``(a0, b0)`` at time 0 to ``t_end`` with :func:`advance`.

    ``save_step`` (a multiple of ``dt``; default ``dt``) sets which points are returned.
    Reinforcements are rates per unit time; ``attacker`` gives +1 or −1 at ``t``. See
    :func:`advance` for the methods and ``clip``.
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
    flows = Flows(operational_loss, a_reinforcement, b_reinforcement, attacker)
    step_method: Literal["euler", "rk4"] = "rk4" if method == "rk4" else "euler"
    a, b = np.float64(a0), np.float64(b0)
    saved_t, saved_a, saved_b = [0.0], [a], [b]
    for k in range(steps):
        a, b = advance(law, a, b, k * dt, dt, method=step_method, flows=flows, clip=clip)
        if (k + 1) % stride == 0:
            saved_t.append((k + 1) * dt)
            saved_a.append(a)
            saved_b.append(b)
    return Trajectory(np.array(saved_t), np.array(saved_a, float), np.array(saved_b, float))


def simulate_casualty_fractions(
    law: BattleLaw,
    coefficients: FloatArray,
    a0: FloatArray,
    b0: FloatArray,
    days: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Fight every battle under every coefficient pair for its days; return casualty fractions.

    The forward model of :func:`select_law` with ``stop="duration"``: daily steps of
    :func:`advance` from ``(a0, b0)``, step ``t`` = days already fought (0 on the first),
    the last day weighted by its fraction. ``law`` gives the law and its shapes (its
    coefficients are replaced); ``coefficients`` has shape (simulations, 2) (columns ``a,
    b`` per day); ``a0, b0, days`` one entry per battle. Returns ``(ac/a0, bc/b0)``, each
    (simulations, battles).
    """
    coefficients = np.asarray(coefficients, dtype=np.float64)
    a0, b0, days = (np.asarray(x, dtype=np.float64) for x in (a0, b0, days))
    order = np.argsort(-days, kind="stable")
    a = np.repeat(a0[order][None, :], len(coefficients), axis=0)
    b = np.repeat(b0[order][None, :], len(coefficients), axis=0)
    sorted_days = days[order]
    law = law.with_coefficients(coefficients[:, :1], coefficients[:, 1:2])
    step = 0
    # Battles are sorted longest first, so those still fighting are a prefix.
    while (fighting := int(np.count_nonzero(sorted_days > step))) > 0:
        weight = np.minimum(sorted_days[:fighting] - step, 1.0)
        a[:, :fighting], b[:, :fighting] = advance(
            law, a[:, :fighting], b[:, :fighting], float(step), weight
        )
        step += 1
    inverse = np.argsort(order)
    return 1.0 - a[:, inverse] / a0, 1.0 - b[:, inverse] / b0


def simulate_to_end_strength(
    law: BattleLaw,
    coefficients: FloatArray,
    a0: FloatArray,
    b0: FloatArray,
    a_end: FloatArray,
    b_end: FloatArray,
    max_steps: int,
) -> tuple[FloatArray, FloatArray]:
    """Fight every battle until either side is down to its historical end strength.

    The forward model of Rubio-Campillo (2016) as ``reference/battle-fits.md`` (4.5)
    describes it: daily steps of :func:`advance`; a battle stops after the step in which
    side A falls to ``a_end`` or side B to ``b_end`` (or after ``max_steps``). Returns the
    casualties ``(a0 − A, b0 − B)`` at the stop, each (simulations, battles). Pairs of
    simulation and battle still fighting are kept in flat arrays that shrink as battles
    end, so the work follows the battles that last.
    """
    coefficients = np.asarray(coefficients, dtype=np.float64)
    a0, b0 = np.asarray(a0, dtype=np.float64), np.asarray(b0, dtype=np.float64)
    n_sims, n_battles = len(coefficients), len(a0)
    battle = np.tile(np.arange(n_battles), n_sims)
    pair = np.arange(n_sims * n_battles)
    a_rate = np.repeat(coefficients[:, 0], n_battles)
    b_rate = np.repeat(coefficients[:, 1], n_battles)
    a, b = a0[battle], b0[battle]
    lost_a, lost_b = np.empty(n_sims * n_battles), np.empty(n_sims * n_battles)
    for step in range(max_steps):
        a, b = advance(law.with_coefficients(a_rate, b_rate), a, b, float(step), 1.0)
        done = (a <= a_end[battle]) | (b <= b_end[battle])
        if step == max_steps - 1:
            done[:] = True
        if done.any():
            lost_a[pair[done]] = a0[battle[done]] - a[done]
            lost_b[pair[done]] = b0[battle[done]] - b[done]
            keep = ~done
            if not keep.any():
                break
            battle, pair, a, b = battle[keep], pair[keep], a[keep], b[keep]
            a_rate, b_rate = a_rate[keep], b_rate[keep]
    return lost_a.reshape(n_sims, n_battles), lost_b.reshape(n_sims, n_battles)
