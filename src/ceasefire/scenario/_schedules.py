"""Dated schedules in scenario files: segments of a rate, a multiplier or an amount of money.

A schedule is a list of segments in date order that do not overlap; each holds a value (or
a linear ramp to ``end_value``) from ``start`` to ``end``, and may carry a random process.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from ceasefire.scenario._params import Param, Positive, Rate, _Strict, constrained
from ceasefire.scenario._processes import Process

__all__ = [
    "Amount",
    "AmountSchedule",
    "AmountSegment",
    "MultiplierSchedule",
    "MultiplierSegment",
    "RateSchedule",
    "RateSegment",
]


class _Segment(_Strict):
    start: dt.date | None = Field(
        default=None, description="First day the segment applies (inclusive); default: the start."
    )
    end: dt.date | None = Field(
        default=None, description="Day the segment stops applying (exclusive); default: never."
    )
    process: Process | None = Field(default=None, description="A random process on the value.")

    @model_validator(mode="after")
    def _dates(self) -> _Segment:
        if self.start is not None and self.end is not None and not self.end > self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        if getattr(self, "end_value", None) is not None and self.end is None:
            raise ValueError("a linear ramp (`end_value:`) needs an `end:` date")
        return self


class RateSegment(_Segment):
    """A dated piece of a rate schedule: ``value`` from ``start`` to ``end``.

    With ``end_value`` the rate ramps linearly from ``value`` at ``start`` to
    ``end_value`` at ``end``.
    """

    value: Rate
    end_value: Rate | None = None


class MultiplierSegment(_Segment):
    """A dated piece of a dimensionless multiplier schedule (1 outside every segment)."""

    value: Positive
    end_value: Positive | None = None


Amount = Annotated[
    Param, constrained(units=(None, "rub", "usd", "eur"), low=0.0, what="an amount of money")
]


class AmountSegment(_Segment):
    """A dated piece of a money schedule (a sign-on bonus, for example)."""

    value: Amount
    end_value: Amount | None = None


def _ordered_segments(segments: list[Any]) -> list[Any]:
    previous_end: dt.date | None = None
    for index, segment in enumerate(segments):
        if index > 0 and (previous_end is None or segment.start is None):
            raise ValueError(
                f"segment {index} overlaps segment {index - 1}: give each segment after the "
                "first a `start:` and each one before the last an `end:`"
            )
        if previous_end is not None and segment.start < previous_end:
            raise ValueError(
                f"segment {index} starts ({segment.start}) before segment {index - 1} "
                f"ends ({previous_end}): segments must be in date order and not overlap"
            )
        previous_end = segment.end
    return segments


RateSchedule = Annotated[list[RateSegment], AfterValidator(_ordered_segments)]
MultiplierSchedule = Annotated[list[MultiplierSegment], AfterValidator(_ordered_segments)]
AmountSchedule = Annotated[list[AmountSegment], AfterValidator(_ordered_segments)]
