"""The compiled engine: pack a chunk's inputs by name and run the lane kernel on threads.

Same inputs and result as the NumPy engine (:func:`ceasefire.model.integrate`), computed by
:func:`ceasefire.model._lanes.integrate_blocks` from the same equations; the tests hold the
two to 1e-12 relative. Blocks of :data:`~ceasefire.model._lanes.LANES` draws run in
parallel, one contiguous range of blocks per thread (the compiled code holds no GIL).

Numba is an optional dependency (extra ``fast``): import this module only when the
compiled engine is asked for.
"""

from __future__ import annotations

import functools
import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numba
import numpy as np
import numpy.typing as npt
from numba.core import types

from ceasefire.model._inputs import Inputs
from ceasefire.model._kernel import ChunkResult
from ceasefire.model._lanes import LANES, integrate_blocks
from ceasefire.model._layout import (
    PER_DRAW,
    PER_SIDE,
    PER_SLOT,
    Ints,
    Option,
    Param,
    Schedule,
    Stock,
)
from ceasefire.model._schedule import ScheduleTable
from ceasefire.model.laws import law_code

__all__ = ["LANES", "integrate_compiled", "set_threads", "threads"]

FloatArray = npt.NDArray[np.float64]

OUTPUTS: tuple[str, ...] = ("active", "training", "wounded", "recruited", "killed")
OUTPUTS += ("wounded_total", "returned", "discharged", "deserted")
"""Rows of the kernel's ``final`` and ``saved`` outputs."""

_threads: int | None = None


def threads() -> int:
    """Return the kernel's thread count: ``set_threads``, ``CEASEFIRE_THREADS`` or all cores."""
    if _threads is not None:
        return _threads
    configured = os.environ.get("CEASEFIRE_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def set_threads(count: int | None) -> None:
    """Set the kernel's thread count (None: back to the default); executors' workers use 1."""
    global _threads
    if count is not None and count < 1:
        raise ValueError(f"threads must be positive, got {count}")
    _threads = count


@functools.cache
def _thread_pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ceasefire-kernel")


def _blocked(values: FloatArray, blocks: int) -> FloatArray:
    """``(..., draws)`` → ``(blocks, ..., LANES)``, each block's lanes contiguous (padded)."""
    *lead, draws = values.shape
    padded = np.zeros((*lead, blocks * LANES))
    padded[..., :draws] = values
    moved = padded.reshape(*lead, blocks, LANES)
    return np.ascontiguousarray(np.moveaxis(moved, -2, 0))


def _parameters(x: Inputs, blocks: int) -> FloatArray:
    """Every kernel parameter, by name, in each block's ``(parameters, columns, lanes)``."""
    n_slots, draws = x.initial_active.shape
    n_sides = len(x.layout.side_ids)
    has_pool = np.isfinite(x.initial_pool[:, 0])
    with np.errstate(divide="ignore"):
        derived = {
            "inverse_initial_pool": np.where(has_pool[:, None], 1.0 / x.initial_pool, 0.0),
        }
    columns = max(n_slots, n_sides, 1)
    par = np.zeros((len(Param), columns, draws))
    for names, width in ((PER_SLOT, n_slots), (PER_SIDE, n_sides), (PER_DRAW, 1)):
        for name in names:
            value = derived[name] if name in derived else getattr(x, name)
            if value is None:  # a front parameter of a scenario without a front
                continue
            par[Param[name], :width] = np.broadcast_to(value, (width, draws))
    return _blocked(par, blocks)


def _schedules(x: Inputs, blocks: int) -> tuple[FloatArray, FloatArray]:
    """Stack the schedules as ``tables`` (blocks, T, 2, pieces, LANES) and ``when``.

    ``tables[.., t, 0]`` holds levels and ``[.., t, 1]`` slopes; ``when[t, 0]`` the piece
    index at each half step and row and ``when[t, 1]`` the ramp fraction (the recipe of
    :meth:`ScheduleTable.at`). A missing schedule is a constant 1.
    """
    by_name: dict[Schedule, ScheduleTable | None] = {
        Schedule.RECRUITMENT: x.recruitment,
        Schedule.POLICY: x.policy,
        Schedule.BONUS: x.bonus,
        Schedule.INTENSITY: x.intensity,
        Schedule.LAW: x.law_schedule,
        Schedule.FRONT_PACE: x.front_pace,
        Schedule.RATIO: x.ratio_change,
    }
    draws = x.draws
    rows = max(x.layout.slots, 1)
    half_steps = 2 * x.grid.steps + 1
    recipes = {t: table.recipe() for t, table in by_name.items() if table is not None}
    pieces = max([1] + [recipe[0].shape[0] for recipe in recipes.values()])
    stacked = np.zeros((len(Schedule), 2, pieces, draws))
    when = np.zeros((len(Schedule), 2, half_steps, rows))
    for t in Schedule:
        if t not in recipes:
            stacked[t, 0, 0] = 1.0
            continue
        level, slope, index, fraction = recipes[t]
        stacked[t, 0, : level.shape[0]] = level
        stacked[t, 1, : slope.shape[0]] = slope
        when[t, 0, :, : index.shape[1]] = index
        when[t, 1, :, : fraction.shape[1]] = fraction
    return _blocked(stacked, blocks), when


def _integers(x: Inputs, keep_trajectories: bool) -> npt.NDArray[np.int64]:
    layout = x.layout
    n_slots, n_sides = layout.slots, len(layout.side_ids)
    ints = np.zeros((len(Ints), max(n_slots, n_sides, len(Option))), dtype=np.int64)
    ints[Ints.SIDE_OF, :n_slots] = layout.slot_side
    ints[Ints.ORDER, :n_slots] = x.training_order
    ints[Ints.POOLED, :n_slots] = x.draws_on_pool
    ints[Ints.SIDE_FIRST, :n_sides] = layout.side_start
    ints[Ints.SIDE_STOP, :n_sides] = [*layout.side_start[1:], n_slots]
    options = ints[Ints.OPTIONS]
    options[Option.HOLDER] = x.front_holder
    options[Option.HAS_POLICY] = x.policy is not None
    options[Option.HAS_BONUS] = x.bonus is not None
    options[Option.HAS_INTENSITY] = x.intensity is not None
    options[Option.HAS_LAW_SCHEDULE] = x.law_schedule is not None
    options[Option.HAS_FRONT] = x.initial_front is not None
    options[Option.HAS_FRONT_PACE] = x.front_pace is not None
    options[Option.HAS_RATIO] = x.ratio_change is not None
    options[Option.RATIO_SIDE] = x.ratio_side
    options[Option.EXPONENT_ONE] = x.pool_exponent_is_one
    options[Option.TRACK_CRISIS] = bool(np.any(np.isfinite(x.required_minimum)))
    options[Option.KEEP] = keep_trajectories
    options[Option.ANY_POOLED] = bool(np.any(x.draws_on_pool))
    options[Option.ONE_SLOT] = n_slots == n_sides
    options[Option.COUNT] = True
    return ints


_ENTRIES: dict[tuple[Any, ...], Any] = {}


def _call_kernel(code: int, *arguments: Any) -> None:
    """Call the law's compiled kernel without the dispatcher's literal-argument round trip.

    :func:`integrate_blocks` takes the law's code as a literal, so the dispatcher types every
    call twice (plain, then literal): about 0.3 s a call. The overload for the literal
    signature is compiled (or loaded from the cache) by that signature once, and its entry
    point called directly.
    """
    key = (code, *(numba.typeof(a) for a in arguments))
    entry = _ENTRIES.get(key)
    if entry is None:
        signature = (types.literal(code), *key[1:])
        integrate_blocks.compile(signature)  # loads it from the on-disk cache, or compiles
        compiled: Any = integrate_blocks.overloads[signature]
        entry = _ENTRIES[key] = compiled.entry_point
    entry(code, *arguments)


def integrate_compiled(inputs: Inputs, *, keep_trajectories: bool) -> ChunkResult:
    """Run one chunk of draws over the whole horizon with the compiled kernel.

    Same inputs and result as :func:`ceasefire.model.integrate`.
    """
    x = inputs
    layout = x.layout
    grid = x.grid
    n_slots, draws = x.initial_active.shape
    n_sides = len(layout.side_ids)
    has_pool = np.isfinite(x.initial_pool[:, 0])
    orders = int(x.training_order.max())
    has_front = x.initial_front is not None
    blocks = (draws + LANES - 1) // LANES

    par = _parameters(x, blocks)
    tables, when = _schedules(x, blocks)
    ints = _integers(x, keep_trajectories)

    initial_pool = np.where(has_pool[:, None], x.initial_pool, 0.0)
    initial = np.zeros((Stock.TRAINING + orders, n_slots, draws))
    initial[Stock.ACTIVE] = x.initial_active
    initial[Stock.WOUNDED] = x.initial_wounded
    initial[Stock.POOL, :n_sides] = initial_pool
    if x.initial_front is not None:
        initial[Stock.FRONT, 0] = x.initial_front
    # The kernel spreads the initial cohort over the stages of each slot's delay.
    initial[Stock.TRAINING] = x.initial_training

    save_at = np.full(grid.steps + 1, -1, dtype=np.int64)
    for i, step in enumerate(grid.save_steps):
        save_at[int(step)] = i
    n_saves = len(grid.save_steps) if keep_trajectories else 0
    final = np.zeros((len(OUTPUTS), n_slots, draws))
    final_pool = np.zeros((n_sides, draws))
    final_front = np.zeros(draws)
    crisis = np.full((n_sides, draws), np.nan)
    saved = np.zeros((n_saves, len(OUTPUTS), n_slots, draws))
    saved_pool = np.zeros((n_saves, n_sides, draws))
    saved_front = np.zeros((n_saves, draws))
    limited = np.zeros((4, n_slots, draws), dtype=np.int64)  # rows: LIMITED_STOCKS
    fit = np.full((4, n_slots, draws), np.inf)
    code = law_code(x.law.name)

    def run(first_block: int, stop_block: int) -> None:
        _call_kernel(
            code,
            ints,
            par,
            tables,
            when,
            initial,
            save_at,
            float(grid.dt),
            grid.method == "rk4",
            first_block,
            stop_block,
            final,
            final_pool,
            final_front,
            crisis,
            saved,
            saved_pool,
            saved_front,
            limited,
            fit,
        )

    workers = min(threads(), blocks)
    if workers <= 1:
        run(0, blocks)
    else:
        edges = np.linspace(0, blocks, workers + 1).round().astype(int)
        pool = _thread_pool(workers)
        jobs = [pool.submit(run, int(a), int(b)) for a, b in itertools.pairwise(edges)]
        for job in jobs:
            job.result()

    final_dict = {name: final[i] for i, name in enumerate(OUTPUTS)}
    final_dict["pool"] = final_pool
    saved_dict: dict[str, FloatArray] | None = None
    if keep_trajectories:
        saved_dict = {name: saved[:, i] for i, name in enumerate(OUTPUTS)}
        saved_dict["pool"] = saved_pool
        if has_front:
            saved_dict["front"] = saved_front
    initial_dict = {
        "active": x.initial_active,
        "training": x.initial_training,
        "wounded": x.initial_wounded,
        "pool": initial_pool,
    }
    if x.initial_front is not None:
        final_dict["front"] = final_front
        initial_dict["front"] = x.initial_front
    return ChunkResult(
        saved=saved_dict,
        final=final_dict,
        crisis_day=crisis,
        initial=initial_dict,
        limited=limited,
        fit_days=fit,
    )
