"""Stochastic schedules: a segment whose value follows a random process per draw.

A schedule segment (a recruitment rate, the intensity multiplier, the exchange-ratio
casualty rate …) may carry ``process:``. Its value then becomes, per draw, a piecewise
constant monthly path ``value(t) · exp(L_m)`` for month ``m`` of the segment, with a
log-scale state ``L`` that starts at 0 (the segment's value is today's level) and moves
each month:

The state steps once a month by default (``step: {value: 7, unit: days}`` for finer steps;
``σ`` is then per step):

- ``log_normal_walk``: ``L_m = L_{m−1} + σ z_m`` — a geometric random walk without drift
  (the median path stays at ``value``; the spread of ``L_m`` is ``σ √m``, so the fan widens
  like the square root of the horizon);
- ``ar1``: ``L_m = φ L_{m−1} + σ z_m`` — a mean-reverting AR(1) in logs (Box & Jenkins,
  *Time Series Analysis*, 1970, ch. 3), whose spread grows to ``σ / √(1 − φ²)``.

``σ`` (``innovation``, per month) and ``φ`` (``persistence``) are uncertain parameters like
any other. The standard-normal innovations ``z_m`` are *latent* uncertain parameters, one
per month, with paths ``<segment>.process.shock.<m>``: each has its own random stream
(:mod:`ceasefire.ensemble._sampling`), so common random numbers and chunk invariance hold
as for every parameter, and calibration infers the shocks of the months it observes while
a forecast draws the later ones from their prior.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ceasefire.scenario._params import Normal, Param, constrained
from ceasefire.scenario._units import DAYS_PER_MONTH

__all__ = ["SHOCK", "Process", "ProcessStep", "iter_processes", "process_months", "shock_path"]

Scale = Annotated[Param, constrained(low=0.0, what="a log-scale standard deviation per month")]
Persistence = Annotated[Param, constrained(low=0.0, high=1.0, what="an AR(1) coefficient")]

SHOCK = Normal(
    dist="normal",
    mean=0.0,
    sd=1.0,
    assumption="a standard-normal monthly innovation of a stochastic schedule",
)
"""The prior of every monthly innovation ``z_m``; its central value, 0, gives the median path."""


class ProcessStep(BaseModel):
    """How often the process moves: a length of time with its unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float = Field(gt=0, allow_inf_nan=False)
    unit: Literal["days", "months"]

    @property
    def days(self) -> float:
        """The step in days (1 month = 30.4375 days)."""
        return self.value * (DAYS_PER_MONTH if self.unit == "months" else 1.0)


class Process(BaseModel):
    """A random process on a schedule segment's value (per draw, stepping monthly)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["log_normal_walk", "ar1"] = Field(
        description="log_normal_walk (drift-free geometric walk) or ar1 (mean-reverting in logs)."
    )
    innovation: Scale = Field(description="σ: log-scale standard deviation of one step.")
    persistence: Persistence | None = Field(
        default=None, description="φ of an ar1 process (required there, not allowed otherwise)."
    )
    step: ProcessStep = Field(
        default=ProcessStep(value=1, unit="months"),
        description="How often the value moves (default: monthly; at least a day).",
    )

    @model_validator(mode="after")
    def _persistence(self) -> Process:
        if self.kind == "ar1" and self.persistence is None:
            raise ValueError("an `ar1` process needs `persistence:` (φ, between 0 and 1)")
        if self.persistence is not None and self.persistence.support()[1] >= 1.0:
            raise ValueError("`persistence:` must stay below 1 (a stationary AR(1))")
        if self.kind != "ar1" and self.persistence is not None:
            raise ValueError(f"`persistence:` applies to ar1 only, not to {self.kind}")
        if self.step.days < 1.0:
            raise ValueError("`step:` must be at least a day")
        return self


def iter_processes(
    model: Any, prefix: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Yield ``(path, segment)`` for every schedule segment below ``model`` with a process."""
    if isinstance(model, BaseModel):
        if getattr(model, "process", None) is not None and hasattr(model, "end"):
            yield prefix, model
        for name in type(model).model_fields:
            if name != "process":
                yield from iter_processes(getattr(model, name), (*prefix, name))
    elif isinstance(model, dict):
        for key, value in model.items():
            yield from iter_processes(value, (*prefix, key))
    elif isinstance(model, list | tuple):
        for index, value in enumerate(model):
            yield from iter_processes(value, (*prefix, index))


def process_months(
    begin_day: float, end_day: float, horizon_day: float, step_days: float = DAYS_PER_MONTH
) -> tuple[float, int]:
    """Return the process's first day and its number of steps (months) within the run.

    The process starts at the later of the segment's start and the run's start (day 0) and
    covers every step that begins before the earlier of the segment's end and the horizon.
    """
    origin = max(begin_day, 0.0)
    stop = min(end_day, horizon_day)
    if not stop > origin:
        return origin, 0
    return origin, math.ceil((stop - origin) / step_days - 1e-9)


def shock_path(segment_path: tuple[str | int, ...], month: int) -> tuple[str | int, ...]:
    """Path of step ``month``'s innovation of the process on ``segment_path`` (month ≥ 1)."""
    return (*segment_path, "process", "shock", month)
