"""Wars of attrition: who concedes first when holding out costs both sides.

Timing convention for every model here: time is continuous and starts at 0; both
sides pay their cost rate for as long as the contest lasts; the contest ends at the
first concession, and the side that holds out longer takes the prize. Costs and
prizes are in the same units (for example, units of the stake per month), and
nothing is discounted.

* Symmetric war of attrition: Maynard Smith (1974); Bishop & Cannings (1978).
* Asymmetric, complete information: Hendricks, Weiss & Wilson (1988).
* Incomplete information (private values): Fudenberg & Tirole (1986);
  Krishna & Morgan (1997); Bulow & Klemperer (1999).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire.bargaining._checks import check_nonnegative, check_positive
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "AsymmetricAttrition",
    "AsymmetricWarOfAttritionModel",
    "IncompleteWarOfAttritionModel",
    "SymmetricAttrition",
    "WarOfAttritionModel",
    "asymmetric_war_of_attrition",
    "contest_duration_survival",
    "quit_time",
    "quit_time_payoff",
    "quit_time_uniform",
    "symmetric_war_of_attrition",
]

MAYNARD_SMITH = (
    "Maynard Smith, J. (1974). The theory of games and the evolution of animal conflicts. "
    "Journal of Theoretical Biology 47, 209-221."
)
BISHOP_CANNINGS = (
    "Bishop, D. T. & Cannings, C. (1978). A generalized war of attrition. "
    "Journal of Theoretical Biology 70, 85-124."
)
HENDRICKS_WEISS_WILSON = (
    "Hendricks, K., Weiss, A. & Wilson, C. (1988). The war of attrition in continuous time "
    "with complete information. International Economic Review 29(4), 663-680."
)
INCOMPLETE_INFORMATION = (
    "Fudenberg, D. & Tirole, J. (1986). A theory of exit in duopoly. Econometrica 54(4), "
    "943-960; Krishna, V. & Morgan, J. (1997). An analysis of the war of attrition and the "
    "all-pay auction. Journal of Economic Theory 72(2), 343-362; Bulow, J. & Klemperer, P. "
    "(1999). The generalized war of attrition. American Economic Review 89(1), 175-189."
)


# --- Symmetric -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SymmetricAttrition:
    """The symmetric mixed equilibrium (the ESS) of the war of attrition."""

    quit_rate: float
    """Each side's constant hazard of conceding, ``c / V`` per unit time."""
    mean_persistence: float
    """Each side's mean holding-out time, ``V / c``."""
    mean_duration: float
    """Mean length of the contest (the earlier of two concessions), ``V / (2c)``."""
    expected_payoff: float
    """Each side's expected payoff: 0, the prize fully dissipated."""


def symmetric_war_of_attrition(prize: float, cost_rate: float) -> SymmetricAttrition:
    """Return the symmetric equilibrium for prize ``V`` and holding-out cost ``c`` per unit time.

    Each side's persistence time is exponential with rate ``c/V``::

        P(T > t) = exp(−c t / V),   E[T] = V / c,

    the rate at which the other side is indifferent between conceding now and waiting
    ``dt`` (``(c/V) dt · V = c dt``). The contest lasts ``min(T_A, T_B)``, exponential
    with rate ``2c/V`` and mean ``V/(2c)``; expected payoffs are 0.

    Oracle O19: ``V = 1, c = 0.1`` per month gives mean persistence 10 months and mean
    war 5 months.

    References: Maynard Smith, J. (1974), "The theory of games and the evolution of
    animal conflicts", *Journal of Theoretical Biology* 47, 209-221; Bishop, D. T. &
    Cannings, C. (1978), "A generalized war of attrition", *Journal of Theoretical
    Biology* 70, 85-124.
    """
    check_positive("prize", prize)
    check_positive("cost_rate", cost_rate)
    rate = cost_rate / prize
    return SymmetricAttrition(
        quit_rate=rate,
        mean_persistence=1.0 / rate,
        mean_duration=0.5 / rate,
        expected_payoff=0.0,
    )


def contest_duration_survival(duration: float, prize: float, cost_rate: float) -> float:
    """Return ``P(contest lasts longer than t) = exp(−2 c t / V)`` in the symmetric equilibrium.

    Oracle O19: ``V = 1, c = 0.1``, ``t = 12`` gives ``e^(−2.4) = 0.090718``.

    References: Maynard Smith (1974), *Journal of Theoretical Biology* 47, 209-221;
    Bishop & Cannings (1978), *Journal of Theoretical Biology* 70, 85-124.
    """
    check_nonnegative("duration", duration)
    equilibrium = symmetric_war_of_attrition(prize, cost_rate)
    return math.exp(-2.0 * equilibrium.quit_rate * duration)


# --- Asymmetric, complete information -----------------------------------------------------


@dataclass(frozen=True)
class AsymmetricAttrition:
    """The stationary mixed equilibrium of the asymmetric war of attrition."""

    hazard_1: float
    """Side 1's concession hazard ``c_2 / V_2``, which keeps side 2 indifferent."""
    hazard_2: float
    """Side 2's concession hazard ``c_1 / V_1``, which keeps side 1 indifferent."""
    p_win_1: float
    p_win_2: float
    mean_duration: float
    """``1 / (h_1 + h_2)``."""
    expected_payoff_1: float
    """0: side 1 is indifferent at every moment, including at the start."""
    expected_payoff_2: float


def asymmetric_war_of_attrition(
    value_1: float, value_2: float, cost_1: float, cost_2: float
) -> AsymmetricAttrition:
    """Return the stationary mixed equilibrium for prizes ``V_i`` and cost rates ``c_i``.

    Each side concedes at a constant hazard chosen to keep the *other* side indifferent
    between conceding and waiting::

        h_1 = c_2 / V_2,   h_2 = c_1 / V_1,   P(1 wins) = h_2 / (h_1 + h_2).

    Equilibrium selection: the game also has two pure equilibria in which one side
    concedes at once and the other never does (payoffs ``(V_i, 0)``), and non-stationary
    mixed equilibria. This function returns the stationary one: the only equilibrium in
    which both sides concede at constant, positive hazards (the one the oracle uses).

    Counter-intuitive result: a side's own cost does not enter its own strategy, only
    its opponent's. So the side for which fighting is *cheaper* concedes *faster* and
    wins *less* often. Oracle O20: ``V = (1, 1), c = (0.05, 0.10)`` gives
    ``h = (0.10, 0.05)`` and ``P(1 wins) = 1/3``.

    Reference: Hendricks, K., Weiss, A. & Wilson, C. (1988), "The war of attrition in
    continuous time with complete information", *International Economic Review* 29(4),
    663-680.
    """
    for name, value in (
        ("value_1", value_1),
        ("value_2", value_2),
        ("cost_1", cost_1),
        ("cost_2", cost_2),
    ):
        check_positive(name, value)
    hazard_1 = cost_2 / value_2
    hazard_2 = cost_1 / value_1
    total = hazard_1 + hazard_2
    return AsymmetricAttrition(
        hazard_1=hazard_1,
        hazard_2=hazard_2,
        p_win_1=hazard_2 / total,
        p_win_2=hazard_1 / total,
        mean_duration=1.0 / total,
        expected_payoff_1=0.0,
        expected_payoff_2=0.0,
    )


def quit_time_payoff(
    quit_time: float, own_value: float, own_cost: float, opponent_hazard: float
) -> float:
    """Return the expected payoff of conceding at ``T`` against an opponent of hazard ``h``.

    The opponent concedes first (prize ``V``, having paid ``c`` per unit time until then)
    with density ``h e^(−h t)``; otherwise one pays ``c T`` and gets nothing::

        U(T) = ∫₀^T (V − c t) h e^(−h t) dt − c T e^(−h T) = (1 − e^(−h T)) (V − c / h).

    It is 0 for every ``T`` exactly when ``h = c / V``: the indifference that defines
    :func:`asymmetric_war_of_attrition`. ``T = inf`` means never conceding.

    Reference: Hendricks, Weiss & Wilson (1988), *International Economic Review* 29(4),
    663-680.
    """
    check_nonnegative("quit_time", quit_time)
    check_positive("own_value", own_value)
    check_nonnegative("own_cost", own_cost)
    check_positive("opponent_hazard", opponent_hazard)
    reached = -math.expm1(-opponent_hazard * quit_time)
    return reached * (own_value - own_cost / opponent_hazard)


# --- Incomplete information ----------------------------------------------------------------


def quit_time_uniform(value: float, cost_rate: float = 1.0) -> float:
    """Return the equilibrium quitting time of a side whose private value is ``v ~ U[0, 1]``.

    The special case of :func:`quit_time` with ``F(x) = x``::

        b(v) = (1/c) ∫₀^v x / (1 − x) dx = (−ln(1 − v) − v) / c.

    Oracle O21: ``b(0.5) = 0.193147`` and ``b(0.9) = 1.402585`` (``c = 1``). ``b(1)`` is
    infinite: the highest type never concedes.

    References: Fudenberg & Tirole (1986), *Econometrica* 54(4); Krishna & Morgan (1997),
    *Journal of Economic Theory* 72(2); Bulow & Klemperer (1999), *American Economic
    Review* 89(1).
    """
    if not (0.0 <= value <= 1.0):
        raise ValueError(f"value must lie in [0, 1], got {value}")
    check_positive("cost_rate", cost_rate)
    if value == 1.0:
        return math.inf
    return (-math.log1p(-value) - value) / cost_rate


def quit_time(
    value: float,
    pdf: Callable[[float], float],
    cdf: Callable[[float], float],
    *,
    lower: float = 0.0,
    cost_rate: float = 1.0,
) -> float:
    """Return the symmetric equilibrium quitting time of a side with private value ``v``.

    Two sides draw values iid from ``F`` (density ``f``, support starting at ``lower``)
    and pay ``c`` per unit time; a side with value ``v`` concedes at::

        b(v) = (1/c) ∫_lower^v x f(x) / (1 − F(x)) dx,

    by adaptive quadrature (``scipy.integrate.quad``). The integrand is the value at
    stake times the hazard rate of the opponent's value: the type just indifferent
    between conceding and waiting ``dt``.

    References: Fudenberg, D. & Tirole, J. (1986), "A theory of exit in duopoly",
    *Econometrica* 54(4), 943-960; Krishna, V. & Morgan, J. (1997), "An analysis of the
    war of attrition and the all-pay auction", *Journal of Economic Theory* 72(2),
    343-362; Bulow, J. & Klemperer, P. (1999), "The generalized war of attrition",
    *American Economic Review* 89(1), 175-189.
    """
    if not value >= lower:
        raise ValueError(f"value must be >= lower={lower}, got {value}")
    check_positive("cost_rate", cost_rate)
    if value == lower:
        return 0.0
    from scipy import integrate

    def integrand(x: float) -> float:
        survival = 1.0 - cdf(x)
        return x * pdf(x) / survival

    integral, _ = integrate.quad(integrand, lower, value, epsabs=1e-12, epsrel=1e-10, limit=200)
    return float(integral) / cost_rate


# --- The calculator's models ---------------------------------------------------------------


@final
@register
class WarOfAttritionModel(BargainingModel):
    """The symmetric war of attrition: exponential persistence, rents fully dissipated."""

    name: ClassVar[str] = "war_of_attrition"
    summary: ClassVar[str] = (
        "Symmetric war of attrition: each side holds out an exponential time with rate "
        "cost_rate/prize; mean persistence, mean war length and P(war longer than horizon)."
    )
    reference: ClassVar[str] = f"{MAYNARD_SMITH} {BISHOP_CANNINGS}"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("prize", "value of the prize to each side", low=0.0, low_open=True),
        Parameter("cost_rate", "cost of holding out per unit time", low=0.0, low_open=True),
        Parameter("horizon", "time t for P(war lasts longer than t)", default=12.0, low=0.0),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the quit rate, mean persistence, mean duration and survival at the horizon."""
        prize, cost_rate = values["prize"], values["cost_rate"]
        result = symmetric_war_of_attrition(prize, cost_rate)
        return {
            "quit_rate": result.quit_rate,
            "mean_persistence": result.mean_persistence,
            "mean_duration": result.mean_duration,
            "p_longer_than_horizon": contest_duration_survival(values["horizon"], prize, cost_rate),
            "expected_payoff": result.expected_payoff,
        }


@final
@register
class AsymmetricWarOfAttritionModel(BargainingModel):
    """Hendricks, Weiss & Wilson (1988): the stationary mixed equilibrium."""

    name: ClassVar[str] = "war_of_attrition_asymmetric"
    summary: ClassVar[str] = (
        "Asymmetric war of attrition, complete information, stationary mixed equilibrium: "
        "side i concedes at hazard c_j/V_j, so the cheaper side wins less often."
    )
    reference: ClassVar[str] = HENDRICKS_WEISS_WILSON
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("value_1", "side 1's value of the prize", low=0.0, low_open=True),
        Parameter("value_2", "side 2's value of the prize", low=0.0, low_open=True),
        Parameter("cost_1", "side 1's cost per unit time", low=0.0, low_open=True),
        Parameter("cost_2", "side 2's cost per unit time", low=0.0, low_open=True),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both hazards, both win probabilities and the mean duration."""
        result = asymmetric_war_of_attrition(
            values["value_1"], values["value_2"], values["cost_1"], values["cost_2"]
        )
        return {
            "hazard_1": result.hazard_1,
            "hazard_2": result.hazard_2,
            "p_win_1": result.p_win_1,
            "p_win_2": result.p_win_2,
            "mean_duration": result.mean_duration,
            "equilibrium": "stationary mixed (pure equilibria: one side concedes at t=0)",
        }


@final
@register
class IncompleteWarOfAttritionModel(BargainingModel):
    """The war of attrition with private values drawn from U[0, 1]."""

    name: ClassVar[str] = "war_of_attrition_incomplete"
    summary: ClassVar[str] = (
        "War of attrition with private values v ~ U[0,1]: the symmetric equilibrium "
        "quitting time b(v) = (-ln(1-v) - v)/cost_rate."
    )
    reference: ClassVar[str] = INCOMPLETE_INFORMATION
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter(
            "value", "this side's private value of the prize", low=0.0, high=1.0, high_open=True
        ),
        Parameter("cost_rate", "cost per unit time", default=1.0, low=0.0, low_open=True),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the quitting time of the given value."""
        return {"quit_time": quit_time_uniform(values["value"], values["cost_rate"])}
