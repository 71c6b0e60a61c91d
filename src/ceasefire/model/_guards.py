"""Numerical guards on a chunk's result: non-finite values and a step too long for a flow.

**Non-finite values.** Both kernels integrate with floating-point warnings silenced, so an
absurd parameter (an intensity of 1e306) turns a draw's stocks into inf or nan instead of
warning. :func:`first_non_finite` then finds the first draw whose final state or counters
are not finite and, where monthly states were kept, the first saved month where one went
non-finite. The final check is a handful of whole-array comparisons per chunk; a nan or
inf reaches the final state because every counter adds up the flows of every step.

**Stiff settings.** The kernels' outflow limiter scales a stock's outflows down on a step
where they would take more than it holds (``rate · dt > stock``); the stock is emptied in
less than a step, which is a sign that the step is too long for that flow (explicit Euler
for ``dy/dt = -r y`` is only non-negative for ``r · dt ≤ 1``). The kernels count such
steps and keep the largest step that would have fitted; :class:`LimiterTally` adds them
up over chunks and words one warning. The step it suggests is half the largest that
would have fitted (so a step's outflow takes at most half the stock and the suggestion
does not sit on the limit, where rounding decides), rounded down to 1, 2 or 5 × 10^k
days.

It is a warning, not an error: the limiter keeps every stock non-negative and people are
still conserved, so the results are usable; they are less accurate for the flows that
hit it, and the user must see that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.model._inputs import Layout
from ceasefire.model._kernel import COUNTERS, LIMITED_STOCKS, ChunkResult

__all__ = [
    "LimiterTally",
    "NonFinite",
    "NonFiniteRunError",
    "describe_parameters",
    "first_non_finite",
    "nice_step_below",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_ORDER = ("active", "training", "wounded", "pool", "front", *COUNTERS)
"""Quantities checked, in the order they are named when several go non-finite together."""


def _slot_name(layout: Layout, name: str, row: int) -> str:
    """``side/channel`` of slot ``row`` (pool: ``side``; front: the front)."""
    if name == "front":
        return "front"
    if name == "pool":
        return f"{layout.side_ids[row]} pool"
    side = layout.side_ids[layout.slot_side[row]]
    channel = layout.channel_ids[layout.slot_channel[row]]
    return f"{side}/{channel} {name}"


@dataclass(frozen=True)
class NonFinite:
    """Where a chunk first went non-finite."""

    draw: int  # index within the chunk
    quantity: str  # e.g. "red/volunteers active", "blue pool", "front"
    month: float | None  # months since the start of the first saved non-finite state

    def when(self) -> str:
        """Words for the time: the month, or the horizon where no months were kept."""
        if self.month is None:
            return "by the horizon (monthly states were not kept, so the month is unknown)"
        return f"by month {self.month:g}"


def _bad_draws(arrays: dict[str, FloatArray]) -> npt.NDArray[np.bool_]:
    """Draws (last axis) with a non-finite value in any array (empty when all are finite)."""
    bad: npt.NDArray[np.bool_] | None = None
    for name in _ORDER:
        if name not in arrays:
            continue
        values = arrays[name]
        finite = np.isfinite(values)
        if finite.all():
            continue
        rows = np.logical_not(np.all(finite.reshape(-1, finite.shape[-1]), axis=0))
        bad = rows if bad is None else bad | rows
    return np.zeros(0, dtype=np.bool_) if bad is None else bad


def _first_bad(arrays: dict[str, FloatArray], draw: int, layout: Layout) -> str | None:
    """Return the first quantity (in :data:`_ORDER`) of draw ``draw`` that is not finite."""
    for name in _ORDER:
        if name not in arrays:
            continue
        column = arrays[name][..., draw]
        if np.all(np.isfinite(column)):
            continue
        if column.ndim == 0:
            return _slot_name(layout, name, 0)
        row = int(np.flatnonzero(~np.isfinite(column))[0])
        return _slot_name(layout, name, row)
    return None


def first_non_finite(
    result: ChunkResult, layout: Layout, save_months: FloatArray
) -> NonFinite | None:
    """Return where ``result`` first holds inf or nan, or None when every value is finite.

    Parameters
    ----------
    result:
        A chunk's result from either kernel.
    layout:
        The slot layout (to name the side and channel).
    save_months:
        Nominal month of each saved state (``Grid.save_months``).

    """
    bad = _bad_draws(result.final)
    if not bad.any():
        return None
    draw = int(np.flatnonzero(bad)[0])
    if result.saved is not None:
        # The first saved month with a non-finite value, then its first quantity.
        for t in range(len(save_months)):
            at_t = {name: values[t] for name, values in result.saved.items()}
            quantity = _first_bad(at_t, draw, layout)
            if quantity is not None:
                return NonFinite(draw, quantity, float(save_months[t]))
    quantity = _first_bad(result.final, draw, layout)
    return NonFinite(draw, quantity or "a stock", None)


_SMALLEST_SENSIBLE_STEP = 1e-3
"""Days (about a minute and a half): below this a suggested step is no help."""


def nice_step_below(days: float) -> float:
    """Round ``days`` down to 1, 2 or 5 × 10^k (a step a user would type)."""
    if not days > 0.0 or not math.isfinite(days):
        return 0.0
    exponent = math.floor(math.log10(days))
    for mantissa in (5.0, 2.0, 1.0):
        value = mantissa * 10.0**exponent
        if value <= days * (1.0 + 1e-12):
            return float(f"{value:.12g}")
    return float(f"{10.0 ** (exponent - 1) * 5.0:.12g}")  # pragma: no cover - unreachable


@dataclass
class LimiterTally:
    """Limiter hits added up over chunks, per stock row and slot (see ``ChunkResult``).

    ``draws``: draws where the limiter bound at least once; ``steps``: the steps it bound
    on, over all draws; ``fit_days``: the largest step that would have fitted, minimum
    over those steps and draws; ``first_draw``: the first draw it bound on (-1: none).
    """

    draws: IntArray  # (4, K)
    steps: IntArray  # (4, K)
    fit_days: FloatArray  # (4, K)
    first_draw: IntArray  # (4, K)

    @classmethod
    def empty(cls, slots: int) -> LimiterTally:
        """Return a tally with no hits for ``slots`` slots."""
        shape = (len(LIMITED_STOCKS), slots)
        return cls(
            np.zeros(shape, dtype=np.int64),
            np.zeros(shape, dtype=np.int64),
            np.full(shape, np.inf),
            np.full(shape, -1, dtype=np.int64),
        )

    @classmethod
    def of(cls, result: ChunkResult, start: int) -> LimiterTally:
        """Reduce a chunk's per-draw limiter counts; ``start`` is its first draw's index."""
        limited, fit = result.limited, result.fit_days
        slots = result.final["active"].shape[0]
        tally = cls.empty(slots)
        if limited is None or fit is None:
            return tally
        hit = limited > 0
        tally.draws[...] = hit.sum(axis=-1)
        tally.steps[...] = limited.sum(axis=-1)
        if hit.any():
            tally.fit_days[...] = fit.min(axis=-1)
            first = np.argmax(hit, axis=-1)
            tally.first_draw[...] = np.where(hit.any(axis=-1), first + start, -1)
        return tally

    def add(self, other: LimiterTally) -> None:
        """Add ``other`` (a later chunk) into this tally, in place."""
        self.draws += other.draws
        self.steps += other.steps
        np.minimum(self.fit_days, other.fit_days, out=self.fit_days)
        later = (self.first_draw < 0) & (other.first_draw >= 0)
        self.first_draw[later] = other.first_draw[later]

    @property
    def total_steps(self) -> int:
        """Steps on which the limiter bound, over every stock, slot and draw."""
        return int(self.steps.sum())

    def warning(self, layout: Layout, dt: float, draws: int) -> str:
        """One line naming each stock the limiter bound on and the step needed; "" if none."""
        parts: list[str] = []
        needed = math.inf
        order = np.argsort(-self.steps, axis=None, kind="stable")
        for flat in order:
            row, slot = np.unravel_index(int(flat), self.steps.shape)
            if self.steps[row, slot] == 0:
                break
            stock = LIMITED_STOCKS[row]
            name = _slot_name(layout, stock, int(slot))
            parts.append(
                f"{name} on {self.steps[row, slot]} step(s) over {self.draws[row, slot]} of "
                f"{draws} draw(s) (first: draw {self.first_draw[row, slot]})"
            )
            needed = min(needed, float(self.fit_days[row, slot]))
        if not parts:
            return ""
        shown = parts[:4]
        if len(parts) > 4:
            shown.append(f"and {len(parts) - 4} more")
        suggestion = nice_step_below(needed / 2.0)
        head = (
            f"stiff setting: a flow emptied a stock in less than a step of {dt:g} day(s) "
            f"(the outflow limiter bound): {'; '.join(shown)}; the largest step that fits "
            f"is {needed:.3g} day(s)"
        )
        if suggestion < _SMALLEST_SENSIBLE_STEP:
            # No step a user would take fixes this: a rate is out of scale with its stock.
            return (
                f"{head}: no practical time.step fits (below {_SMALLEST_SENSIBLE_STEP:g} "
                "day); a rate is out of scale with its stock: check the flows' parameters"
            )
        return f"{head}: use time.step of at most {suggestion:g} day(s)"


class NonFiniteRunError(InputError):
    """A draw's stocks or counters went inf or nan: the message names the draw and its values.

    A subclass of :class:`~ceasefire._errors.InputError`: the parameters (or fixed values)
    of the scenario are the cause, so the command line prints one line and exits with 2.
    """

    def __init__(self, message: str, *, draw: int | None = None) -> None:
        self.draw = draw
        super().__init__(message)

    def __reduce__(self) -> tuple[type[NonFiniteRunError], tuple[str], dict[str, int | None]]:
        """Pickle with the message and the draw (workers send it back to the caller)."""
        return (type(self), (self.message,), {"draw": self.draw})


def describe_parameters(values: dict[str, float], limit: int = 8) -> str:
    """``path = value`` pairs, the most extreme magnitudes first, at most ``limit`` of them.

    The most extreme are the likeliest cause of an overflow or a nan, so they come first.
    """
    if not values:
        return "none sampled (the scenario's fixed values apply to every draw)"

    def extremity(item: tuple[str, float]) -> float:
        value = item[1]
        if not math.isfinite(value):
            return math.inf
        return abs(math.log10(abs(value))) if value != 0.0 else 0.0

    ranked = sorted(values.items(), key=extremity, reverse=True)
    shown = ", ".join(f"{path} = {value:.6g}" for path, value in ranked[:limit])
    if len(ranked) > limit:
        shown += f", and {len(ranked) - limit} more"
    return shown
