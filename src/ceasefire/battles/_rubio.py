"""The model selection of Rubio-Campillo (2016), reproduced as its published tool runs it.

Rubio-Campillo, X. (2016), "Model selection in historical research using approximate
Bayesian computation", *PLoS ONE* 11(1): e0146491. ABC rejection with model choice:

1. Each run draws a law ``m`` uniformly from linear, square, logarithmic and fatigue, and
   ``μ, σ ~ U(0, 5)`` independently.
2. Each battle of the table gets its own red:blue power ratio ``ρ ~ Gamma`` with mean
   ``μ`` and standard deviation ``σ`` (shape ``(μ/σ)²``, scale ``σ²/μ``).
3. Every battle is fought with the step law of ``m`` (:mod:`._rubio_laws`), about a
   hundred men a step, strengths truncated to integers after each step, until a side is
   at or below its historical end strength (:mod:`._rubio_kernel`).
4. The distance of a run is ``Σ_battles Σ_sides |simulated − historical casualties| /
   historical casualties``.
5. The closest ``tolerance`` share of the runs (10% in the paper's tool; ``⌊runs ·
   tolerance⌋``, at least one) is kept; ``P(m | data)`` is the share of kept runs with
   law ``m`` and the Bayes factor of two laws is the ratio of their shares.

Side A of a battle table (the attacker in CDB90) is red, side B blue. The distance is
undefined for a battle without casualties on a side; such battles, and those with more
casualties than men, are refused or (``drop_invalid``) left out and counted.

What is ours: the random numbers (NumPy's ``Generator``; runs come in blocks of
:data:`BLOCK_RUNS`, each with a stream spawned from ``seed``, so results do not depend on
the engine or the chunking), ties among equal distances (the earlier run is kept), and
the step cap ``max_steps`` (the tool has none; with truncation no battle reaches it, and
each that does is counted in ``capped``).

:func:`robustness` runs the same selection under other discretisations: another step
size, no truncation, and continuous time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.battles._choice import LawChoice, PeriodLawChoice
from ceasefire.battles._rubio_kernel import (
    BattleSet,
    Kernel,
    resolve_engine,
    run_distances,
)
from ceasefire.battles._rubio_laws import STEP_LAWS
from ceasefire.battles._table import (
    Columns,
    Seed,
    first_bad,
    per_period,
    seed_sequence,
    table_column,
)

__all__ = [
    "BLOCK_RUNS",
    "PAPER",
    "VARIANTS",
    "BattleSet",
    "Kernel",
    "battle_set",
    "describe",
    "draw_ratios",
    "rubio2016",
    "rubio2016_by_period",
]

FloatArray = npt.NDArray[np.float64]

BLOCK_RUNS = 1024
"""Runs per block of random numbers and of forward-model work."""

PAPER = Kernel()
"""The paper's discretisation: 100 men a step, truncation to integers, discrete steps."""

PRIOR_HIGH = 5.0
"""Upper bound of the uniform priors on the mean and the sd of the power ratio."""


def battle_set(table: object, *, drop_invalid: bool = False) -> BattleSet:
    """Validate ``a0, ac, b0, bc`` of a battle table for the rubio2016 procedure.

    Strengths must be positive and finite, casualties finite and non-negative. A battle
    with no casualties on a side (its relative error is undefined) or with more
    casualties than men is refused, or left out with ``drop_invalid`` (``n_dropped``).
    """
    columns = {field: table_column(table, field) for field in ("a0", "ac", "b0", "bc")}
    n = len(columns["a0"])
    if n == 0:
        raise InputError("the battle table has no battles", field="a0")
    for field, array in columns.items():
        if len(array) != n:
            raise InputError(f"expected {n} values (one per battle), got {len(array)}", field=field)
        bad = ~np.isfinite(array) | (array < 0)
        if bad.any():
            raise InputError(f"negative or not finite in {first_bad(bad)}", field=field)
    for field in ("a0", "b0"):
        if (columns[field] == 0).any():
            raise InputError(
                f"zero initial strength in {first_bad(columns[field] == 0)}", field=field
            )
    keep = np.ones(n, dtype=bool)
    for lost, initial in (("ac", "a0"), ("bc", "b0")):
        for bad, why in (
            (columns[lost] == 0, "no casualties (the relative error is undefined)"),
            (columns[lost] > columns[initial], f"casualties above the initial strength {initial}"),
        ):
            if bad.any() and not drop_invalid:
                raise InputError(
                    f"{why} in {first_bad(bad)}; pass drop_invalid=True to leave them out",
                    field=lost,
                )
            keep &= ~bad
    if not keep.any():
        raise InputError("no battle has casualties within its strength on both sides", field="ac")
    return BattleSet(
        red0=columns["a0"][keep],
        red_lost=columns["ac"][keep],
        blue0=columns["b0"][keep],
        blue_lost=columns["bc"][keep],
        n_dropped=int(n - keep.sum()),
    )


def draw_ratios(
    rng: np.random.Generator, mean: FloatArray, sd: FloatArray, n_battles: int
) -> FloatArray:
    """Power ratios ``(runs, battles)``, gamma with mean ``mean[r]`` and sd ``sd[r]``.

    Shape ``(μ/σ)²`` and scale ``σ²/μ``; a run with ``σ = 0`` or ``μ = 0`` (possible at
    the edge of the prior) gets ``ρ = μ`` for every battle.
    """
    mean, sd = np.asarray(mean, dtype=np.float64), np.asarray(sd, dtype=np.float64)
    degenerate = (sd <= 0) | (mean <= 0)
    safe_mean = np.where(degenerate, 1.0, mean)
    safe_sd = np.where(degenerate, 1.0, sd)
    shape = (safe_mean / safe_sd) ** 2
    scale = safe_sd**2 / safe_mean
    ratios = rng.gamma(shape[:, None], scale[:, None], size=(len(mean), n_battles))
    return np.where(degenerate[:, None], mean[:, None], ratios)


def _check(runs: int, tolerance: float, kernel: Kernel) -> None:
    if runs < 1:
        raise InputError(f"expected at least one run, got {runs}", field="runs")
    if not 0 < tolerance <= 1:
        raise InputError(f"expected 0 < tolerance <= 1, got {tolerance}", field="tolerance")
    if not (0 < kernel.men_per_step < math.inf):
        raise InputError(
            f"expected a positive number of men per step, got {kernel.men_per_step}",
            field="men_per_step",
        )
    if kernel.max_steps < 1:
        raise InputError(f"expected at least one step, got {kernel.max_steps}", field="max_steps")


def _select(
    battles: BattleSet,
    runs: int,
    tolerance: float,
    seed: np.random.SeedSequence,
    kernel: Kernel,
    engine: str,
) -> LawChoice:
    prior_stream, *block_streams = seed.spawn(1 + math.ceil(runs / BLOCK_RUNS))
    prior = np.random.default_rng(prior_stream)
    laws = prior.integers(0, len(STEP_LAWS), size=runs)
    mean = prior.uniform(0.0, PRIOR_HIGH, size=runs)
    sd = prior.uniform(0.0, PRIOR_HIGH, size=runs)
    distances = np.empty(runs)
    capped = np.zeros(runs, dtype=np.int64)
    for block, stream in enumerate(block_streams):
        rows = slice(block * BLOCK_RUNS, min(runs, (block + 1) * BLOCK_RUNS))
        ratios = draw_ratios(np.random.default_rng(stream), mean[rows], sd[rows], len(battles))
        distances[rows], capped[rows] = run_distances(laws[rows], ratios, battles, kernel, engine)
    n_keep = max(1, math.floor(runs * tolerance + 1e-9))
    kept = np.sort(np.argsort(distances, kind="stable")[:n_keep])
    counts = np.bincount(laws[kept], minlength=len(STEP_LAWS))
    parameters = np.column_stack([mean, sd])
    return LawChoice(
        laws=STEP_LAWS,
        probabilities=counts / n_keep,
        accepted=tuple(int(c) for c in counts),
        simulated=tuple(int(c) for c in np.bincount(laws, minlength=len(STEP_LAWS))),
        posteriors=tuple(parameters[kept[laws[kept] == m]] for m in range(len(STEP_LAWS))),
        tolerance=float(distances[kept].max()),
        quantile=n_keep / runs,
        n_simulations=runs,
        n_battles=len(battles),
        n_dropped=battles.n_dropped,
        parameter_names=("mu", "sigma"),
        details={
            "procedure": "rubio2016",
            "discretisation": describe(kernel),
            "engine": "closed form" if kernel.continuous else engine,
            "capped": int(capped.sum()),
        },
    )


def describe(kernel: Kernel) -> dict[str, Any]:
    """Plain data for a discretisation (what the JSON output shows)."""
    if kernel.continuous:
        return {"time": "continuous", "men_per_step": None, "rounding": None}
    return {
        "time": "steps",
        "men_per_step": kernel.men_per_step,
        "rounding": "truncate" if kernel.rounding else "none",
        "max_steps": kernel.max_steps,
    }


def rubio2016(
    table: object,
    *,
    runs: int = 1_000,
    tolerance: float = 0.1,
    seed: Seed = None,
    kernel: Kernel = PAPER,
    engine: str = "auto",
    drop_invalid: bool = False,
) -> LawChoice:
    """Posterior probabilities of the four step laws for a battle table (the paper's procedure).

    See the module docstring. ``runs`` and ``tolerance`` default to the paper's tool
    (1,000 runs, the closest 10% kept); ``kernel`` changes the discretisation
    (:data:`PAPER` is the paper's); ``engine`` is ``numpy``, ``numba`` or ``auto``.
    The result's ``tolerance`` is the largest kept distance, ``quantile`` the share kept,
    and ``posteriors[m]`` the kept ``(μ, σ)`` of law ``m``.
    """
    _check(runs, tolerance, kernel)
    battles = battle_set(table, drop_invalid=drop_invalid)
    return _select(battles, runs, tolerance, seed_sequence(seed), kernel, resolve_engine(engine))


def rubio2016_by_period(
    table: object,
    *,
    bins: Sequence[tuple[float, float]],
    runs: int = 1_000,
    tolerance: float = 0.1,
    seed: Seed = None,
    kernel: Kernel = PAPER,
    engine: str = "auto",
    drop_invalid: bool = False,
) -> PeriodLawChoice:
    """Run :func:`rubio2016` on the battles of each year bin, each with its own stream."""
    _check(runs, tolerance, kernel)
    engine = resolve_engine(engine)

    def choose(battles: Columns, stream: np.random.SeedSequence) -> LawChoice:
        valid = battle_set(battles, drop_invalid=drop_invalid)
        return _select(valid, runs, tolerance, stream, kernel, engine)

    results = per_period(table, bins, seed, choose)
    return PeriodLawChoice(
        periods=tuple(p for p, _ in results), choices=tuple(c for _, c in results)
    )


VARIANTS: dict[str, Kernel] = {
    "paper: 100 men a step, truncated": PAPER,
    "10 men a step": replace(PAPER, men_per_step=10.0),
    "1,000 men a step": replace(PAPER, men_per_step=1_000.0),
    "no rounding": replace(PAPER, rounding=False),
    "continuous time": replace(PAPER, continuous=True),
}
"""The discretisations :func:`robustness` compares (the first is the paper's)."""
