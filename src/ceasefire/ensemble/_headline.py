"""The registry of headline measures: each per-draw measure of a side, defined once.

A :class:`Measure` holds everything every consumer needs: the variable's name, its units
and long name (the ensemble's attrs), how it is computed from a chunk, the summary table's
row label and number format, its unit in words (``sensitivity``, ``compare``), and whether
the summary bands it and ``compare`` pairs it. ``simulate`` (in memory, streamed or to a
file), ``summarize``, the summary table, ``compare``, ``select_measure``, the report and
the dashboard all read :data:`MEASURES`: a new measure is one entry here.

Most measures are computed from each chunk as it is integrated. One kind is not: money per
month needs the monthly trajectories and the scenario's ``costs:``, so its entry has no
chunk computation (``compute=None``) and :func:`ceasefire.analysis.costs.add_money_measure`
adds it to an ensemble kept with trajectories, as the post-processing it is (the layer that
owns the money equations computes it; its name, units, label, format and whether it is
summarised and compared are here, like every other measure's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.model import ChunkResult
from ceasefire.scenario import DAYS_PER_MONTH

__all__ = [
    "MEASURES",
    "SIDE_TRAJECTORIES",
    "ChunkView",
    "Measure",
    "format_count",
    "format_money",
    "format_ratio",
    "headline_measures",
    "measures_for",
    "side_sums",
]

FloatArray = npt.NDArray[np.float64]


def format_count(value: float | None) -> str:
    """Write a count of men or km² for a table: ``1.23M``, ``45k``, ``9,876``; ``–`` for none."""
    if value is None:
        return "–"
    if abs(value) >= 1e6:
        return f"{value / 1e6:.2f}M"
    if abs(value) >= 1e4:
        return f"{value / 1e3:.0f}k"
    return f"{value:,.0f}"


def format_ratio(value: float | None) -> str:
    """Write a ratio for a table, two decimals; ``–`` for none."""
    return "–" if value is None else f"{value:.2f}"


def format_money(value: float | None, currency: str = "usd") -> str:
    """Write an amount as ``366.8 bn ₽`` or ``$3.5 bn`` (``n/a`` for none)."""
    if value is None:
        return "n/a"
    symbol = {"rub": "₽", "usd": "$"}.get(currency, currency)
    for size, word in ((1e12, "trn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return (
                f"{value / size:,.1f} {word} {symbol}"
                if symbol == "₽"
                else f"{symbol}{value / size:,.1f} {word}"
            )
    return f"{value:,.0f} {symbol}" if symbol == "₽" else f"{symbol}{value:,.0f}"


@dataclass(frozen=True)
class ChunkView:
    """What a measure reads of one integrated chunk (see :func:`headline_measures`)."""

    result: ChunkResult
    side_start: npt.NDArray[np.intp]
    integrated_months: float
    holder: int | None  # the index of the side whose share the front counts, if any

    def per_side(self, slots: FloatArray) -> FloatArray:
        """Sum ``(slots, draws)`` over each side's channels: ``(draws, sides)``."""
        return side_sums(slots, self.side_start, 0).T

    def final(self, *stocks: str) -> FloatArray:
        """Return the sum of ``stocks`` at the horizon, per draw and side."""
        first, *rest = stocks
        total = self.result.final[first]
        for name in rest:
            total = total + self.result.final[name]
        return self.per_side(total)


@dataclass(frozen=True)
class Measure:
    """One headline measure: a ``(draw, side)`` variable of every ensemble."""

    name: str
    units: str
    """Units in the ensemble's attrs (UDUNITS-style: ``men``, ``men/month``, ``1``)."""
    long_name: str
    compute: Callable[[ChunkView], FloatArray | None] | None
    """``(draws, sides)`` values of a chunk; None where the scenario lacks what it needs.

    None instead of a function: not computed from chunks, but added after the run to an
    ensemble with trajectories by the layer that owns it (money: ``analysis.costs``).
    """
    unit_words: str
    """The unit in words, after a number (``sensitivity``, ``compare``)."""
    label: str | None = None
    """The summary table's row, ``{horizon}`` filled in; None: not in the table."""
    format: Callable[[float | None], str] = format_count
    """How the table writes one value."""
    summarized: bool = True
    """Whether ``summarize`` gives its quantile bands."""
    compared: bool = True
    """Whether ``compare`` pairs it draw by draw."""
    needs_front: bool = False
    """Whether it exists only in scenarios with a front."""

    @property
    def from_chunks(self) -> bool:
        """Whether every run computes it from its chunks (else it is added after the run)."""
        return self.compute is not None

    @property
    def attrs(self) -> dict[str, str]:
        """The ensemble variable's attrs."""
        return {"units": self.units, "long_name": self.long_name}


def _loss_to_recruitment(chunk: ChunkView) -> FloatArray:
    recruited = chunk.final("recruited")
    permanent = chunk.final("killed", "discharged", "deserted")
    ratio = np.full_like(recruited, np.nan)
    with np.errstate(over="ignore"):  # a handful of recruits against many losses: inf
        np.divide(permanent, recruited, out=ratio, where=recruited > 0)
    return ratio


def _territory_change(chunk: ChunkView) -> FloatArray | None:
    if chunk.holder is None:
        return None
    change = chunk.result.final["front"] - chunk.result.initial["front"]
    sides = len(chunk.side_start)
    return np.stack([change if s == chunk.holder else -change for s in range(sides)], axis=-1)


def _measures(*measures: Measure) -> dict[str, Measure]:
    return {measure.name: measure for measure in measures}


MEASURES: dict[str, Measure] = _measures(
    Measure(
        "active_initial",
        "men",
        "active force at the start",
        lambda c: c.per_side(c.result.initial["active"]),
        "men",
        label="Active force at start, men",
        compared=False,
    ),
    Measure(
        "active_final",
        "men",
        "active force at the horizon",
        lambda c: c.final("active"),
        "men",
        label="Active force at {horizon:g} months, men",
    ),
    Measure(
        "months_to_crisis",
        "months",
        "months until the active force first falls below the required minimum "
        "(nan: not within the horizon, or no minimum set)",
        lambda c: c.result.crisis_day.T / DAYS_PER_MONTH,
        "months",
        # Censored at the horizon: summarised as crisis probabilities and compared as such.
        summarized=False,
        compared=False,
    ),
    Measure(
        "casualties_per_month",
        "men/month",
        "killed + wounded per month, horizon average",
        lambda c: c.final("killed", "wounded_total") / c.integrated_months,
        "men a month",
        label="Casualties per month, men",
    ),
    Measure(
        "recruits_per_month",
        "men/month",
        "recruits per month, horizon average",
        lambda c: c.final("recruited") / c.integrated_months,
        "men a month",
        label="Recruits per month, men",
    ),
    Measure(
        "loss_to_recruitment",
        "1",
        "permanent losses (killed + discharged + deserted) per recruit, over the horizon",
        _loss_to_recruitment,
        "permanent losses per recruit",
        label="Permanent losses per recruit",
        format=format_ratio,
    ),
    Measure(
        "killed_total",
        "men",
        "killed over the horizon",
        lambda c: c.final("killed"),
        "men",
    ),
    Measure(
        "territory_change",
        "km2",
        "change in contested area held, start to horizon",
        _territory_change,
        "km² gained (negative: lost)",
        label="Territory gained by the side, km² (negative: lost)",
        needs_front=True,
    ),
    Measure(
        "money_per_month",
        "USD/month",
        "money per month (pay, bonuses, compensation, equipment), horizon average, in US "
        "dollars at the scenario's exchange rate (nan: the side has no costs)",
        None,  # analysis.costs.add_money_measure, from the trajectories and `costs:`
        "US dollars a month",
        label="Money per month, US$",
        format=format_money,
    ),
)
"""Every headline measure by name, in the order ensembles and tables show them."""


def measures_for(has_front: bool) -> list[Measure]:
    """Return the measures every run computes from its chunks, less the front's if it has none.

    Measures added after the run (money) are not among them: a run has them only where
    their layer adds them.
    """
    return [m for m in MEASURES.values() if m.from_chunks and (has_front or not m.needs_front)]


# Trajectories kept per side (summed over channels), with their long names, in file order.
SIDE_TRAJECTORIES = {
    "training": "recruits in training",
    "wounded": "wounded under treatment",
    "recruited": "cumulative recruits",
    "killed": "cumulative killed",
    "wounded_total": "cumulative wounded",
    "returned": "cumulative wounded returned to duty",
    "discharged": "cumulative wounded discharged",
    "deserted": "cumulative deserted",
}


def side_sums(slots: FloatArray, side_start: npt.NDArray[np.intp], axis: int) -> FloatArray:
    """Sum the slots of each side along ``axis`` (slots of side 0 first).

    What ``np.add.reduceat(slots, side_start, axis)`` gives (summed left to right, so the
    last digit can differ), without its slowness on an axis that is not the last (about a
    quarter of the time of keeping trajectories on the reference workload); a side of one
    slot is its slot.
    """
    moved = np.moveaxis(slots, axis, 0)
    count = moved.shape[0]
    if len(side_start) == count:
        return slots.copy()
    stops = [*side_start[1:].tolist(), count]
    parts = []
    for first, stop in zip(side_start.tolist(), stops, strict=True):
        total = moved[first].copy()
        for k in range(first + 1, stop):
            total += moved[k]
        parts.append(total)
    return np.stack(parts, axis=axis)


def headline_measures(
    result: ChunkResult,
    side_start: npt.NDArray[np.intp],
    integrated_months: float,
    holder: int | None,
) -> dict[str, FloatArray]:
    """Reduce one chunk to every applicable measure of :data:`MEASURES`, each ``(draws, sides)``."""
    chunk = ChunkView(result, side_start, integrated_months, holder)
    out = {}
    for measure in measures_for(holder is not None):
        assert measure.compute is not None  # measures_for gives those computed from chunks
        values = measure.compute(chunk)
        if values is not None:
            out[measure.name] = values
    return out
