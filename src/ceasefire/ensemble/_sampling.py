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

The Sobol design is the exception: a Sobol' sequence is one joint design, so a
block's points come from one stream (key ``SOBOL_KEY``) and the parameters take its
columns in file order; common random numbers then hold between scenarios with the
same uncertain parameters.

Correlated parameters (the scenario's ``correlations:``) are joined by a Gaussian
copula applied to their uniforms before the quantile functions, so marginals do not
change (see :mod:`ceasefire.scenario._correlations`).
"""

from __future__ import annotations

import hashlib
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import final

import numpy as np
import numpy.typing as npt

from ceasefire.scenario import Correlation, Quantity, Scenario, iter_params

__all__ = [
    "BLOCK",
    "LatinHypercube",
    "MonteCarlo",
    "Sampler",
    "SobolSequence",
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
    """A scenario parameter that is a distribution, with its dotted path.

    ``group`` is the index of its correlation group in the scenario's
    ``correlations:`` (and ``correlation`` that group), or ``None``.
    """

    path: str
    param: Quantity
    group: int | None = None
    correlation: Correlation | None = None
    latent: bool = False
    """A monthly innovation of a stochastic schedule (not a quantity an analyst sets)."""


def uncertain_parameters(scenario: Scenario) -> list[UncertainParameter]:
    """Return the scenario's distributions, in file order (the design's columns)."""
    groups = {
        path: (index, group)
        for index, group in enumerate(scenario.correlations)
        for path in group.parameters
    }
    out = []
    for path, param in iter_params(scenario):
        if param.is_fixed:
            continue
        dotted = ".".join(str(p) for p in path)
        index, group = groups.get(dotted, (None, None))
        out.append(UncertainParameter(dotted, param, index, group))
    return out + _process_shocks(scenario)


def _process_shocks(scenario: Scenario) -> list[UncertainParameter]:
    """Return the latent monthly innovations of the scenario's stochastic schedules, after the rest.

    Each is its own uncertain parameter (a standard normal with its own stream), so the
    innovations of month ``m`` are the same in two scenarios that share the process.
    """
    from ceasefire.model import time_grid
    from ceasefire.scenario import SHOCK, iter_processes, process_months, shock_path

    grid = time_grid(scenario)
    horizon = grid.steps * grid.dt
    out = []
    for path, segment in iter_processes(scenario):
        begin = 0.0 if segment.start is None else float((segment.start - scenario.time.start).days)
        end = math.inf if segment.end is None else float((segment.end - scenario.time.start).days)
        _, months = process_months(begin, end, horizon, segment.process.step.days)
        for month in range(1, months):
            dotted = ".".join(str(p) for p in shock_path(path, month))
            out.append(UncertainParameter(dotted, SHOCK, latent=True))
    return out


def median_values(scenario: Scenario) -> dict[str, FloatArray]:
    """Every uncertain parameter at its median, as one-draw ``values`` (the deterministic model).

    Correlations do not move a median: each marginal's median is its own.
    """
    return {
        p.path: np.asarray(p.param.ppf(np.array([0.5])), dtype=np.float64)
        for p in uncertain_parameters(scenario)
    }


def parameter_key(path: str) -> int:
    """Return the stable 64-bit key of a parameter's dotted path (its stream within a block)."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest(), "big")


def _stream_seed(
    seed: int | np.random.SeedSequence, block: int, key: int
) -> np.random.SeedSequence:
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, block, key))


SOBOL_KEY = parameter_key("<sobol design>")
"""The stream of a block's joint Sobol' design."""


class Sampler(ABC):
    """A design of uniform numbers for one parameter in one seed block."""

    name: str

    @abstractmethod
    def block(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Return ``size`` uniform numbers in [0, 1)."""

    def design(
        self,
        seed: int | np.random.SeedSequence,
        block: int,
        parameters: list[UncertainParameter],
        size: int,
    ) -> FloatArray:
        """Return the block's uniforms, ``(size, len(parameters))``; one stream per parameter."""
        columns = [
            self.block(
                np.random.default_rng(_stream_seed(seed, block, parameter_key(p.path))), size
            )
            for p in parameters
        ]
        return np.stack(columns, axis=1)


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


@final
class SobolSequence(Sampler):
    """Scrambled Sobol' points, one joint design per seed block (``scipy.stats.qmc.Sobol``).

    Sobol' (1967); Owen scrambling (1998) makes each block an independent randomised
    quasi-Monte Carlo design. A block takes the first ``size`` of 2¹⁰ = :data:`BLOCK`
    points (all of them but in the last, shorter block), so blocks keep the balance of
    a full power-of-two net. Columns follow the order of the uncertain parameters.
    """

    name = "sobol"

    def block(self, rng: np.random.Generator, size: int) -> FloatArray:
        return self._points(rng, 1, size)[:, 0]

    def design(
        self,
        seed: int | np.random.SeedSequence,
        block: int,
        parameters: list[UncertainParameter],
        size: int,
    ) -> FloatArray:
        rng = np.random.default_rng(_stream_seed(seed, block, SOBOL_KEY))
        return self._points(rng, len(parameters), size)

    @staticmethod
    def _points(rng: np.random.Generator, d: int, size: int) -> FloatArray:
        from scipy.stats import qmc

        points = qmc.Sobol(d=d, scramble=True, rng=rng).random_base2(BLOCK.bit_length() - 1)
        return np.asarray(points[:size], dtype=np.float64)


_SAMPLERS: dict[str, type[Sampler]] = {
    "mc": MonteCarlo,
    "lhs": LatinHypercube,
    "sobol": SobolSequence,
}


def sampler_named(name: str | Sampler) -> Sampler:
    """Return the sampler called ``name`` (``mc``, ``lhs`` or ``sobol``)."""
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
    pieces = []
    for block in range(first, last + 1):
        size = min(BLOCK, draws - block * BLOCK)
        design = sampler.design(seed, block, parameters, size)
        lo = max(start - block * BLOCK, 0)
        hi = min(stop - block * BLOCK, size)
        pieces.append(design[lo:hi])
    uniforms = _copula(parameters, np.concatenate(pieces, axis=0))
    return {
        parameter.path: parameter.param.ppf(uniforms[:, column])
        for column, parameter in enumerate(parameters)
    }


_TINY = 1e-300


def _copula(parameters: list[UncertainParameter], uniforms: FloatArray) -> FloatArray:
    """Join each correlation group's uniforms through a Gaussian copula (in place)."""
    groups: dict[int, list[int]] = {}
    for column, parameter in enumerate(parameters):
        if parameter.group is not None:
            groups.setdefault(parameter.group, []).append(column)
    for columns in groups.values():
        if len(columns) < 2:  # the others are given (a design or a posterior)
            continue
        from scipy.special import ndtr, ndtri  # 0.4 s to import: only where needed

        group = parameters[columns[0]].correlation
        assert group is not None
        order = [group.parameters.index(parameters[c].path) for c in columns]
        pearson = group.pearson()[np.ix_(order, order)]
        lower = np.linalg.cholesky(pearson)
        u = np.clip(uniforms[:, columns], _TINY, 1.0 - np.finfo(np.float64).epsneg)
        mixed = ndtr(ndtri(u) @ lower.T)
        # The first column is unchanged in exact arithmetic (L[0] = e0); keep its bits so
        # it shares its draws with scenarios where it is not correlated.
        uniforms[:, columns[1:]] = np.minimum(mixed[:, 1:], 1.0 - np.finfo(np.float64).epsneg)
    return uniforms
