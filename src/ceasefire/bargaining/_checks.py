"""Argument checks shared by the closed-form models: each message starts with the argument."""

from __future__ import annotations

import math

__all__ = ["check_finite", "check_nonnegative", "check_positive", "check_probability"]


def check_probability(name: str, value: float, *, open_interval: bool = False) -> None:
    """Refuse ``value`` unless it lies in [0, 1] (or (0, 1)); NaN is refused too."""
    if not 0.0 <= value <= 1.0 or (open_interval and value in (0.0, 1.0)):
        interval = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must be a probability in {interval}, got {value!r}")


def check_nonnegative(name: str, value: float) -> None:
    """Refuse ``value`` unless it is a finite number ≥ 0."""
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def check_positive(name: str, value: float) -> None:
    """Refuse ``value`` unless it is a finite number > 0."""
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


def check_finite(name: str, value: float) -> None:
    """Refuse NaN and infinities."""
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
