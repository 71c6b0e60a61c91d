"""Contests: how effort, or force, becomes a probability of winning.

* The all-pay auction with complete information (Hillman & Riley 1989; Baye,
  Kovenock & de Vries 1996): both sides pay what they bid; the higher bid wins.
* The Tullock / Hirshleifer ratio contest success function and its equilibrium.
* The Lanchester bridge: the square law with uncertain effectiveness gives ``p``.

Timing convention: every contest here is one-shot and simultaneous; bids, efforts
and prizes are in the same units, and nothing is discounted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire.bargaining._checks import check_nonnegative, check_positive
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "AllPayEquilibrium",
    "AllPayModel",
    "LanchesterWinProbabilityModel",
    "TullockEquilibrium",
    "TullockModel",
    "all_pay_auction",
    "all_pay_bid_cdf",
    "contest_success",
    "lanchester_win_probability",
    "tullock_best_response",
    "tullock_equilibrium",
]

ALL_PAY = (
    "Hillman, A. L. & Riley, J. G. (1989). Politically contestable rents and transfers. "
    "Economics & Politics 1(1), 17-39; Baye, M. R., Kovenock, D. & de Vries, C. G. (1996). "
    "The all-pay auction with complete information. Economic Theory 8(2), 291-305."
)
TULLOCK = (
    "Tullock, G. (1980). Efficient rent seeking. In Buchanan, Tollison & Tullock (eds.), "
    "Toward a Theory of the Rent-Seeking Society, 97-112; Hirshleifer, J. (1989). Conflict "
    "and rent-seeking success functions: Ratio vs. difference models of relative success. "
    "Public Choice 63(2), 101-112; Nti, K. O. (1999). Rent-seeking with asymmetric "
    "valuations. Public Choice 98(3-4), 415-430."
)
LANCHESTER = (
    "Lanchester, F. W. (1916). Aircraft in Warfare: The Dawn of the Fourth Arm, ch. V; "
    "the lognormal-effectiveness bridge is bargaining-oracles.md §A8.4."
)


# --- All-pay auction -----------------------------------------------------------------------


@dataclass(frozen=True)
class AllPayEquilibrium:
    """The unique equilibrium of the two-player all-pay auction with known values."""

    expected_bid_1: float
    expected_bid_2: float
    total_expenditure: float
    p_win_1: float
    p_win_2: float
    payoff_1: float
    payoff_2: float
    atom_at_zero_1: float
    """Probability that side 1 bids exactly 0."""
    atom_at_zero_2: float


def _all_pay_ordered(high: float, low: float) -> AllPayEquilibrium:
    # The strong side bids U[0, low]; the weak side bids 0 with probability 1 − low/high,
    # else U[0, low].
    ratio = low / high
    return AllPayEquilibrium(
        expected_bid_1=0.5 * low,
        expected_bid_2=0.5 * low * ratio,
        total_expenditure=0.5 * low * (1.0 + ratio),
        p_win_1=1.0 - 0.5 * ratio,
        p_win_2=0.5 * ratio,
        payoff_1=high - low,
        payoff_2=0.0,
        atom_at_zero_1=0.0,
        atom_at_zero_2=1.0 - ratio,
    )


def all_pay_auction(value_1: float, value_2: float) -> AllPayEquilibrium:
    """Return the mixed equilibrium of the all-pay auction between values ``v_1`` and ``v_2``.

    For ``v_1 ≥ v_2`` side 1 bids ``U[0, v_2]``; side 2 bids 0 with probability
    ``1 − v_2/v_1`` and otherwise ``U[0, v_2]`` (see :func:`all_pay_bid_cdf`). Then::

        E[b_1] = v_2 / 2,   E[b_2] = v_2² / (2 v_1),   total = (v_2 / 2)(1 + v_2 / v_1),
        P(2 wins) = v_2 / (2 v_1),   payoffs = (v_1 − v_2, 0).

    ``v_1 < v_2`` is the mirror image, with the sides' roles swapped. Oracle O22:
    ``v = (1, 0.5)`` gives ``E[b] = (0.25, 0.125)``, total 0.375, ``P(2 wins) = 0.25``.

    References: Hillman, A. L. & Riley, J. G. (1989), "Politically contestable rents
    and transfers", *Economics & Politics* 1(1), 17-39; Baye, M. R., Kovenock, D. &
    de Vries, C. G. (1996), "The all-pay auction with complete information", *Economic
    Theory* 8(2), 291-305.
    """
    check_positive("value_1", value_1)
    check_positive("value_2", value_2)
    if value_1 >= value_2:
        return _all_pay_ordered(value_1, value_2)
    mirror = _all_pay_ordered(value_2, value_1)
    return AllPayEquilibrium(
        expected_bid_1=mirror.expected_bid_2,
        expected_bid_2=mirror.expected_bid_1,
        total_expenditure=mirror.total_expenditure,
        p_win_1=mirror.p_win_2,
        p_win_2=mirror.p_win_1,
        payoff_1=mirror.payoff_2,
        payoff_2=mirror.payoff_1,
        atom_at_zero_1=mirror.atom_at_zero_2,
        atom_at_zero_2=mirror.atom_at_zero_1,
    )


def all_pay_bid_cdf(bid: float, value_1: float, value_2: float) -> tuple[float, float]:
    """Return ``(G_1(b), G_2(b))``, the equilibrium bid distributions at ``b``.

    For ``v_1 ≥ v_2`` and ``0 ≤ b ≤ v_2``::

        G_1(b) = b / v_2,   G_2(b) = 1 − v_2 / v_1 + b / v_1,

    which make side 2 indifferent over ``[0, v_2]`` (``v_2 G_1(b) − b = 0``) and side 1
    too (``v_1 G_2(b) − b = v_1 − v_2``). Both are 1 above ``v_2``.

    References: Hillman & Riley (1989), *Economics & Politics* 1(1); Baye, Kovenock &
    de Vries (1996), *Economic Theory* 8(2).
    """
    check_positive("value_1", value_1)
    check_positive("value_2", value_2)
    if bid < 0.0:
        return 0.0, 0.0
    high, low = max(value_1, value_2), min(value_1, value_2)
    strong = min(bid / low, 1.0)
    weak = min(1.0 - low / high + bid / high, 1.0)
    return (strong, weak) if value_1 >= value_2 else (weak, strong)


# --- Tullock / Hirshleifer ratio contest ---------------------------------------------------


def contest_success(effort_a: float, effort_b: float, decisiveness: float = 1.0) -> float:
    """Return A's probability of winning a ratio contest.

    ::

        p_A = m_A^ρ / (m_A^ρ + m_B^ρ) = 1 / (1 + (m_B / m_A)^ρ),

    with ``ρ`` the decisiveness; ``p_A = ½`` when neither side puts in anything.

    References: Tullock, G. (1980), "Efficient rent seeking", in *Toward a Theory of the
    Rent-Seeking Society*, 97-112; Hirshleifer, J. (1989), "Conflict and rent-seeking
    success functions", *Public Choice* 63(2), 101-112.
    """
    check_nonnegative("effort_a", effort_a)
    check_nonnegative("effort_b", effort_b)
    check_positive("decisiveness", decisiveness)
    if effort_a == 0.0 and effort_b == 0.0:
        return 0.5
    if effort_b == 0.0:
        return 1.0
    if effort_a == 0.0:
        return 0.0
    log_ratio = decisiveness * (math.log(effort_b) - math.log(effort_a))
    if log_ratio > 0.0:
        odds = math.exp(-log_ratio)
        return odds / (1.0 + odds)
    return 1.0 / (1.0 + math.exp(log_ratio))


def tullock_best_response(opponent_effort: float, prize: float) -> float:
    """Return the effort that maximises ``V x / (x + y) − x`` against opponent effort ``y``.

    The first-order condition ``V y / (x + y)² = 1`` gives::

        x*(y) = max(√(V y) − y, 0).

    Against ``y = 0`` no best response exists (any ``x > 0`` wins, the smaller the
    better), so ``opponent_effort`` must be positive.

    Reference: Tullock, G. (1980), "Efficient rent seeking", in Buchanan, Tollison &
    Tullock (eds.), *Toward a Theory of the Rent-Seeking Society*, 97-112.
    """
    check_positive("opponent_effort", opponent_effort)
    check_positive("prize", prize)
    return max(math.sqrt(prize * opponent_effort) - opponent_effort, 0.0)


@dataclass(frozen=True)
class TullockEquilibrium:
    """The pure-strategy equilibrium of the ``ρ = 1`` ratio contest with unequal prizes."""

    effort_1: float
    effort_2: float
    p_win_1: float
    p_win_2: float
    payoff_1: float
    payoff_2: float
    total_effort: float


def tullock_equilibrium(prize_1: float, prize_2: float) -> TullockEquilibrium:
    """Return the equilibrium of the ``ρ = 1`` ratio contest with prizes ``V_1``, ``V_2``.

    Each side chooses effort ``x_i`` at unit cost to maximise ``V_i p_i − x_i``::

        x_1 = V_1² V_2 / (V_1 + V_2)²,   x_2 = V_1 V_2² / (V_1 + V_2)²,
        p_1 = V_1 / (V_1 + V_2),   payoff_i = V_i³ / (V_1 + V_2)².

    Oracle O23: ``V = (2, 1)`` gives ``x = (4/9, 2/9)`` and ``p_1 = 2/3``.

    References: Tullock (1980), "Efficient rent seeking"; Hirshleifer, J. (1989),
    *Public Choice* 63(2), 101-112; Nti, K. O. (1999), "Rent-seeking with asymmetric
    valuations", *Public Choice* 98(3-4), 415-430.
    """
    check_positive("prize_1", prize_1)
    check_positive("prize_2", prize_2)
    total_prize = prize_1 + prize_2
    scale = prize_1 * prize_2 / total_prize**2
    effort_1, effort_2 = prize_1 * scale, prize_2 * scale
    return TullockEquilibrium(
        effort_1=effort_1,
        effort_2=effort_2,
        p_win_1=prize_1 / total_prize,
        p_win_2=prize_2 / total_prize,
        payoff_1=prize_1**3 / total_prize**2,
        payoff_2=prize_2**3 / total_prize**2,
        total_effort=effort_1 + effort_2,
    )


# --- Lanchester bridge ---------------------------------------------------------------------


def lanchester_win_probability(
    force_ratio: float, log_effectiveness_mean: float, log_effectiveness_sd: float
) -> float:
    """Return A's chance of winning a square-law battle with uncertain effectiveness.

    Under the square law ``dA/dt = −β B``, ``dB/dt = −α A`` the invariant is
    ``α A² − β B²`` and A wins iff ``α A₀² > β B₀²``, that is iff
    ``ln(α/β) > −2 ln(A₀/B₀)``. With ``ln(α/β) ~ N(μ, s²)``::

        p = Φ((2 ln(A₀/B₀) + μ) / s).

    Oracle O24: ``A₀/B₀ = 1.2, μ = 0, s = 0.5`` gives ``p = Φ(0.7293) = 0.767087``.

    Reference: Lanchester, F. W. (1916), *Aircraft in Warfare: The Dawn of the Fourth
    Arm*, ch. V; the bridge is ``reference/bargaining-oracles.md`` §A8.4.
    """
    check_positive("force_ratio", force_ratio)
    if not math.isfinite(log_effectiveness_mean):
        raise ValueError(f"log_effectiveness_mean must be finite, got {log_effectiveness_mean}")
    check_positive("log_effectiveness_sd", log_effectiveness_sd)
    z = (2.0 * math.log(force_ratio) + log_effectiveness_mean) / log_effectiveness_sd
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


# --- The calculator's models ---------------------------------------------------------------


@final
@register
class AllPayModel(BargainingModel):
    """The all-pay auction with complete information."""

    name: ClassVar[str] = "all_pay"
    summary: ClassVar[str] = (
        "All-pay auction, known values: expected bids, total expenditure, win "
        "probabilities and payoffs of the unique mixed equilibrium."
    )
    reference: ClassVar[str] = ALL_PAY
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("value_1", "side 1's value of the prize", low=0.0, low_open=True),
        Parameter("value_2", "side 2's value of the prize", low=0.0, low_open=True),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return expected bids, expenditure, win probabilities, payoffs and atoms at zero."""
        result = all_pay_auction(values["value_1"], values["value_2"])
        return {
            "expected_bid_1": result.expected_bid_1,
            "expected_bid_2": result.expected_bid_2,
            "total_expenditure": result.total_expenditure,
            "p_win_1": result.p_win_1,
            "p_win_2": result.p_win_2,
            "payoff_1": result.payoff_1,
            "payoff_2": result.payoff_2,
            "atom_at_zero_1": result.atom_at_zero_1,
            "atom_at_zero_2": result.atom_at_zero_2,
        }


@final
@register
class TullockModel(BargainingModel):
    """The ``ρ = 1`` Tullock contest with unequal prizes."""

    name: ClassVar[str] = "tullock"
    summary: ClassVar[str] = (
        "Tullock ratio contest (rho = 1, unit cost of effort): equilibrium efforts, "
        "win probabilities and payoffs for prizes prize_1, prize_2."
    )
    reference: ClassVar[str] = TULLOCK
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("prize_1", "side 1's value of the prize", low=0.0, low_open=True),
        Parameter("prize_2", "side 2's value of the prize", low=0.0, low_open=True),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both efforts, win probabilities, payoffs and the total effort."""
        result = tullock_equilibrium(values["prize_1"], values["prize_2"])
        return {
            "effort_1": result.effort_1,
            "effort_2": result.effort_2,
            "p_win_1": result.p_win_1,
            "p_win_2": result.p_win_2,
            "payoff_1": result.payoff_1,
            "payoff_2": result.payoff_2,
            "total_effort": result.total_effort,
        }


@final
@register
class LanchesterWinProbabilityModel(BargainingModel):
    """The square law with lognormal relative effectiveness, as a probability of winning."""

    name: ClassVar[str] = "lanchester_p"
    summary: ClassVar[str] = (
        "Square-law bridge to p: A wins iff alpha A0^2 > beta B0^2 with "
        "ln(alpha/beta) ~ N(mu, s^2), so p = Phi((2 ln(A0/B0) + mu)/s)."
    )
    reference: ClassVar[str] = LANCHESTER
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("force_ratio", "initial force ratio A0/B0", low=0.0, low_open=True),
        Parameter("log_effectiveness_mean", "mean mu of ln(alpha/beta)", default=0.0),
        Parameter(
            "log_effectiveness_sd",
            "standard deviation s of ln(alpha/beta)",
            low=0.0,
            low_open=True,
        ),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return A's probability of winning."""
        return {
            "p": lanchester_win_probability(
                values["force_ratio"],
                values["log_effectiveness_mean"],
                values["log_effectiveness_sd"],
            )
        }
