"""The NumPy engine: the readable reference, whole-array steps over every draw of a chunk.

The equations are those of :mod:`ceasefire.model.equations` and the combat law's
:meth:`~ceasefire.model.laws.Law.casualties`, called here on ``(slots, draws)`` arrays;
the compiled engine (:mod:`ceasefire.model._compiled`) compiles the same functions into its
lane loops, so the two agree to rounding. This module adds only the loop structure: sums
of channels into sides, which stock each flow leaves, the time loop, RK4's stages.

Every flow leaves exactly one stock. Before a step is taken, the outflows of each
stock are scaled down together where they would take more than the stock holds
(``f = min(1, stock / (dt · outflow))``, exactly 1 wherever they fit), so stocks
never go negative; the cumulative counters add up the flows actually taken, so
people are conserved: initial + inflows − outflows = final, per slot, to rounding.

RK4 evaluates the flows at the four classical stages (stage states clipped at
zero), averages them with weights 1, 2, 2, 1 and takes one limited step with the
averaged flows: for smooth runs this is the classical RK4 update, and it keeps
the conservation bookkeeping exact.

The time loop does one small fixed set of whole-array operations per step, in
place where it can; the limiter's division runs only on steps where some
outflow does not fit, so the common path costs a comparison per stock.

**Limiter hits.** Where the limiter binds on a stock that holds anything (the step's
outflow would take more than the stock: ``rate · dt > stock``), the step is too long
for that flow: the kernel counts such steps per stock, slot and draw
(:attr:`ChunkResult.limited`, rows :data:`LIMITED_STOCKS`) and keeps the largest step
that would have fitted, ``dt · f = stock / outflow`` (:attr:`ChunkResult.fit_days`). Only
the step actually taken is counted (RK4's stage states are limited too, uncounted).
The counting runs only on steps where the limiter binds, so it costs nothing otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.model import equations as eq
from ceasefire.model._inputs import Inputs

__all__ = ["COUNTERS", "LIMITED_STOCKS", "ChunkResult", "integrate"]

FloatArray = npt.NDArray[np.float64]

COUNTERS = ("recruited", "killed", "wounded_total", "returned", "discharged", "deserted")
"""Cumulative per-slot counters reported by the kernel."""

LIMITED_STOCKS = ("pool", "training", "active", "wounded")
"""Rows of :attr:`ChunkResult.limited` and :attr:`ChunkResult.fit_days` (pool: per side)."""


@dataclass
class _State:
    pool: FloatArray  # (S, N); 0 where the side has no pool
    training: FloatArray  # (O, K, N)
    active: FloatArray  # (K, N)
    wounded: FloatArray  # (K, N)
    front: FloatArray | None  # (N,)

    def copy(self) -> _State:
        return _State(
            self.pool.copy(),
            self.training.copy(),
            self.active.copy(),
            self.wounded.copy(),
            None if self.front is None else self.front.copy(),
        )


@dataclass
class _Flows:
    recruit: FloatArray  # (K, N)
    stage_out: FloatArray  # (O, K, N)
    casualties: FloatArray  # (K, N)
    deserted: FloatArray  # (K, N)
    returned: FloatArray  # (K, N)
    discharged: FloatArray  # (K, N)
    front: FloatArray | None  # (N,)


@dataclass
class ChunkResult:
    """What one chunk of draws produced."""

    # Saved states, (T, K, N) per slot, pool (T, S, N), front (T, N); None when not kept.
    saved: dict[str, FloatArray] | None
    # Final state and counters per slot (K, N); pool per side (S, N); front (N,).
    final: dict[str, FloatArray]
    # Days until each side's active force first fell below its required minimum (S, N);
    # nan where it did not within the horizon or no minimum is set.
    crisis_day: FloatArray
    initial: dict[str, FloatArray]
    # Steps on which the limiter bound on a non-empty stock, (4, K, N) int64, rows
    # LIMITED_STOCKS (the pool row uses the first S columns; training sums its stages).
    limited: npt.NDArray[np.int64] | None = None
    # The largest step, in days, that would have fitted on those steps (min over them),
    # (4, K, N); inf where the limiter never bound.
    fit_days: FloatArray | None = None


class _Engine:
    def __init__(self, inputs: Inputs) -> None:
        self.x = x = inputs
        layout = inputs.layout
        self.side_of = layout.slot_side
        stops = [*layout.side_start[1:], layout.slots]
        self.bounds = [(int(a), int(b)) for a, b in zip(layout.side_start, stops, strict=True)]
        # One channel per side: slot k is side k, and side sums are the slot rows themselves.
        self.one_slot = layout.slots == len(layout.side_ids)
        self.pooled = [int(k) for k in np.flatnonzero(inputs.draws_on_pool)]
        # Every side has one channel and it draws on the pool: pool sums are the slot rows.
        self.pool_per_slot = self.one_slot and len(self.pooled) == len(self.bounds)
        self.has_pool = np.isfinite(inputs.initial_pool[:, 0])
        self.inverse_pool0 = np.where(self.has_pool[:, None], 1.0 / inputs.initial_pool, 0.0)
        self.orders = int(inputs.training_order.max())
        order = inputs.training_order
        stages = np.arange(self.orders)[:, None]
        # passes[j, k]: stage j of slot k feeds stage j + 1; graduates[j, k]: it feeds active.
        self.passes = (stages + 1 < order[None, :]).astype(np.float64)[:, :, None]
        self.graduates = (stages == order[None, :] - 1).astype(np.float64)[:, :, None]
        self.killed_fraction = x.killed_fraction[self.side_of]
        self.return_rate = x.return_rate[self.side_of]
        self.discharge_rate = x.discharge_rate[self.side_of]
        self.desertion = x.desertion_rate[self.side_of]
        self.track_crisis = bool(np.any(np.isfinite(x.required_minimum)))
        self.dt = inputs.grid.dt
        self._incentive: FloatArray | None = None
        self._incentive_key: object = ()
        # Scratch arrays, allocated once per chunk and reused every step.
        n_slots, draws = x.initial_active.shape
        n_sides = len(self.bounds)
        self._side = [np.zeros((n_sides, draws)) for _ in range(3)]
        self.limited = np.zeros((len(LIMITED_STOCKS), n_slots, draws), dtype=np.int64)
        self.fit_days = np.full((len(LIMITED_STOCKS), n_slots, draws), np.inf)

    # --- buffers and helpers ------------------------------------------------------------

    def new_flows(self) -> _Flows:
        """Allocate a set of flow arrays; the time loop reuses them every step."""
        n_slots, draws = self.x.initial_active.shape
        return _Flows(
            recruit=np.zeros((n_slots, draws)),
            stage_out=np.zeros((self.orders, n_slots, draws)),
            casualties=np.zeros((n_slots, draws)),
            deserted=np.zeros((n_slots, draws)),
            returned=np.zeros((n_slots, draws)),
            discharged=np.zeros((n_slots, draws)),
            front=None if self.x.initial_front is None else np.zeros(draws),
        )

    def by_side(self, per_slot: FloatArray, out: FloatArray) -> FloatArray:
        """Sum ``(K, N)`` slot rows into ``(S, N)`` side rows (a side's slots are contiguous).

        With one channel per side this returns ``per_slot`` itself (``out`` untouched):
        callers never write into the result.
        """
        if self.one_slot:
            return per_slot
        for s, (first, stop) in enumerate(self.bounds):
            if stop - first == 1:
                out[s] = per_slot[first]
            else:
                np.sum(per_slot[first:stop], axis=0, out=out[s])
        return out

    def pooled_by_side(self, per_slot: FloatArray, out: FloatArray) -> FloatArray:
        """Sum the rows of the slots that draw on the pool into ``(S, N)`` side rows."""
        if self.pool_per_slot:
            return per_slot
        out.fill(0.0)
        for k in self.pooled:
            out[self.side_of[k]] += per_slot[k]
        return out

    # --- the model ----------------------------------------------------------------------

    def incentive(self, h: int) -> FloatArray | float:
        """Return the incentive factor per slot, recomputed only when the bonus schedule changes.

        The returned array is shared between steps: callers never write into it.
        """
        x = self.x
        if x.bonus is None:
            return 1.0
        key = x.bonus.key(h)
        if key != self._incentive_key or self._incentive is None:
            self._incentive = eq.incentive_factor(
                x.bonus.at(h), x.bonus_reference, x.bonus_elasticity
            )
            self._incentive_key = key
        return self._incentive

    def initial_state(self) -> _State:
        x = self.x
        training = np.zeros((self.orders, *x.initial_training.shape))
        # An initial training cohort is spread evenly over the stages of its delay.
        order = x.training_order[None, :, None].astype(np.float64)
        in_delay = np.arange(self.orders)[:, None, None] < order
        training[...] = np.where(in_delay, x.initial_training[None] / order, 0.0)
        pool = np.where(self.has_pool[:, None], x.initial_pool, 0.0)
        front = None if x.initial_front is None else x.initial_front.copy()
        return _State(pool, training, x.initial_active.copy(), x.initial_wounded.copy(), front)

    def flows(self, state: _State, h: int, out: _Flows) -> _Flows:
        """Write every flow, in men (or km²) per day, at ``state`` and half-step ``h``."""
        x = self.x
        side = self.side_of
        depletion: FloatArray | float = 1.0
        if self.pooled:
            per_side = eq.pool_factor(state.pool, self.inverse_pool0, x.pool_exponent)
            depletion = np.where(x.draws_on_pool[:, None], per_side[side], 1.0)
        policy = 1.0 if x.policy is None else x.policy.at(h)
        out.recruit[...] = eq.recruitment(x.recruitment.at(h), policy, self.incentive(h), depletion)
        out.stage_out[...] = eq.stage_outflow(state.training, x.graduation_rate)

        active = state.active
        effective = self.by_side(x.effectiveness * active, out=self._side[0])
        own, other = effective, effective[::-1]
        scheduled = 0.0 if x.law_schedule is None else x.law_schedule.at(h)[0]
        law_casualties = x.law.casualties(
            own,
            other,
            x.law_rate,
            x.law_rate[::-1],
            x.law_first_shape,
            x.law_second_shape,
            scheduled,
            h * (self.dt / 2.0),
        )
        if x.ratio_change is not None:
            law_casualties = np.array(law_casualties, copy=True)
            r = x.ratio_side
            law_casualties[r] = eq.ratio_scaled(law_casualties[r], x.ratio_change.at(h)[0])
        intensity = 1.0 if x.intensity is None else x.intensity.at(h)[0]
        held = self.by_side(active, out=self._side[1])
        casualties = eq.limited_casualties(law_casualties, intensity, held, x.max_loss_rate)
        if self.one_slot:
            out.casualties[...] = casualties
        else:
            exposed_total = self.by_side(active * x.exposure, out=self._side[2])
            share = eq.exposure_share(active, x.exposure, exposed_total[side])
            out.casualties[...] = share * casualties[side]

        out.deserted[...] = eq.deserted(active, self.desertion)
        out.returned[...] = eq.returned(state.wounded, self.return_rate)
        out.discharged[...] = eq.discharged(state.wounded, self.discharge_rate)

        if state.front is not None and out.front is not None:
            assert x.front_stall_ratio is not None
            assert x.front_width is not None
            assert x.front_speed is not None
            holder = x.front_holder
            pace = 1.0 if x.front_pace is None else x.front_pace.at(h)[0]
            out.front[...] = eq.front_flow(
                effective[holder],
                effective[1 - holder],
                x.front_speed,
                x.front_stall_ratio,
                x.front_width,
                pace,
            )
        return out

    def limit(self, state: _State, flows: _Flows, dt: float, *, count: bool = False) -> None:
        """Scale each stock's outflows, in place, where one step would take more than it holds.

        With ``count``, the steps where it binds on a non-empty stock are counted.
        """
        if self.pooled:
            need = self.pooled_by_side(flows.recruit, out=self._side[0]) * dt
            factor = self._factor(state.pool, need, 0, count)
            if factor is not None:
                # Only the slots that draw on the pool are limited by it.
                flows.recruit *= np.where(self.x.draws_on_pool[:, None], factor[self.side_of], 1.0)
        need = flows.stage_out * dt
        factor = self._factor(state.training, need, 1, count)
        if factor is not None:
            flows.stage_out *= factor
        need = (flows.casualties + flows.deserted) * dt
        factor = self._factor(state.active, need, 2, count)
        if factor is not None:
            flows.casualties *= factor
            flows.deserted *= factor
        need = (flows.returned + flows.discharged) * dt
        factor = self._factor(state.wounded, need, 3, count)
        if factor is not None:
            flows.returned *= factor
            flows.discharged *= factor

    def _factor(
        self, stock: FloatArray, need: FloatArray, row: int, count: bool
    ) -> FloatArray | None:
        """:func:`~ceasefire.model.equations.limiter_factor`, or None where every outflow fits.

        Where every outflow fits the factor is exactly 1, so skipping it changes nothing.
        With ``count``, hits on non-empty cells of ``stock`` go into row ``row`` of the tallies.
        """
        over = need > stock
        if not over.any():
            return None
        factor = eq.limiter_factor(stock, need)
        if count:
            hit = over & (stock > 0.0)
            fit = np.where(hit, factor * self.dt, np.inf)
            if stock.ndim == 3:  # training: one row per stage of the delay
                hits, fit = hit.sum(axis=0), fit.min(axis=0)
            else:
                hits = hit
            rows = hits.shape[0]
            self.limited[row, :rows] += hits
            np.minimum(self.fit_days[row, :rows], fit, out=self.fit_days[row, :rows])
        return factor

    def advance(self, state: _State, flows: _Flows, dt: float) -> None:
        """``state += dt · d(state)/dt`` for the given (already limited) flows, in place."""
        if self.pooled:
            state.pool -= self.pooled_by_side(flows.recruit, out=self._side[0]) * dt
        if self.orders == 1:
            graduation = flows.stage_out[0]
            state.training[0] += (flows.recruit - graduation) * dt
        else:
            stage_in = np.empty_like(flows.stage_out)
            stage_in[0] = flows.recruit
            stage_in[1:] = flows.stage_out[:-1] * self.passes[:-1]
            graduation = np.sum(flows.stage_out * self.graduates, axis=0)
            state.training += (stage_in - flows.stage_out) * dt
        state.active += (graduation + flows.returned - flows.casualties - flows.deserted) * dt
        wounded_in = eq.newly_wounded(flows.casualties, self.killed_fraction)
        state.wounded += (wounded_in - flows.returned - flows.discharged) * dt
        # A limited outflow empties its stock up to a rounding error either way: clamp it,
        # so powers and ratios of stocks stay defined (the error is ~1e-16 of the stock).
        for stock in (state.pool, state.training, state.active, state.wounded):
            np.maximum(stock, 0.0, out=stock)
        if state.front is not None and flows.front is not None:
            state.front[...] = eq.front_moved(state.front, flows.front, dt, self.x.contested_area)

    def stage(
        self, state: _State, flows: _Flows, dt: float, scratch: _Flows, out: _State
    ) -> _State:
        """Write an RK4 stage state into ``out`` (limited and clipped, like a full step)."""
        _copy_flows(flows, scratch)
        self.limit(state, scratch, dt)
        for name in ("pool", "training", "active", "wounded"):
            np.copyto(getattr(out, name), getattr(state, name))
        if state.front is not None and out.front is not None:
            np.copyto(out.front, state.front)
        self.advance(out, scratch, dt)
        return out


def _copy_flows(flows: _Flows, out: _Flows) -> None:
    for name in ("recruit", "stage_out", "casualties", "deserted", "returned", "discharged"):
        np.copyto(getattr(out, name), getattr(flows, name))
    if flows.front is not None and out.front is not None:
        np.copyto(out.front, flows.front)


def _average(k1: _Flows, k2: _Flows, k3: _Flows, k4: _Flows, out: _Flows) -> _Flows:
    """Write the RK4 weighted mean ``(k1 + 2 k2 + 2 k3 + k4) / 6`` of the stages into ``out``."""
    names = ["recruit", "stage_out", "casualties", "deserted", "returned", "discharged"]
    if out.front is not None:
        names.append("front")
    for name in names:
        target = getattr(out, name)
        np.add(getattr(k2, name), getattr(k3, name), out=target)
        target *= 2.0
        target += getattr(k1, name)
        target += getattr(k4, name)
        target /= 6.0
    return out


def integrate(inputs: Inputs, *, keep_trajectories: bool) -> ChunkResult:
    """Run one chunk of draws over the whole horizon.

    Floating-point overflow and invalid operations are not warned about here: an absurd
    parameter can make a draw non-finite, and the caller checks the result for that (see
    :func:`ceasefire.model.first_non_finite`) and names the draw.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _integrate(inputs, keep_trajectories=keep_trajectories)


def _integrate(inputs: Inputs, *, keep_trajectories: bool) -> ChunkResult:
    engine = _Engine(inputs)
    grid = inputs.grid
    dt = grid.dt
    state = engine.initial_state()
    n_slots, draws = inputs.initial_active.shape
    # Sums of flows per day; multiplied by dt once at the end.
    recruited, casualties, returned, discharged, deserted = (
        np.zeros((n_slots, draws)) for _ in range(5)
    )

    save_at = {int(step): i for i, step in enumerate(grid.save_steps)}
    saved: dict[str, FloatArray] | None = None
    if keep_trajectories:
        n_saves = len(grid.save_steps)
        names = ("active", "training", "wounded", *COUNTERS)
        saved = {name: np.empty((n_saves, n_slots, draws)) for name in names}
        saved["pool"] = np.empty((n_saves, len(inputs.layout.side_ids), draws))
        if state.front is not None:
            saved["front"] = np.empty((n_saves, draws))

    def snapshot(index: int) -> None:
        assert saved is not None
        saved["active"][index] = state.active
        saved["training"][index] = state.training.sum(0)
        saved["wounded"][index] = state.wounded
        saved["recruited"][index] = dt * recruited
        saved["killed"][index] = eq.killed(dt * casualties, engine.killed_fraction)
        saved["wounded_total"][index] = eq.newly_wounded(dt * casualties, engine.killed_fraction)
        saved["returned"][index] = dt * returned
        saved["discharged"][index] = dt * discharged
        saved["deserted"][index] = dt * deserted
        saved["pool"][index] = state.pool
        if state.front is not None:
            saved["front"][index] = state.front

    minimum = inputs.required_minimum
    crisis_day = np.full(minimum.shape, np.nan)
    if engine.track_crisis:
        total_active = engine.by_side(state.active, out=np.empty(minimum.shape)).copy()
        crisis_day[total_active < minimum] = 0.0

    if saved is not None and 0 in save_at:
        snapshot(save_at[0])
    rk4 = grid.method == "rk4"
    flows = engine.new_flows()
    if rk4:
        k2, k3, k4, mean, scratch = (engine.new_flows() for _ in range(5))
        stage_state = state.copy()
    for step in range(grid.steps):
        h = 2 * step
        taken = engine.flows(state, h, flows)
        if rk4:
            engine.flows(engine.stage(state, flows, dt / 2.0, scratch, stage_state), h + 1, k2)
            engine.flows(engine.stage(state, k2, dt / 2.0, scratch, stage_state), h + 1, k3)
            engine.flows(engine.stage(state, k3, dt, scratch, stage_state), h + 2, k4)
            taken = _average(flows, k2, k3, k4, out=mean)
        engine.limit(state, taken, dt, count=True)
        engine.advance(state, taken, dt)
        recruited += taken.recruit
        casualties += taken.casualties
        returned += taken.returned
        discharged += taken.discharged
        deserted += taken.deserted

        if engine.track_crisis:
            new_total = engine.by_side(state.active, out=np.empty_like(total_active))
            crossed = np.isnan(crisis_day) & (new_total < minimum)
            if crossed.any():
                fraction = eq.crisis_fraction(
                    total_active[crossed], new_total[crossed], minimum[crossed]
                )
                crisis_day[crossed] = (step + fraction) * dt
            total_active[...] = new_total
        if saved is not None and step + 1 in save_at:
            snapshot(save_at[step + 1])

    casualties *= dt
    final = {
        "active": state.active,
        "training": state.training.sum(0),
        "wounded": state.wounded,
        "pool": state.pool,
        "recruited": recruited * dt,
        "killed": eq.killed(casualties, engine.killed_fraction),
        "wounded_total": eq.newly_wounded(casualties, engine.killed_fraction),
        "returned": returned * dt,
        "discharged": discharged * dt,
        "deserted": deserted * dt,
    }
    if state.front is not None:
        final["front"] = state.front
    initial = {
        "active": inputs.initial_active,
        "training": inputs.initial_training,
        "wounded": inputs.initial_wounded,
        "pool": np.where(engine.has_pool[:, None], inputs.initial_pool, 0.0),
    }
    if inputs.initial_front is not None:
        initial["front"] = inputs.initial_front
    return ChunkResult(
        saved=saved,
        final=final,
        crisis_day=crisis_day,
        initial=initial,
        limited=engine.limited,
        fit_days=engine.fit_days,
    )
