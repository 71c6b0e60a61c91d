"""One verb: ``simulate(scenario, *, draws, seed, ...) -> xarray.Dataset``.

Draws are processed in chunks (to keep the kernel's buffers in cache and memory
flat); each chunk samples its parameters from its seed blocks, builds the
kernel's inputs and integrates; its results are placed into the arrays of one
dataset with dims ``draw, time, side, channel`` as it arrives.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire.ensemble._executors import Executor, executor_named
from ceasefire.ensemble._sampling import (
    Sampler,
    UncertainParameter,
    sample_chunk,
    sampler_named,
    uncertain_parameters,
)
from ceasefire.model import (
    COUNTERS,
    ChunkResult,
    Layout,
    LimiterTally,
    NonFiniteRunError,
    build_inputs,
    describe_parameters,
    first_non_finite,
    integrator,
    layout_of,
    time_grid,
)
from ceasefire.scenario import DAYS_PER_MONTH, Scenario, load_scenario, scenario_hash

if TYPE_CHECKING:
    from pathlib import Path

    import xarray as xr

from ceasefire.ensemble._headline import (
    MEASURES,
    SIDE_TRAJECTORIES,
    headline_measures,
    side_sums,
)

__all__ = [
    "DEFAULT_CHUNK",
    "TRAJECTORY_LIMIT",
    "ChunkOutput",
    "ChunkTask",
    "Engine",
    "Progress",
    "SaveMode",
    "chunk_tasks",
    "resolve_engine",
    "run_chunk",
    "simulate",
    "stiffness_attrs",
]

FloatArray = npt.NDArray[np.float64]
SaveMode = Literal["trajectories", "summary"]
Engine = Literal["numpy", "numba", "auto"]
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


def resolve_engine(engine: str) -> str:
    """Return ``numpy`` or ``numba`` for ``engine``; ``auto`` picks Numba when it is installed."""
    if engine == "auto":
        return "numba" if importlib.util.find_spec("numba") is not None else "numpy"
    if engine == "numba":
        if importlib.util.find_spec("numba") is None:
            raise ValueError("engine 'numba' needs Numba: pip install 'ceasefire[fast]'")
        return engine
    if engine == "numpy":
        return engine
    raise ValueError(f"unknown engine {engine!r}: expected numpy, numba or auto")


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


def chunk_tasks(
    scenario: Scenario,
    *,
    draws: int,
    seed: int | np.random.SeedSequence,
    sampler: str | Sampler,
    chunk_size: int | None,
    values: Mapping[str, npt.ArrayLike] | None,
    engine: str,
    keep_trajectories: bool,
) -> Iterator[ChunkTask]:
    """Cut an ensemble into chunk tasks (checking the arguments first)."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    draws = int(draws)
    chunk = DEFAULT_CHUNK if chunk_size is None else int(chunk_size)
    if chunk < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    design = sampler_named(sampler)
    resolved = resolve_engine(engine)
    parameters = uncertain_parameters(scenario)
    given = _given_values(parameters, values, draws)
    parameters = [p for p in parameters if p.path not in given]

    def tasks() -> Iterator[ChunkTask]:
        for start in range(0, draws, chunk):
            stop = min(start + chunk, draws)
            yield ChunkTask(
                scenario,
                parameters,
                design,
                seed,
                draws,
                start,
                stop,
                {path: column[start:stop] for path, column in given.items()},
                resolved,
                keep_trajectories,
            )

    return tasks()


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


def simulate(
    scenario: Scenario | str | Path | None = None,
    *,
    draws: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    sampler: str | Sampler = "mc",
    save: SaveMode | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    values: Mapping[str, npt.ArrayLike] | None = None,
    engine: Engine | str = "auto",
    executor: str | Executor | None = None,
    workers: int | None = None,
    scheduler: str | Any | None = None,
) -> xr.Dataset:
    """Simulate an ensemble of ``draws`` futures of ``scenario``.

    Parameters
    ----------
    scenario:
        A :class:`~ceasefire.scenario.Scenario`, a file path or a preset name
        (default: the ``russia-ukraine-2024-11`` preset).
    draws:
        Number of parameter draws (ensemble members).
    seed:
        Root seed; an ``int`` or a :class:`numpy.random.SeedSequence`.
    sampler:
        ``"mc"`` (Monte Carlo) or ``"lhs"`` (Latin hypercube per seed block).
    save:
        ``"trajectories"`` keeps monthly trajectories and per-channel final
        states; ``"summary"`` keeps the per-draw headline measures and sampled
        parameters only. Default: trajectories up to 10⁴ draws.
    chunk_size:
        Draws integrated at once; results do not depend on it.
    progress:
        Called with ``(draws_done, draws_total)`` after each chunk.
    values:
        Given values for some of the scenario's uncertain parameters, by dotted path,
        each an array of ``draws`` values in the parameter's units (a design from
        SALib, a posterior sample); the others are sampled as usual. Used by the
        sensitivity analysis and calibration.
    engine:
        ``"numpy"`` (the readable reference), ``"numba"`` (the compiled kernel, extra
        ``fast``) or ``"auto"`` (Numba when installed). Results agree to 1e-12.
    executor:
        ``"inprocess"`` (default), ``"processes"`` (local cores), ``"dask"``, or an
        :class:`~ceasefire.ensemble.Executor`. Results do not depend on it.
    workers:
        Worker processes for ``"processes"`` (default: one per core).
    scheduler:
        Dask scheduler address (``tcp://host:8786``) or a ``distributed.Client``;
        default ``DASK_SCHEDULER_ADDRESS``. Giving one picks the Dask executor.

    Returns
    -------
    xarray.Dataset
        Dims ``draw, time, side, channel``; provenance (scenario sha256, seed,
        version) in ``attrs``.

    """
    import xarray as xr

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if save is None and isinstance(draws, int | np.integer):
        save = "trajectories" if draws <= TRAJECTORY_LIMIT else "summary"
    if save not in ("trajectories", "summary"):
        raise ValueError(f"save must be 'trajectories' or 'summary', got {save!r}")
    keep = save == "trajectories"
    tasks = chunk_tasks(
        scenario,
        draws=draws,
        seed=seed,
        sampler=sampler,
        chunk_size=chunk_size,
        values=values,
        engine=engine,
        keep_trajectories=keep,
    )
    draws = int(draws)
    design = sampler_named(sampler)
    given = _given_values(uncertain_parameters(scenario), values, draws)

    layout = layout_of(scenario)
    grid = time_grid(scenario)
    horizon_months = float(scenario.time.horizon.days / DAYS_PER_MONTH)

    sides = list(layout.side_ids)
    channels = list(layout.channel_ids)
    n_sides, n_channels = len(sides), len(channels)

    # Per-draw headline measures are reduced chunk by chunk. With trajectories, each chunk's
    # states are also placed, as it arrives, into draw-major arrays of the whole ensemble
    # and then dropped: no chunk results are kept and joined at the end (which doubled the
    # peak memory and, in fresh pages, the time of keeping trajectories).
    arrays: dict[str, FloatArray] = {}

    def put(name: str, values: FloatArray, start: int, stop: int) -> None:
        """Rows ``start:stop`` of the draw-major array ``name`` from ``values`` (n, ...)."""
        if name not in arrays:
            arrays[name] = np.empty((draws, *values.shape[1:]))
        arrays[name][start:stop] = values

    def per_channel(name: str, slots: FloatArray, start: int, stop: int) -> None:
        """(..., K, n) → rows of (N, ..., S, C), zeros where a side has no such channel."""
        if name not in arrays:
            arrays[name] = np.zeros((draws, *slots.shape[:-2], n_sides, n_channels))
        rows = arrays[name][start:stop]
        rows[..., layout.slot_side, layout.slot_channel] = np.moveaxis(slots, -1, 0)

    def per_side(name: str, slots: FloatArray, start: int, stop: int) -> None:
        """(..., K, n) → rows of (N, ..., S)."""
        summed = side_sums(slots, layout.side_start, slots.ndim - 2)
        put(name, np.moveaxis(summed, -1, 0), start, stop)

    def absorb(result: ChunkResult, start: int, stop: int) -> None:
        assert result.saved is not None
        saved = result.saved
        per_channel("active", saved["active"], start, stop)
        for name in SIDE_TRAJECTORIES:
            per_side(name, saved[name], start, stop)
        put("pool", np.moveaxis(saved["pool"], -1, 0), start, stop)
        if "front" in saved:
            put("front", np.moveaxis(saved["front"], -1, 0), start, stop)
        for name in ("active", "training", "wounded"):
            per_channel(f"initial_{name}", result.initial[name], start, stop)
        for name in ("active", "training", "wounded", *COUNTERS):
            per_channel(f"final_{name}", result.final[name], start, stop)

    headlines: list[dict[str, FloatArray]] = []
    samples: list[dict[str, FloatArray]] = []
    limiter = LimiterTally.empty(layout.slots)
    for output in run_chunks(tasks, executor, workers, scheduler):
        if output.limiter is not None:
            limiter.add(output.limiter)
        headlines.append(output.headline)
        if output.result is not None:
            absorb(output.result, output.start, output.stop)
        samples.append(output.sampled)
        if progress is not None:
            progress(output.stop, draws)

    has_pool = [scenario.sides[s].pool is not None for s in sides]
    data_vars: dict[str, tuple[tuple[str, ...], FloatArray, dict[str, str]]] = {}
    men = {"units": "men"}

    if keep:
        data_vars["active"] = (
            ("draw", "time", "side", "channel"),
            arrays["active"],
            {**men, "long_name": "deployed personnel"},
        )
        for name, long_name in SIDE_TRAJECTORIES.items():
            data_vars[name] = (
                ("draw", "time", "side"),
                arrays[name],
                {**men, "long_name": long_name},
            )
        pool = arrays["pool"]
        pool[:, :, ~np.array(has_pool, dtype=bool)] = np.nan
        data_vars["pool"] = (
            ("draw", "time", "side"),
            pool,
            {**men, "long_name": "men still eligible for recruitment (nan: no pool modelled)"},
        )
        if "front" in arrays:
            data_vars["front"] = (
                ("draw", "time"),
                arrays["front"],
                {"units": "km2", "long_name": f"area held by {scenario.front.holder}"}
                if scenario.front
                else {},
            )
        for name in ("active", "training", "wounded"):
            data_vars[f"initial_{name}"] = (
                ("draw", "side", "channel"),
                arrays[f"initial_{name}"],
                {**men, "long_name": f"{name} at the start"},
            )
        for name in ("active", "training", "wounded", *COUNTERS):
            data_vars[f"final_{name}"] = (
                ("draw", "side", "channel"),
                arrays[f"final_{name}"],
                {**men, "long_name": f"{name} at the horizon, per channel"},
            )

    for name in headlines[0]:
        data_vars[name] = (
            ("draw", "side"),
            np.concatenate([h[name] for h in headlines], axis=0),
            MEASURES[name].attrs,
        )

    for p in uncertain_parameters(scenario):
        column = np.concatenate([s[p.path] for s in samples])
        param_attrs = {
            "units": p.param.unit or "1",
            "distribution": p.param.dist,
            "provenance": p.param.provenance(),
        }
        if p.path in given:
            param_attrs["distribution"] = "given"
        data_vars[p.path] = (("draw",), column, param_attrs)

    coords: dict[str, object] = {
        "draw": np.arange(draws),
        "side": sides,
        "channel": channels,
    }
    if keep:
        first_day = np.datetime64(scenario.time.start.isoformat(), "D")
        offsets = np.rint(grid.save_steps * grid.dt).astype("timedelta64[D]")
        coords["time"] = (
            "time",
            grid.save_months,
            {"units": "months", "long_name": "months since the start date"},
        )
        coords["date"] = ("time", (first_day + offsets).astype("datetime64[ns]"))
        coords["elapsed_days"] = (
            "time",
            grid.save_steps * grid.dt,
            {
                "units": "days",
                "long_name": "exact time of the saved step (a save falls on the nearest step)",
            },
        )
    present = np.zeros((n_sides, n_channels), dtype=bool)
    present[layout.slot_side, layout.slot_channel] = True
    coords["channel_present"] = (("side", "channel"), present)

    attrs: dict[str, str | int | float] = {
        "scenario": scenario.name,
        "title": scenario.title,
        "scenario_sha256": scenario_hash(scenario),
        "seed": str(seed.entropy if isinstance(seed, np.random.SeedSequence) else seed),
        "draws": draws,
        "sampler": design.name,
        "method": grid.method,
        "step_days": grid.dt,
        "horizon_months": horizon_months,
        "start": scenario.time.start.isoformat(),
        "save": save,
        "sides_with_minimum": ",".join(s for s in sides if scenario.sides[s].has_required_minimum),
        "ceasefire_version": _version(),
        "information_cutoff": (
            scenario.information_cutoff.isoformat() if scenario.information_cutoff else ""
        ),
        **stiffness_attrs(limiter, layout, grid.dt, draws),
    }
    return xr.Dataset(
        {
            name: xr.Variable(dims, values, var_attrs)
            for name, (dims, values, var_attrs) in data_vars.items()
        },
        coords=coords,
        attrs=attrs,
    )
