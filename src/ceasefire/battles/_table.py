"""What the model-choice procedures read from a battle table: columns, year bins, seeds.

A *table* is any object with one array per column (``a0, ac, b0, bc``, and optionally
``duration`` and ``year``), e.g. a :class:`~._data.BattleTable`. Shared by the project's
ABC procedures (:mod:`._abc`) and the paper's (:mod:`._rubio`, :mod:`._robustness`,
:mod:`._smc`), so that both read and split a table the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar, overload

import numpy as np
import numpy.typing as npt
from numpy.random import SeedSequence

from ceasefire._errors import InputError

__all__ = [
    "Columns",
    "Seed",
    "first_bad",
    "per_period",
    "period_columns",
    "seed_sequence",
    "table_column",
    "year_masks",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Seed = int | np.random.SeedSequence | None
Period = tuple[float, float]
T = TypeVar("T")


@dataclass(frozen=True)
class Columns:
    """The columns of a battle table (or of one year bin of one)."""

    a0: FloatArray
    ac: FloatArray
    b0: FloatArray
    bc: FloatArray
    duration: FloatArray | None = None


@overload
def table_column(table: object, field: str, *, required: Literal[True] = True) -> FloatArray: ...


@overload
def table_column(table: object, field: str, *, required: bool) -> FloatArray | None: ...


def table_column(table: object, field: str, *, required: bool = True) -> FloatArray | None:
    """Return column ``field`` of ``table`` as a 1-D float array (None where absent)."""
    values = getattr(table, field, None)
    if values is None:
        if required:
            raise InputError("missing from the battle table", field=field)
        return None
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("expected numbers", field=field) from None
    if array.ndim != 1:
        raise InputError(f"expected one value per battle, got shape {array.shape}", field=field)
    return array


def first_bad(mask: BoolArray) -> str:
    """Say how many battles ``mask`` marks and where the first is, for an error message."""
    return f"{int(mask.sum())} battle(s), the first at index {int(np.argmax(mask))}"


def seed_sequence(seed: Seed) -> np.random.SeedSequence:
    """Return ``seed`` as a ``SeedSequence`` (an int or None makes a new one)."""
    return seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)


def year_masks(table: object, bins: Sequence[Period]) -> list[BoolArray]:
    """One mask per year bin ``(first, last)``, inclusive; battles of unknown year in none.

    Refuses a table without ``year``, a bin with ``first > last``, and bins that hold no
    battle at all.
    """
    year = table_column(table, "year", required=False)
    if year is None:
        raise InputError("missing from the battle table; needed to bin by period", field="year")
    size = len(table_column(table, "a0"))
    if len(year) != size:
        raise InputError(f"expected {size} values (one per battle), got {len(year)}", field="year")
    for first, last in bins:
        if not first <= last:
            raise InputError(f"expected first <= last year, got ({first}, {last})", field="bins")
    masks = [(year >= first) & (year <= last) for first, last in bins]
    if not any(mask.any() for mask in masks):
        raise InputError("no battle falls in any of the bins", field="bins")
    return masks


def period_columns(table: object, mask: BoolArray) -> Columns:
    """Return the battles of ``table`` that ``mask`` marks."""
    a0, ac, b0, bc = (table_column(table, field)[mask] for field in ("a0", "ac", "b0", "bc"))
    duration = table_column(table, "duration", required=False)
    return Columns(a0, ac, b0, bc, None if duration is None else duration[mask])


def per_period(
    table: object, bins: Sequence[Period], seed: Seed, run: Callable[[Columns, SeedSequence], T]
) -> list[tuple[Period, T]]:
    """Run ``run(battles, stream)`` on the battles of each non-empty year bin.

    Each non-empty bin gets its own stream spawned from ``seed``, in bin order.
    """
    masks = year_masks(table, bins)
    subsets = [(period, mask) for period, mask in zip(bins, masks, strict=True) if mask.any()]
    streams = seed_sequence(seed).spawn(len(subsets))
    return [
        (period, run(period_columns(table, mask), stream))
        for (period, mask), stream in zip(subsets, streams, strict=True)
    ]
