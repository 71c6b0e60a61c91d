"""The compiled kernel: the equations of :mod:`ceasefire.model._kernel`, fused by Numba.

The NumPy kernel is the readable reference; this one computes the same flows, in the
same order of floating-point operations, so the two agree to rounding (the tests hold
them to 1e-12 relative). What differs is the loop nest:

- draws are cut into blocks of :data:`LANES` draws; blocks run in parallel (threads over
  contiguous ranges of blocks; the compiled code holds no GIL), each with its whole time
  loop inside, so a block's state (a few kilobytes) stays in the core's cache for the
  whole run instead of streaming ``(slots, draws)`` arrays through memory at every step;
- within a block every operation is a loop over the lanes.

Functions are compiled on first use and cached on disk (``cache=True``), so a second
process loads machine code instead of compiling (see ``benchmarks/README.md``).
Numba is an optional dependency (extra ``fast``); this module imports it at import
time, so import it only when the compiled engine is asked for.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from ceasefire.model._inputs import Inputs
from ceasefire.model._kernel import ChunkResult
from ceasefire.model._schedule import ScheduleTable
from ceasefire.model.laws import (
    ExchangeRatioKernel,
    GeneralLawKernel,
    LinearLawKernel,
    LogarithmicLawKernel,
    SquareLawKernel,
)

__all__ = ["LANES", "integrate_numba", "set_threads", "threads"]

FloatArray = npt.NDArray[np.float64]

LANES = 128
"""Draws per block: the unit of parallel work and the SIMD loop length."""

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


# A block's packed state (rows, slots, lanes); pool and front use the first columns.
_ACTIVE, _WOUNDED, _POOL, _FRONT, _TRAINING = 0, 1, 2, 3, 4
# A block's packed flows (rows, slots, lanes), per day.
_RECRUIT, _CASUALTIES, _DESERTED, _RETURNED, _DISCHARGED, _FRONT_FLOW, _STAGE_OUT = range(7)
# Rows of ``ints`` (rows, max(slots, options)).
_SIDE_OF, _ORDER, _POOLED, _SIDE_FIRST, _SIDE_STOP, _OPTIONS = range(6)
# Columns of the options row.
_LAW, _REFERENCE, _HOLDER, _HAS_POLICY, _HAS_BONUS, _HAS_INTENSITY, _HAS_CAP = range(7)
_HAS_FRONT, _EXPONENT_ONE, _TRACK_CRISIS, _KEEP, _ANY_POOLED, _N_OPTIONS = range(7, 13)
# Rows of ``par`` (rows, slots, draws): per slot (column k), per side (column s), or one
# value per draw (column 0).
_GRADUATION, _EFFECTIVENESS, _EXPOSURE, _BONUS_REFERENCE, _BONUS_ELASTICITY = range(5)
_KILLED, _RETURN, _DISCHARGE, _DESERTION, _MINIMUM, _INVERSE_POOL0 = range(5, 11)
_POOL_EXPONENT, _LOSS_CAP, _LAW_RATE = range(11, 14)
_SPEED, _STALL, _WIDTH, _AREA, _LAW_P, _LAW_Q, _INVERSE_RATIO, _N_PAR = range(14, 22)
# Schedules (first index of ``tables`` and ``when``).
_RECRUITMENT, _POLICY, _BONUS, _INTENSITY, _EXCHANGE = range(5)
# Combat law codes.
_SQUARE, _LINEAR, _LOGARITHMIC, _GENERAL, _EXCHANGE_RATIO = range(5)
# Rows of the ``final`` and ``saved`` outputs.
_OUTPUTS: tuple[str, ...] = ("active", "training", "wounded", "recruited", "killed")
_OUTPUTS += ("wounded_total", "returned", "discharged", "deserted")

# Arguments are passed as a few flat arrays: every array argument of a compiled call
# costs reference counting, and a tuple of many arrays costs it per member per call.
_jit = numba.njit(cache=True, error_model="numpy", nogil=True)
_inline = numba.njit(cache=True, error_model="numpy", nogil=True, inline="always")


@_inline
def _piece(when: Any, t: int, h: int, row: int) -> tuple[int, float]:
    """Piece index and ramp fraction of row ``row`` of schedule ``t`` at half step ``h``.

    The same for every draw: the block path reads it once per slot, not once per lane.
    """
    return int(when[t, 0, h, row]), when[t, 1, h, row]


@_inline
def _at(tables: Any, t: int, piece: tuple[int, float], n: int) -> float:
    """Value of schedule ``t`` for draw ``n`` at a piece from :func:`_piece`."""
    i, fraction = piece
    return tables[t, 0, i, n] + tables[t, 1, i, n] * fraction


@_inline
def _scheduled(tables: Any, when: Any, t: int, h: int, row: int, n: int) -> float:
    """Value of row ``row`` of schedule ``t`` at half step ``h``, draw ``n``."""
    return _at(tables, t, _piece(when, t, h, row), n)


@_inline
def _limited(stock: float, need: float) -> float:
    """``min(1, stock / need)`` where the outflow does not fit, else exactly 1."""
    if need > stock and need > 0.0:
        factor = stock / need
        return factor if factor > 0.0 else 0.0
    return 1.0


@_inline
def _tally(
    limited: Any,
    fit: Any,
    row: int,
    k: int,
    n: int,
    stock: float,
    need: float,
    factor: float,
    dt: float,
) -> None:
    """Count a limiter hit on a non-empty stock and keep the largest step that fits (_kernel)."""
    if need > stock and need > 0.0 and stock > 0.0:
        limited[row, k, n] += 1
        fits = factor * dt
        if fits < fit[row, k, n]:
            fit[row, k, n] = fits


@_inline
def _pooled_need(ints: Any, flows: Any, slots: int, s: int, b: int) -> float:
    """Recruits per day taken from side ``s``'s pool (its slots that draw on it, in order)."""
    total = 0.0
    for k in range(slots):
        if ints[_POOLED, k] and ints[_SIDE_OF, k] == s:
            total += flows[_RECRUIT, k, b]
    return total


@_jit
def _flows(
    ints: Any,
    par: Any,
    tables: Any,
    when: Any,
    state: Any,
    h: int,
    lo: int,
    nb: int,
    out: Any,
    work: Any,
    cache: Any,
) -> None:
    """Write every flow per day at ``state`` and half step ``h`` into ``out`` (see _kernel).

    ``cache`` (3, max(slots, sides), lanes) keeps each slot's last bonus and its incentive
    factor (rows 0 and 1; NaN at the start of a block): the bonus changes at a few dates
    only, and ``pow`` was the kernel's largest single cost. Row 2 takes each side's pool
    factor, computed once per side rather than once per slot that draws on the pool.
    The values are the same ``pow`` of the same operands, so results do not change.
    """
    options = ints[_OPTIONS]
    law = options[_LAW]
    # Flags as locals: stores into ``out`` could alias ``options``, forcing a reload per lane.
    has_policy, has_bonus = options[_HAS_POLICY] != 0, options[_HAS_BONUS] != 0
    exponent_one, reference = options[_EXPONENT_ONE] != 0, options[_REFERENCE]
    has_intensity, has_cap = options[_HAS_INTENSITY] != 0, options[_HAS_CAP] != 0
    slots = state.shape[1]
    sides = work.shape[1]
    orders = out.shape[0] - _STAGE_OUT

    if options[_ANY_POOLED]:
        for s in range(sides):
            for b in range(nb):
                n = lo + b
                ratio = state[_POOL, s, b] * par[_INVERSE_POOL0, s, n]
                if not exponent_one:
                    ratio = ratio ** par[_POOL_EXPONENT, s, n]
                cache[2, s, b] = ratio
    for k in range(slots):
        s = ints[_SIDE_OF, k]
        pooled = ints[_POOLED, k] != 0
        # Where each schedule stands is the same for every lane: read it once per slot
        # (inside the lane loop it would be reloaded per lane, as the stores could alias).
        recruitment = _piece(when, _RECRUITMENT, h, k)
        policy = _piece(when, _POLICY, h, k)
        bonus = _piece(when, _BONUS, h, k)
        for b in range(nb):
            n = lo + b
            value = _at(tables, _RECRUITMENT, recruitment, n)
            if has_policy:
                value = value * _at(tables, _POLICY, policy, n)
            if has_bonus:
                money = _at(tables, _BONUS, bonus, n)
                if money != cache[0, k, b]:
                    cache[0, k, b] = money
                    cache[1, k, b] = (money / par[_BONUS_REFERENCE, k, n]) ** par[
                        _BONUS_ELASTICITY, k, n
                    ]
                value = value * cache[1, k, b]
            if pooled:
                value = value * cache[2, s, b]
            out[_RECRUIT, k, b] = value
        for j in range(orders):
            for b in range(nb):
                out[_STAGE_OUT + j, k, b] = state[_TRAINING + j, k, b] * par[_GRADUATION, k, lo + b]

    # work[0]: effective strength, work[1]: casualties, work[2]: exposed strength, per side.
    for s in range(sides):
        first, stop = ints[_SIDE_FIRST, s], ints[_SIDE_STOP, s]
        for b in range(nb):
            total = par[_EFFECTIVENESS, first, lo + b] * state[_ACTIVE, first, b]
            for k in range(first + 1, stop):
                total += par[_EFFECTIVENESS, k, lo + b] * state[_ACTIVE, k, b]
            work[0, s, b] = total
    exchange = _piece(when, _EXCHANGE, h, 0)
    intensity = _piece(when, _INTENSITY, h, 0)
    for s in range(sides):
        o = 1 - s
        first, stop = ints[_SIDE_FIRST, s], ints[_SIDE_STOP, s]
        for b in range(nb):
            n = lo + b
            if law == _SQUARE:
                c = par[_LAW_RATE, o, n] * work[0, o, b]
            elif law == _LINEAR:
                c = par[_LAW_RATE, o, n] * work[0, o, b] * work[0, s, b]
            elif law == _LOGARITHMIC:
                c = par[_LAW_RATE, s, n] * work[0, s, b]
            elif law == _GENERAL:
                c = (
                    work[0, o, b] ** par[_LAW_P, 0, n]
                    * work[0, s, b] ** par[_LAW_Q, 0, n]
                    * par[_LAW_RATE, o, n]
                )
            else:
                c = _at(tables, _EXCHANGE, exchange, n)
                if s != reference:
                    c = c * par[_INVERSE_RATIO, 0, n]
            if has_intensity:
                c = c * _at(tables, _INTENSITY, intensity, n)
            if has_cap:
                held = state[_ACTIVE, first, b]
                for k in range(first + 1, stop):
                    held += state[_ACTIVE, k, b]
                cap = held * par[_LOSS_CAP, s, n]
                if cap < c:
                    c = cap
            work[1, s, b] = c

    if slots == sides:
        for k in range(slots):
            for b in range(nb):
                out[_CASUALTIES, k, b] = work[1, k, b]
    else:
        for s in range(sides):
            first, stop = ints[_SIDE_FIRST, s], ints[_SIDE_STOP, s]
            for b in range(nb):
                total = state[_ACTIVE, first, b] * par[_EXPOSURE, first, lo + b]
                for k in range(first + 1, stop):
                    total += state[_ACTIVE, k, b] * par[_EXPOSURE, k, lo + b]
                work[2, s, b] = total
        for k in range(slots):
            s = ints[_SIDE_OF, k]
            for b in range(nb):
                share = 0.0
                if work[2, s, b] > 0.0:
                    share = state[_ACTIVE, k, b] * par[_EXPOSURE, k, lo + b] / work[2, s, b]
                out[_CASUALTIES, k, b] = share * work[1, s, b]

    for k in range(slots):
        s = ints[_SIDE_OF, k]
        for b in range(nb):
            n = lo + b
            out[_DESERTED, k, b] = par[_DESERTION, s, n] * state[_ACTIVE, k, b]
            out[_RETURNED, k, b] = par[_RETURN, s, n] * state[_WOUNDED, k, b]
            out[_DISCHARGED, k, b] = par[_DISCHARGE, s, n] * state[_WOUNDED, k, b]

    if options[_HAS_FRONT]:
        holder = options[_HOLDER]
        for b in range(nb):
            n = lo + b
            other = work[0, 1 - holder, b]
            ratio = 1e12  # no opposing force: an overwhelming ratio, tanh saturates
            if other > 0.0:
                ratio = work[0, holder, b] / other
            ratio = (ratio - par[_STALL, 0, n]) / par[_WIDTH, 0, n]
            out[_FRONT_FLOW, 0, b] = math.tanh(ratio) * par[_SPEED, 0, n]


@_jit
def _limit(
    ints: Any,
    state: Any,
    flows: Any,
    dt: float,
    nb: int,
    sides: int,
    lo: int,
    count: bool,
    limited: Any,
    fit: Any,
) -> None:
    """Scale each stock's outflows, in place, where one step would take more than it holds.

    With ``count``, hits on non-empty stocks are tallied in ``limited`` and ``fit``.
    """
    slots = state.shape[1]
    orders = flows.shape[0] - _STAGE_OUT
    if ints[_OPTIONS, _ANY_POOLED]:
        for s in range(sides):
            for b in range(nb):
                stock = state[_POOL, s, b]
                need = _pooled_need(ints, flows, slots, s, b) * dt
                factor = _limited(stock, need)
                if factor != 1.0:
                    if count:
                        _tally(limited, fit, 0, s, lo + b, stock, need, factor, dt)
                    for k in range(slots):
                        if ints[_POOLED, k] and ints[_SIDE_OF, k] == s:
                            flows[_RECRUIT, k, b] *= factor
    for j in range(orders):
        for k in range(slots):
            for b in range(nb):
                stock = state[_TRAINING + j, k, b]
                need = flows[_STAGE_OUT + j, k, b] * dt
                factor = _limited(stock, need)
                if count and factor != 1.0:
                    _tally(limited, fit, 1, k, lo + b, stock, need, factor, dt)
                flows[_STAGE_OUT + j, k, b] *= factor
    for k in range(slots):
        for b in range(nb):
            stock = state[_ACTIVE, k, b]
            need = (flows[_CASUALTIES, k, b] + flows[_DESERTED, k, b]) * dt
            factor = _limited(stock, need)
            if count and factor != 1.0:
                _tally(limited, fit, 2, k, lo + b, stock, need, factor, dt)
            flows[_CASUALTIES, k, b] *= factor
            flows[_DESERTED, k, b] *= factor
            stock = state[_WOUNDED, k, b]
            need = (flows[_RETURNED, k, b] + flows[_DISCHARGED, k, b]) * dt
            factor = _limited(stock, need)
            if count and factor != 1.0:
                _tally(limited, fit, 3, k, lo + b, stock, need, factor, dt)
            flows[_RETURNED, k, b] *= factor
            flows[_DISCHARGED, k, b] *= factor


@_jit
def _advance(
    ints: Any, par: Any, state: Any, flows: Any, dt: float, lo: int, nb: int, sides: int
) -> None:
    """``state += dt · d(state)/dt`` for the given (already limited) flows, in place."""
    slots = state.shape[1]
    orders = flows.shape[0] - _STAGE_OUT
    if ints[_OPTIONS, _ANY_POOLED]:
        for s in range(sides):
            for b in range(nb):
                state[_POOL, s, b] -= _pooled_need(ints, flows, slots, s, b) * dt
    for k in range(slots):
        order = ints[_ORDER, k]
        s = ints[_SIDE_OF, k]
        for b in range(nb):
            if orders == 1:
                graduation = flows[_STAGE_OUT, k, b]
                state[_TRAINING, k, b] += (flows[_RECRUIT, k, b] - graduation) * dt
            else:
                graduation = flows[_STAGE_OUT, k, b] * (1.0 if order == 1 else 0.0)
                for j in range(1, orders):
                    graduation += flows[_STAGE_OUT + j, k, b] * (1.0 if j == order - 1 else 0.0)
                for j in range(orders):
                    if j == 0:
                        inflow = flows[_RECRUIT, k, b]
                    else:
                        inflow = flows[_STAGE_OUT + j - 1, k, b] * (1.0 if j < order else 0.0)
                    state[_TRAINING + j, k, b] += (inflow - flows[_STAGE_OUT + j, k, b]) * dt
            change = graduation + flows[_RETURNED, k, b]
            change -= flows[_CASUALTIES, k, b]
            change -= flows[_DESERTED, k, b]
            state[_ACTIVE, k, b] += change * dt
            wounded = flows[_CASUALTIES, k, b] * (1.0 - par[_KILLED, s, lo + b])
            wounded -= flows[_RETURNED, k, b]
            wounded -= flows[_DISCHARGED, k, b]
            state[_WOUNDED, k, b] += wounded * dt
    # A limited outflow empties its stock up to a rounding error: clamp it (nan stays nan).
    for row in range(state.shape[0]):
        if row != _FRONT:
            for k in range(slots):
                for b in range(nb):
                    if state[row, k, b] < 0.0:
                        state[row, k, b] = 0.0
    if ints[_OPTIONS, _HAS_FRONT]:
        for b in range(nb):
            moved = flows[_FRONT_FLOW, 0, b] * dt + state[_FRONT, 0, b]
            if moved < 0.0:
                moved = 0.0
            area = par[_AREA, 0, lo + b]
            if moved > area:
                moved = area
            state[_FRONT, 0, b] = moved


@_jit
def _record(
    ints: Any,
    par: Any,
    state: Any,
    totals: Any,
    dt: float,
    lo: int,
    nb: int,
    sides: int,
    out: Any,
    out_pool: Any,
    out_front: Any,
) -> None:
    """Write the state and ``dt ×`` the summed flows into ``out`` (rows of _OUTPUTS)."""
    slots = state.shape[1]
    orders = state.shape[0] - _TRAINING
    for k in range(slots):
        s = ints[_SIDE_OF, k]
        for b in range(nb):
            n = lo + b
            out[0, k, n] = state[_ACTIVE, k, b]
            training = state[_TRAINING, k, b]
            for j in range(1, orders):
                training += state[_TRAINING + j, k, b]
            out[1, k, n] = training
            out[2, k, n] = state[_WOUNDED, k, b]
            out[3, k, n] = dt * totals[0, k, b]
            casualties = dt * totals[1, k, b]
            out[4, k, n] = casualties * par[_KILLED, s, n]
            out[5, k, n] = casualties * (1.0 - par[_KILLED, s, n])
            out[6, k, n] = dt * totals[2, k, b]
            out[7, k, n] = dt * totals[3, k, b]
            out[8, k, n] = dt * totals[4, k, b]
    for s in range(sides):
        for b in range(nb):
            out_pool[s, lo + b] = state[_POOL, s, b]
    if ints[_OPTIONS, _HAS_FRONT]:
        for b in range(nb):
            out_front[lo + b] = state[_FRONT, 0, b]


@_jit
def _side_totals(ints: Any, state: Any, nb: int, out: Any) -> None:
    for s in range(out.shape[0]):
        first, stop = ints[_SIDE_FIRST, s], ints[_SIDE_STOP, s]
        for b in range(nb):
            total = state[_ACTIVE, first, b]
            for k in range(first + 1, stop):
                total += state[_ACTIVE, k, b]
            out[s, b] = total


@_jit
def _stage(
    ints: Any,
    par: Any,
    state: Any,
    flows: Any,
    dt: float,
    lo: int,
    nb: int,
    sides: int,
    scratch: Any,
    out: Any,
    limited: Any,
    fit: Any,
) -> None:
    """Write an RK4 stage state into ``out``: one limited step of ``dt`` with ``flows``."""
    scratch[...] = flows
    _limit(ints, state, scratch, dt, nb, sides, lo, False, limited, fit)
    out[...] = state
    _advance(ints, par, out, scratch, dt, lo, nb, sides)


@_jit
def _integrate_blocks(
    ints: Any,
    par: Any,
    tables: Any,
    when: Any,
    initial: Any,
    save_at: Any,
    dt: float,
    rk4: bool,
    first_block: int,
    stop_block: int,
    final: Any,
    final_pool: Any,
    final_front: Any,
    crisis: Any,
    saved: Any,
    saved_pool: Any,
    saved_front: Any,
    limited: Any,
    fit: Any,
) -> None:
    """Integrate blocks ``first_block … stop_block - 1`` of draws over the whole horizon."""
    options = ints[_OPTIONS]
    track_crisis, keep = options[_TRACK_CRISIS], options[_KEEP]
    slots = initial.shape[1]
    draws = initial.shape[2]
    sides = crisis.shape[0]
    orders = initial.shape[0] - _TRAINING
    steps = save_at.shape[0] - 1
    shape = (_STAGE_OUT + orders, slots, LANES)
    state = np.zeros((_TRAINING + orders, slots, LANES))
    flows = np.zeros(shape)
    k2 = np.zeros(shape)
    k3 = np.zeros(shape)
    k4 = np.zeros(shape)
    mean = np.zeros(shape)
    scratch = np.zeros(shape)
    stage_state = np.zeros_like(state)
    totals = np.zeros((5, slots, LANES))
    held = np.zeros((sides, LANES))
    now = np.zeros((sides, LANES))
    work = np.zeros((3, sides, LANES))
    cache = np.zeros((3, max(slots, sides), LANES))

    for block in range(first_block, stop_block):
        lo = block * LANES
        nb = min(LANES, draws - lo)
        totals[...] = 0.0
        state[...] = 0.0
        cache[0] = np.nan  # no bonus seen yet: the first step computes every factor
        for row in range(_TRAINING):
            for k in range(slots):
                for b in range(nb):
                    state[row, k, b] = initial[row, k, lo + b]
        for k in range(slots):
            order = ints[_ORDER, k]
            for j in range(order):
                for b in range(nb):
                    state[_TRAINING + j, k, b] = initial[_TRAINING, k, lo + b] / order
        if track_crisis:
            _side_totals(ints, state, nb, held)
            for s in range(sides):
                for b in range(nb):
                    if held[s, b] < par[_MINIMUM, s, lo + b]:
                        crisis[s, lo + b] = 0.0
        if keep and save_at[0] >= 0:
            t = save_at[0]
            _record(
                ints,
                par,
                state,
                totals,
                dt,
                lo,
                nb,
                sides,
                saved[t],
                saved_pool[t],
                saved_front[t],
            )

        for step in range(steps):
            h = 2 * step
            _flows(ints, par, tables, when, state, h, lo, nb, flows, work, cache)
            taken = flows
            if rk4:
                _stage(
                    ints,
                    par,
                    state,
                    flows,
                    dt / 2.0,
                    lo,
                    nb,
                    sides,
                    scratch,
                    stage_state,
                    limited,
                    fit,
                )
                _flows(ints, par, tables, when, stage_state, h + 1, lo, nb, k2, work, cache)
                _stage(
                    ints,
                    par,
                    state,
                    k2,
                    dt / 2.0,
                    lo,
                    nb,
                    sides,
                    scratch,
                    stage_state,
                    limited,
                    fit,
                )
                _flows(ints, par, tables, when, stage_state, h + 1, lo, nb, k3, work, cache)
                _stage(ints, par, state, k3, dt, lo, nb, sides, scratch, stage_state, limited, fit)
                _flows(ints, par, tables, when, stage_state, h + 2, lo, nb, k4, work, cache)
                for row in range(shape[0]):
                    for k in range(slots):
                        for b in range(nb):
                            m = k2[row, k, b] + k3[row, k, b]
                            m *= 2.0
                            m += flows[row, k, b]
                            m += k4[row, k, b]
                            mean[row, k, b] = m / 6.0
                taken = mean
            _limit(ints, state, taken, dt, nb, sides, lo, True, limited, fit)
            _advance(ints, par, state, taken, dt, lo, nb, sides)
            for k in range(slots):
                for b in range(nb):
                    totals[0, k, b] += taken[_RECRUIT, k, b]
                    totals[1, k, b] += taken[_CASUALTIES, k, b]
                    totals[2, k, b] += taken[_RETURNED, k, b]
                    totals[3, k, b] += taken[_DISCHARGED, k, b]
                    totals[4, k, b] += taken[_DESERTED, k, b]
            if track_crisis:
                _side_totals(ints, state, nb, now)
                for s in range(sides):
                    for b in range(nb):
                        n = lo + b
                        if math.isnan(crisis[s, n]) and now[s, b] < par[_MINIMUM, s, n]:
                            drop = held[s, b] - now[s, b]
                            fraction = (held[s, b] - par[_MINIMUM, s, n]) / drop
                            fraction = min(max(fraction, 0.0), 1.0)
                            crisis[s, n] = (step + fraction) * dt
                        held[s, b] = now[s, b]
            if keep and save_at[step + 1] >= 0:
                t = save_at[step + 1]
                _record(
                    ints,
                    par,
                    state,
                    totals,
                    dt,
                    lo,
                    nb,
                    sides,
                    saved[t],
                    saved_pool[t],
                    saved_front[t],
                )
        _record(ints, par, state, totals, dt, lo, nb, sides, final, final_pool, final_front)


@_inline
def _one_side(
    tables: Any,
    when: Any,
    s: int,
    n: int,
    h: int,
    dt: float,
    options: tuple[int, int, int, int, int, int, int, int, int],
    p: tuple[float, ...],
    inverse_ratio: float,
    active: float,
    wounded: float,
    training: float,
    pool: float,
    own: float,
    other: float,
) -> tuple[float, ...]:
    """One Euler step of side ``s`` with one channel and a first-order delay (see _flows).

    ``options`` and the draw's parameters ``p`` come in as scalars, read once per draw:
    read from arrays here, they would be reloaded every step (the tallies' stores could
    alias them). Returns the new active, wounded, training and pool, the flows taken
    (recruits, casualties, returned, discharged, deserted per day), and the limiter's
    factors on the pool, training, active and wounded stocks (1: not limited), which the
    caller tallies in scalars: stores into the tally arrays here cost a reload of every
    operand per step (a measured factor of two).
    """
    law, reference, has_policy, has_bonus, pooled, exponent_one, has_intensity = options[:7]
    has_cap, any_pooled = options[7], options[8]
    graduation_rate, bonus_reference, bonus_elasticity, inverse_pool0 = p[0], p[1], p[2], p[3]
    pool_exponent, rate, own_rate, loss_cap, desertion, returning = p[4:10]
    discharge = p[10]
    recruit = _scheduled(tables, when, _RECRUITMENT, h, s, n)
    if has_policy:
        recruit = recruit * _scheduled(tables, when, _POLICY, h, s, n)
    if has_bonus:
        money = _scheduled(tables, when, _BONUS, h, s, n)
        recruit = recruit * (money / bonus_reference) ** bonus_elasticity
    if pooled:
        ratio = pool * inverse_pool0
        if not exponent_one:
            ratio = ratio**pool_exponent
        recruit = recruit * ratio
    graduation = training * graduation_rate
    if law == _SQUARE:
        c = rate * other
    elif law == _LINEAR:
        c = rate * other * own
    elif law == _LOGARITHMIC:
        c = own_rate * own
    elif law == _GENERAL:
        c = other ** p[11] * own ** p[12] * rate
    else:
        c = _scheduled(tables, when, _EXCHANGE, h, 0, n)
        if s != reference:
            c = c * inverse_ratio
    if has_intensity:
        c = c * _scheduled(tables, when, _INTENSITY, h, 0, n)
    if has_cap:
        cap = active * loss_cap
        if cap < c:
            c = cap
    deserted = desertion * active
    returned = returning * wounded
    discharged = discharge * wounded
    # The limiter, then the step (see _limit and _advance).
    f_pool = 1.0
    if pooled:
        f_pool = _limited(pool, recruit * dt)
        if f_pool != 1.0:
            recruit *= f_pool
    f_training = _limited(training, graduation * dt)
    graduation *= f_training
    f_active = _limited(active, (c + deserted) * dt)
    c *= f_active
    deserted *= f_active
    f_wounded = _limited(wounded, (returned + discharged) * dt)
    returned *= f_wounded
    discharged *= f_wounded
    if any_pooled:
        pool -= (recruit if pooled else 0.0) * dt
    training += (recruit - graduation) * dt
    change = graduation + returned
    change -= c
    change -= deserted
    active += change * dt
    hurt = c * (1.0 - p[13])
    hurt -= returned
    hurt -= discharged
    wounded += hurt * dt
    if pool < 0.0:
        pool = 0.0
    if training < 0.0:
        training = 0.0
    if active < 0.0:
        active = 0.0
    if wounded < 0.0:
        wounded = 0.0
    return (
        active,
        wounded,
        training,
        pool,
        recruit,
        c,
        returned,
        discharged,
        deserted,
        f_pool,
        f_training,
        f_active,
        f_wounded,
    )


@_inline
def _hits(
    counts: tuple[int, int, int, int],
    fits: tuple[float, float, float, float],
    factors: tuple[float, float, float, float],
    before: tuple[float, float, float, float],
    dt: float,
) -> tuple[tuple[int, int, int, int], tuple[float, float, float, float]]:
    """Tally one step's limiter factors (pool, training, active, wounded) by _tally's rule."""
    c0, c1, c2, c3 = counts
    f0, f1, f2, f3 = fits
    if factors[0] != 1.0 and before[0] > 0.0:
        c0 += 1
        f0 = min(f0, factors[0] * dt)
    if factors[1] != 1.0 and before[1] > 0.0:
        c1 += 1
        f1 = min(f1, factors[1] * dt)
    if factors[2] != 1.0 and before[2] > 0.0:
        c2 += 1
        f2 = min(f2, factors[2] * dt)
    if factors[3] != 1.0 and before[3] > 0.0:
        c3 += 1
        f3 = min(f3, factors[3] * dt)
    return (c0, c1, c2, c3), (f0, f1, f2, f3)


@_inline
def _side_parameters(
    par: Any, s: int, n: int
) -> tuple[
    float, float, float, float, float, float, float, float, float, float, float, float, float, float
]:
    """Side ``s``'s parameters of draw ``n`` as the tuple ``_one_side`` reads."""
    o = 1 - s
    return (
        par[_GRADUATION, s, n],
        par[_BONUS_REFERENCE, s, n],
        par[_BONUS_ELASTICITY, s, n],
        par[_INVERSE_POOL0, s, n],
        par[_POOL_EXPONENT, s, n],
        par[_LAW_RATE, o, n],
        par[_LAW_RATE, s, n],
        par[_LOSS_CAP, s, n],
        par[_DESERTION, s, n],
        par[_RETURN, s, n],
        par[_DISCHARGE, s, n],
        par[_LAW_P, 0, n],
        par[_LAW_Q, 0, n],
        par[_KILLED, s, n],
    )


@_jit
def _record_pair(
    par: Any,
    n: int,
    dt: float,
    values: Any,
    out: Any,
    out_pool: Any,
    out_front: Any,
    t: int,
    has_front: bool,
) -> None:
    """Write both sides' state and ``dt ×`` summed flows of draw ``n`` at save ``t``.

    ``out`` is (saves, rows of _OUTPUTS, sides, draws); the final state is save 0 of a
    one-save view. Indexing ``t`` here rather than passing ``out[t]`` matters: a view
    per save per draw (its allocation and reference counts) more than halved the speed
    of keeping trajectories.
    """
    for s in range(2):
        base = 10 * s
        out[t, 0, s, n] = values[base]
        out[t, 1, s, n] = values[base + 2]
        out[t, 2, s, n] = values[base + 1]
        out[t, 3, s, n] = dt * values[base + 4]
        casualties = dt * values[base + 5]
        out[t, 4, s, n] = casualties * par[_KILLED, s, n]
        out[t, 5, s, n] = casualties * (1.0 - par[_KILLED, s, n])
        out[t, 6, s, n] = dt * values[base + 6]
        out[t, 7, s, n] = dt * values[base + 7]
        out[t, 8, s, n] = dt * values[base + 8]
        out_pool[t, s, n] = values[base + 3]
    if has_front:
        out_front[t, n] = values[20]


@_jit
def _integrate_pairs(
    ints: Any,
    par: Any,
    tables: Any,
    when: Any,
    initial: Any,
    save_at: Any,
    dt: float,
    lo: int,
    hi: int,
    final: Any,
    final_pool: Any,
    final_front: Any,
    crisis: Any,
    saved: Any,
    saved_pool: Any,
    saved_front: Any,
    limited: Any,
    fit: Any,
) -> None:
    """Euler for two sides of one channel each, first-order training: draws ``lo … hi - 1``.

    The same arithmetic as the block kernel, one draw at a time with the whole state and
    the draw's parameters in scalars (registers) for the whole time loop.
    """
    has_front = ints[_OPTIONS, _HAS_FRONT] != 0
    track_crisis = ints[_OPTIONS, _TRACK_CRISIS] != 0
    keep = ints[_OPTIONS, _KEEP] != 0
    holder = ints[_OPTIONS, _HOLDER]
    shared = (
        ints[_OPTIONS, _LAW],
        ints[_OPTIONS, _REFERENCE],
        ints[_OPTIONS, _HAS_POLICY],
        ints[_OPTIONS, _HAS_BONUS],
    )
    tail = (
        ints[_OPTIONS, _EXPONENT_ONE],
        ints[_OPTIONS, _HAS_INTENSITY],
        ints[_OPTIONS, _HAS_CAP],
        ints[_OPTIONS, _ANY_POOLED],
    )
    options0 = (*shared, ints[_POOLED, 0], *tail)
    options1 = (*shared, ints[_POOLED, 1], *tail)
    steps = save_at.shape[0] - 1
    values = np.zeros(21)
    for n in range(lo, hi):
        a0, a1 = initial[_ACTIVE, 0, n], initial[_ACTIVE, 1, n]
        w0, w1 = initial[_WOUNDED, 0, n], initial[_WOUNDED, 1, n]
        t0, t1 = initial[_TRAINING, 0, n], initial[_TRAINING, 1, n]
        p0, p1 = initial[_POOL, 0, n], initial[_POOL, 1, n]
        front = initial[_FRONT, 0, n]
        q0 = _side_parameters(par, 0, n)
        q1 = _side_parameters(par, 1, n)
        effectiveness0, effectiveness1 = par[_EFFECTIVENESS, 0, n], par[_EFFECTIVENESS, 1, n]
        minimum0, minimum1 = par[_MINIMUM, 0, n], par[_MINIMUM, 1, n]
        stall, width, speed, area = (
            par[_STALL, 0, n],
            par[_WIDTH, 0, n],
            par[_SPEED, 0, n],
            par[_AREA, 0, n],
        )
        inverse_ratio = par[_INVERSE_RATIO, 0, n]
        crisis0, crisis1 = math.nan, math.nan
        if track_crisis:
            if a0 < minimum0:
                crisis0 = 0.0
            if a1 < minimum1:
                crisis1 = 0.0
        if keep and save_at[0] >= 0:
            values[:] = 0.0
            values[0], values[1], values[2], values[3] = a0, w0, t0, p0
            values[10], values[11], values[12], values[13] = a1, w1, t1, p1
            values[20] = front
            t = save_at[0]
            _record_pair(par, n, dt, values, saved, saved_pool, saved_front, t, has_front)
        r0 = c0 = rt0 = di0 = de0 = 0.0
        r1 = c1 = rt1 = di1 = de1 = 0.0
        counts0 = counts1 = (0, 0, 0, 0)
        fits0 = fits1 = (math.inf, math.inf, math.inf, math.inf)
        for step in range(steps):
            h = 2 * step
            e0 = effectiveness0 * a0
            e1 = effectiveness1 * a1
            moved = front
            if has_front:
                own, other = (e0, e1) if holder == 0 else (e1, e0)
                ratio = 1e12
                if other > 0.0:
                    ratio = own / other
                ratio = (ratio - stall) / width
                moved = math.tanh(ratio) * speed * dt + front
                if moved < 0.0:
                    moved = 0.0
                if moved > area:
                    moved = area
            held0, held1 = a0, a1
            before = (p0, t0, a0, w0)
            a0, w0, t0, p0, rec, cas, ret, dis, des, fp, ft, fa, fw = _one_side(
                tables,
                when,
                0,
                n,
                h,
                dt,
                options0,
                q0,
                inverse_ratio,
                a0,
                w0,
                t0,
                p0,
                e0,
                e1,
            )
            factors = (fp, ft, fa, fw)
            counts0, fits0 = _hits(counts0, fits0, factors, before, dt)
            r0 += rec
            c0 += cas
            rt0 += ret
            di0 += dis
            de0 += des
            before = (p1, t1, a1, w1)
            a1, w1, t1, p1, rec, cas, ret, dis, des, fp, ft, fa, fw = _one_side(
                tables,
                when,
                1,
                n,
                h,
                dt,
                options1,
                q1,
                inverse_ratio,
                a1,
                w1,
                t1,
                p1,
                e1,
                e0,
            )
            factors = (fp, ft, fa, fw)
            counts1, fits1 = _hits(counts1, fits1, factors, before, dt)
            r1 += rec
            c1 += cas
            rt1 += ret
            di1 += dis
            de1 += des
            front = moved
            if track_crisis:
                if math.isnan(crisis0) and a0 < minimum0:
                    fraction = (held0 - minimum0) / (held0 - a0)
                    crisis0 = (step + min(max(fraction, 0.0), 1.0)) * dt
                if math.isnan(crisis1) and a1 < minimum1:
                    fraction = (held1 - minimum1) / (held1 - a1)
                    crisis1 = (step + min(max(fraction, 0.0), 1.0)) * dt
            if keep and save_at[step + 1] >= 0:
                values[0], values[1], values[2], values[3] = a0, w0, t0, p0
                values[4], values[5], values[6], values[7], values[8] = r0, c0, rt0, di0, de0
                values[10], values[11], values[12], values[13] = a1, w1, t1, p1
                values[14], values[15], values[16], values[17], values[18] = r1, c1, rt1, di1, de1
                values[20] = front
                t = save_at[step + 1]
                _record_pair(par, n, dt, values, saved, saved_pool, saved_front, t, has_front)
        if track_crisis:
            crisis[0, n] = crisis0
            crisis[1, n] = crisis1
        for row in range(4):
            limited[row, 0, n] += counts0[row]
            limited[row, 1, n] += counts1[row]
            fit[row, 0, n] = min(fit[row, 0, n], fits0[row])
            fit[row, 1, n] = min(fit[row, 1, n], fits1[row])
        values[0], values[1], values[2], values[3] = a0, w0, t0, p0
        values[4], values[5], values[6], values[7], values[8] = r0, c0, rt0, di0, de0
        values[10], values[11], values[12], values[13] = a1, w1, t1, p1
        values[14], values[15], values[16], values[17], values[18] = r1, c1, rt1, di1, de1
        values[20] = front
        _record_pair(par, n, dt, values, final, final_pool, final_front, 0, has_front)


def _schedule_arrays(
    tables: list[ScheduleTable | None], draws: int, half_steps: int, rows: int
) -> tuple[FloatArray, FloatArray]:
    """Stack schedules as ``tables`` (T, 2, pieces, N) and ``when`` (T, 2, half steps, rows).

    ``tables[t, 0]`` holds levels and ``tables[t, 1]`` slopes; ``when[t, 0]`` the piece
    index active at each half step and ``when[t, 1]`` the ramp fraction (the recipe of
    ``ScheduleTable.at``). A missing schedule is a constant 1.
    """
    pieces = max([1] + [t._level.shape[0] for t in tables if t is not None])
    stacked = np.zeros((len(tables), 2, pieces, draws))
    when = np.zeros((len(tables), 2, half_steps, rows))
    for i, table in enumerate(tables):
        if table is None:
            stacked[i, 0, 0] = 1.0
            continue
        # The table's private arrays are its evaluation recipe (see ScheduleTable.at).
        count, width = table._level.shape[0], table._index.shape[1]
        stacked[i, 0, :count] = table._level
        stacked[i, 1, :count] = table._slope
        when[i, 0, :, :width] = table._index
        when[i, 1, :, :width] = table._fraction
    return stacked, when


def integrate_numba(inputs: Inputs, *, keep_trajectories: bool) -> ChunkResult:
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

    ints = np.zeros((_OPTIONS + 1, max(n_slots, _N_OPTIONS)), dtype=np.int64)
    ints[_SIDE_OF, :n_slots] = layout.slot_side
    ints[_ORDER, :n_slots] = x.training_order
    ints[_POOLED, :n_slots] = x.draws_on_pool
    ints[_SIDE_FIRST, :n_sides] = layout.side_start
    ints[_SIDE_STOP, :n_sides] = [*layout.side_start[1:], n_slots]

    par = np.zeros((_N_PAR, n_slots, draws))
    par[_GRADUATION] = x.graduation_rate
    par[_EFFECTIVENESS] = x.effectiveness
    par[_EXPOSURE] = x.exposure
    par[_BONUS_REFERENCE] = x.bonus_reference
    par[_BONUS_ELASTICITY] = x.bonus_elasticity
    for row, values in (
        (_KILLED, x.killed_fraction),
        (_RETURN, x.return_rate),
        (_DISCHARGE, x.discharge_rate),
        (_DESERTION, x.desertion_rate),
        (_MINIMUM, x.required_minimum),
        (_POOL_EXPONENT, x.pool_exponent),
    ):
        par[row, :n_sides] = values
    with np.errstate(divide="ignore"):
        par[_INVERSE_POOL0, :n_sides] = np.where(has_pool[:, None], 1.0 / x.initial_pool, 0.0)
    if x.max_loss_rate is not None:
        par[_LOSS_CAP, :n_sides] = x.max_loss_rate
    if has_front:
        for row, front_values in (
            (_SPEED, x.front_speed),
            (_STALL, x.front_stall_ratio),
            (_WIDTH, x.front_width),
            (_AREA, x.contested_area),
        ):
            assert front_values is not None
            par[row, 0] = front_values

    law, reference, exchange = x.law, 0, None
    if isinstance(law, SquareLawKernel | LinearLawKernel):
        code = _SQUARE if isinstance(law, SquareLawKernel) else _LINEAR
        par[_LAW_RATE, :n_sides] = law.opponent_lethality[::-1]
    elif isinstance(law, LogarithmicLawKernel):
        code = _LOGARITHMIC
        par[_LAW_RATE, :n_sides] = law.loss_rate
    elif isinstance(law, GeneralLawKernel):
        code = _GENERAL
        par[_LAW_RATE, :n_sides] = law.opponent_lethality[::-1]
        par[_LAW_P, 0] = law.p
        par[_LAW_Q, 0] = law.q
    elif isinstance(law, ExchangeRatioKernel):
        code, reference, exchange = _EXCHANGE_RATIO, law.reference, law.schedule
        par[_INVERSE_RATIO, 0] = law.inverse_ratio
    else:  # pragma: no cover - every law of the schema is handled above
        raise TypeError(f"the compiled kernel has no combat law {type(law).__name__}")

    options = ints[_OPTIONS]
    options[_LAW] = code
    options[_REFERENCE] = reference
    options[_HOLDER] = x.front_holder
    options[_HAS_POLICY] = x.policy is not None
    options[_HAS_BONUS] = x.bonus is not None
    options[_HAS_INTENSITY] = x.intensity is not None
    options[_HAS_CAP] = x.max_loss_rate is not None
    options[_HAS_FRONT] = has_front
    options[_EXPONENT_ONE] = x.pool_exponent_is_one
    options[_TRACK_CRISIS] = bool(np.any(np.isfinite(x.required_minimum)))
    options[_KEEP] = keep_trajectories
    options[_ANY_POOLED] = bool(np.any(x.draws_on_pool))

    tables, when = _schedule_arrays(
        [x.recruitment, x.policy, x.bonus, x.intensity, exchange],
        draws,
        2 * grid.steps + 1,
        max(n_slots, 1),
    )

    initial_pool = np.where(has_pool[:, None], x.initial_pool, 0.0)
    initial = np.zeros((_TRAINING + orders, n_slots, draws))
    initial[_ACTIVE] = x.initial_active
    initial[_WOUNDED] = x.initial_wounded
    initial[_POOL, :n_sides] = initial_pool
    if x.initial_front is not None:
        initial[_FRONT, 0] = x.initial_front
    # The kernel spreads the initial cohort over the stages of each slot's delay.
    initial[_TRAINING] = x.initial_training

    save_at = np.full(grid.steps + 1, -1, dtype=np.int64)
    for i, step in enumerate(grid.save_steps):
        save_at[int(step)] = i
    n_saves = len(grid.save_steps) if keep_trajectories else 0
    final = np.zeros((len(_OUTPUTS), n_slots, draws))
    final_pool = np.zeros((n_sides, draws))
    final_front = np.zeros(draws)
    crisis = np.full((n_sides, draws), np.nan)
    saved = np.zeros((n_saves, len(_OUTPUTS), n_slots, draws))
    saved_pool = np.zeros((n_saves, n_sides, draws))
    saved_front = np.zeros((n_saves, draws))
    limited = np.zeros((4, n_slots, draws), dtype=np.int64)  # rows: _kernel.LIMITED_STOCKS
    fit = np.full((4, n_slots, draws), np.inf)

    # Two sides of one channel each, first-order training, Euler (the reference model's
    # shape): one draw at a time, state in registers. Otherwise: blocks of lanes.
    pairs = n_slots == n_sides == 2 and orders == 1 and grid.method == "euler"

    def run_pairs(first_draw: int, stop_draw: int) -> None:
        _integrate_pairs(
            ints,
            par,
            tables,
            when,
            initial,
            save_at,
            float(grid.dt),
            first_draw,
            stop_draw,
            final[None],  # one-save views: _record_pair indexes the save
            final_pool[None],
            final_front[None],
            crisis,
            saved,
            saved_pool,
            saved_front,
            limited,
            fit,
        )

    def run(first_block: int, stop_block: int) -> None:
        _integrate_blocks(
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

    blocks = (draws + LANES - 1) // LANES
    workers = min(threads(), blocks)
    if pairs:
        edges = np.linspace(0, draws, workers + 1).round().astype(int)
        if workers <= 1:
            run_pairs(0, draws)
        else:
            pool = _thread_pool(workers)
            jobs = [pool.submit(run_pairs, int(a), int(b)) for a, b in itertools.pairwise(edges)]
            for job in jobs:
                job.result()
    elif workers <= 1:
        run(0, blocks)
    else:
        # Blocks are independent and the compiled code holds no GIL: one contiguous range of
        # blocks per thread.
        edges = np.linspace(0, blocks, workers + 1).round().astype(int)
        pool = _thread_pool(workers)
        jobs = [pool.submit(run, int(a), int(b)) for a, b in itertools.pairwise(edges)]
        for job in jobs:
            job.result()

    final_dict = {name: final[i] for i, name in enumerate(_OUTPUTS)}
    final_dict["pool"] = final_pool
    saved_dict: dict[str, FloatArray] | None = None
    if keep_trajectories:
        saved_dict = {name: saved[:, i] for i, name in enumerate(_OUTPUTS)}
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
