"""The model: stocks, flows and combat laws, and the vectorised kernel that steps them."""

from ceasefire.model._engines import ENGINES, Engine, Numba, NumPy, engine_named, integrator
from ceasefire.model._guards import (
    LimiterTally,
    NonFinite,
    NonFiniteRunError,
    describe_parameters,
    first_non_finite,
    nice_step_below,
)
from ceasefire.model._inputs import Grid, Inputs, Layout, build_inputs, layout_of, time_grid
from ceasefire.model._kernel import COUNTERS, LIMITED_STOCKS, ChunkResult, integrate
from ceasefire.model._ops import NUMPY_PLAIN, with_numpy
from ceasefire.model._vensim import export_vensim, vensim_name

__all__ = [
    "COUNTERS",
    "ENGINES",
    "LIMITED_STOCKS",
    "NUMPY_PLAIN",
    "ChunkResult",
    "Engine",
    "Grid",
    "Inputs",
    "Layout",
    "LimiterTally",
    "NonFinite",
    "NonFiniteRunError",
    "NumPy",
    "Numba",
    "build_inputs",
    "describe_parameters",
    "engine_named",
    "export_vensim",
    "first_non_finite",
    "integrate",
    "integrator",
    "layout_of",
    "nice_step_below",
    "time_grid",
    "vensim_name",
    "with_numpy",
]
