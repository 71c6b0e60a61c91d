"""The lane kernel's stock bookkeeping: the outflow limiter, the Euler update, the records.

Loops of :mod:`ceasefire.model._lanes` over a block's lanes (see there); the equations are
:mod:`ceasefire.model.equations`', compiled in :mod:`ceasefire.model._compiled_ops`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ceasefire.model import _compiled_ops as c
from ceasefire.model._compiled_ops import inline, jit
from ceasefire.model._layout import LANES, Flow, Ints, Option, Param, Stock

__all__ = ["_advance", "_limit", "_record", "_side_totals"]


@inline
def _pooled_need(ints: Any, flows: Any, s: int, need: Any) -> None:
    """Write into ``need`` the recruits per day side ``s`` draws from its pool, by lane.

    The sum over the slots that draw on the pool, in slot order (as the NumPy engine adds).
    """
    for b in range(LANES):
        need[b] = 0.0
    for k in range(flows.shape[1]):
        if ints[Ints.POOLED, k] and ints[Ints.SIDE_OF, k] == s:
            for b in range(LANES):
                need[b] += flows[Flow.RECRUIT, k, b]


@inline
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
    """Count a limiter hit on a non-empty stock and keep the largest step that fits."""
    hit = need > stock and stock > 0.0
    limited[row, k, n] += 1 if hit else 0
    fits = factor * dt if hit else np.inf
    fit[row, k, n] = fits if fits < fit[row, k, n] else fit[row, k, n]


@jit
def _limit(
    ints: Any,
    state: Any,
    flows: Any,
    dt: float,
    sides: int,
    count: bool,
    limited: Any,
    fit: Any,
    need: Any,
) -> None:
    """Scale each stock's outflows, in place, by :func:`~ceasefire.model.equations.limiter_factor`.

    With ``count``, hits on non-empty stocks are tallied in the block's ``limited`` and
    ``fit`` (lanes last).
    """
    slots = state.shape[1]
    orders = flows.shape[0] - Flow.STAGE_OUT
    if ints[Ints.OPTIONS, Option.ANY_POOLED]:
        for s in range(sides):
            _pooled_need(ints, flows, s, need)
            for b in range(LANES):
                stock = state[Stock.POOL, s, b]
                taken = need[b] * dt
                factor = c.limiter_factor(stock, taken)
                if count:
                    _tally(limited, fit, 0, s, b, stock, taken, factor, dt)
                need[b] = factor
            for k in range(slots):
                if ints[Ints.POOLED, k] and ints[Ints.SIDE_OF, k] == s:
                    for b in range(LANES):
                        flows[Flow.RECRUIT, k, b] *= need[b]
    for j in range(orders):
        for k in range(slots):
            for b in range(LANES):
                stock = state[Stock.TRAINING + j, k, b]
                taken = flows[Flow.STAGE_OUT + j, k, b] * dt
                factor = c.limiter_factor(stock, taken)
                if count:
                    _tally(limited, fit, 1, k, b, stock, taken, factor, dt)
                flows[Flow.STAGE_OUT + j, k, b] *= factor
    for k in range(slots):
        for b in range(LANES):
            stock = state[Stock.ACTIVE, k, b]
            taken = (flows[Flow.CASUALTIES, k, b] + flows[Flow.DESERTED, k, b]) * dt
            factor = c.limiter_factor(stock, taken)
            if count:
                _tally(limited, fit, 2, k, b, stock, taken, factor, dt)
            flows[Flow.CASUALTIES, k, b] *= factor
            flows[Flow.DESERTED, k, b] *= factor
        for b in range(LANES):
            stock = state[Stock.WOUNDED, k, b]
            taken = (flows[Flow.RETURNED, k, b] + flows[Flow.DISCHARGED, k, b]) * dt
            factor = c.limiter_factor(stock, taken)
            if count:
                _tally(limited, fit, 3, k, b, stock, taken, factor, dt)
            flows[Flow.RETURNED, k, b] *= factor
            flows[Flow.DISCHARGED, k, b] *= factor


@jit
def _advance(
    ints: Any, par: Any, state: Any, flows: Any, dt: float, nb: int, sides: int, need: Any
) -> None:
    """``state += dt · d(state)/dt`` for the given (already limited) flows, in place."""
    slots = state.shape[1]
    orders = flows.shape[0] - Flow.STAGE_OUT
    if ints[Ints.OPTIONS, Option.ANY_POOLED]:
        for s in range(sides):
            _pooled_need(ints, flows, s, need)
            for b in range(LANES):
                value = state[Stock.POOL, s, b] - need[b] * dt
                state[Stock.POOL, s, b] = 0.0 if value < 0.0 else value
    # Each stock is clamped at zero as it is updated: a limited outflow empties its stock up
    # to a rounding error (nan stays nan).
    for k in range(slots):
        order = ints[Ints.ORDER, k]
        s = ints[Ints.SIDE_OF, k]
        last = Flow.STAGE_OUT + order - 1
        # Stage j feeds stage j + 1; the last stage of the slot's delay feeds active.
        for b in range(LANES):
            value = (
                state[Stock.TRAINING, k, b]
                + (flows[Flow.RECRUIT, k, b] - flows[Flow.STAGE_OUT, k, b]) * dt
            )
            state[Stock.TRAINING, k, b] = 0.0 if value < 0.0 else value
        for j in range(1, orders):
            fed = 1.0 if j < order else 0.0
            for b in range(LANES):
                inflow = flows[Flow.STAGE_OUT + j - 1, k, b] * fed
                value = (
                    state[Stock.TRAINING + j, k, b]
                    + (inflow - flows[Flow.STAGE_OUT + j, k, b]) * dt
                )
                state[Stock.TRAINING + j, k, b] = 0.0 if value < 0.0 else value
        for b in range(LANES):
            graduation = flows[last, k, b]
            change = graduation + flows[Flow.RETURNED, k, b]
            change -= flows[Flow.CASUALTIES, k, b]
            change -= flows[Flow.DESERTED, k, b]
            value = state[Stock.ACTIVE, k, b] + change * dt
            state[Stock.ACTIVE, k, b] = 0.0 if value < 0.0 else value
            wounded = c.newly_wounded(
                flows[Flow.CASUALTIES, k, b], par[Param.killed_fraction, s, b]
            )
            wounded -= flows[Flow.RETURNED, k, b]
            wounded -= flows[Flow.DISCHARGED, k, b]
            value = state[Stock.WOUNDED, k, b] + wounded * dt
            state[Stock.WOUNDED, k, b] = 0.0 if value < 0.0 else value
    if ints[Ints.OPTIONS, Option.HAS_FRONT]:
        for b in range(LANES):
            state[Stock.FRONT, 0, b] = c.front_moved(
                state[Stock.FRONT, 0, b],
                flows[Flow.FRONT, 0, b],
                dt,
                par[Param.contested_area, 0, b],
            )


@jit
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
    """Write the state and ``dt ×`` the summed flows into ``out`` (rows of OUTPUTS)."""
    slots = state.shape[1]
    orders = state.shape[0] - Stock.TRAINING
    for k in range(slots):
        s = ints[Ints.SIDE_OF, k]
        for b in range(nb):
            n = lo + b
            out[0, k, n] = state[Stock.ACTIVE, k, b]
            training = state[Stock.TRAINING, k, b]
            for j in range(1, orders):
                training += state[Stock.TRAINING + j, k, b]
            out[1, k, n] = training
            out[2, k, n] = state[Stock.WOUNDED, k, b]
            out[3, k, n] = dt * totals[0, k, b]
            casualties = dt * totals[1, k, b]
            out[4, k, n] = c.killed(casualties, par[Param.killed_fraction, s, b])
            out[5, k, n] = c.newly_wounded(casualties, par[Param.killed_fraction, s, b])
            out[6, k, n] = dt * totals[2, k, b]
            out[7, k, n] = dt * totals[3, k, b]
            out[8, k, n] = dt * totals[4, k, b]
    for s in range(sides):
        for b in range(nb):
            out_pool[s, lo + b] = state[Stock.POOL, s, b]
    if ints[Ints.OPTIONS, Option.HAS_FRONT]:
        for b in range(nb):
            out_front[lo + b] = state[Stock.FRONT, 0, b]


@jit
def _side_totals(ints: Any, state: Any, nb: int, out: Any) -> None:
    for s in range(out.shape[0]):
        first, stop = ints[Ints.SIDE_FIRST, s], ints[Ints.SIDE_STOP, s]
        for b in range(LANES):
            out[s, b] = state[Stock.ACTIVE, first, b]
        for k in range(first + 1, stop):
            for b in range(LANES):
                out[s, b] += state[Stock.ACTIVE, k, b]
