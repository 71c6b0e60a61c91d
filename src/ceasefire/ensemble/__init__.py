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
    format_money,
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
    EngineName,
    RunPlan,
    SaveMode,
    plan_run,
)
from ceasefire.ensemble._sink_file import WRITERS, File
from ceasefire.ensemble._sink_memory import InMemory
from ceasefire.ensemble._sinks import EachChunk, Sink
from ceasefire.ensemble._streaming import (
    QuantileSketch,
    StreamedEnsemble,
    StreamedSummary,
    simulate_streaming,
    stream_to_file,
)
from ceasefire.ensemble._verb import run_plans, simulate
from ceasefire.model import Engine, Numba, NumPy

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "MEASURES",
    "SIDE_TRAJECTORIES",
    "TRAJECTORY_LIMIT",
    "WRITERS",
    "ChunkOutput",
    "ChunkView",
    "Dask",
    "EachChunk",
    "Engine",
    "EngineName",
    "EnsembleWriter",
    "Executor",
    "File",
    "InMemory",
    "InProcess",
    "LatinHypercube",
    "Measure",
    "MonteCarlo",
    "NumPy",
    "Numba",
    "Processes",
    "QuantileSketch",
    "RunPlan",
    "Sampler",
    "SaveMode",
    "Sink",
    "StreamedEnsemble",
    "StreamedSummary",
    "UncertainParameter",
    "executor_named",
    "format_count",
    "format_money",
    "format_ratio",
    "measures_for",
    "median_values",
    "open_ensemble",
    "plan_run",
    "run_plans",
    "save_ensemble",
    "simulate",
    "simulate_streaming",
    "stream_to_file",
    "uncertain_parameters",
]
