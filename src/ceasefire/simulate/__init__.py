"""Ensembles: sampling designs and the ``simulate`` verb."""

from ceasefire.simulate._sampling import (
    BLOCK,
    LatinHypercube,
    MonteCarlo,
    Sampler,
    UncertainParameter,
    uncertain_parameters,
)
from ceasefire.simulate._simulate import TRAJECTORY_LIMIT, SaveMode, simulate

__all__ = [
    "BLOCK",
    "TRAJECTORY_LIMIT",
    "LatinHypercube",
    "MonteCarlo",
    "Sampler",
    "SaveMode",
    "UncertainParameter",
    "simulate",
    "uncertain_parameters",
]
