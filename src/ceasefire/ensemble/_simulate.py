"""The chunk machinery under ``simulate``: a run's plan, its chunk tasks, and running them.

Draws are processed in chunks (to keep the kernel's buffers in cache and memory flat);
each chunk samples its parameters from its seed blocks, builds the kernel's inputs,
integrates and reduces itself to its headline measures (:data:`MEASURES`). What becomes of
each chunk's output is the business of the run's sinks (:mod:`ceasefire.ensemble._sinks`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire.ensemble._executors import Executor, executor_named
from ceasefire.ensemble._headline import headline_measures
from ceasefire.ensemble._sampling import (
    Sampler,
    UncertainParameter,
    sample_chunk,
    sampler_named,
    uncertain_parameters,
)
from ceasefire.model import (
    ChunkResult,
    Engine,
    Grid,
    Layout,
    LimiterTally,
    NonFiniteRunError,
    build_inputs,
    describe_parameters,
    engine_named,
    first_non_finite,
    integrator,
    layout_of,
    time_grid,
)
from ceasefire.scenario import DAYS_PER_MONTH, Scenario, scenario_hash

__all__ = [
    "DEFAULT_CHUNK",
    "TRAJECTORY_LIMIT",
    "ChunkOutput",
    "ChunkTask",
    "EngineName",
    "Progress",
    "RunPlan",
    "SaveMode",
    "plan_run",
    "resolve_engine",
    "run_chunk",
    "run_chunks",
    "stiffness_attrs",
]

FloatArray = npt.NDArray[np.float64]
SaveMode = Literal["trajectories", "summary"]
EngineName = Literal["numpy", "numba", "auto"]
Progress = Callable[[int, int], None]
"""Called as ``progress(draws_done, draws_total)`` after each chunk."""

DEFAULT_CHUNK = 4096
TRAJECTORY_LIMIT = 10_000
"""Up to this many draws, ``save`` defaults to ``trajectories``; above it, ``summary``."""


def _given_values(
    parameters: list[UncertainParameter],
    values: Mapping[str, npt.ArrayLike] | None,
    draws: int,
) -> dict[str, FloatArray]:
    """Check ``values`` against the scenario's uncertain parameters; return them as arrays."""
    if not values:
        return {}
    known = {p.path for p in parameters}
    given: dict[str, FloatArray] = {}
    for path, raw in values.items():
        if path not in known:
            raise ValueError(f"values: {path!r} is not an uncertain parameter of the scenario")
        column = np.asarray(raw, dtype=np.float64)
        if column.shape != (draws,):
            raise ValueError(f"values: {path!r} has shape {column.shape}, expected ({draws},)")
        if not np.all(np.isfinite(column)):
            raise ValueError(f"values: {path!r} holds non-finite numbers")
        given[path] = column
    return given


def resolve_engine(engine: str | Engine) -> str:
    """Return ``numpy`` or ``numba`` for ``engine``; ``auto`` picks Numba when it is installed."""
    return engine_named(engine).name


@dataclass(frozen=True)
class ChunkTask:
    """Draws ``start … stop - 1`` of an ensemble: everything a worker needs to run them."""

    scenario: Scenario
    parameters: list[UncertainParameter]
    sampler: Sampler
    seed: int | np.random.SeedSequence
    draws: int
    start: int
    stop: int
    given: dict[str, FloatArray]  # given values, already cut to this chunk
    engine: str  # numpy or numba (resolved)
    keep_trajectories: bool


@dataclass
class ChunkOutput:
    """What a chunk sends back: its headline measures, sampled values and (maybe) states."""

    start: int
    stop: int
    headline: dict[str, FloatArray]  # (draws, sides) each
    sampled: dict[str, FloatArray]  # (draws,) each, given values included
    result: ChunkResult | None  # only when trajectories are kept
    limiter: LimiterTally | None = None  # the outflow limiter's hits, per stock and slot


def run_chunk(task: ChunkTask) -> ChunkOutput:
    """Sample, build and integrate one chunk; reduce it to its headline measures."""
    scenario = task.scenario
    sampled = sample_chunk(
        task.parameters, task.sampler, task.seed, task.draws, task.start, task.stop
    )
    sampled.update(task.given)
    inputs = build_inputs(scenario, sampled, task.stop - task.start)
    result = integrator(task.engine)(inputs, keep_trajectories=task.keep_trajectories)
    layout = inputs.layout
    grid = inputs.grid
    _check_finite(result, task, sampled, inputs.layout, grid.save_months)
    integrated_months = float(grid.steps * grid.dt / DAYS_PER_MONTH)
    holder = None if scenario.front is None else list(layout.side_ids).index(scenario.front.holder)
    headline = headline_measures(result, layout.side_start, integrated_months, holder)
    return ChunkOutput(
        task.start,
        task.stop,
        headline,
        sampled,
        result if task.keep_trajectories else None,
        LimiterTally.of(result, task.start),
    )


def _check_finite(
    result: ChunkResult,
    task: ChunkTask,
    sampled: Mapping[str, FloatArray],
    layout: Layout,
    save_months: FloatArray,
) -> None:
    """Raise :class:`NonFiniteRunError` naming the first draw of the chunk that went inf/nan."""
    where = first_non_finite(result, layout, save_months)
    if where is None:
        return
    values = {path: float(column[where.draw]) for path, column in sampled.items()}
    draw = task.start + where.draw
    raise NonFiniteRunError(
        f"draw {draw} went non-finite: {where.quantity} {where.when()}. The run was "
        f"stopped: the scenario's values overflow the model. The draw's sampled parameters: "
        f"{describe_parameters(values)}. Check these and the fixed values of "
        f"{task.scenario.name!r} for absurd magnitudes",
        draw=draw,
    )


def stiffness_attrs(tally: LimiterTally, layout: Layout, dt: float, draws: int) -> dict[str, Any]:
    """Dataset attrs reporting the outflow limiter's hits (empty warning when it never bound)."""
    return {
        "limiter_steps": tally.total_steps,
        "stiffness_warning": tally.warning(layout, dt, draws),
    }


@dataclass(frozen=True)
class RunPlan:
    """An ensemble run, checked and resolved once: what every chunk and every sink reads.

    Built by :func:`plan_run`, which checks the arguments and reads the scenario's uncertain
    parameters, the sampling design and any given values once for the whole run.
    """

    scenario: Scenario
    draws: int
    seed: int | np.random.SeedSequence
    sampler: Sampler
    engine: str  # numpy or numba (resolved)
    chunk_size: int
    parameters: list[UncertainParameter]  # every uncertain parameter of the scenario
    given: dict[str, FloatArray]  # given values by path, (draws,) each
    keep_trajectories: bool
    layout: Layout
    grid: Grid

    @property
    def sides(self) -> list[str]:
        """The side ids, in the model's order."""
        return list(self.layout.side_ids)

    @property
    def horizon_months(self) -> float:
        """The scenario's horizon in months."""
        return float(self.scenario.time.horizon.days / DAYS_PER_MONTH)

    def tasks(self) -> Iterator[ChunkTask]:
        """Yield the chunk tasks of the run, in draw order."""
        sampled = [p for p in self.parameters if p.path not in self.given]
        for start in range(0, self.draws, self.chunk_size):
            stop = min(start + self.chunk_size, self.draws)
            yield ChunkTask(
                self.scenario,
                sampled,
                self.sampler,
                self.seed,
                self.draws,
                start,
                stop,
                {path: column[start:stop] for path, column in self.given.items()},
                self.engine,
                self.keep_trajectories,
            )

    def parameter_attrs(self) -> dict[str, dict[str, str]]:
        """Each uncertain parameter's attrs: units, distribution (``given``) and provenance."""
        return {
            p.path: {
                "units": p.param.unit or "1",
                "distribution": "given" if p.path in self.given else p.param.dist,
                "provenance": p.param.provenance(),
            }
            for p in self.parameters
        }

    def attrs(self, save: str, tally: LimiterTally) -> dict[str, Any]:
        """Return the ensemble's global attributes: provenance, run controls, stiffness."""
        scenario, grid = self.scenario, self.grid
        seed = self.seed
        return {
            "scenario": scenario.name,
            "title": scenario.title,
            "scenario_sha256": scenario_hash(scenario),
            "seed": str(seed.entropy if isinstance(seed, np.random.SeedSequence) else seed),
            "draws": self.draws,
            "sampler": self.sampler.name,
            "method": grid.method,
            "step_days": grid.dt,
            "horizon_months": self.horizon_months,
            "start": scenario.time.start.isoformat(),
            "save": save,
            "sides_with_minimum": ",".join(
                s for s in self.sides if scenario.sides[s].has_required_minimum
            ),
            "ceasefire_version": _version(),
            "information_cutoff": (
                scenario.information_cutoff.isoformat() if scenario.information_cutoff else ""
            ),
            **stiffness_attrs(tally, self.layout, grid.dt, self.draws),
        }


def plan_run(
    scenario: Scenario,
    *,
    draws: int,
    seed: int | np.random.SeedSequence,
    sampler: str | Sampler,
    chunk_size: int | None,
    values: Mapping[str, npt.ArrayLike] | None,
    engine: str | Engine,
    keep_trajectories: bool,
) -> RunPlan:
    """Check a run's arguments (each error names its argument) and resolve them once."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    draws = int(draws)
    chunk = DEFAULT_CHUNK if chunk_size is None else chunk_size
    if isinstance(chunk, bool) or not isinstance(chunk, int | np.integer) or chunk < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if not isinstance(seed, int | np.integer | np.random.SeedSequence) or isinstance(seed, bool):
        raise ValueError(f"seed must be an int or a numpy SeedSequence, got {seed!r}")
    parameters = uncertain_parameters(scenario)
    return RunPlan(
        scenario=scenario,
        draws=draws,
        seed=seed,
        sampler=sampler_named(sampler),
        engine=resolve_engine(engine),
        chunk_size=int(chunk),
        parameters=parameters,
        given=_given_values(parameters, values, draws),
        keep_trajectories=keep_trajectories,
        layout=layout_of(scenario),
        grid=time_grid(scenario),
    )


def run_chunks(
    tasks: Iterator[ChunkTask],
    executor: str | Executor | None,
    workers: int | None,
    scheduler: str | Any | None,
) -> Iterator[ChunkOutput]:
    """Run chunk tasks on an executor; yield their outputs in chunk order."""
    runner = executor_named(executor, workers=workers, scheduler=scheduler)
    owned = not isinstance(executor, Executor)
    try:
        yield from runner.map(run_chunk, tasks)
    finally:
        if owned:
            runner.close()


def _version() -> str:
    try:
        return metadata.version("ceasefire")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
