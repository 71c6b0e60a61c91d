"""Forward model of the rubio2016 procedure: every battle of every run, to its end strength.

For each run and battle: ``k_blue`` from :func:`._rubio_laws.step_factor` (``men`` men
a step), ``k_red = k_blue · ρ``; step ``i = 0, 1, …`` subtracts
:func:`._rubio_laws.step_losses` from the strengths at its start and, with ``rounding``,
truncates each strength towards zero (Python's ``int``, as the paper's tool does); the
battle stops at the first step after which ``R ≤ R₀ − R_c`` or ``B ≤ B₀ − B_c`` (the
condition is checked before the first step too), or after ``max_steps``. Strengths are
not clipped at zero, as in the paper's tool: an overshoot counts as casualties.

The distance of a run (Rubio-Campillo 2016) is ``Σ_battles |R₀ − R − R_c|/R_c + |B₀ − B
− B_c|/B_c``.

Two engines compute the same numbers: NumPy (pairs of run and battle still fighting
kept in flat arrays that shrink as battles end) and Numba (one compiled loop per pair,
runs spread over threads), chosen by ``engine`` (``auto`` takes Numba when installed).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.battles._rubio_laws import (
    STEP_LAWS,
    continuous_casualties,
    step_factor,
    step_losses,
)

__all__ = ["BattleSet", "Kernel", "resolve_engine", "run_distances"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_PARALLEL_RUNS = 64
"""Fewer runs than this run one by one on the calling thread: waking Numba's thread pool
for a run or two (the particles of ABC-SMC) costs more than the runs."""


@dataclass(frozen=True)
class BattleSet:
    """Validated battles: initial strengths and historical casualties (men), all positive."""

    red0: FloatArray
    red_lost: FloatArray
    blue0: FloatArray
    blue_lost: FloatArray
    n_dropped: int = 0

    @property
    def red_end(self) -> FloatArray:
        """Red's historical end strength ``R₀ − R_c``."""
        return self.red0 - self.red_lost

    @property
    def blue_end(self) -> FloatArray:
        """Blue's historical end strength ``B₀ − B_c``."""
        return self.blue0 - self.blue_lost

    def __len__(self) -> int:
        return len(self.red0)


@dataclass(frozen=True)
class Kernel:
    """How a battle is discretised: men per step, truncation, or continuous time."""

    men_per_step: float = 100.0
    rounding: bool = True
    continuous: bool = False
    max_steps: int = 100_000


def resolve_engine(engine: str) -> str:
    """Return ``numpy`` or ``numba`` for ``engine`` (``auto``: Numba when installed)."""
    available = importlib.util.find_spec("numba") is not None
    if engine == "auto":
        return "numba" if available else "numpy"
    if engine == "numba" and not available:
        raise InputError("needs Numba: pip install 'ceasefire[fast]'", field="engine")
    if engine not in ("numpy", "numba"):
        raise InputError(f"expected numpy, numba or auto, got {engine!r}", field="engine")
    return engine


def _distance(battles: BattleSet, red_lost: FloatArray, blue_lost: FloatArray) -> FloatArray:
    errors = np.abs(red_lost - battles.red_lost) / battles.red_lost
    errors += np.abs(blue_lost - battles.blue_lost) / battles.blue_lost
    return np.asarray(errors.sum(axis=-1), dtype=np.float64)


def _numpy_steps(
    law: int, ratios: FloatArray, battles: BattleSet, kernel: Kernel
) -> tuple[FloatArray, IntArray]:
    n_runs, n_battles = ratios.shape
    battle = np.tile(np.arange(n_battles), n_runs)
    pair = np.arange(n_runs * n_battles)
    k_blue = step_factor(law, kernel.men_per_step, battles.red0, battles.blue0)[battle]
    k_red = k_blue * ratios.ravel()
    red, blue = battles.red0[battle], battles.blue0[battle]
    red_end, blue_end = battles.red_end[battle], battles.blue_end[battle]
    red_final, blue_final = red.copy(), blue.copy()
    capped = np.zeros(n_runs * n_battles, dtype=bool)
    step = 0
    while True:
        going = (red > red_end) & (blue > blue_end)
        if step == kernel.max_steps:
            capped[pair[going]] = True
            going[:] = False
        if not going.all():
            done = ~going
            red_final[pair[done]], blue_final[pair[done]] = red[done], blue[done]
            if not going.any():
                break
            pair, k_blue, k_red = pair[going], k_blue[going], k_red[going]
            red, blue, red_end, blue_end = red[going], blue[going], red_end[going], blue_end[going]
        red_loss, blue_loss = step_losses(law, k_blue, k_red, red, blue, step)
        red, blue = red - red_loss, blue - blue_loss
        if kernel.rounding:
            red, blue = np.trunc(red), np.trunc(blue)
        step += 1
    red_lost = battles.red0 - red_final.reshape(n_runs, n_battles)
    blue_lost = battles.blue0 - blue_final.reshape(n_runs, n_battles)
    counts = capped.reshape(n_runs, n_battles).sum(axis=1)
    return _distance(battles, red_lost, blue_lost), counts.astype(np.int64)


def run_distances(
    laws: IntArray, ratios: FloatArray, battles: BattleSet, kernel: Kernel, engine: str
) -> tuple[FloatArray, IntArray]:
    """Distances of runs (law ``laws[r]``, power ratios ``ratios[r, b]``) to the battles.

    Returns the distance per run and, per run, how many battles hit ``max_steps``.
    ``engine`` is ``numpy`` or ``numba`` (see :func:`resolve_engine`).
    """
    n_runs = len(laws)
    if kernel.continuous:
        distances = np.empty(n_runs)
        for law in range(len(STEP_LAWS)):
            rows = laws == law
            if rows.any():
                red_lost, blue_lost = continuous_casualties(
                    law,
                    ratios[rows],
                    battles.red0,
                    battles.blue0,
                    battles.red_end,
                    battles.blue_end,
                )
                distances[rows] = _distance(battles, red_lost, blue_lost)
        return distances, np.zeros(n_runs, dtype=np.int64)
    if engine == "numba":
        from ceasefire.battles._rubio_numba import one_run, steps

        laws = np.ascontiguousarray(laws, dtype=np.int64)
        ratios = np.ascontiguousarray(ratios, dtype=np.float64)
        battle_args = (battles.red0, battles.red_lost, battles.blue0, battles.blue_lost)
        step_args = (float(kernel.men_per_step), bool(kernel.rounding), int(kernel.max_steps))
        if n_runs >= _PARALLEL_RUNS:
            result: tuple[FloatArray, IntArray] = steps(laws, ratios, *battle_args, *step_args)
            return result
        distances = np.empty(n_runs)
        capped = np.zeros(n_runs, dtype=np.int64)
        for run in range(n_runs):
            distances[run], capped[run] = one_run(laws[run], ratios[run], *battle_args, *step_args)
        return distances, capped
    distances = np.empty(n_runs)
    capped = np.zeros(n_runs, dtype=np.int64)
    for law in range(len(STEP_LAWS)):
        rows = np.flatnonzero(laws == law)
        if len(rows):
            distances[rows], capped[rows] = _numpy_steps(law, ratios[rows], battles, kernel)
    return distances, capped
