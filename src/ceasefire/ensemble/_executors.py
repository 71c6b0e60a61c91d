"""Executors: where the chunks of an ensemble run.

A chunk is a self-contained task (scenario, seed, draw range, engine): it samples its
own parameters from its seed blocks, so its result does not depend on where or in
which order it runs. Every executor hands results back in chunk order, so ensembles,
streamed summaries and sweeps are bit-identical across executors, worker counts and
chunk sizes.

- :class:`InProcess` runs chunks one after the other in this process (the default).
- :class:`Processes` runs them on the local cores (``concurrent.futures``, spawned
  workers; each worker's compiled kernel uses one thread).
- :class:`Dask` runs them on a Dask cluster (``--scheduler tcp://host:8786`` or
  ``DASK_SCHEDULER_ADDRESS``; extra ``dask``).

At most a few chunks per worker are in flight, so memory stays bounded however many
chunks there are.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, final

__all__ = ["Dask", "Executor", "InProcess", "Processes", "executor_named"]

T = TypeVar("T")
R = TypeVar("R")

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"


class Executor(ABC):
    """Runs ``function`` over tasks and yields the results in task order."""

    name: str

    @abstractmethod
    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``function(task)`` for each task, in order."""

    def close(self) -> None:  # noqa: B027 - optional hook, most executors hold nothing
        """Release workers or connections held by the executor."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@final
class InProcess(Executor):
    """One chunk after the other, in this process."""

    name = "inprocess"

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            yield function(task)


def _ordered(
    submit: Callable[[T], Any], result: Callable[[Any], R], tasks: Iterable[T], ahead: int
) -> Iterator[R]:
    """Submit up to ``ahead`` tasks at a time; yield their results in submission order."""
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= ahead:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def _single_threaded_worker() -> None:
    """Worker initialiser: one kernel thread per worker process (the workers share the cores)."""
    os.environ["CEASEFIRE_THREADS"] = "1"


@final
class Processes(Executor):
    """Chunks on the local cores, one worker process per core by default."""

    name = "processes"

    def __init__(self, workers: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be positive, got {workers}")
        self.workers = workers or len(os.sched_getaffinity(0))
        self._pool: Any = None

    def _executor(self) -> Any:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Spawned, not forked: forking a process whose kernel threads are running is unsafe.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_single_threaded_worker,
            )
        return self._pool

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        pool = self._executor()
        return _ordered(
            lambda task: pool.submit(function, task),
            lambda future: future.result(),
            tasks,
            2 * self.workers,
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


@final
class Dask(Executor):
    """Chunks on a Dask cluster: a scheduler address, or a ``distributed.Client``."""

    name = "dask"

    def __init__(self, scheduler: str | Any | None = None) -> None:
        self.scheduler = scheduler or os.environ.get(SCHEDULER_VARIABLE)
        if not self.scheduler:
            raise ValueError(
                f"the dask executor needs a scheduler address (--scheduler or {SCHEDULER_VARIABLE})"
            )
        self._client: Any = None
        self._own_client = isinstance(self.scheduler, str)

    def _connect(self) -> Any:
        if self._client is None:
            if self._own_client:
                from distributed import Client

                self._client = Client(self.scheduler)
            else:
                self._client = self.scheduler
        return self._client

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        client = self._connect()
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        return _ordered(
            # pure=False: identical tasks in two runs are still run (no result cache surprises).
            lambda task: client.submit(function, task, pure=False),
            lambda future: future.result(),
            tasks,
            2 * workers,
        )

    def close(self) -> None:
        if self._client is not None and self._own_client:
            self._client.close()
        self._client = None


def executor_named(
    name: str | Executor | None = None,
    *,
    workers: int | None = None,
    scheduler: str | Any | None = None,
) -> Executor:
    """Return an executor: ``inprocess`` (default), ``processes`` or ``dask``.

    A scheduler address (or ``DASK_SCHEDULER_ADDRESS``, when no name is given) picks Dask.
    """
    if isinstance(name, Executor):
        return name
    if name is None:
        name = "dask" if scheduler or os.environ.get(SCHEDULER_VARIABLE) else "inprocess"
    if name == "inprocess":
        return InProcess()
    if name == "processes":
        return Processes(workers)
    if name == "dask":
        return Dask(scheduler)
    raise ValueError(f"unknown executor {name!r}: expected inprocess, processes or dask")
