"""Ensembles: sampling designs and the ``simulate`` verb."""

import sys as _sys
import types as _types
from typing import Any as _Any

from ceasefire.simulate._executors import Dask, Executor, InProcess, Processes, executor_named
from ceasefire.simulate._io import EnsembleWriter, open_ensemble, save_ensemble
from ceasefire.simulate._sampling import (
    BLOCK,
    LatinHypercube,
    MonteCarlo,
    Sampler,
    UncertainParameter,
    median_values,
    uncertain_parameters,
)
from ceasefire.simulate._simulate import (
    DEFAULT_CHUNK,
    HEADLINE_ATTRS,
    TRAJECTORY_LIMIT,
    ChunkOutput,
    ChunkTask,
    Engine,
    SaveMode,
    chunk_tasks,
    run_chunks,
    simulate,
)
from ceasefire.simulate._streaming import (
    QuantileSketch,
    StreamedEnsemble,
    simulate_streaming,
    stream_to_file,
)

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "HEADLINE_ATTRS",
    "TRAJECTORY_LIMIT",
    "ChunkOutput",
    "ChunkTask",
    "Dask",
    "Engine",
    "EnsembleWriter",
    "Executor",
    "InProcess",
    "LatinHypercube",
    "MonteCarlo",
    "Processes",
    "QuantileSketch",
    "Sampler",
    "SaveMode",
    "StreamedEnsemble",
    "UncertainParameter",
    "chunk_tasks",
    "executor_named",
    "median_values",
    "open_ensemble",
    "run_chunks",
    "save_ensemble",
    "simulate",
    "simulate_streaming",
    "stream_to_file",
    "uncertain_parameters",
]


class _CallableModule(_types.ModuleType):
    """The ``ceasefire.simulate`` package, callable as :func:`simulate`.

    Importing the subpackage ``ceasefire.simulate`` makes Python bind the name
    ``simulate`` on the ``ceasefire`` package to this module, replacing the function
    the package exports; calling the module runs the function, so ``cf.simulate(...)``
    works whichever of the two the name holds.
    """

    def __call__(self, *args: _Any, **kwargs: _Any) -> _Any:
        return simulate(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
