"""Private information and the risk–return trade-off of a take-it-or-leave-it demand.

Fearon, J. D. (1995), "Rationalist Explanations for War", *International Organization*
49(3): 379–414; Powell, R. (1999), *In the Shadow of Power: States and Strategies in
International Politics*, Princeton University Press. Timing (one shot): A knows
``p`` and its own cost ``c_A`` and makes one demand ``x`` (its share of a stake of size 1);
B, who alone knows its cost ``c_B``, accepts, or rejects and war follows. B accepts iff
``1 − x ≥ 1 − p − c_B``, i.e. iff ``c_B ≥ x − p``. Both sides are risk neutral.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire.bargaining._checks import check_nonnegative, check_probability
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "RiskReturnDemand",
    "RiskReturnModel",
    "ScreeningChoice",
    "ScreeningModel",
    "risk_return_demand",
    "two_type_screening",
]


@dataclass(frozen=True)
class RiskReturnDemand:
    """A's optimal demand against a B whose cost is uniform, and what it risks."""

    demand: float
    war_probability: float
    expected_utility_a: float


@dataclass(frozen=True)
class ScreeningChoice:
    """A's two candidate demands against a tough or soft B, and the one it makes."""

    safe_demand: float
    risky_demand: float
    safe_utility_a: float
    risky_utility_a: float
    chooses_risky: bool
    demand: float
    war_probability: float


def risk_return_demand(p: float, cost_a: float, cost_b_max: float) -> RiskReturnDemand:
    """Return A's optimal demand when B's cost is private, ``c_B ~ U[0, c̄]``.

    A maximises ``x·Pr(accept) + (p − c_A)·Pr(war)`` with ``Pr(war) = (x − p)/c̄`` on
    ``[p, p + c̄]``, which gives ``x* = p + (c̄ − c_A)/2`` if ``c̄ > c_A`` (else ``x* = p``)
    and ``Pr(war) = (c̄ − c_A)/(2c̄)``. The objective is a concave quadratic, so where
    ``x*`` would exceed the whole stake A demands 1 and ``Pr(war) = (1 − p)/c̄``.
    Fearon (1995), *International Organization* 49(3): 379–414; Powell (1999), *In the
    Shadow of Power*. Timing: one take-it-or-leave-it offer by A.
    """
    check_probability("p", p)
    check_nonnegative("cost_a", cost_a)
    if not 0.0 < cost_b_max < float("inf"):
        raise ValueError(f"cost_b_max must be positive and finite, got {cost_b_max!r}")
    demand = min(p + max(cost_b_max - cost_a, 0.0) / 2.0, 1.0)
    war_probability = (demand - p) / cost_b_max
    expected_utility_a = demand * (1.0 - war_probability) + (p - cost_a) * war_probability
    return RiskReturnDemand(demand, war_probability, expected_utility_a)


def two_type_screening(
    p: float, cost_a: float, cost_b_tough: float, cost_b_soft: float, prob_tough: float
) -> ScreeningChoice:
    """Return A's choice between a safe and a risky demand against a B of two types.

    B is tough (cost ``c_L``) with probability ``q`` and soft (cost ``c_H ≥ c_L``) with
    probability ``1 − q``. The safe demand ``p + c_L`` is accepted by both types; the risky
    demand ``p + c_H`` only by the soft type, so its value is ``(1−q)(p + c_H) + q(p − c_A)``
    against ``p + c_L``, and A takes the risk iff it is strictly better (war then comes with
    probability ``q``). Demands are capped at the whole stake; a tough type that accepts
    the whole stake leaves nothing to screen. Fearon (1995), *International Organization*
    49(3): 379–414; Powell (1999), *In the Shadow of Power*. Timing: one
    take-it-or-leave-it offer by A.
    """
    check_probability("p", p)
    check_nonnegative("cost_a", cost_a)
    check_nonnegative("cost_b_tough", cost_b_tough)
    check_nonnegative("cost_b_soft", cost_b_soft)
    check_probability("prob_tough", prob_tough)
    if cost_b_tough > cost_b_soft:
        raise ValueError(
            f"cost_b_tough ({cost_b_tough!r}) must not exceed cost_b_soft ({cost_b_soft!r}): "
            "the tough type is the one that minds war less"
        )
    safe_demand = min(p + cost_b_tough, 1.0)
    risky_demand = min(p + cost_b_soft, 1.0)
    # The tough type rejects the risky demand only if it asks for more than the safe one.
    risky_war_probability = prob_tough if risky_demand > safe_demand else 0.0
    safe_utility_a = safe_demand
    risky_utility_a = (1.0 - risky_war_probability) * risky_demand + risky_war_probability * (
        p - cost_a
    )
    chooses_risky = risky_utility_a > safe_utility_a
    return ScreeningChoice(
        safe_demand=safe_demand,
        risky_demand=risky_demand,
        safe_utility_a=safe_utility_a,
        risky_utility_a=risky_utility_a,
        chooses_risky=chooses_risky,
        demand=risky_demand if chooses_risky else safe_demand,
        war_probability=risky_war_probability if chooses_risky else 0.0,
    )


_REFERENCE = (
    "Fearon, J. D. (1995), Rationalist Explanations for War, International Organization "
    "49(3): 379-414; Powell, R. (1999), In the Shadow of Power, Princeton UP"
)
_P = Parameter("p", "probability that A wins the war", low=0.0, high=1.0)
_COST_A = Parameter("cost_a", "A's cost of war, in units of the stake", low=0.0)


@final
@register
class RiskReturnModel(BargainingModel):
    """A's optimal demand when B's cost of war is private and uniform."""

    name: ClassVar[str] = "risk_return"
    summary: ClassVar[str] = (
        "Optimal take-it-or-leave-it demand against c_B ~ U[0, cost_b_max], and its war risk"
    )
    reference: ClassVar[str] = _REFERENCE
    parameters: ClassVar[tuple[Parameter, ...]] = (
        _P,
        _COST_A,
        Parameter(
            "cost_b_max",
            "upper bound of B's private cost of war, uniform on [0, cost_b_max]",
            low=0.0,
            low_open=True,
        ),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the demand, the probability of war and A's expected utility."""
        outcome = risk_return_demand(values["p"], values["cost_a"], values["cost_b_max"])
        return {
            "demand": outcome.demand,
            "war_probability": outcome.war_probability,
            "expected_utility_a": outcome.expected_utility_a,
        }


@final
@register
class ScreeningModel(BargainingModel):
    """A's safe-or-risky demand against a tough or soft B."""

    name: ClassVar[str] = "screening"
    summary: ClassVar[str] = (
        "Safe demand p + cost_b_tough (always accepted) or risky p + cost_b_soft (war if tough)"
    )
    reference: ClassVar[str] = _REFERENCE
    parameters: ClassVar[tuple[Parameter, ...]] = (
        _P,
        _COST_A,
        Parameter("cost_b_tough", "the tough type's (lower) cost of war", low=0.0),
        Parameter("cost_b_soft", "the soft type's (higher) cost of war", low=0.0),
        Parameter("prob_tough", "probability that B is the tough type", low=0.0, high=1.0),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both demands, their utilities for A, the choice and the war risk."""
        choice = two_type_screening(
            values["p"],
            values["cost_a"],
            values["cost_b_tough"],
            values["cost_b_soft"],
            values["prob_tough"],
        )
        return {
            "safe_demand": choice.safe_demand,
            "risky_demand": choice.risky_demand,
            "safe_utility_a": choice.safe_utility_a,
            "risky_utility_a": choice.risky_utility_a,
            "chooses_risky": choice.chooses_risky,
            "demand": choice.demand,
            "war_probability": choice.war_probability,
        }
