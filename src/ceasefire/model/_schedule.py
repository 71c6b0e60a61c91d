"""Dated schedules evaluated on the integration grid.

A schedule row (one per slot or one global) is a list of non-overlapping dated
segments, each a value or a linear ramp, and a value outside every segment
(0 for rates, 1 for multipliers). Segment values may differ per draw.

Rows and times are known before the run, so for every half-step time the active
segment of each row and the ramp fraction are precomputed; evaluating a schedule
in the time loop is one gather and one fused multiply-add per row, exact and
independent of how draws are chunked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Piece", "ScheduleTable"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Piece:
    """A segment in engine units: days since the start, per-draw values."""

    start_day: float
    end_day: float  # may be inf
    value: FloatArray  # (N,)
    end_value: FloatArray | None  # (N,) for a linear ramp


class ScheduleTable:
    """Rows of dated pieces, evaluated at the times ``times`` (days since start)."""

    def __init__(
        self, rows: list[list[Piece]], times: FloatArray, outside: float, draws: int
    ) -> None:
        self.pieces = rows
        self.outside = outside
        n_rows = len(rows)
        n_pieces = sum(len(row) for row in rows)
        # Stacked coefficients: the pieces first, then one "outside" entry per row.
        level = np.empty((n_pieces + n_rows, draws))
        slope = np.zeros((n_pieces + n_rows, draws))
        index = np.empty((len(times), n_rows), dtype=np.intp)
        fraction = np.zeros((len(times), n_rows))
        self.constant = True
        cursor = 0
        for r, row in enumerate(rows):
            outside_at = n_pieces + r
            level[outside_at] = outside
            index[:, r] = outside_at
            for piece in row:
                level[cursor] = piece.value
                active = (times >= piece.start_day) & (times < piece.end_day)
                index[active, r] = cursor
                if piece.end_value is not None:
                    slope[cursor] = piece.end_value - piece.value
                    span = piece.end_day - piece.start_day
                    fraction[active, r] = (times[active] - piece.start_day) / span
                    self.constant = False
                cursor += 1
            if len(np.unique(index[:, r])) > 1:
                self.constant = False
        self._level = level
        self._slope = slope
        self._index = index
        self._fraction = fraction
        self._ramps = bool(slope.any())
        self.rows = n_rows
        self._first = self._evaluate(0)

    def _evaluate(self, h: int) -> FloatArray:
        picked = self._level[self._index[h]]
        if self._ramps:
            picked = picked + self._slope[self._index[h]] * self._fraction[h][:, None]
        return picked

    def recipe(self) -> tuple[FloatArray, FloatArray, npt.NDArray[np.intp], FloatArray]:
        """Return the evaluation recipe: ``(level, slope, index, fraction)``.

        ``level`` and ``slope`` are ``(pieces + rows, draws)``; ``index`` (half steps, rows)
        names the piece active at each half step and ``fraction`` its ramp fraction, so
        row ``r`` at half step ``h`` is ``level[i] + slope[i] · fraction[h, r]`` with
        ``i = index[h, r]``. The compiled engine evaluates schedules from it.
        """
        return self._level, self._slope, self._index, self._fraction

    def key(self, h: int) -> object:
        """Return a value that changes whenever the schedule's values may have changed."""
        if self.constant:
            return None
        if self._ramps:
            return h
        return self._index[h].tobytes()

    def at(self, h: int) -> FloatArray:
        """Return the ``(rows, draws)`` values at time index ``h``."""
        if self.constant:
            return self._first
        return self._evaluate(h)
