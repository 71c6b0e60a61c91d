"""Slantchev (2003): the front as a gambler's-ruin random walk.

Fighting on is worth the chance of total victory less the expected cost of the battles it
takes. Split out of :mod:`ceasefire.bargaining._learning` (which re-exports every name) so
that each module stays short; conventions as there: A's share of the stake is ``x``, one
battle is one period, costs are in units of the stake, nothing is discounted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining._checks import check_nonnegative, check_probability

__all__ = [
    "SlantchevRange",
    "WalkSample",
    "expected_battles",
    "ruin_win_probability",
    "simulate_walk",
    "slantchev_range",
]

# --- Slantchev (2003): the front as a gambler's-ruin walk ---------------------------------


def _check_walk(k: int, n: int, pi: float) -> None:
    if n < 1 or n != int(n):
        raise ValueError(f"n must be a whole number >= 1, got {n}")
    if k < 0 or k > n or k != int(k):
        raise ValueError(f"k must be a whole number in [0, n] = [0, {n}], got {k}")
    check_probability("pi", pi)


def _log_sigma(pi: float) -> float:
    # ln((1 − π)/π) = ln(1 + (1 − 2π)/π); 1 − 2π is exact near ½, so this is too.
    return math.log1p((1.0 - 2.0 * pi) / pi)


def ruin_win_probability(k: int, n: int, pi: float) -> float:
    """Return the probability that A wins the war outright from front position ``k``.

    The front moves up one position when A wins a battle (probability ``π``) and down
    one otherwise, and the war ends at ``0`` (B's victory) or ``N`` (A's). With
    ``σ = (1 − π)/π``::

        P_win(k) = (1 − σ^k) / (1 − σ^N)   (π ≠ ½),      P_win(k) = k / N   (π = ½).

    Evaluated as ``expm1(k ln σ) / expm1(N ln σ)`` (scaled by ``σ^(k−N)`` when ``σ > 1``),
    which is continuous across ``π = ½`` and never overflows.

    Reference: Slantchev, B. L. (2003), "The Principle of Convergence in Wartime
    Negotiations", *American Political Science Review* 97(4), 621-632; the
    gambler's-ruin form is ``reference/bargaining-oracles.md`` §A7.2 (oracle O17).
    """
    _check_walk(k, n, pi)
    if k in (0, n):
        return float(k == n)
    if pi in (0.0, 1.0):
        return pi
    log_sigma = _log_sigma(pi)
    if log_sigma == 0.0:
        return k / n
    if log_sigma < 0.0:
        return math.expm1(k * log_sigma) / math.expm1(n * log_sigma)
    return math.exp((k - n) * log_sigma) * math.expm1(-k * log_sigma) / math.expm1(-n * log_sigma)


def expected_battles(k: int, n: int, pi: float) -> float:
    """Return the expected number of battles until the walk from ``k`` is absorbed.

    With ``σ = (1 − π)/π``::

        D(k) = k / (1 − 2π) − N / (1 − 2π) · P_win(k)   (π ≠ ½),
        D(k) = k (N − k)                                 (π = ½).

    The first form cancels catastrophically near ``π = ½``. With ``t = ln σ`` (so that
    ``1 − 2π = tanh(t/2)``) it equals ``[k E(Nt) − N E(kt)] / [E(Nt) tanh(t/2)]`` with
    ``E(x) = e^x − 1``, and the numerator's series
    ``kN Σ_{j≥2} (N^(j−1) − k^(j−1)) t^j / j!`` is summed directly when ``|N t| < 1``.

    Reference: Slantchev, B. L. (2003), *American Political Science Review* 97(4),
    621-632; closed form and oracle O17 in ``reference/bargaining-oracles.md`` §A7.2.
    """
    _check_walk(k, n, pi)
    if k in (0, n):
        return 0.0
    if pi == 0.0:
        return float(k)
    if pi == 1.0:
        return float(n - k)
    log_sigma = _log_sigma(pi)
    if abs(n * log_sigma) >= 1.0:
        return (k - n * ruin_win_probability(k, n, pi)) / (1.0 - 2.0 * pi)
    # Σ_{j≥2} (N^(j−1) − k^(j−1)) t^(j−2) / j!, written as N (Nt)^(j−2) (1 − (k/N)^(j−1)) / j!.
    scaled = n * log_sigma
    series = 0.0
    power = 1.0  # (N t)^(j − 2)
    factorial = 2.0  # j!
    for j in range(2, 40):
        term = n * power * (1.0 - (k / n) ** (j - 1)) / factorial
        series += term
        if abs(term) <= 1e-17 * abs(series):
            break
        power *= scaled
        factorial *= j + 1
    expm1_over_t = n if log_sigma == 0.0 else math.expm1(scaled) / log_sigma
    tanh_over_t = 0.5 if log_sigma == 0.0 else math.tanh(0.5 * log_sigma) / log_sigma
    return k * n * series / (expm1_over_t * tanh_over_t)


@dataclass(frozen=True)
class SlantchevRange:
    """The bargaining range at one front position of the Slantchev walk."""

    p_win: float
    expected_battles: float
    value_a: float
    """``W_A = P_win − c_A D``: A's value of fighting to the end."""
    value_b: float
    """``W_B = 1 − P_win − c_B D``: B's value of fighting to the end."""
    low: float
    """The smallest share for A that both accept: ``max(W_A, 0)``."""
    high: float
    """The largest share for A that both accept: ``min(1 − W_B, 1)``."""
    nonempty: bool


def slantchev_range(k: int, n: int, pi: float, cost_a: float, cost_b: float) -> SlantchevRange:
    """Return the deals both sides prefer to fighting on from front position ``k``.

    ``W_A(k) = P_win(k) − c_A D(k)`` and ``W_B(k) = 1 − P_win(k) − c_B D(k)``, with
    ``c_i`` the per-battle cost in units of the stake; the range is
    ``x ∈ [W_A, 1 − W_B] ∩ [0, 1]``. With non-negative costs it always contains
    ``P_win`` and so is never empty.

    Oracle O17: ``N = 10, k = 5, π = 0.6, c = 0.01`` gives ``P_win = 0.883636``,
    ``D = 19.181818`` and the range ``[0.691818, 1]``.

    Reference: Slantchev, B. L. (2003), "The Principle of Convergence in Wartime
    Negotiations", *American Political Science Review* 97(4), 621-632.
    """
    check_nonnegative("cost_a", cost_a)
    check_nonnegative("cost_b", cost_b)
    p_win = ruin_win_probability(k, n, pi)
    battles = expected_battles(k, n, pi)
    value_a = p_win - cost_a * battles
    value_b = 1.0 - p_win - cost_b * battles
    low = max(value_a, 0.0)
    high = min(1.0 - value_b, 1.0)
    return SlantchevRange(
        p_win=p_win,
        expected_battles=battles,
        value_a=value_a,
        value_b=value_b,
        low=low,
        high=high,
        nonempty=low <= high,
    )


@dataclass(frozen=True)
class WalkSample:
    """Outcomes of simulated wars on the Slantchev front."""

    a_won: npt.NDArray[np.bool_]
    """Whether each war ended at ``N`` (A's total victory)."""
    battles: npt.NDArray[np.int64]
    """How many battles each war lasted."""


def simulate_walk(
    k: int,
    n: int,
    pi: float,
    *,
    walks: int,
    seed: int | np.random.SeedSequence | np.random.Generator,
    max_battles: int = 1_000_000,
) -> WalkSample:
    """Simulate ``walks`` independent wars on the gambler's-ruin front, starting at ``k``.

    Each battle moves every unfinished war's front ``+1`` with probability ``π``, else
    ``−1``; a war stops at ``0`` or ``N``. The sample means of ``a_won`` and ``battles``
    estimate :func:`ruin_win_probability` and :func:`expected_battles`.

    ``seed`` is anything :func:`numpy.random.default_rng` takes (a ``Generator`` is used
    as it is). Raises ``RuntimeError`` if some war outlasts ``max_battles``.

    Reference: Slantchev, B. L. (2003), *American Political Science Review* 97(4), 621-632.
    """
    _check_walk(k, n, pi)
    if walks < 1:
        raise ValueError(f"walks must be >= 1, got {walks}")
    rng = np.random.default_rng(seed)
    position = np.full(walks, k, dtype=np.int64)
    battles = np.zeros(walks, dtype=np.int64)
    active = np.flatnonzero((position > 0) & (position < n))
    fought = 0
    while active.size:
        if fought >= max_battles:
            raise RuntimeError(f"{active.size} walks still running after max_battles={max_battles}")
        steps = np.where(rng.random(active.size) < pi, 1, -1)
        position[active] += steps
        battles[active] += 1
        fought += 1
        active = active[(position[active] > 0) & (position[active] < n)]
    return WalkSample(a_won=position == n, battles=battles)
