"""Samplers: uniform designs in [0, 1)^d, mapped through each parameter's quantile function.

Randomness is drawn in fixed *seed blocks* of :data:`BLOCK` draws, and within a
block, one stream per parameter: the uniforms of parameter ``path`` in block ``b``
come from ``SeedSequence(seed).spawn(...)[b].spawn(...)[key(path)]`` (built
directly from the spawn key ``(b, key(path))``, ``key`` a stable 64-bit hash of
the dotted path). Hence

- a chunk of any size takes the blocks it overlaps, so a result is bit-identical
  for any chunk size or executor;
- a parameter gets the same draws whatever else the scenario holds, so two
  scenarios that share a parameter share its draws (common random numbers for
  comparisons and for each side's beliefs).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import final

import numpy as np
import numpy.typing as npt

from ceasefire.scenario import Scenario, iter_params
from ceasefire.scenario._params import _Quantity

__all__ = [
    "BLOCK",
    "LatinHypercube",
    "MonteCarlo",
    "Sampler",
    "UncertainParameter",
    "parameter_key",
    "sample_chunk",
    "sampler_named",
    "uncertain_parameters",
]

FloatArray = npt.NDArray[np.float64]

BLOCK = 1024
"""Draws per seed block; chunk sizes need not be multiples of it."""


@dataclass(frozen=True)
class UncertainParameter:
    """A scenario parameter that is a distribution, with its dotted path."""

    path: str
    param: _Quantity


def uncertain_parameters(scenario: Scenario) -> list[UncertainParameter]:
    """Return the scenario's distributions, in file order (the design's columns)."""
    return [
        UncertainParameter(".".join(str(p) for p in path), param)
        for path, param in iter_params(scenario)
        if not param.is_fixed
    ]


def parameter_key(path: str) -> int:
    """Return the stable 64-bit key of a parameter's dotted path (its stream within a block)."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest(), "big")


def _stream_seed(
    seed: int | np.random.SeedSequence, block: int, key: int
) -> np.random.SeedSequence:
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, block, key))


class Sampler(ABC):
    """A design of uniform numbers for one parameter in one seed block."""

    name: str

    @abstractmethod
    def block(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Return ``size`` uniform numbers in [0, 1)."""


@final
class MonteCarlo(Sampler):
    """Independent uniform draws (plain Monte Carlo)."""

    name = "mc"

    def block(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.random(size)


@final
class LatinHypercube(Sampler):
    """Latin hypercube within each seed block (``scipy.stats.qmc.LatinHypercube``).

    McKay, Beckman & Conover (1979), *Technometrics* 21(2). Each block of
    :data:`BLOCK` draws (or the last, shorter block) is stratified on its own, so
    chunks stay independent and reproducible. A Latin hypercube's columns are
    independent stratified permutations, so each parameter's column comes from its own
    stream (a one-dimensional ``qmc.LatinHypercube``).
    """

    name = "lhs"

    def block(self, rng: np.random.Generator, size: int) -> FloatArray:
        from scipy.stats import qmc

        design = qmc.LatinHypercube(d=1, rng=rng).random(size)
        return np.asarray(design[:, 0], dtype=np.float64)


_SAMPLERS: dict[str, type[Sampler]] = {"mc": MonteCarlo, "lhs": LatinHypercube}


def sampler_named(name: str | Sampler) -> Sampler:
    """Return the sampler called ``name`` (``mc`` or ``lhs``)."""
    if isinstance(name, Sampler):
        return name
    try:
        return _SAMPLERS[name]()
    except KeyError:
        raise ValueError(
            f"unknown sampler {name!r}: expected one of {', '.join(_SAMPLERS)}"
        ) from None


def sample_chunk(
    parameters: list[UncertainParameter],
    sampler: Sampler,
    seed: int | np.random.SeedSequence,
    draws: int,
    start: int,
    stop: int,
) -> dict[str, FloatArray]:
    """Return the values of every uncertain parameter for draws ``start … stop - 1``."""
    if not parameters:
        return {}
    first, last = start // BLOCK, (stop - 1) // BLOCK
    values: dict[str, FloatArray] = {}
    for parameter in parameters:
        key = parameter_key(parameter.path)
        pieces = []
        for block in range(first, last + 1):
            size = min(BLOCK, draws - block * BLOCK)
            rng = np.random.default_rng(_stream_seed(seed, block, key))
            design = sampler.block(rng, size)
            lo = max(start - block * BLOCK, 0)
            hi = min(stop - block * BLOCK, size)
            pieces.append(design[lo:hi])
        values[parameter.path] = parameter.param.ppf(np.concatenate(pieces))
    return values
