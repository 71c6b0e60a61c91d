"""Samplers: uniform designs in [0, 1)^d, mapped through each parameter's quantile function.

Randomness is drawn in fixed *seed blocks* of :data:`BLOCK` draws; block ``b``
gets its generator from ``SeedSequence(seed).spawn(...)[b]`` (built directly as
the child with spawn key ``(b,)``). A chunk of any size takes the blocks it
overlaps, so a result is bit-identical for any chunk size or executor.
"""

from __future__ import annotations

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


def _block_seed(seed: int | np.random.SeedSequence, block: int) -> np.random.SeedSequence:
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, block))


class Sampler(ABC):
    """A design of uniform numbers for one seed block."""

    name: str

    @abstractmethod
    def block(self, rng: np.random.Generator, size: int, dims: int) -> FloatArray:
        """Return ``(size, dims)`` uniform numbers in [0, 1)."""


@final
class MonteCarlo(Sampler):
    """Independent uniform draws (plain Monte Carlo)."""

    name = "mc"

    def block(self, rng: np.random.Generator, size: int, dims: int) -> FloatArray:
        return rng.random((size, dims))


@final
class LatinHypercube(Sampler):
    """Latin hypercube within each seed block (``scipy.stats.qmc.LatinHypercube``).

    McKay, Beckman & Conover (1979), *Technometrics* 21(2). Each block of
    :data:`BLOCK` draws (or the last, shorter block) is stratified on its own, so
    chunks stay independent and reproducible.
    """

    name = "lhs"

    def block(self, rng: np.random.Generator, size: int, dims: int) -> FloatArray:
        from scipy.stats import qmc

        return np.asarray(qmc.LatinHypercube(d=dims, rng=rng).random(size), dtype=np.float64)


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
    dims = len(parameters)
    first, last = start // BLOCK, (stop - 1) // BLOCK
    pieces = []
    for block in range(first, last + 1):
        size = min(BLOCK, draws - block * BLOCK)
        rng = np.random.default_rng(_block_seed(seed, block))
        design = sampler.block(rng, size, dims)
        lo = max(start - block * BLOCK, 0)
        hi = min(stop - block * BLOCK, size)
        pieces.append(design[lo:hi])
    uniforms = np.concatenate(pieces, axis=0)
    return {p.path: p.param.ppf(uniforms[:, j]) for j, p in enumerate(parameters)}
