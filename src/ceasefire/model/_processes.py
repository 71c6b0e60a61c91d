"""A stochastic schedule segment as monthly pieces with per-draw values.

The engines read schedules as dated pieces whose values may differ per draw
(:class:`~ceasefire.model._schedule.Piece`), so a process needs no change to them: step
``m`` of the process (a month, or the process's ``step``) is one piece,
``value(t) · exp(L_m)``, where ``L`` is the log-scale state of :mod:`ceasefire.scenario._processes`:

- log-normal walk: ``L_0 = 0``, ``L_m = L_{m−1} + σ z_m``;
- AR(1) in logs: ``L_0 = 0``, ``L_m = φ L_{m−1} + σ z_m``.

A ramp segment keeps its ramp inside each month (both ends times ``exp(L_m)``). Without
sampled innovations (a central run) every ``z_m`` is 0 and the segment is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from ceasefire.model._schedule import Piece
from ceasefire.scenario import SHOCK, Process, Quantity, process_months, shock_path

__all__ = ["log_state", "process_pieces"]

FloatArray = npt.NDArray[np.float64]
Path = tuple[str | int, ...]
Getter = Callable[[Path, Quantity], FloatArray]


def log_state(
    kind: str, innovation: FloatArray, persistence: FloatArray | None, shocks: FloatArray
) -> FloatArray:
    """Return ``L``, shape ``(months, draws)``, from the shocks ``z_1 … z_{months−1}``.

    ``shocks`` has shape ``(months − 1, draws)``; ``L_0 = 0``.
    """
    months = shocks.shape[0] + 1
    state = np.zeros((months, innovation.shape[0]))
    phi = np.ones_like(innovation) if kind == "log_normal_walk" else persistence
    assert phi is not None
    for m in range(1, months):
        state[m] = phi * state[m - 1] + innovation * shocks[m - 1]
    return state


def process_pieces(
    piece: Piece, process: Process, path: Path, get: Getter, horizon_day: float
) -> list[Piece]:
    """Split ``piece`` (the segment at ``path``) into the monthly pieces of its process."""
    step = process.step.days
    origin, months = process_months(piece.start_day, piece.end_day, horizon_day, step)
    if months == 0:
        return [piece]
    innovation = get((*path, "process", "innovation"), process.innovation)
    persistence = (
        None
        if process.persistence is None
        else get((*path, "process", "persistence"), process.persistence)
    )
    shocks = np.stack(
        [get(shock_path(path, m), SHOCK) for m in range(1, months)] or [np.zeros_like(innovation)]
    )[: months - 1]
    factor = np.exp(log_state(process.kind, innovation, persistence, shocks))

    def base(day: float) -> FloatArray:
        if piece.end_value is None:
            return piece.value
        fraction = (day - piece.start_day) / (piece.end_day - piece.start_day)
        return piece.value + (piece.end_value - piece.value) * fraction

    out = []
    for m in range(months):
        begin = origin + m * step
        end = piece.end_day if m == months - 1 else origin + (m + 1) * step
        end_value = None if piece.end_value is None else base(end) * factor[m]
        out.append(Piece(begin, end, base(begin) * factor[m], end_value))
    return out
