"""What ``ceasefire battles fit`` needs: reading any daily series, and starting values.

Least squares needs a starting point; each law's is computed from the data by matching
average daily casualties at average strengths (a moment estimate), so a fit never
starts from an arbitrary number.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from ceasefire._errors import InputError
from ceasefire.battles import FITTED_LAWS, BattleLaw, DailySeries, load_ardennes, load_daily_series

__all__ = ["read_series", "starting_law"]


def read_series(path: str | Path) -> DailySeries:
    """Read a daily series: the documented format, or the Wiper–Pettit–Young Ardennes file."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", where=str(path))
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; expected a CSV file", where=str(path)) from None
    if "allied_forces" in header:
        return load_ardennes(path)
    return load_daily_series(path)


def starting_law(name: str, series: DailySeries) -> BattleLaw:
    """Return law ``name`` with coefficients that match the series' average daily casualties."""
    a_forces, b_forces = series.a_forces.mean(), series.b_forces.mean()
    a_losses, b_losses = series.a_casualties.mean(), series.b_casualties.mean()
    if min(a_forces, b_forces) <= 0:
        raise InputError("forces must be positive to fit a law", where=series.name)
    if name == "square":
        return BattleLaw("square", a_losses / b_forces, b_losses / a_forces)
    if name == "linear":
        return BattleLaw(
            "linear", a_losses / (a_forces * b_forces), b_losses / (a_forces * b_forces)
        )
    if name == "logarithmic":
        return BattleLaw("logarithmic", a_losses / a_forces, b_losses / b_forces)
    if name == "fatigue":
        steps = np.arange(len(series), dtype=np.float64)
        decay = float(np.mean(1.0 / np.log(math.e + steps)))
        return BattleLaw("fatigue", a_losses / (a_forces * decay), b_losses / (b_forces * decay))
    if name == "general":
        tactical = 1.0 if series.attacker is not None else None
        return BattleLaw("general", a_losses / b_forces, b_losses / a_forces, 1.0, 0.0, tactical)
    raise InputError(
        f"unknown law; expected one of {', '.join(FITTED_LAWS)}", where=name, field="law"
    )
