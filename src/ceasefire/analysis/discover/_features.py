"""Features discovery derives from sampled parameters: a process's shocks, summarised."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

__all__ = ["SHOCK", "SHOCK_WINDOWS", "shock_summaries"]

FloatArray = npt.NDArray[np.float64]

SHOCK = re.compile(r"^(?P<process>.+\.process)\.shock\.(?P<month>\d+)$")
SHOCK_WINDOWS = (6, 12, 24, 36)
"""Months over which a process's monthly shocks are summarised for discovery."""


def shock_summaries(
    process: str, by_month: Mapping[int, FloatArray]
) -> list[tuple[str, FloatArray]]:
    """Summarise a process's monthly shocks as their standardised sum over its first months.

    One shock per month is one dimension each, and a box bounding "the shock of month 5"
    reads as noise; ``Σ_{m ≤ M} z_m / √M`` (standard normal, like each shock) says whether
    the path ran above or below its median over the first ``M`` months, which a box can
    bound in words. ``<process>.shocks_to.<M>`` in units of standard deviations.
    """
    months = sorted(by_month)
    out = []
    for window in sorted({min(window, months[-1]) for window in SHOCK_WINDOWS}):
        chosen = [m for m in months if m <= window]
        total = np.sum([by_month[m] for m in chosen], axis=0) / np.sqrt(len(chosen))
        out.append((f"{process}.shocks_to.{window}", total))
    return out
