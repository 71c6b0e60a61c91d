"""Axiomatic solutions for dividing a unit stake: Nash, Kalai–Smorodinsky, egalitarian.

Side A gets the share ``x ∈ [0, 1]`` and side B gets ``1 − x``. Each side values
its own share with a utility function that increases in that share
(``u_A(x)`` and ``u_B(1 − x)``); ``d = (d_A, d_B)`` is what each side gets
without a deal. The feasible set is ``{(u_A(x), u_B(1 − x)) : x ∈ [0, 1]}``
with free disposal, and every solution below lies in the part of it where
both sides get at least their disagreement payoff: the shares
``x_lo ≤ x ≤ x_hi``, where ``u_A(x_lo) = d_A`` (or ``x_lo = 0``) and
``u_B(1 − x_hi) = d_B`` (or ``x_hi = 1``). When no share gives both sides
their disagreement payoff, the functions raise :class:`ValueError`.

The three solutions differ in the axioms they keep (reference §A5,
oracles O10–O13):

========================  ===============  ===========================  ========================
solution                  scale invariant  also keeps                   gives up
========================  ===============  ===========================  ========================
Nash (1950)               yes              independence of irrelevant   individual monotonicity
                                           alternatives (IIA)
Kalai–Smorodinsky (1975)  yes              individual monotonicity      IIA
egalitarian (Kalai 1977)  no               (strong) monotonicity        scale invariance
========================  ===============  ===========================  ========================

All three are Pareto optimal and symmetric.

Numerics: the linear case of Nash has a closed form; every other case is a
bracketed root (``scipy.optimize.brentq`` to 4 ulp, relative) of a condition
that changes sign once on ``[x_lo, x_hi]`` when the utilities are concave:
the first-order condition for Nash (when the utilities give their marginals,
as :class:`PowerUtility` does) and the equalisation conditions for
Kalai–Smorodinsky and egalitarian. Nash on utilities without marginals falls
back to a bounded Brent search, which locates the share to about 1e-8.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Protocol, final, runtime_checkable

from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "DifferentiableUtility",
    "Division",
    "EgalitarianModel",
    "KalaiSmorodinskyModel",
    "NashModel",
    "PowerUtility",
    "Utility",
    "egalitarian_solution",
    "ideal_point",
    "kalai_smorodinsky_solution",
    "nash_linear",
    "nash_solution",
]

Utility = Callable[[float], float]
"""A side's utility of its own share of the stake, increasing in that share."""

# Absolute tolerance far below any share, so that brentq's relative tolerance (4 ulp) rules:
# a root near 0 of a steep utility (u = x**0.25) must be found to relative precision.
_XTOL = 1e-200


@runtime_checkable
class DifferentiableUtility(Protocol):
    """A utility that also gives its marginal utility ``u'(share)``."""

    def __call__(self, share: float) -> float:
        """Return the utility of ``share``."""
        ...

    def marginal(self, share: float) -> float:
        """Return the marginal utility at ``share`` (``inf`` allowed at 0)."""
        ...


@final
@dataclass(frozen=True)
class PowerUtility:
    """``u(y) = scale · y**exponent`` of one's own share ``y ∈ [0, 1]``.

    ``exponent = 1`` is risk neutral; ``0 < exponent < 1`` is concave (risk
    averse). The solutions below assume concave utilities.
    """

    scale: float = 1.0
    exponent: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.scale) and self.scale > 0):
            raise ValueError(f"scale must be a finite positive number, got {self.scale}")
        if not (math.isfinite(self.exponent) and self.exponent > 0):
            raise ValueError(f"exponent must be a finite positive number, got {self.exponent}")

    def __call__(self, share: float) -> float:
        """Return ``scale · share**exponent``."""
        return self.scale * share**self.exponent

    def marginal(self, share: float) -> float:
        """Return ``scale · exponent · share**(exponent − 1)`` (``inf`` at 0 when concave)."""
        if share <= 0.0 and self.exponent < 1.0:
            return math.inf
        return self.scale * self.exponent * share ** (self.exponent - 1.0)

    @property
    def linear(self) -> bool:
        """Whether the utility is linear in the share (``exponent == 1``)."""
        return self.exponent == 1.0


@dataclass(frozen=True)
class Division:
    """A division of the unit stake: A's share and both sides' utilities."""

    share_a: float
    utility_a: float
    utility_b: float

    @property
    def share_b(self) -> float:
        """B's share, ``1 − share_a``."""
        return 1.0 - self.share_a


def _check_disagreement(disagreement: tuple[float, float]) -> tuple[float, float]:
    d_a, d_b = (float(value) for value in disagreement)
    if not (math.isfinite(d_a) and math.isfinite(d_b)):
        raise ValueError(f"disagreement must be two finite numbers, got {disagreement}")
    return d_a, d_b


def _check_alpha(alpha: float) -> float:
    if not (0.0 <= alpha <= 1.0):
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
    return float(alpha)


def _root(condition: Callable[[float], float], low: float, high: float) -> float:
    """Return the root of ``condition``, increasing from ≤ 0 at ``low`` to ≥ 0 at ``high``.

    If the condition is already ≥ 0 at ``low`` (or ≤ 0 at ``high``) the end is the answer:
    the condition's sign says which way the solution would move, and it cannot move further.
    """
    from scipy.optimize import brentq

    at_low = condition(low)
    if at_low >= 0.0:
        return low
    at_high = condition(high)
    if at_high <= 0.0:
        return high
    return float(brentq(condition, low, high, xtol=_XTOL, maxiter=2000))


def _feasible_shares(
    utility_a: Utility, utility_b: Utility, d_a: float, d_b: float
) -> tuple[float, float]:
    """Return ``(x_lo, x_hi)``, the shares at which both sides get at least ``d``."""
    ends = (utility_a(0.0), utility_a(1.0), utility_b(0.0), utility_b(1.0))
    if not all(math.isfinite(value) for value in ends):
        raise ValueError(f"utilities must be finite at shares 0 and 1, got {ends}")
    if ends[0] > ends[1] or ends[2] > ends[3]:
        raise ValueError("utilities must increase in the side's own share")
    if ends[1] < d_a or ends[3] < d_b:
        side = "A" if ends[1] < d_a else "B"
        raise ValueError(
            f"empty feasible set: side {side} gets less than its disagreement payoff "
            f"(d = ({d_a:g}, {d_b:g})) even with the whole stake"
        )
    x_lo = _root(lambda x: utility_a(x) - d_a, 0.0, 1.0)
    # B's utility falls as x rises: x_hi is where u_B(1 − x) comes down to d_B.
    x_hi = _root(lambda x: d_b - utility_b(1.0 - x), 0.0, 1.0)
    # The root may sit an ulp on the wrong side; step inside so that u ≥ d holds exactly.
    for _ in range(64):
        if utility_a(x_lo) >= d_a or x_lo >= 1.0:
            break
        x_lo = math.nextafter(x_lo, 1.0)
    for _ in range(64):
        if utility_b(1.0 - x_hi) >= d_b or x_hi <= 0.0:
            break
        x_hi = math.nextafter(x_hi, 0.0)
    if x_lo > x_hi:
        raise ValueError(
            f"empty feasible set: no share gives both sides their disagreement payoff "
            f"d = ({d_a:g}, {d_b:g}) (A needs x ≥ {x_lo:.6g}, B needs x ≤ {x_hi:.6g})"
        )
    return x_lo, x_hi


def _division(utility_a: Utility, utility_b: Utility, share_a: float) -> Division:
    return Division(float(share_a), float(utility_a(share_a)), float(utility_b(1.0 - share_a)))


def nash_linear(d_a: float, d_b: float, alpha: float = 0.5) -> Division:
    """Return the Nash division with risk-neutral utilities ``u_A = x``, ``u_B = 1 − x``.

    ``x_N = d_A + α (1 − d_A − d_B)``: each side gets its disagreement payoff plus its
    bargaining-power share ``α`` (A) or ``1 − α`` (B) of the surplus, clipped to
    ``[0, 1]`` (reference §A5, oracle O10).
    """
    d_a, d_b = _check_disagreement((d_a, d_b))
    alpha = _check_alpha(alpha)
    if d_a + d_b > 1.0 or d_a > 1.0 or d_b > 1.0:
        raise ValueError(
            f"empty feasible set: d_A + d_B = {d_a + d_b:g} exceeds the stake, so no "
            "division gives both sides their disagreement payoff"
        )
    share = min(1.0, max(0.0, d_a + alpha * (1.0 - d_a - d_b)))
    return Division(share, share, 1.0 - share)


def nash_solution(
    utility_a: Utility,
    utility_b: Utility,
    disagreement: tuple[float, float] = (0.0, 0.0),
    alpha: float = 0.5,
) -> Division:
    """Return the (asymmetric) Nash bargaining solution.

    Nash (1950) maximises ``(u_A − d_A)^α (u_B − d_B)^(1−α)`` over the feasible set with
    ``u ≥ d`` (``α = ½`` is the symmetric solution; the asymmetric form is Kalai 1977b and
    Roth 1979). It is the only solution that is Pareto optimal, symmetric, invariant to
    positive affine rescaling of either side's utility (with ``d`` rescaled alike) and
    independent of irrelevant alternatives (IIA). With concave utilities the first-order
    condition ``α u_A'(x) (u_B − d_B) = (1 − α) u_B'(1 − x) (u_A − d_A)`` has one root.

    Two linear :class:`PowerUtility` s use the closed form of :func:`nash_linear` on the
    rescaled stake. Utilities with a ``marginal`` method are solved by a bracketed root of
    the first-order condition (to about 1e-15 in the share); other callables by a bounded
    Brent search of the logarithm of the product (to about 1e-8).

    Nash, J. F. (1950), "The Bargaining Problem", *Econometrica* 18(2), 155–162.
    """
    d_a, d_b = _check_disagreement(disagreement)
    alpha = _check_alpha(alpha)
    if (
        isinstance(utility_a, PowerUtility)
        and isinstance(utility_b, PowerUtility)
        and utility_a.linear
        and utility_b.linear
    ):
        # u_A = a·x, u_B = b·(1 − x): Nash is scale invariant, so solve with d / scale.
        d_a_scaled, d_b_scaled = d_a / utility_a.scale, d_b / utility_b.scale
        if d_a_scaled + d_b_scaled <= 1.0 and d_a_scaled <= 1.0 and d_b_scaled <= 1.0:
            share = nash_linear(d_a_scaled, d_b_scaled, alpha).share_a
            return _division(utility_a, utility_b, share)
    x_lo, x_hi = _feasible_shares(utility_a, utility_b, d_a, d_b)
    if x_hi <= x_lo or alpha == 1.0:
        return _division(utility_a, utility_b, x_hi)
    if alpha == 0.0:
        return _division(utility_a, utility_b, x_lo)

    def gain_a(x: float) -> float:
        return max(utility_a(x) - d_a, 0.0)

    def gain_b(x: float) -> float:
        return max(utility_b(1.0 - x) - d_b, 0.0)

    if isinstance(utility_a, DifferentiableUtility) and isinstance(
        utility_b, DifferentiableUtility
    ):
        marginal_a, marginal_b = utility_a.marginal, utility_b.marginal

        def first_order_gap(x: float) -> float:
            # The first-order condition multiplied by both gains, so that it stays finite at
            # the ends of [x_lo, x_hi]; it increases in x for concave utilities.
            term_a = alpha * gain_b(x)
            term_b = (1.0 - alpha) * gain_a(x)
            pull_a = 0.0 if term_a == 0.0 else term_a * marginal_a(x)
            pull_b = 0.0 if term_b == 0.0 else term_b * marginal_b(1.0 - x)
            return pull_b - pull_a

        return _division(utility_a, utility_b, _root(first_order_gap, x_lo, x_hi))

    from scipy.optimize import minimize_scalar

    def negative_log_product(x: float) -> float:
        a, b = gain_a(x), gain_b(x)
        if a <= 0.0 or b <= 0.0:
            return math.inf
        return -(alpha * math.log(a) + (1.0 - alpha) * math.log(b))

    found = minimize_scalar(
        negative_log_product, bounds=(x_lo, x_hi), method="bounded", options={"xatol": 1e-12}
    )
    return _division(utility_a, utility_b, float(found.x))


def ideal_point(
    utility_a: Utility, utility_b: Utility, disagreement: tuple[float, float] = (0.0, 0.0)
) -> tuple[float, float]:
    """Return the ideal point ``m``: each side's best utility among divisions with ``u ≥ d``.

    ``m_A = u_A(x_hi)`` and ``m_B = u_B(1 − x_lo)`` (Kalai & Smorodinsky 1975).
    """
    d_a, d_b = _check_disagreement(disagreement)
    x_lo, x_hi = _feasible_shares(utility_a, utility_b, d_a, d_b)
    return float(utility_a(x_hi)), float(utility_b(1.0 - x_lo))


def kalai_smorodinsky_solution(
    utility_a: Utility, utility_b: Utility, disagreement: tuple[float, float] = (0.0, 0.0)
) -> Division:
    """Return the Kalai–Smorodinsky solution: the Pareto point on the ray from ``d`` to ``m``.

    The normalised gains are equal, ``(u_A − d_A)/(m_A − d_A) = (u_B − d_B)/(m_B − d_B)``,
    with ``m`` the :func:`ideal_point`. The solution is Pareto optimal, symmetric, scale
    invariant and individually monotone (enlarging the feasible set in A's direction,
    with B's ideal utility unchanged, never lowers A's utility); it gives up IIA.
    When the equal-gain share lies outside ``[x_lo, x_hi]`` the nearer end is taken, which
    maximises the smaller normalised gain (oracle O12).

    Kalai, E. & Smorodinsky, M. (1975), "Other Solutions to Nash's Bargaining Problem",
    *Econometrica* 43(3), 513–518.
    """
    d_a, d_b = _check_disagreement(disagreement)
    x_lo, x_hi = _feasible_shares(utility_a, utility_b, d_a, d_b)
    span_a = utility_a(x_hi) - d_a
    span_b = utility_b(1.0 - x_lo) - d_b
    if span_a <= 0.0:
        return _division(utility_a, utility_b, x_lo)
    if span_b <= 0.0:
        return _division(utility_a, utility_b, x_hi)

    def normalised_gap(x: float) -> float:
        return (utility_a(x) - d_a) / span_a - (utility_b(1.0 - x) - d_b) / span_b

    return _division(utility_a, utility_b, _root(normalised_gap, x_lo, x_hi))


def egalitarian_solution(
    utility_a: Utility, utility_b: Utility, disagreement: tuple[float, float] = (0.0, 0.0)
) -> Division:
    """Return the egalitarian (proportional) solution: equal gains ``u_A − d_A = u_B − d_B``.

    Kalai (1977) characterises it by monotonicity (no side loses when the feasible set
    grows) with Pareto optimality and symmetry; it compares utilities across sides, so it
    is **not** invariant to rescaling either side's utility (oracle O13). When equal gains
    are out of reach the nearer end of ``[x_lo, x_hi]`` is taken, which maximises the
    smaller gain.

    Kalai, E. (1977), "Proportional Solutions to Bargaining Situations: Interpersonal
    Utility Comparisons", *Econometrica* 45(7), 1623–1630.
    """
    d_a, d_b = _check_disagreement(disagreement)
    x_lo, x_hi = _feasible_shares(utility_a, utility_b, d_a, d_b)

    def gain_gap(x: float) -> float:
        return (utility_a(x) - d_a) - (utility_b(1.0 - x) - d_b)

    return _division(utility_a, utility_b, _root(gain_gap, x_lo, x_hi))


_DIVISION_PARAMETERS = (
    Parameter("d_a", "A's disagreement payoff (utility without a deal, e.g. p − c_A)", 0.0),
    Parameter("d_b", "B's disagreement payoff (utility without a deal, e.g. 1 − p − c_B)", 0.0),
    Parameter("scale_a", "A's utility scale a in u_A = a·x^e_A", 1.0, low=0.0, low_open=True),
    Parameter(
        "exponent_a",
        "A's utility curvature e_A in u_A = a·x^e_A (1 risk neutral, < 1 risk averse)",
        1.0,
        low=0.0,
        high=1.0,
        low_open=True,
    ),
    Parameter("scale_b", "B's utility scale b in u_B = b·(1−x)^e_B", 1.0, low=0.0, low_open=True),
    Parameter(
        "exponent_b",
        "B's utility curvature e_B in u_B = b·(1−x)^e_B (1 risk neutral, < 1 risk averse)",
        1.0,
        low=0.0,
        high=1.0,
        low_open=True,
    ),
)


def _utilities(values: dict[str, float]) -> tuple[PowerUtility, PowerUtility, tuple[float, float]]:
    return (
        PowerUtility(values["scale_a"], values["exponent_a"]),
        PowerUtility(values["scale_b"], values["exponent_b"]),
        (values["d_a"], values["d_b"]),
    )


def _division_result(division: Division) -> dict[str, float]:
    return {
        "share_a": division.share_a,
        "share_b": division.share_b,
        "utility_a": division.utility_a,
        "utility_b": division.utility_b,
    }


@final
@register
class NashModel(BargainingModel):
    """The (asymmetric) Nash solution for a unit stake with power utilities."""

    name: ClassVar[str] = "nash"
    summary: ClassVar[str] = (
        "Nash bargaining solution: maximise (u_A − d_A)^α (u_B − d_B)^(1−α) over divisions "
        "of a unit stake, u_A = a·x^e_A, u_B = b·(1−x)^e_B"
    )
    reference: ClassVar[str] = (
        "Nash (1950), The Bargaining Problem, Econometrica 18(2):155–162; reference §A5, O10–O11"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = (
        *_DIVISION_PARAMETERS[:2],
        Parameter("alpha", "A's bargaining power α (½ is the symmetric solution)", 0.5, 0.0, 1.0),
        *_DIVISION_PARAMETERS[2:],
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return A's share and both utilities at the Nash point, and the gain product."""
        utility_a, utility_b, disagreement = _utilities(values)
        division = nash_solution(utility_a, utility_b, disagreement, values["alpha"])
        gains = (division.utility_a - disagreement[0]) * (division.utility_b - disagreement[1])
        return {**_division_result(division), "gain_product": gains}


@final
@register
class KalaiSmorodinskyModel(BargainingModel):
    """The Kalai–Smorodinsky solution for a unit stake with power utilities."""

    name: ClassVar[str] = "kalai_smorodinsky"
    summary: ClassVar[str] = (
        "Kalai–Smorodinsky solution: the Pareto division on the ray from d to the ideal point "
        "m, u_A = a·x^e_A, u_B = b·(1−x)^e_B"
    )
    reference: ClassVar[str] = (
        "Kalai & Smorodinsky (1975), Other Solutions to Nash's Bargaining Problem, "
        "Econometrica 43(3):513–518; reference §A5, O12"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = _DIVISION_PARAMETERS

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return A's share, both utilities and the ideal point."""
        utility_a, utility_b, disagreement = _utilities(values)
        division = kalai_smorodinsky_solution(utility_a, utility_b, disagreement)
        ideal_a, ideal_b = ideal_point(utility_a, utility_b, disagreement)
        return {**_division_result(division), "ideal_a": ideal_a, "ideal_b": ideal_b}


@final
@register
class EgalitarianModel(BargainingModel):
    """The egalitarian (proportional) solution for a unit stake with power utilities."""

    name: ClassVar[str] = "egalitarian"
    summary: ClassVar[str] = (
        "Egalitarian solution: equal gains u_A − d_A = u_B − d_B (not scale invariant), "
        "u_A = a·x^e_A, u_B = b·(1−x)^e_B"
    )
    reference: ClassVar[str] = (
        "Kalai (1977), Proportional Solutions to Bargaining Situations, Econometrica "
        "45(7):1623–1630; reference §A5, O13"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = _DIVISION_PARAMETERS

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return A's share, both utilities and both gains over ``d`` (equal when interior)."""
        utility_a, utility_b, disagreement = _utilities(values)
        division = egalitarian_solution(utility_a, utility_b, disagreement)
        return {
            **_division_result(division),
            "gain_a": division.utility_a - disagreement[0],
            "gain_b": division.utility_b - disagreement[1],
        }
