"""Names of the compiled engine's packed arrays: parameters by name, state and flow rows.

The compiled engine packs a chunk's parameters into one array per block of draws,
``(parameters, columns, lanes)``; a parameter's row is :class:`Param` ``.<name>``, where
``<name>`` is the :class:`~ceasefire.model.Inputs` field it is read from (or a value
derived from one, listed in :data:`DERIVED`). Packing and kernel both address rows by these
names, so no positional contract is matched by hand.

Columns: per slot (column ``k``), per side (column ``s``) or per draw (column 0), as
:data:`PER_SLOT`, :data:`PER_SIDE` and :data:`PER_DRAW` say.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "DERIVED",
    "LANES",
    "PER_DRAW",
    "PER_SIDE",
    "PER_SLOT",
    "Flow",
    "Ints",
    "Option",
    "Param",
    "Schedule",
    "Stock",
]


LANES = 64
"""Draws per block: the unit of parallel work and the lane loops' trip count (SIMD length)."""


class Param(IntEnum):
    """Row of each parameter in a block's packed parameters, named as its Inputs field."""

    # per slot
    graduation_rate = 0
    effectiveness = 1
    exposure = 2
    bonus_reference = 3
    bonus_elasticity = 4
    # per side
    killed_fraction = 5
    return_rate = 6
    discharge_rate = 7
    desertion_rate = 8
    required_minimum = 9
    inverse_initial_pool = 10
    pool_exponent = 11
    max_loss_rate = 12
    law_rate = 13
    # per draw
    front_speed = 14
    front_stall_ratio = 15
    front_width = 16
    contested_area = 17
    law_first_shape = 18
    law_second_shape = 19


PER_SLOT: tuple[str, ...] = tuple(p.name for p in Param if p < Param.killed_fraction)
PER_SIDE: tuple[str, ...] = tuple(
    p.name for p in Param if Param.killed_fraction <= p < Param.front_speed
)
PER_DRAW: tuple[str, ...] = tuple(p.name for p in Param if p >= Param.front_speed)
DERIVED = ("inverse_initial_pool",)
"""Rows computed from Inputs fields rather than copied (``1 / initial_pool``, 0 without one)."""


class Stock(IntEnum):
    """Rows of a block's state; training stages follow from :attr:`TRAINING` on."""

    ACTIVE = 0
    WOUNDED = 1
    POOL = 2  # per side, in the first columns
    FRONT = 3  # column 0
    TRAINING = 4


class Flow(IntEnum):
    """Rows of a block's flows (per day); stage outflows follow from :attr:`STAGE_OUT` on."""

    RECRUIT = 0
    CASUALTIES = 1
    DESERTED = 2
    RETURNED = 3
    DISCHARGED = 4
    FRONT = 5
    STAGE_OUT = 6


class Schedule(IntEnum):
    """The dated schedules, in the packed schedule tables."""

    RECRUITMENT = 0
    POLICY = 1
    BONUS = 2
    INTENSITY = 3
    LAW = 4
    FRONT_PACE = 5
    RATIO = 6


class Option(IntEnum):
    """Columns of the options row of the packed integers (flags are 0 or 1)."""

    HOLDER = 0  # the side that holds the front
    HAS_POLICY = 1
    HAS_BONUS = 2
    HAS_INTENSITY = 3
    HAS_LAW_SCHEDULE = 4
    HAS_FRONT = 5
    EXPONENT_ONE = 6  # every pool's depletion exponent is exactly 1
    TRACK_CRISIS = 7
    KEEP = 8  # keep monthly trajectories
    ANY_POOLED = 9
    ONE_SLOT = 10  # one channel per side
    COUNT = 11  # tally the limiter's hits
    HAS_FRONT_PACE = 12
    HAS_RATIO = 13
    RATIO_SIDE = 14  # the side whose casualties the exchange ratio's change divides
    SIZE = 12


class Ints(IntEnum):
    """Rows of the packed integers: per slot (column k), per side (column s), options."""

    SIDE_OF = 0
    ORDER = 1
    POOLED = 2
    SIDE_FIRST = 3
    SIDE_STOP = 4
    OPTIONS = 5
