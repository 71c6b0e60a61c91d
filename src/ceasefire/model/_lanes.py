"""The compiled lane kernel: the model's equations over blocks of draws, with Numba.

Draws are cut into blocks of :data:`LANES`; a block's state, flows and parameters are
contiguous ``(rows, columns, lanes)`` arrays, the time loop runs outside and every equation
is a branch-free loop over the block's lanes inside, which LLVM turns into SIMD code. The
equations are those of :mod:`ceasefire.model.equations` and the law's ``casualties``,
compiled from the same code objects as the NumPy engine runs (rebound to scalar
primitives, :func:`ceasefire.model._ops.rebind`); this module only holds the loop nest.
Branches are on what is the same for every lane of a block (a schedule's piece, a law, a
scenario's options), never inside a lane loop.

**The law** is chosen at compile time: :func:`integrate_blocks` takes its code as a literal
(``numba.literally``), so each law gets its own compiled kernel with its equation inlined,
compiled the first time a scenario uses it and then loaded from Numba's on-disk cache, in a
folder keyed by a hash of every source compiled into it (:mod:`ceasefire.model._compiled_ops`).
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from ceasefire.model import _compiled_ops as c
from ceasefire.model._compiled_ops import cache_folder, inline, jit
from ceasefire.model._lanes_stocks import _advance, _limit, _record, _side_totals
from ceasefire.model._layout import LANES, Flow, Ints, Option, Param, Schedule, Stock

__all__ = ["LANES", "integrate_blocks"]


@inline
def _piece(tables: Any, when: Any, t: int, h: int, row: int) -> tuple[Any, Any, float]:
    """Return schedule ``t``'s row ``row`` at half step ``h``: level, slope and fraction.

    Lane ``b`` reads ``level[b] + slope[b] · fraction``. The piece is the same for every
    lane: it is read once per row, outside the lane loop.
    """
    i = int(when[t, 0, h, row])
    return tables[t, 0, i], tables[t, 1, i], when[t, 1, h, row]


@jit
def _flows(
    law_code: int,
    ints: Any,
    par: Any,
    tables: Any,
    when: Any,
    state: Any,
    h: int,
    elapsed: float,
    nb: int,
    out: Any,
    work: Any,
    incentive: Any,
    keys: Any,
) -> None:
    """Write every flow per day at ``state`` and half step ``h`` into ``out``.

    ``work`` rows: 0 effective strength, 1 casualties, 2 exposed strength, 3 held force,
    4 pool factor, per side. ``incentive`` keeps each slot's incentive factor and ``keys``
    the bonus piece and ramp fraction it was computed at: the bonus changes at a few dates
    only, so the power is taken then, not every step.
    """
    options = ints[Ints.OPTIONS]
    slots = state.shape[1]
    sides = work.shape[1]
    orders = out.shape[0] - Flow.STAGE_OUT
    has_policy = options[Option.HAS_POLICY] != 0
    has_bonus = options[Option.HAS_BONUS] != 0

    if options[Option.ANY_POOLED]:
        if options[Option.EXPONENT_ONE]:
            for s in range(sides):
                for b in range(LANES):
                    work[4, s, b] = c.pool_factor(
                        state[Stock.POOL, s, b], par[Param.inverse_initial_pool, s, b], 1.0
                    )
        else:
            for s in range(sides):
                for b in range(LANES):
                    work[4, s, b] = c.pool_factor(
                        state[Stock.POOL, s, b],
                        par[Param.inverse_initial_pool, s, b],
                        par[Param.pool_exponent, s, b],
                    )
    for k in range(slots):
        s = ints[Ints.SIDE_OF, k]
        pooled = ints[Ints.POOLED, k] != 0
        if has_bonus:
            piece = when[Schedule.BONUS, 0, h, k]
            fraction = when[Schedule.BONUS, 1, h, k]
            if piece != keys[0, k] or fraction != keys[1, k]:
                keys[0, k] = piece
                keys[1, k] = fraction
                level, slope, fraction = _piece(tables, when, Schedule.BONUS, h, k)
                for b in range(LANES):
                    incentive[k, b] = c.incentive_factor(
                        level[b] + slope[b] * fraction,
                        par[Param.bonus_reference, k, b],
                        par[Param.bonus_elasticity, k, b],
                    )
        level, slope, fraction = _piece(tables, when, Schedule.RECRUITMENT, h, k)
        p_level, p_slope, p_fraction = _piece(tables, when, Schedule.POLICY, h, k)
        for b in range(LANES):
            policy = p_level[b] + p_slope[b] * p_fraction if has_policy else 1.0
            factor = incentive[k, b] if has_bonus else 1.0
            depletion = work[4, s, b] if pooled else 1.0
            out[Flow.RECRUIT, k, b] = c.recruitment(
                level[b] + slope[b] * fraction, policy, factor, depletion
            )
        for j in range(orders):
            for b in range(LANES):
                out[Flow.STAGE_OUT + j, k, b] = c.stage_outflow(
                    state[Stock.TRAINING + j, k, b], par[Param.graduation_rate, k, b]
                )

    # Side sums, channel by channel: the lane loop stays innermost (so it vectorises) and
    # the channels are added in order, as the NumPy engine adds its rows.
    for s in range(sides):
        first, stop = ints[Ints.SIDE_FIRST, s], ints[Ints.SIDE_STOP, s]
        for b in range(LANES):
            work[0, s, b] = par[Param.effectiveness, first, b] * state[Stock.ACTIVE, first, b]
            work[3, s, b] = state[Stock.ACTIVE, first, b]
            work[2, s, b] = state[Stock.ACTIVE, first, b] * par[Param.exposure, first, b]
        for k in range(first + 1, stop):
            for b in range(LANES):
                work[0, s, b] += par[Param.effectiveness, k, b] * state[Stock.ACTIVE, k, b]
                work[3, s, b] += state[Stock.ACTIVE, k, b]
                work[2, s, b] += state[Stock.ACTIVE, k, b] * par[Param.exposure, k, b]
    has_intensity = options[Option.HAS_INTENSITY] != 0
    has_schedule = options[Option.HAS_LAW_SCHEDULE] != 0
    l_level, l_slope, l_fraction = _piece(tables, when, Schedule.LAW, h, 0)
    i_level, i_slope, i_fraction = _piece(tables, when, Schedule.INTENSITY, h, 0)
    has_ratio = options[Option.HAS_RATIO] != 0
    ratio_side = options[Option.RATIO_SIDE]
    r_level, r_slope, r_fraction = _piece(tables, when, Schedule.RATIO, h, 0)
    for s in range(sides):
        o = 1 - s
        for b in range(LANES):
            scheduled = l_level[b] + l_slope[b] * l_fraction if has_schedule else 0.0
            intensity = i_level[b] + i_slope[b] * i_fraction if has_intensity else 1.0
            casualties = c.casualties(
                numba.literally(law_code),
                work[0, s, b],
                work[0, o, b],
                par[Param.law_rate, s, b],
                par[Param.law_rate, o, b],
                par[Param.law_first_shape, 0, b],
                par[Param.law_second_shape, 0, b],
                scheduled,
                elapsed,
            )
            if has_ratio and s == ratio_side:
                casualties = c.ratio_scaled(casualties, r_level[b] + r_slope[b] * r_fraction)
            work[1, s, b] = c.limited_casualties(
                casualties, intensity, work[3, s, b], par[Param.max_loss_rate, s, b]
            )

    if options[Option.ONE_SLOT]:
        for k in range(slots):
            for b in range(LANES):
                out[Flow.CASUALTIES, k, b] = work[1, k, b]
    else:
        for k in range(slots):
            s = ints[Ints.SIDE_OF, k]
            for b in range(LANES):
                share = c.exposure_share(
                    state[Stock.ACTIVE, k, b], par[Param.exposure, k, b], work[2, s, b]
                )
                out[Flow.CASUALTIES, k, b] = share * work[1, s, b]

    for k in range(slots):
        s = ints[Ints.SIDE_OF, k]
        for b in range(LANES):
            active = state[Stock.ACTIVE, k, b]
            wounded = state[Stock.WOUNDED, k, b]
            out[Flow.DESERTED, k, b] = c.deserted(active, par[Param.desertion_rate, s, b])
            out[Flow.RETURNED, k, b] = c.returned(wounded, par[Param.return_rate, s, b])
            out[Flow.DISCHARGED, k, b] = c.discharged(wounded, par[Param.discharge_rate, s, b])

    if options[Option.HAS_FRONT]:
        holder = options[Option.HOLDER]
        has_pace = options[Option.HAS_FRONT_PACE] != 0
        f_level, f_slope, f_fraction = _piece(tables, when, Schedule.FRONT_PACE, h, 0)
        for b in range(LANES):
            pace = f_level[b] + f_slope[b] * f_fraction if has_pace else 1.0
            out[Flow.FRONT, 0, b] = c.front_flow(
                work[0, holder, b],
                work[0, 1 - holder, b],
                par[Param.front_speed, 0, b],
                par[Param.front_stall_ratio, 0, b],
                par[Param.front_width, 0, b],
                pace,
            )


@jit
def _stage(
    ints: Any,
    par: Any,
    state: Any,
    flows: Any,
    dt: float,
    nb: int,
    sides: int,
    scratch: Any,
    out: Any,
    limited: Any,
    fit: Any,
    need: Any,
) -> None:
    """Write an RK4 stage state into ``out``: one limited step of ``dt`` with ``flows``."""
    scratch[...] = flows
    _limit(ints, state, scratch, dt, sides, False, limited, fit, need)
    out[...] = state
    _advance(ints, par, out, scratch, dt, nb, sides, need)


with cache_folder():

    @numba.njit(cache=True, error_model="numpy", nogil=True)
    def integrate_blocks(
        law_code: int,
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
        """Integrate blocks ``first_block … stop_block - 1`` of draws over the whole horizon.

        ``par`` (blocks, parameters, columns, lanes) and ``tables`` (blocks, schedules, 2,
        pieces, lanes) hold each block's values contiguously; ``initial`` (rows, slots,
        draws), the outputs and the tallies are draw-major.
        """
        numba.literally(law_code)
        options = ints[Ints.OPTIONS]
        track_crisis, keep = options[Option.TRACK_CRISIS], options[Option.KEEP]
        count = options[Option.COUNT] != 0
        slots = initial.shape[1]
        draws = initial.shape[2]
        sides = crisis.shape[0]
        orders = initial.shape[0] - Stock.TRAINING
        steps = save_at.shape[0] - 1
        shape = (Flow.STAGE_OUT + orders, slots, LANES)
        state = np.zeros((Stock.TRAINING + orders, slots, LANES))
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
        work = np.zeros((5, max(sides, 1), LANES))
        incentive = np.ones((slots, LANES))
        # Tallies and crisis days of the block, flushed into the draw-major outputs at its end.
        block_limited = np.zeros((4, slots, LANES), dtype=np.int64)
        block_fit = np.full((4, slots, LANES), np.inf)
        block_crisis = np.full((sides, LANES), np.nan)
        keys = np.zeros((2, slots))
        need = np.zeros(LANES)

        for block in range(first_block, stop_block):
            lo = block * LANES
            nb = min(LANES, draws - lo)
            bpar = par[block]
            btables = tables[block]
            totals[...] = 0.0
            state[...] = 0.0
            keys[...] = np.nan  # no bonus seen yet: the first step computes every factor
            block_limited[...] = 0
            block_fit[...] = np.inf
            for row in range(Stock.TRAINING):
                for k in range(slots):
                    for b in range(nb):
                        state[row, k, b] = initial[row, k, lo + b]
            for k in range(slots):
                order = ints[Ints.ORDER, k]
                for j in range(order):
                    for b in range(nb):
                        state[Stock.TRAINING + j, k, b] = initial[Stock.TRAINING, k, lo + b] / order
            if track_crisis:
                _side_totals(ints, state, nb, held)
                for s in range(sides):
                    for b in range(nb):
                        start = 0.0 if held[s, b] < bpar[Param.required_minimum, s, b] else np.nan
                        block_crisis[s, b] = start
            if keep and save_at[0] >= 0:
                t = save_at[0]
                _record(
                    ints,
                    bpar,
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
                half = dt / 2.0
                _flows(
                    law_code,
                    ints,
                    bpar,
                    btables,
                    when,
                    state,
                    h,
                    h * half,
                    nb,
                    flows,
                    work,
                    incentive,
                    keys,
                )
                taken = flows
                if rk4:
                    # RK4's three stage states: from k1 (= flows) a half step to k2, from k2 a
                    # half step to k3, from k3 a whole step to k4.
                    for stage in range(3):
                        source = flows if stage == 0 else (k2 if stage == 1 else k3)
                        target = k2 if stage == 0 else (k3 if stage == 1 else k4)
                        offset = 1 if stage < 2 else 2
                        _stage(
                            ints,
                            bpar,
                            state,
                            source,
                            offset * half,
                            nb,
                            sides,
                            scratch,
                            stage_state,
                            block_limited,
                            block_fit,
                            need,
                        )
                        _flows(
                            law_code,
                            ints,
                            bpar,
                            btables,
                            when,
                            stage_state,
                            h + offset,
                            (h + offset) * half,
                            nb,
                            target,
                            work,
                            incentive,
                            keys,
                        )
                    for row in range(shape[0]):
                        for k in range(slots):
                            for b in range(LANES):
                                m = k2[row, k, b] + k3[row, k, b]
                                m *= 2.0
                                m += flows[row, k, b]
                                m += k4[row, k, b]
                                mean[row, k, b] = m / 6.0
                    taken = mean
                _limit(ints, state, taken, dt, sides, count, block_limited, block_fit, need)
                _advance(ints, bpar, state, taken, dt, nb, sides, need)
                for k in range(slots):
                    for b in range(LANES):
                        totals[0, k, b] += taken[Flow.RECRUIT, k, b]
                        totals[1, k, b] += taken[Flow.CASUALTIES, k, b]
                        totals[2, k, b] += taken[Flow.RETURNED, k, b]
                        totals[3, k, b] += taken[Flow.DISCHARGED, k, b]
                        totals[4, k, b] += taken[Flow.DESERTED, k, b]
                if track_crisis:
                    _side_totals(ints, state, nb, now)
                    for s in range(sides):
                        for b in range(LANES):
                            minimum = bpar[Param.required_minimum, s, b]
                            before = block_crisis[s, b]
                            crossed = np.isnan(before) and now[s, b] < minimum
                            fraction = c.crisis_fraction(held[s, b], now[s, b], minimum)
                            block_crisis[s, b] = (step + fraction) * dt if crossed else before
                            held[s, b] = now[s, b]
                if keep and save_at[step + 1] >= 0:
                    t = save_at[step + 1]
                    _record(
                        ints,
                        bpar,
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
            _record(ints, bpar, state, totals, dt, lo, nb, sides, final, final_pool, final_front)
            for s in range(sides):
                for b in range(nb):
                    crisis[s, lo + b] = block_crisis[s, b]
            for row in range(4):
                for k in range(slots):
                    for b in range(nb):
                        limited[row, k, lo + b] = block_limited[row, k, b]
                        fit[row, k, lo + b] = block_fit[row, k, b]
