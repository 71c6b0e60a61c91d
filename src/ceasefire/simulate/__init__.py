"""Ensembles: sampling designs and the ``simulate`` verb."""

from ceasefire.simulate._executors import Dask, Executor, InProcess, Processes, executor_named
from ceasefire.simulate._sampling import (
    BLOCK,
    LatinHypercube,
    MonteCarlo,
    Sampler,
    UncertainParameter,
    uncertain_parameters,
)
from ceasefire.simulate._simulate import TRAJECTORY_LIMIT, Engine, SaveMode, simulate
from ceasefire.simulate._streaming import QuantileSketch, StreamedEnsemble, simulate_streaming

__all__ = [
    "BLOCK",
    "TRAJECTORY_LIMIT",
    "Dask",
    "Engine",
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
    "executor_named",
    "simulate",
    "simulate_streaming",
    "uncertain_parameters",
]
