"""Where a run's chunks go: the sink protocol, and ``save=`` read as sinks.

A sink is told the run's plan (:meth:`Sink.start`), is given each chunk's output in draw
order (:meth:`Sink.absorb`) and returns its result at the end (:meth:`Sink.finish`); a
failed run calls :meth:`Sink.abort` so that nothing half-made is left. The shipped sinks:

- :class:`~ceasefire.ensemble.InMemory`: the ensemble as an ``xarray.Dataset`` (with or
  without monthly trajectories);
- :class:`~ceasefire.ensemble.StreamedSummary`: quantile sketches and exact counts, memory
  flat in the number of draws;
- :class:`~ceasefire.ensemble.File`: per-draw measures written chunk by chunk, the format
  chosen by the path's extension (``.nc`` netCDF-4, ``.zarr`` Zarr);
- :class:`EachChunk`: a callback on each chunk's output.

A sink may also decline chunks it already has (:meth:`Sink.wants`): the sweep's chunk
files do, so that a resumed sweep computes only what is missing.
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ceasefire.ensemble._simulate import ChunkOutput, RunPlan
    from ceasefire.model import LimiterTally

__all__ = ["EachChunk", "Sink", "sinks_from"]


class Sink(ABC):
    """What a run does with its chunks (see the module docstring)."""

    needs_trajectories: bool = False
    """Whether the kernel must keep monthly trajectories for this sink."""

    def start(self, plan: RunPlan) -> None:  # noqa: B027 - optional hook
        """Prepare for the run described by ``plan`` (before any chunk is computed)."""

    def wants(self, start: int, stop: int) -> bool:
        """Whether this sink needs draws ``start … stop - 1`` (False: it has them already)."""
        return True

    @abstractmethod
    def absorb(self, chunk: ChunkOutput) -> None:
        """Take one chunk's output (chunks come in draw order)."""

    @abstractmethod
    def finish(self, tally: LimiterTally) -> Any:
        """Return the result, given the outflow limiter's hits over the whole run."""

    def abort(self) -> None:  # noqa: B027 - optional hook
        """Drop what was made: the run failed."""


class EachChunk(Sink):
    """Call ``function(chunk)`` on each chunk's output, before it is dropped."""

    def __init__(self, function: Callable[[ChunkOutput], None]) -> None:
        self.function = function

    def absorb(self, chunk: ChunkOutput) -> None:
        """Pass the chunk to the function."""
        self.function(chunk)

    def finish(self, tally: LimiterTally) -> None:
        """Nothing to return."""
        return


def sinks_from(save: Any, draws: Any) -> tuple[list[Sink], bool]:
    """Read ``save=`` as sinks; return them and whether ``save`` was a single one.

    ``None`` keeps trajectories in memory up to :data:`TRAJECTORY_LIMIT` draws and the
    per-draw measures only above it; ``"trajectories"`` and ``"summary"`` are those two;
    a :class:`Sink` is itself; a sequence of them runs them all (the result is a tuple).
    """
    from ceasefire.ensemble._simulate import TRAJECTORY_LIMIT
    from ceasefire.ensemble._sink_memory import InMemory

    if save is None:
        try:
            over = operator.index(draws) > TRAJECTORY_LIMIT
        except TypeError:  # not an integer: plan_run names `draws` in its error
            over = False
        return [InMemory(trajectories=not over)], True
    if isinstance(save, str):
        if save not in ("trajectories", "summary"):
            raise ValueError(
                f"save: expected 'trajectories', 'summary', a sink or a list of sinks, got {save!r}"
            )
        return [InMemory(trajectories=save == "trajectories")], True
    if isinstance(save, Sink):
        return [save], True
    if isinstance(save, Sequence) and save and all(isinstance(s, Sink) for s in save):
        if len({id(s) for s in save}) != len(save):
            raise ValueError("save: the same sink is given twice")
        return list(save), False
    raise ValueError(
        f"save: expected 'trajectories', 'summary', a sink or a list of sinks, got {save!r}"
    )
