"""Choosing an attrition law for a battle table by ABC rejection (Rubio-Campillo 2016).

Procedure (Rubio-Campillo, X. (2016), "Model selection in historical research using
approximate Bayesian computation", *PLoS ONE* 11(1): e0146491): approximate Bayesian
computation by rejection with model choice. For every simulation a law ``m`` and its
parameters ``θ`` are drawn from their priors, every battle of the table is fought
forward with that law from its initial strengths, and a distance between simulated and
historical summary statistics is computed. The simulations closest to the data are
accepted; the share of accepted simulations that came from law ``m`` estimates its
posterior probability ``P(m | data)``, the ratio of two shares is their Bayes factor
(the model prior is uniform), and the accepted ``θ`` of law ``m`` sample its posterior.

The paper's exact set-up was not available to us; the following choices are ours
(``reference/battle-fits.md``, 4.5, describes the paper's as far as it is known):

* **Model prior**: uniform over the candidate laws (square, linear, logarithmic and
  fatigue by default), realised by giving every law the same number of simulations.
* **Parameter priors**: the two coefficients ``a`` (side A's losses) and ``b`` (side
  B's losses) are drawn independently, log-uniform on ``[low, high]`` per day
  (:class:`LawPrior`, :data:`DEFAULT_PRIORS`), and shared by all battles of the table
  (or of the year bin): 1e-4 to 1 per day for the square law (men lost per enemy man),
  the logarithmic and the fatigue laws (fraction of own men); 1e-8 to 1e-4 for the
  linear law, whose coefficient scales like 1/men (the same four decades divided by
  10⁴ men, a typical CDB90 strength).
* **Forward model and distance**, two procedures (``stop``):

  - ``"end_strength"`` (default), the paper's as ``battle-fits.md`` describes it: steps
    of the law until either side is down to its historical end strength (at most
    ``max_steps``), and the distance is the mean over battles of the relative casualty
    errors summed over both sides. Stopping at the end strength removes time from the
    data, so only the ratio of the coefficients is identified and the fatigue law
    behaves like a rescaled logarithmic law (the tests show it).
  - ``"duration"``: each battle is fought for its recorded duration in days (1 where
    unknown, capped at ``max_days``; a fractional last day fights that fraction), and
    the distance is the root mean square difference of the casualty fractions
    ``(ac/a0, bc/b0)`` over battles and sides. It uses the durations CDB90 records and
    separates the logarithmic and fatigue laws better.

  In both, both sides' losses are computed from the strengths at the start of a step,
  ``t`` is the number of steps fought, and strengths are clipped at 0.
* **Stopping rule**: a fixed number of simulations; the fraction ``quantile`` of all
  simulations (all laws pooled) with the smallest distances is accepted, and the
  largest accepted distance is reported as the tolerance.

The forward models (:mod:`._forward`) are vectorised over simulations and battles; the
only Python loop runs over steps, on the battles still fighting. The paper's own
procedure, reproduced step for step, is :mod:`._rubio` (``procedure="rubio2016"``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.battles._choice import LawChoice, PeriodLawChoice
from ceasefire.battles._forward import (
    simulate_casualty_fractions,
    simulate_to_end_strength,
)
from ceasefire.battles._laws import BattleLaw
from ceasefire.battles._table import (
    Seed,
    first_bad,
    period_columns,
    seed_sequence,
    table_column,
    year_masks,
)

__all__ = [
    "DEFAULT_LAWS",
    "DEFAULT_PERIODS",
    "DEFAULT_PRIORS",
    "BattleArrays",
    "LawChoice",
    "LawPrior",
    "PeriodLawChoice",
    "select_by_period",
    "select_law",
    "simulate_casualty_fractions",
    "simulate_to_end_strength",
]

FloatArray = npt.NDArray[np.float64]

_ELEMENTS_PER_CHUNK = 1 << 20
"""Simulations × battles per forward-model chunk (about 8 MB per float array)."""


class BattleArrays(Protocol):
    """What the selection reads from a battle table (e.g. ``BattleTable``).

    ``a0, b0``: initial strengths (men); ``ac, bc``: casualties (men). A table may also
    carry ``duration`` (days, NaN where unknown) and ``year`` (NaN where unknown).
    """

    @property
    def a0(self) -> FloatArray:
        """Initial strength of side A, men."""
        ...

    @property
    def ac(self) -> FloatArray:
        """Casualties of side A, men."""
        ...

    @property
    def b0(self) -> FloatArray:
        """Initial strength of side B, men."""
        ...

    @property
    def bc(self) -> FloatArray:
        """Casualties of side B, men."""
        ...


@dataclass(frozen=True)
class LawPrior:
    """A candidate law and its log-uniform prior on the daily coefficients ``a`` and ``b``.

    ``law`` is a :class:`.BattleLaw` (its coefficients are replaced by the draws; its other
    parameters stay, e.g. ``BattleLaw("general", 1, 1, p=0.5, q=0.5)``) or the name of one
    with no other parameters. Its losses must be proportional to ``a`` (side A) and ``b``
    (side B), as for the square, linear, logarithmic, fatigue and general laws. ``name``
    defaults to ``law``'s.
    """

    law: BattleLaw | str
    low: float
    high: float
    name: str = ""

    def __post_init__(self) -> None:
        if not (0 < self.low < self.high < math.inf):
            raise InputError(
                f"expected 0 < low < high < inf, got low={self.low}, high={self.high}",
                field="laws",
            )
        if isinstance(self.law, str):
            object.__setattr__(self, "law", BattleLaw(self.law, 1.0, 1.0))
        if not self.name:
            object.__setattr__(self, "name", self.battle_law.name)

    @property
    def battle_law(self) -> BattleLaw:
        """The law (its coefficients are placeholders)."""
        assert isinstance(self.law, BattleLaw)
        return self.law

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` pairs ``(a, b)``, log-uniform on ``[low, high]``, shape (size, 2)."""
        logs = rng.uniform(math.log(self.low), math.log(self.high), size=(size, 2))
        return np.exp(logs)


DEFAULT_PRIORS: dict[str, LawPrior] = {
    "square": LawPrior("square", 1e-4, 1.0),
    "linear": LawPrior("linear", 1e-8, 1e-4),
    "logarithmic": LawPrior("logarithmic", 1e-4, 1.0),
    "fatigue": LawPrior("fatigue", 1e-4, 1.0),
}
"""Default priors per law (per-day coefficients; see the module docstring)."""

DEFAULT_LAWS = ("square", "linear", "logarithmic", "fatigue")
"""The candidate laws of Rubio-Campillo (2016)."""

DEFAULT_PERIODS: tuple[tuple[float, float], ...] = (
    (1600, 1699),
    (1700, 1799),
    (1800, 1899),
    (1900, 1945),
    (1946, 1973),
)
"""Year bins of :func:`select_by_period` (inclusive at both ends), spanning CDB90."""


@dataclass(frozen=True)
class _Battles:
    """Validated battles, sorted by duration (longest first)."""

    a0: FloatArray
    b0: FloatArray
    fraction_a: FloatArray
    fraction_b: FloatArray
    days: FloatArray
    n_dropped: int


def _validate(table: object, *, drop_excess_casualties: bool, max_days: float) -> _Battles:
    columns: dict[str, FloatArray] = {}
    for field in ("a0", "ac", "b0", "bc"):
        columns[field] = table_column(table, field)
    n = len(columns["a0"])
    if n == 0:
        raise InputError("the battle table has no battles", field="a0")
    duration = table_column(table, "duration", required=False)
    days = np.full(n, np.nan) if duration is None else duration
    for field, array in (*columns.items(), ("duration", days)):
        if len(array) != n:
            raise InputError(f"expected {n} values (one per battle), got {len(array)}", field=field)
        bad = np.isinf(array) if field == "duration" else ~np.isfinite(array)
        if bad.any():
            raise InputError(f"not finite in {first_bad(bad)}", field=field)
        negative = array < 0
        if negative.any():
            raise InputError(f"negative in {first_bad(negative)}", field=field)
    for field in ("a0", "b0"):
        empty = columns[field] == 0
        if empty.any():
            raise InputError(f"zero initial strength in {first_bad(empty)}", field=field)
    keep = np.ones(n, dtype=bool)
    for lost, initial in (("ac", "a0"), ("bc", "b0")):
        excess = columns[lost] > columns[initial]
        if excess.any() and not drop_excess_casualties:
            raise InputError(
                f"casualties exceed the initial strength {initial} in {first_bad(excess)} "
                "(pass drop_excess_casualties=True to leave such battles out)",
                field=lost,
            )
        keep &= ~excess
    if not keep.any():
        raise InputError("every battle has casualties above its initial strength", field="ac")
    days = np.minimum(np.where(np.isnan(days), 1.0, days), max_days)[keep]
    order = np.argsort(-days, kind="stable")
    pick = np.flatnonzero(keep)[order]
    return _Battles(
        a0=columns["a0"][pick],
        b0=columns["b0"][pick],
        fraction_a=columns["ac"][pick] / columns["a0"][pick],
        fraction_b=columns["bc"][pick] / columns["b0"][pick],
        days=days[order],
        n_dropped=int(n - keep.sum()),
    )


def _distances(
    prior: LawPrior, coefficients: FloatArray, battles: _Battles, stop: Stop, max_steps: int
) -> FloatArray:
    n_battles = len(battles.a0)
    chunk = max(1, _ELEMENTS_PER_CHUNK // n_battles)
    out = np.empty(len(coefficients))
    casualties_a = battles.fraction_a * battles.a0
    casualties_b = battles.fraction_b * battles.b0
    for start in range(0, len(coefficients), chunk):
        stop_at = min(start + chunk, len(coefficients))
        if stop == "end_strength":
            lost_a, lost_b = simulate_to_end_strength(
                prior.battle_law,
                coefficients[start:stop_at],
                battles.a0,
                battles.b0,
                battles.a0 - casualties_a,
                battles.b0 - casualties_b,
                max_steps,
            )
            # The paper's distance: relative casualty errors summed over sides (a battle
            # with no casualties on a side counts its error against one man).
            errors = np.abs(lost_a - casualties_a) / np.maximum(casualties_a, 1.0)
            errors += np.abs(lost_b - casualties_b) / np.maximum(casualties_b, 1.0)
            out[start:stop_at] = errors.mean(axis=1)
            continue
        fraction_a, fraction_b = simulate_casualty_fractions(
            prior.battle_law, coefficients[start:stop_at], battles.a0, battles.b0, battles.days
        )
        squares = np.sum((fraction_a - battles.fraction_a) ** 2, axis=1)
        squares += np.sum((fraction_b - battles.fraction_b) ** 2, axis=1)
        out[start:stop_at] = np.sqrt(squares / (2 * n_battles))
    return out


def _priors(laws: Sequence[str | LawPrior] | None) -> tuple[LawPrior, ...]:
    chosen = DEFAULT_LAWS if laws is None else laws
    priors: list[LawPrior] = []
    for law in chosen:
        if isinstance(law, LawPrior):
            priors.append(law)
        elif law in DEFAULT_PRIORS:
            priors.append(DEFAULT_PRIORS[law])
        else:
            raise InputError(
                f"unknown law {law!r}; expected a LawPrior or one of {sorted(DEFAULT_PRIORS)}",
                field="laws",
            )
    names = [prior.name for prior in priors]
    if len(names) < 2 or len(set(names)) != len(names):
        raise InputError(f"expected at least two distinct laws, got {names}", field="laws")
    return tuple(priors)


Stop = Literal["end_strength", "duration"]
"""How a simulated battle ends: at a side's historical end strength (Rubio-Campillo), or
after the battle's recorded duration in days."""


def _check_stop(stop: str, max_steps: int) -> None:
    if stop not in ("end_strength", "duration"):
        raise InputError(f"expected end_strength or duration, got {stop!r}", field="stop")
    if max_steps < 1:
        raise InputError(f"expected at least one step, got {max_steps}", field="max_steps")


def _check_settings(n_simulations: int, quantile: float, n_laws: int, max_days: float) -> None:
    if n_simulations < n_laws:
        raise InputError(
            f"expected at least one simulation per law ({n_laws}), got {n_simulations}",
            field="n_simulations",
        )
    if not 0 < quantile <= 1:
        raise InputError(f"expected 0 < quantile <= 1, got {quantile}", field="quantile")
    if not 1 <= max_days < math.inf:
        raise InputError(f"expected 1 <= max_days < inf, got {max_days}", field="max_days")


def _select(
    battles: _Battles,
    priors: tuple[LawPrior, ...],
    n_simulations: int,
    quantile: float,
    seed: np.random.SeedSequence,
    stop: Stop,
    max_steps: int,
) -> LawChoice:
    per_law = n_simulations // len(priors)
    samples: list[FloatArray] = []
    distances: list[FloatArray] = []
    for prior, stream in zip(priors, seed.spawn(len(priors)), strict=True):
        coefficients = prior.sample(np.random.default_rng(stream), per_law)
        samples.append(coefficients)
        distances.append(_distances(prior, coefficients, battles, stop, max_steps))
    pooled = np.concatenate(distances)
    total = len(pooled)
    n_accept = min(total, max(1, math.ceil(quantile * total)))
    # A stable sort makes ties deterministic (earlier law first).
    accepted = np.sort(np.argsort(pooled, kind="stable")[:n_accept])
    law_of = np.repeat(np.arange(len(priors)), per_law)
    counts = np.bincount(law_of[accepted], minlength=len(priors))
    posteriors = tuple(
        samples[i][accepted[law_of[accepted] == i] - i * per_law] for i in range(len(priors))
    )
    return LawChoice(
        laws=tuple(prior.name for prior in priors),
        probabilities=counts / n_accept,
        accepted=tuple(int(c) for c in counts),
        simulated=(per_law,) * len(priors),
        posteriors=posteriors,
        tolerance=float(pooled[accepted].max()),
        quantile=quantile,
        n_simulations=total,
        n_battles=len(battles.a0),
        n_dropped=battles.n_dropped,
    )


def select_law(
    table: BattleArrays,
    *,
    laws: Sequence[str | LawPrior] | None = None,
    n_simulations: int = 20_000,
    quantile: float = 0.01,
    seed: Seed = None,
    max_days: float = 60.0,
    drop_excess_casualties: bool = False,
    stop: Stop = "end_strength",
    max_steps: int = 200,
) -> LawChoice:
    """Choose among attrition laws for a battle table by ABC rejection.

    Rubio-Campillo (2016), *PLoS ONE* 11(1): e0146491; the choices that are ours are
    listed in the module docstring. ``laws`` are names of :data:`DEFAULT_PRIORS` or
    :class:`LawPrior` objects (default :data:`DEFAULT_LAWS`); each gets
    ``n_simulations // len(laws)`` simulations, and the ``quantile`` fraction of them
    closest to the data is accepted. ``seed`` (an int or a ``SeedSequence``; None for
    fresh entropy) makes the result deterministic. With ``stop="end_strength"`` (the
    paper's) a battle is stepped until a side is down to its historical end strength
    (at most ``max_steps``); with ``stop="duration"`` it lasts its ``duration`` days
    (1 where unknown, at most ``max_days``).

    Raises :class:`~ceasefire._errors.InputError` naming the field for negative or
    non-finite strengths, casualties or durations, zero strengths, and casualties above
    the initial strength (unless ``drop_excess_casualties``, which leaves such battles
    out and counts them in ``n_dropped``).
    """
    priors = _priors(laws)
    _check_settings(n_simulations, quantile, len(priors), max_days)
    battles = _validate(table, drop_excess_casualties=drop_excess_casualties, max_days=max_days)
    _check_stop(stop, max_steps)
    return _select(battles, priors, n_simulations, quantile, seed_sequence(seed), stop, max_steps)


def select_by_period(
    table: BattleArrays,
    *,
    bins: Sequence[tuple[float, float]] = DEFAULT_PERIODS,
    laws: Sequence[str | LawPrior] | None = None,
    n_simulations: int = 20_000,
    quantile: float = 0.01,
    seed: Seed = None,
    max_days: float = 60.0,
    drop_excess_casualties: bool = False,
    stop: Stop = "end_strength",
    max_steps: int = 200,
) -> PeriodLawChoice:
    """Run :func:`select_law` separately on the battles of each year bin.

    ``bins`` are ``(first_year, last_year)`` pairs, inclusive at both ends (default
    :data:`DEFAULT_PERIODS`); the table needs a ``year`` column, and battles of unknown
    year fall in no bin. Bins without battles are left out of the result; each bin gets
    ``n_simulations`` simulations and its own stream spawned from ``seed``. The other
    arguments are those of :func:`select_law`.
    """
    priors = _priors(laws)
    _check_settings(n_simulations, quantile, len(priors), max_days)
    _check_stop(stop, max_steps)
    masks = year_masks(table, bins)
    streams = seed_sequence(seed).spawn(len(bins))
    periods: list[tuple[float, float]] = []
    choices: list[LawChoice] = []
    for period, inside, stream in zip(bins, masks, streams, strict=True):
        if inside.any():
            subset = period_columns(table, inside)
            battles = _validate(
                subset, drop_excess_casualties=drop_excess_casualties, max_days=max_days
            )
            choices.append(
                _select(battles, priors, n_simulations, quantile, stream, stop, max_steps)
            )
            periods.append(period)
    return PeriodLawChoice(periods=tuple(periods), choices=tuple(choices))
