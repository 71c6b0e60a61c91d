"""Scenario discovery: the ranges of uncertain parameters where an outcome concentrates.

``discover(ensemble, "months_to_crisis.russia <= 36")`` finds boxes with PRIM (Friedman &
Fisher 1999; Bryant & Lempert 2010) or CART (Breiman et al. 1984), with coverage and density
on held-out draws, quasi-p-values and bootstrap intervals for the thresholds.
"""

from ceasefire.analysis.discover._describe import format_bounds, format_interval, format_share
from ceasefire.analysis.discover._discover import (
    DEFAULT_EXCLUDE,
    MIN_CASES,
    Settings,
    box_overlap,
    discover,
    parameter_matrix,
)
from ceasefire.analysis.discover._expr import Outcome, parse_outcome
from ceasefire.analysis.discover._prim import (
    Box,
    BoxStats,
    Trajectory,
    box_stats,
    choose_box,
    data_limits,
    drop_insignificant,
    paste,
    peel,
    quasi_p_values,
)

__all__ = [
    "DEFAULT_EXCLUDE",
    "MIN_CASES",
    "Box",
    "BoxStats",
    "Outcome",
    "Settings",
    "Trajectory",
    "box_overlap",
    "box_stats",
    "choose_box",
    "data_limits",
    "discover",
    "drop_insignificant",
    "format_bounds",
    "format_interval",
    "format_share",
    "parameter_matrix",
    "parse_outcome",
    "paste",
    "peel",
    "quasi_p_values",
]
