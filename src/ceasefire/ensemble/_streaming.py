"""Streaming summaries: quantile bands and probabilities reduced chunk by chunk.

:func:`simulate_streaming` runs an ensemble like :func:`~ceasefire.ensemble.simulate` but
keeps no per-draw data: each chunk's headline measures (and, if asked, monthly
trajectories summed per side) go into :class:`QuantileSketch` objects and exact counters,
then the chunk is dropped. Peak memory is bounded by the sketches' capacity, not by
the number of draws.

**Quantiles.** A sketch keeps every value while it holds at most ``capacity`` values
per series; its quantiles are then exactly ``numpy.quantile`` of the finite values (the
same numbers :func:`~ceasefire.analysis.summarize` reports). Beyond that it becomes a
deterministic compactor sketch (Munro–Paterson; Manku, Rajagopalan & Lindsay 1998): a
level that overflows is sorted and every other value is promoted to the next level
with twice the weight. One compaction at level ``h`` moves any rank by at most ``2^h``;
the sketch adds these up, so :attr:`QuantileSketch.rank_error` is a proven bound on
the rank error of every reported quantile (as a fraction of the values). With the
default capacity of 65,536 and 10^7 draws the bound is below 1.2e-4 (eight levels).
Every series of a sketch receives the same number of values, so all series compact
in lockstep as one 2-D array.

**Probabilities** (a crisis within a month) are exact counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.ensemble._headline import MEASURES, side_sums
from ceasefire.ensemble._simulate import ChunkOutput, Progress, RunPlan
from ceasefire.ensemble._sinks import EachChunk, Sink
from ceasefire.model import LimiterTally
from ceasefire.scenario import Scenario

__all__ = [
    "DEFAULT_CAPACITY",
    "QuantileSketch",
    "StreamedEnsemble",
    "simulate_streaming",
    "stream_to_file",
]

FloatArray = npt.NDArray[np.float64]

DEFAULT_CAPACITY = 65_536
"""Values per series kept exactly (and per level of the sketch beyond that)."""


class QuantileSketch:
    """Quantiles of many series that receive values together, in bounded memory."""

    def __init__(self, series: int, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, got {capacity}")
        self.series = series
        self.capacity = capacity
        self.count = 0
        self._error = 0  # worst-case rank error, in values
        self._levels: list[list[FloatArray]] = []  # level h: blocks (series, m), weight 2^h
        self._sizes: list[int] = []
        self._compactions = 0

    @property
    def exact(self) -> bool:
        """True while every value is kept (no compaction yet)."""
        return self._compactions == 0

    @property
    def rank_error(self) -> float:
        """Bound on the rank error of any quantile, as a fraction of the values (0: exact)."""
        return self._error / self.count if self.count else 0.0

    def add(self, values: npt.ArrayLike) -> None:
        """Add ``(n, series)`` values (non-finite values count as missing)."""
        block = np.asarray(values, dtype=np.float64)
        if block.ndim == 1:
            block = block[:, None]
        if block.shape[1] != self.series:
            raise ValueError(f"expected {self.series} series, got {block.shape[1]}")
        # Missing values are NaN, which sorts last.
        block = np.where(np.isfinite(block), block, np.nan).T.copy()
        self.count += block.shape[1]
        self._push(0, block)

    def _push(self, level: int, block: FloatArray) -> None:
        while len(self._levels) <= level:
            self._levels.append([])
            self._sizes.append(0)
        self._levels[level].append(block)
        self._sizes[level] += block.shape[1]
        if self._sizes[level] <= self.capacity:
            return
        merged = np.concatenate(self._levels[level], axis=1)
        merged.sort(axis=1)
        even = merged.shape[1] - merged.shape[1] % 2
        # Alternate which of each pair is promoted, so errors do not drift one way.
        offset = self._compactions % 2
        self._compactions += 1
        self._error += 2**level
        promoted = merged[:, offset:even:2].copy()
        rest = merged[:, even:]
        self._levels[level] = [rest] if rest.shape[1] else []
        self._sizes[level] = rest.shape[1]
        self._push(level + 1, promoted)

    def quantiles(self, qs: Sequence[float]) -> FloatArray:
        """Return ``(len(qs), series)`` quantiles of the finite values (nan where none)."""
        out = np.full((len(qs), self.series), np.nan)
        if self.exact:
            values = np.concatenate(self._levels[0], axis=1) if self._levels else None
            for s in range(self.series):
                if values is None:
                    break
                row = values[s]
                finite = row[np.isfinite(row)]
                if finite.size:
                    out[:, s] = np.quantile(finite, qs)
            return out
        items = []
        weights = []
        for level, blocks in enumerate(self._levels):
            for block in blocks:
                items.append(block)
                weights.append(np.full(block.shape[1], float(2**level)))
        values = np.concatenate(items, axis=1)
        weight = np.concatenate(weights)
        for s in range(self.series):
            row = values[s]
            keep = np.isfinite(row)
            if not keep.any():
                continue
            order = np.argsort(row[keep], kind="stable")
            sorted_values = row[keep][order]
            cumulative = np.cumsum(weight[keep][order])
            targets = np.asarray(qs) * cumulative[-1]
            index = np.searchsorted(cumulative, targets, side="left")
            out[:, s] = sorted_values[np.minimum(index, len(sorted_values) - 1)]
        return out


@dataclass
class StreamedEnsemble:
    """What a streamed ensemble keeps: quantiles, counts and the ensemble's attributes."""

    attrs: dict[str, Any]
    sides: list[str]
    quantile_levels: tuple[float, ...]
    # name -> (len(levels), sides) quantiles of the finite values, and the measure's attrs
    bands: dict[str, FloatArray] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    # months to crisis: counts of draws with a crisis by each whole month (sides, months + 1)
    crisis_by_month: FloatArray | None = None
    # months to crisis with "none within the horizon" censored at horizon + 1
    crisis_bands: FloatArray | None = None
    # trajectory bands: name -> (len(levels), time, sides); months of the time axis
    trajectory_bands: dict[str, FloatArray] = field(default_factory=dict)
    months: FloatArray | None = None
    rank_error: float = 0.0
    exact: bool = True

    @property
    def draws(self) -> int:
        """Number of draws reduced."""
        return int(self.attrs["draws"])

    def crisis_hits(self, side: str, month: int) -> int:
        """Draws whose manpower crisis came within ``month`` months (exact)."""
        assert self.crisis_by_month is not None
        return int(self.crisis_by_month[self.sides.index(side), month])


class StreamedSummary(Sink):
    """Reduce the ensemble while streaming, keeping no per-draw data.

    ``quantiles`` are the levels reported; ``trajectories`` names stocks (``active``,
    ``training``, ``wounded``, ``pool``, counters such as ``killed``) whose monthly per-side
    totals get bands too (the kernel then keeps each chunk's trajectories while it is
    reduced); ``capacity`` is the number of values per series kept exactly. The result is a
    :class:`StreamedEnsemble`, which ``summarize`` reads like an in-memory ensemble.
    """

    def __init__(
        self,
        quantiles: Sequence[float] = (0.05, 0.5, 0.95),
        trajectories: Sequence[str] = (),
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        if capacity < 2:
            raise ValueError(f"capacity: must be at least 2, got {capacity}")
        self.levels = tuple(float(q) for q in quantiles)
        if not all(0.0 <= q <= 1.0 for q in self.levels):
            raise ValueError(f"quantiles: expected levels in [0, 1], got {quantiles!r}")
        self.trajectories = tuple(trajectories)
        self.capacity = capacity
        self.needs_trajectories = bool(self.trajectories)

    def start(self, plan: RunPlan) -> None:
        """Make the sketches: one per measure, months to crisis, and each trajectory."""
        self._plan = plan
        sides = len(plan.sides)
        self._horizon = plan.horizon_months
        self._last_month = math.floor(self._horizon + 1e-9)
        self._measures: dict[str, QuantileSketch] = {}
        self._crisis = QuantileSketch(sides, self.capacity)
        self._crisis_by_month = np.zeros((sides, self._last_month + 1))
        n_times = len(plan.grid.save_steps)
        self._paths = {
            name: QuantileSketch(n_times * sides, self.capacity) for name in self.trajectories
        }

    def absorb(self, chunk: ChunkOutput) -> None:
        """Add the chunk's values to the sketches and counts."""
        for name, per_draw in chunk.headline.items():
            if name == "months_to_crisis":
                continue
            sketch = self._measures.setdefault(
                name, QuantileSketch(len(self._plan.sides), self.capacity)
            )
            sketch.add(per_draw)
        months = chunk.headline["months_to_crisis"]
        self._crisis.add(np.where(np.isnan(months), self._horizon + 1.0, months))
        for mark in range(self._last_month + 1):
            self._crisis_by_month[:, mark] += np.count_nonzero(months <= mark, axis=0)
        if self._paths:
            assert chunk.result is not None
            assert chunk.result.saved is not None
            saved = chunk.result.saved
            for name, sketch in self._paths.items():
                if name not in saved:
                    raise ValueError(f"trajectories: no stock {name!r} in the kernel's output")
                stock = saved[name]
                if name != "pool" and stock.ndim == 3:
                    stock = side_sums(stock, self._plan.layout.side_start, 1)  # (T, S, N)
                sketch.add(np.moveaxis(stock, -1, 0).reshape(stock.shape[-1], -1))

    def finish(self, tally: LimiterTally) -> StreamedEnsemble:
        """Return the quantiles and counts."""
        plan, levels = self._plan, self.levels
        attrs = plan.attrs("summary", tally)
        attrs["uncertain_parameters"] = len(plan.parameters)
        n_times, sides = len(plan.grid.save_steps), len(plan.sides)
        sketches = [*self._measures.values(), self._crisis, *self._paths.values()]
        return StreamedEnsemble(
            attrs=attrs,
            sides=plan.sides,
            quantile_levels=levels,
            bands={name: sketch.quantiles(levels) for name, sketch in self._measures.items()},
            units={name: MEASURES[name].units for name in self._measures},
            crisis_by_month=self._crisis_by_month,
            crisis_bands=self._crisis.quantiles(levels),
            trajectory_bands={
                name: sketch.quantiles(levels).reshape(len(levels), n_times, sides)
                for name, sketch in self._paths.items()
            },
            months=plan.grid.save_months if self._paths else None,
            rank_error=max(sketch.rank_error for sketch in sketches),
            exact=all(sketch.exact for sketch in sketches),
        )


def simulate_streaming(
    scenario: Scenario | str | None = None,
    *,
    quantiles: Sequence[float] = (0.05, 0.5, 0.95),
    trajectories: Sequence[str] = (),
    capacity: int = DEFAULT_CAPACITY,
    on_chunk: Callable[[ChunkOutput], None] | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> StreamedEnsemble:
    """``simulate(..., save=StreamedSummary(quantiles, trajectories, capacity))``.

    Kept for the calls that predate sinks; ``on_chunk`` is an :class:`EachChunk` sink
    beside it. Other arguments as :func:`~ceasefire.ensemble.simulate`.
    """
    from ceasefire.ensemble._verb import simulate

    summary = StreamedSummary(quantiles, trajectories, capacity)
    sinks: list[Sink] = [summary] if on_chunk is None else [summary, EachChunk(on_chunk)]
    streamed, *_ = simulate(scenario, save=sinks, progress=progress, **options)
    return streamed


def stream_to_file(
    scenario: Scenario | str | None,
    path: str | Path,
    **options: Any,
) -> StreamedEnsemble:
    """``simulate(..., save=[StreamedSummary(), File(path)])``: a summary and a file at once.

    The file (netCDF-4 or Zarr by extension, the layout of ``save="summary"``) is written
    chunk by chunk, so memory stays flat however many draws there are.
    """
    from ceasefire.ensemble._sink_file import File
    from ceasefire.ensemble._verb import simulate

    streamed, _ = simulate(scenario, save=[StreamedSummary(), File(path)], **options)
    return streamed
