"""Ensembles: sampling designs, executors, output sinks and the ``simulate`` verb.

The package is named for what it makes, not for its verb, so that ``ceasefire.simulate``
is always the function (the curated namespace in :mod:`ceasefire`), never this package.
"""

from ceasefire.ensemble._executors import Dask, Executor, InProcess, Processes, executor_named
from ceasefire.ensemble._headline import (
    MEASURES,
    SIDE_TRAJECTORIES,
    ChunkView,
    Measure,
    format_count,
    format_ratio,
    measures_for,
)
from ceasefire.ensemble._io import EnsembleWriter, open_ensemble, save_ensemble
from ceasefire.ensemble._sampling import (
    BLOCK,
    LatinHypercube,
    MonteCarlo,
    Sampler,
    UncertainParameter,
    median_values,
    uncertain_parameters,
)
from ceasefire.ensemble._simulate import (
    DEFAULT_CHUNK,
    TRAJECTORY_LIMIT,
    ChunkOutput,
    ChunkTask,
    Engine,
    SaveMode,
    chunk_tasks,
    run_chunks,
    simulate,
)
from ceasefire.ensemble._streaming import (
    QuantileSketch,
    StreamedEnsemble,
    simulate_streaming,
    stream_to_file,
)

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "MEASURES",
    "SIDE_TRAJECTORIES",
    "TRAJECTORY_LIMIT",
    "ChunkOutput",
    "ChunkTask",
    "ChunkView",
    "Dask",
    "Engine",
    "EnsembleWriter",
    "Executor",
    "InProcess",
    "LatinHypercube",
    "Measure",
    "MonteCarlo",
    "Processes",
    "QuantileSketch",
    "Sampler",
    "SaveMode",
    "StreamedEnsemble",
    "UncertainParameter",
    "chunk_tasks",
    "executor_named",
    "format_count",
    "format_ratio",
    "measures_for",
    "median_values",
    "open_ensemble",
    "run_chunks",
    "save_ensemble",
    "simulate",
    "simulate_streaming",
    "stream_to_file",
    "uncertain_parameters",
]
