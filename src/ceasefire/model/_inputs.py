"""Turn a scenario and sampled parameter values into the engine's arrays.

The engine keeps one row per *slot*, a (side, channel) pair, with the slots of
side 0 first; sides are reduced with ``np.add.reduceat``. All quantities are
converted to days and men per day here, once, so the time loop does no unit
arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.model._processes import process_pieces
from ceasefire.model._schedule import Piece, ScheduleTable
from ceasefire.model.equations import NO_LOSS_CAP
from ceasefire.model.laws import Law, law_named
from ceasefire.scenario import DAYS_PER_MONTH, Quantity, Scenario, to_days, to_per_day

__all__ = ["NO_LOSS_CAP", "Grid", "Inputs", "Layout", "build_inputs", "layout_of", "time_grid"]

FloatArray = npt.NDArray[np.float64]
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Layout:
    """Where each (side, channel) pair lives in the engine's arrays."""

    side_ids: tuple[str, ...]
    channel_ids: tuple[str, ...]  # the union of all sides' channels, in file order
    slot_side: npt.NDArray[np.intp]  # (K,)
    slot_channel: npt.NDArray[np.intp]  # (K,) index into channel_ids
    side_start: npt.NDArray[np.intp]  # (S,) first slot of each side

    @property
    def slots(self) -> int:
        """Number of (side, channel) pairs."""
        return len(self.slot_side)


def layout_of(scenario: Scenario) -> Layout:
    """Return the slot layout of a scenario."""
    channel_ids: list[str] = []
    slot_side: list[int] = []
    slot_channel: list[int] = []
    side_start: list[int] = []
    for s, side in enumerate(scenario.sides.values()):
        side_start.append(len(slot_side))
        for name in side.channels:
            if name not in channel_ids:
                channel_ids.append(name)
            slot_side.append(s)
            slot_channel.append(channel_ids.index(name))
    return Layout(
        side_ids=tuple(scenario.sides),
        channel_ids=tuple(channel_ids),
        slot_side=np.array(slot_side, dtype=np.intp),
        slot_channel=np.array(slot_channel, dtype=np.intp),
        side_start=np.array(side_start, dtype=np.intp),
    )


@dataclass(frozen=True)
class Grid:
    """The integration grid: step, number of steps, and the steps saved."""

    dt: float  # days
    steps: int
    save_steps: npt.NDArray[np.intp]  # step indices saved (0 = initial state)
    save_months: FloatArray  # nominal time of each save, in months
    method: str

    @property
    def half_times(self) -> FloatArray:
        """Times (days) of every half step: ``h * dt / 2`` for ``h = 0 … 2 steps``."""
        return np.arange(2 * self.steps + 1, dtype=np.float64) * (self.dt / 2.0)


def time_grid(scenario: Scenario) -> Grid:
    """Return the grid of a scenario.

    As in Vensim, a save time that does not fall on a step is saved at the
    nearest step; the nominal month label is kept and the offset is below half
    a step.
    """
    grid = scenario.time
    dt = grid.step.days
    steps = max(1, round(grid.horizon.days / dt))
    n_saves = round(grid.horizon.days / grid.saveper.days)
    save_days = np.arange(n_saves + 1) * grid.saveper.days
    save_steps = np.minimum(np.rint(save_days / dt).astype(np.intp), steps)
    return Grid(
        dt=dt,
        steps=steps,
        save_steps=save_steps,
        save_months=np.asarray(save_days / DAYS_PER_MONTH, dtype=np.float64),
        method=grid.method,
    )


@dataclass
class Inputs:
    """Everything the kernel needs, in days and men, for one chunk of draws."""

    layout: Layout
    grid: Grid
    draws: int
    # per slot (K, N)
    graduation_rate: FloatArray  # order / training delay, per day
    training_order: npt.NDArray[np.intp]  # (K,)
    effectiveness: FloatArray
    exposure: FloatArray
    initial_active: FloatArray
    initial_training: FloatArray
    initial_wounded: FloatArray
    draws_on_pool: npt.NDArray[np.bool_]  # (K,)
    recruitment: ScheduleTable  # K rows, men per day
    policy: ScheduleTable | None  # K rows, multiplier
    bonus: ScheduleTable | None  # K rows, money (rows without an incentive are 1)
    bonus_reference: FloatArray  # (K, N)
    bonus_elasticity: FloatArray  # (K, N), 0 where no incentive
    # per side (S, N)
    killed_fraction: FloatArray
    return_rate: FloatArray  # fraction / delay, per day
    discharge_rate: FloatArray  # (1 - fraction) / delay, per day
    desertion_rate: FloatArray  # per day
    required_minimum: FloatArray  # nan where none
    initial_pool: FloatArray  # inf where no pool
    pool_exponent: FloatArray
    pool_exponent_is_one: bool
    # combat: the law and its roles (see ceasefire.model.laws), by name
    law: type[Law]
    law_rate: FloatArray  # (S, N), per day
    law_first_shape: FloatArray  # (N,)
    law_second_shape: FloatArray  # (N,)
    law_schedule: ScheduleTable | None  # 1 row, per day
    intensity: ScheduleTable | None  # 1 row
    max_loss_rate: FloatArray  # (S, N): 1 / min_loss_time, per day; NO_LOSS_CAP where none
    # front
    front_holder: int
    initial_front: FloatArray | None  # (N,)
    contested_area: FloatArray | None
    front_speed: FloatArray | None  # km² per day
    front_stall_ratio: FloatArray | None
    front_width: FloatArray | None
    front_pace: ScheduleTable | None = None  # 1 row, multiplier on front_speed
    ratio_change: ScheduleTable | None = None  # 1 row: ρ(t), dividing ratio_side's casualties
    ratio_side: int = 0


class _Values:
    """Per-draw values of the scenario's parameters (fixed ones broadcast)."""

    def __init__(self, sampled: Mapping[str, FloatArray], draws: int) -> None:
        self.sampled = sampled
        self.draws = draws

    def get(self, path: Path, param: Quantity, factor: float = 1.0) -> FloatArray:
        key = ".".join(str(p) for p in path)
        if key in self.sampled:
            values = np.asarray(self.sampled[key], dtype=np.float64)
        else:
            values = np.full(self.draws, param.central())
        return values * factor if factor != 1.0 else values.copy()


def _rate_factor(param: Quantity) -> float:
    return to_per_day(param.unit) if param.unit in ("per_day", "per_month") else 1.0


def _days_factor(param: Quantity) -> float:
    return to_days(param.unit) if param.unit in ("days", "months") else 1.0


class _LawSource:
    """A law's view of the sampled values (:class:`ceasefire.model.laws.ParameterSource`)."""

    def __init__(self, values: _Values, side_ids: Sequence[str], strength: FloatArray) -> None:
        self.values = values
        self.side_ids = side_ids
        self.draws = values.draws
        self.strength = strength

    def per_side(self, mapping: Mapping[str, Any], field: str) -> FloatArray:
        out = np.zeros((len(self.side_ids), self.draws))
        for s, side_id in enumerate(self.side_ids):
            param = mapping[side_id]
            out[s] = self.values.get(("combat", field, side_id), param, _rate_factor(param))
        return out

    def shared(self, param: Any, field: str) -> FloatArray:
        factor = _days_factor(param) if param.unit in ("days", "months") else _rate_factor(param)
        return self.values.get(("combat", field), param, factor)

    def initial_strength(self) -> FloatArray:
        return self.strength


def build_inputs(scenario: Scenario, sampled: Mapping[str, FloatArray], draws: int) -> Inputs:
    """Assemble the kernel inputs for ``draws`` draws with the given sampled values.

    ``sampled`` maps a parameter's dotted path to its ``(draws,)`` values;
    parameters not in it take their central value.
    """
    layout = layout_of(scenario)
    grid = time_grid(scenario)
    values = _Values(sampled, draws)
    start = scenario.time.start
    half_times = grid.half_times
    horizon = float(half_times[-1])
    n_slots, n_sides = layout.slots, len(layout.side_ids)

    def slot_array() -> FloatArray:
        return np.zeros((n_slots, draws))

    graduation_rate = slot_array()
    effectiveness = slot_array()
    exposure = slot_array()
    initial_active = slot_array()
    initial_training = slot_array()
    initial_wounded = slot_array()
    bonus_reference = np.ones((n_slots, draws))
    bonus_elasticity = slot_array()
    training_order = np.ones(n_slots, dtype=np.intp)
    draws_on_pool = np.zeros(n_slots, dtype=np.bool_)
    recruitment_rows: list[list[Piece]] = []
    policy_rows: list[list[Piece]] = []
    bonus_rows: list[list[Piece]] = []

    def pieces(segments: Sequence[Any], prefix: Path) -> list[Piece]:
        out = []
        for i, segment in enumerate(segments):
            factor = _rate_factor(segment.value)
            begin = 0.0 if segment.start is None else float((segment.start - start).days)
            end = math.inf if segment.end is None else float((segment.end - start).days)
            end_value = None
            if segment.end_value is not None:
                end_value = values.get(
                    (*prefix, i, "end_value"), segment.end_value, _rate_factor(segment.end_value)
                )
            piece = Piece(
                begin, end, values.get((*prefix, i, "value"), segment.value, factor), end_value
            )
            if segment.process is not None:  # a stochastic schedule: monthly pieces per draw
                out.extend(
                    process_pieces(piece, segment.process, (*prefix, i), values.get, horizon)
                )
                continue
            out.append(piece)
        return out

    k = 0
    for side_id, side in scenario.sides.items():
        for name, channel in side.channels.items():
            base: Path = ("sides", side_id, "channels", name)
            training_order[k] = channel.training_order
            if channel.training_delay is not None:
                delay = values.get(
                    (*base, "training_delay"),
                    channel.training_delay,
                    _days_factor(channel.training_delay),
                )
                with np.errstate(divide="ignore"):
                    graduation_rate[k] = channel.training_order / delay
            effectiveness[k] = values.get((*base, "effectiveness"), channel.effectiveness)
            exposure[k] = values.get((*base, "exposure"), channel.exposure)
            initial_active[k] = values.get((*base, "initial_active"), channel.initial_active)
            if channel.initial_training is not None:
                initial_training[k] = values.get(
                    (*base, "initial_training"), channel.initial_training
                )
            if channel.initial_wounded is not None:
                initial_wounded[k] = values.get((*base, "initial_wounded"), channel.initial_wounded)
            draws_on_pool[k] = channel.draws_on_pool
            recruitment_rows.append(pieces(channel.recruitment, (*base, "recruitment")))
            policy_rows.append(pieces(channel.policy, (*base, "policy")))
            if channel.incentive is not None:
                incentive = channel.incentive
                bonus_rows.append(pieces(incentive.bonus, (*base, "incentive", "bonus")))
                bonus_reference[k] = values.get(
                    (*base, "incentive", "reference"), incentive.reference
                )
                bonus_elasticity[k] = values.get(
                    (*base, "incentive", "elasticity"), incentive.elasticity
                )
            else:
                bonus_rows.append([])
            k += 1

    def side_array(fill: float = 0.0) -> FloatArray:
        return np.full((n_sides, draws), fill)

    killed_fraction = side_array()
    return_rate = side_array()
    discharge_rate = side_array()
    desertion_rate = side_array()
    required_minimum = side_array(np.nan)
    initial_pool = side_array(np.inf)
    pool_exponent = side_array(1.0)
    exponent_is_one = True
    for s, (side_id, side) in enumerate(scenario.sides.items()):
        base = ("sides", side_id)
        killed_fraction[s] = values.get((*base, "killed_fraction"), side.killed_fraction)
        fraction = values.get((*base, "wounded_return", "fraction"), side.wounded_return.fraction)
        delay = values.get(
            (*base, "wounded_return", "delay"),
            side.wounded_return.delay,
            _days_factor(side.wounded_return.delay),
        )
        with np.errstate(divide="ignore"):
            return_rate[s] = fraction / delay
            discharge_rate[s] = (1.0 - fraction) / delay
        desertion_rate[s] = values.get(
            (*base, "desertion_rate"), side.desertion_rate, _rate_factor(side.desertion_rate)
        )
        if side.required_minimum_force is not None:
            required_minimum[s] = values.get(
                (*base, "required_minimum_force"), side.required_minimum_force
            )
        elif side.required_minimum_share is not None:  # relative to the starting force
            share = values.get((*base, "required_minimum_share"), side.required_minimum_share)
            required_minimum[s] = share * initial_active[layout.slot_side == s].sum(axis=0)
        if side.pool is not None:
            initial_pool[s] = values.get((*base, "pool", "initial"), side.pool.initial)
            gamma = side.pool.depletion_exponent
            pool_exponent[s] = values.get((*base, "pool", "depletion_exponent"), gamma)
            exponent_is_one &= gamma.is_fixed and gamma.central() == 1.0

    combat = scenario.combat
    side_ids = list(scenario.sides)
    law = law_named(combat.law)
    held = effectiveness * initial_active
    strength = np.stack([held[layout.slot_side == s].sum(axis=0) for s in range(n_sides)])
    roles = law.parameters(combat, _LawSource(values, side_ids, strength))
    law_schedule = None
    if roles.schedule is not None:
        law_schedule = ScheduleTable(
            [pieces(roles.schedule, ("combat", roles.schedule_field))], half_times, 0.0, draws
        )
    unused = np.zeros(draws)
    ratio_path: Path = ("combat", "exchange_ratio_change")
    ratio_rows = [[] if roles.ratio_change is None else pieces(roles.ratio_change, ratio_path)]

    intensity_rows = [pieces(combat.intensity, ("combat", "intensity"))]
    max_loss_rate = side_array(NO_LOSS_CAP)
    if combat.min_loss_time is not None:
        min_loss_days = values.get(
            ("combat", "min_loss_time"), combat.min_loss_time, _days_factor(combat.min_loss_time)
        )
        max_loss_rate = np.broadcast_to(1.0 / min_loss_days, (n_sides, draws)).copy()

    front = scenario.front
    front_fields: dict[str, FloatArray | None] = dict.fromkeys(
        ("initial_front", "contested_area", "front_speed", "front_stall_ratio", "front_width")
    )
    holder = 0
    pace_rows: list[list[Piece]] = [[]]
    if front is not None:
        pace_rows = [pieces(front.pace, ("front", "pace"))]
        holder = side_ids.index(front.holder)
        front_fields = {
            "initial_front": values.get(("front", "initial"), front.initial),
            "contested_area": values.get(("front", "contested_area"), front.contested_area),
            "front_speed": values.get(
                ("front", "max_speed"), front.max_speed, _rate_factor(front.max_speed)
            ),
            "front_stall_ratio": values.get(("front", "stall_ratio"), front.stall_ratio),
            "front_width": values.get(("front", "width"), front.width),
        }

    def table(rows: list[list[Piece]], outside: float) -> ScheduleTable | None:
        if not any(rows):
            return None
        return ScheduleTable(rows, half_times, outside, draws)

    return Inputs(
        layout=layout,
        grid=grid,
        draws=draws,
        graduation_rate=graduation_rate,
        training_order=training_order,
        effectiveness=effectiveness,
        exposure=exposure,
        initial_active=initial_active,
        initial_training=initial_training,
        initial_wounded=initial_wounded,
        draws_on_pool=draws_on_pool,
        recruitment=ScheduleTable(recruitment_rows, half_times, 0.0, draws),
        policy=table(policy_rows, 1.0),
        bonus=table(bonus_rows, 1.0) if any(bonus_rows) else None,
        bonus_reference=bonus_reference,
        bonus_elasticity=bonus_elasticity,
        killed_fraction=killed_fraction,
        return_rate=return_rate,
        discharge_rate=discharge_rate,
        desertion_rate=desertion_rate,
        required_minimum=required_minimum,
        initial_pool=initial_pool,
        pool_exponent=pool_exponent,
        pool_exponent_is_one=exponent_is_one,
        law=law,
        law_rate=roles.rate,
        law_first_shape=unused if roles.first_shape is None else roles.first_shape,
        law_second_shape=unused if roles.second_shape is None else roles.second_shape,
        law_schedule=law_schedule,
        intensity=table(intensity_rows, 1.0),
        front_pace=table(pace_rows, 1.0),
        ratio_change=table(ratio_rows, 1.0),
        ratio_side=roles.ratio_side,
        max_loss_rate=max_loss_rate,
        front_holder=holder,
        **front_fields,
    )
