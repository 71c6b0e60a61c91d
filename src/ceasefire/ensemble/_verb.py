"""One verb: ``simulate(scenario, draws, seed, *, sampler, engine, executor, save, ...)``.

Every strategy is a small object with a default, as ``diffrax.diffeqsolve`` composes its
solver, step-size controller and ``saveat``: the sampling design (:class:`MonteCarlo`,
:class:`LatinHypercube`, …), the engine (``numpy``/``numba``), the executor
(:class:`InProcess`, :class:`Processes`, :class:`Dask`) and what is kept (``save``: one
sink or several, :mod:`ceasefire.ensemble._sinks`). Arguments are checked before anything
runs, and each error names its argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.ensemble._executors import Executor, executor_named
from ceasefire.ensemble._sampling import MonteCarlo, Sampler
from ceasefire.ensemble._simulate import EngineName, Progress, RunPlan, plan_run, run_chunk
from ceasefire.ensemble._sinks import Sink, sinks_from
from ceasefire.model import Engine, LimiterTally
from ceasefire.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["run_plans", "simulate"]

MONTE_CARLO = MonteCarlo()
"""The default design (samplers hold no state, so one instance serves every run)."""


def _executor(executor: Any, workers: int | None, scheduler: Any) -> tuple[Executor, bool]:
    """Check the executor's arguments together; return it and whether this run owns it."""
    if isinstance(executor, Executor):
        if workers is not None or scheduler is not None:
            given = "workers" if workers is not None else "scheduler"
            raise ValueError(f"{given}: give it to the Executor object, not to simulate")
        return executor, False
    if executor is not None and executor not in ("inprocess", "processes", "dask"):
        raise ValueError(
            f"executor: expected 'inprocess', 'processes', 'dask' or an Executor, got {executor!r}"
        )
    if workers is not None:
        if executor != "processes":
            raise ValueError("workers: applies only to executor='processes'")
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers: expected a positive integer, got {workers!r}")
    if scheduler is not None and executor not in (None, "dask"):
        raise ValueError(
            f"scheduler: runs on Dask, but executor is {executor!r}; give executor='dask' "
            "or leave it out"
        )
    return executor_named(executor, workers=workers, scheduler=scheduler), True


def simulate(
    scenario: Scenario | str | Path | None = None,
    draws: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    *,
    sampler: str | Sampler = MONTE_CARLO,
    engine: EngineName | str | Engine = "auto",
    executor: str | Executor | None = None,
    save: str | Sink | list[Sink] | tuple[Sink, ...] | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    values: Mapping[str, npt.ArrayLike] | None = None,
    workers: int | None = None,
    scheduler: str | Any | None = None,
) -> Any:
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
        The sampling design: :class:`MonteCarlo` (default), :class:`LatinHypercube`, or a
        name (``"mc"``, ``"lhs"``, ``"sobol"``).
    engine:
        :class:`~ceasefire.model.NumPy` (the readable reference), :class:`~ceasefire.model.Numba`
        (the compiled kernel, extra ``fast``), or a name: ``"numpy"``, ``"numba"``, ``"auto"``
        (the default: Numba when installed). Results agree to 1e-12.
    executor:
        ``"inprocess"`` (default), ``"processes"`` (local cores), ``"dask"``, or an
        :class:`~ceasefire.ensemble.Executor` (which the caller then owns and closes).
        Results do not depend on it.
    save:
        What is kept: a sink, or a list of sinks (then a tuple of their results is
        returned). :class:`InMemory` returns an ``xarray.Dataset`` (``"trajectories"`` and
        ``"summary"`` are its two forms; default: trajectories up to 10⁴ draws);
        :class:`StreamedSummary` a :class:`StreamedEnsemble` in flat memory;
        :class:`File` writes per-draw measures to ``.nc`` or ``.zarr`` as chunks finish.
    chunk_size:
        Draws integrated at once; results do not depend on it.
    progress:
        Called with ``(draws_done, draws_total)`` after each chunk.
    values:
        Given values for some of the scenario's uncertain parameters, by dotted path,
        each an array of ``draws`` values in the parameter's units (a design from
        SALib, a posterior sample); the others are sampled as usual.
    workers:
        Worker processes for ``executor="processes"`` (default: one per core).
    scheduler:
        Dask scheduler address (``tcp://host:8786``) or a ``distributed.Client``;
        default ``DASK_SCHEDULER_ADDRESS``. Giving one picks the Dask executor.

    Returns
    -------
    The sink's result (a tuple of results for a list of sinks). For the default sink, an
    ``xarray.Dataset`` with dims ``draw, time, side, channel`` and provenance (scenario
    sha256, seed, version) in ``attrs``.

    """
    sinks, single = sinks_from(save, draws)
    runner, owned = _executor(executor, workers, scheduler)
    try:
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        plan = plan_run(
            scenario,
            draws=draws,
            seed=seed,
            sampler=sampler,
            chunk_size=chunk_size,
            values=values,
            engine=engine,
            keep_trajectories=any(sink.needs_trajectories for sink in sinks),
        )
        (results,) = run_plans([(plan, sinks)], runner, progress)
    finally:
        if owned:
            runner.close()
    return results[0] if single else tuple(results)


def run_plans(
    runs: Sequence[tuple[RunPlan, Sequence[Sink]]],
    executor: Executor,
    progress: Progress | None = None,
) -> list[list[Any]]:
    """Run several planned ensembles through one executor; return each run's sink results.

    The driver under :func:`simulate` (one run) and the sweep (one run per point): the
    chunks of every run go to the executor as one stream, so workers stay busy across
    runs, and each chunk's output goes to its own run's sinks, in draw order. A chunk runs
    if any of its run's sinks wants it. ``progress(chunks_done, chunks_total)`` is called
    after each chunk when more than one run is given, else with draws as ``simulate``
    reports them. On failure every started sink is aborted.
    """
    started: list[Sink] = []
    try:
        for plan, sinks in runs:
            for sink in sinks:
                sink.start(plan)
                started.append(sink)
        tagged = [
            (index, task)
            for index, (plan, sinks) in enumerate(runs)
            for task in plan.tasks()
            if any(sink.wants(task.start, task.stop) for sink in sinks)
        ]
        tallies = [LimiterTally.empty(plan.layout.slots) for plan, _ in runs]
        outputs = executor.map(run_chunk, (task for _, task in tagged))
        for done, ((index, _), output) in enumerate(zip(tagged, outputs, strict=True), start=1):
            plan, sinks = runs[index]
            if output.limiter is not None:
                tallies[index].add(output.limiter)
            for sink in sinks:
                if sink.wants(output.start, output.stop):
                    sink.absorb(output)
            if progress is not None:
                if len(runs) == 1:
                    progress(output.stop, plan.draws)
                else:
                    progress(done, len(tagged))
        return [
            [sink.finish(tally) for sink in sinks]
            for (_, sinks), tally in zip(runs, tallies, strict=True)
        ]
    except BaseException:
        for sink in started:
            sink.abort()
        raise
