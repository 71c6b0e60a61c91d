"""The model: stocks, flows and combat laws, and the vectorised kernel that steps them."""

from ceasefire.model._inputs import Grid, Inputs, Layout, build_inputs, layout_of, time_grid
from ceasefire.model._kernel import COUNTERS, ChunkResult, integrate

__all__ = [
    "COUNTERS",
    "ChunkResult",
    "Grid",
    "Inputs",
    "Layout",
    "build_inputs",
    "integrate",
    "layout_of",
    "time_grid",
]
