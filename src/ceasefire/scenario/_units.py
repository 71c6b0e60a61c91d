"""Units of scenario quantities and their conversion to the engine's units.

The engine integrates in days. A month is the mean Gregorian month,
``365.25 / 12 = 30.4375`` days (DESIGN.md, The model).
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "DAYS_PER_MONTH",
    "DurationUnit",
    "RateUnit",
    "to_days",
    "to_per_day",
]

DAYS_PER_MONTH = 30.4375

RateUnit = Literal["per_day", "per_month"]
DurationUnit = Literal["days", "months"]

_PER_DAY = {"per_day": 1.0, "per_month": 1.0 / DAYS_PER_MONTH}
_DAYS = {"days": 1.0, "months": DAYS_PER_MONTH}


def to_per_day(unit: str) -> float:
    """Return the factor that turns a rate in ``unit`` into a rate per day."""
    return _PER_DAY[unit]


def to_days(unit: str) -> float:
    """Return the factor that turns a duration in ``unit`` into days."""
    return _DAYS[unit]
