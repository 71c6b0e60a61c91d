"""Fearon's bargaining range: the deals both sides prefer to fighting.

Fearon, J. D. (1995), "Rationalist Explanations for War", *International Organization*
49(3): 379–414. The model is one-shot and has no timing: the sides divide a stake of size 1
(A gets ``x``, B gets ``1 − x``), or they fight once. A wins everything with probability ``p``
and each side pays its cost of war, measured in units of the stake. Both sides are risk
neutral.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire.bargaining._checks import check_finite, check_probability
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "BargainingRange",
    "FearonBeliefsModel",
    "FearonModel",
    "fearon_range",
    "fearon_range_with_beliefs",
]


@dataclass(frozen=True)
class BargainingRange:
    """The shares ``x`` of A that both sides weakly prefer to war: ``low ≤ x ≤ high``.

    ``low`` and ``high`` are the formula's bounds and may leave [0, 1] when a cost exceeds
    what a side could win; the feasible deals are then the range's overlap with [0, 1], which
    is non-empty exactly when the range is. ``width = high − low`` is computed from the
    costs and beliefs directly, so the flags below are exact at the boundary.
    """

    low: float
    high: float
    width: float
    war_payoff_a: float
    war_payoff_b: float

    @property
    def is_nonempty(self) -> bool:
        """Whether some deal is weakly preferred to war by both (a sole point counts)."""
        return self.width >= 0.0

    @property
    def has_interior(self) -> bool:
        """Whether some deal is strictly preferred to war by both sides."""
        return self.width > 0.0


def fearon_range(p: float, cost_a: float, cost_b: float) -> BargainingRange:
    """Return Fearon's bargaining range ``[p − c_A, p + c_B]`` under complete information.

    War payoffs are ``EU_A = p − c_A`` and ``EU_B = 1 − p − c_B``. A accepts ``x ≥ p − c_A``
    and B accepts ``1 − x ≥ 1 − p − c_B``, so the range is ``[p − c_A, p + c_B]`` with width
    ``c_A + c_B``: some deal is strictly better than war for both iff ``c_A + c_B > 0``.
    Fearon (1995), *International Organization* 49(3): 379–414, section "War in expected
    utility terms". A negative cost stands for a net gain from fighting itself.
    """
    check_probability("p", p)
    return fearon_range_with_beliefs(p, p, cost_a, cost_b)


def fearon_range_with_beliefs(
    p_believed_by_a: float, p_believed_by_b: float, cost_a: float, cost_b: float
) -> BargainingRange:
    """Return the bargaining range when the sides disagree about A's chance of winning.

    A values war at ``p_A^(A) − c_A`` and B at ``1 − p_A^(B) − c_B``, where ``p_A^(S)`` is
    the probability that side S assigns to A winning. The range is
    ``[p_A^(A) − c_A, p_A^(B) + c_B]``; it exists iff ``p_A^(A) − p_A^(B) ≤ c_A + c_B``,
    i.e. mutual optimism larger than the total cost of war leaves no deal. Fearon (1995),
    *International Organization* 49(3): 379–414 (the mutual-optimism explanation); the
    one-shot timing is that of :func:`fearon_range`.
    """
    check_probability("p_believed_by_a", p_believed_by_a)
    check_probability("p_believed_by_b", p_believed_by_b)
    check_finite("cost_a", cost_a)
    check_finite("cost_b", cost_b)
    optimism_gap = p_believed_by_a - p_believed_by_b
    return BargainingRange(
        low=p_believed_by_a - cost_a,
        high=p_believed_by_b + cost_b,
        width=(cost_a + cost_b) - optimism_gap,
        war_payoff_a=p_believed_by_a - cost_a,
        war_payoff_b=1.0 - p_believed_by_b - cost_b,
    )


def _range_results(bargaining_range: BargainingRange) -> Result:
    return {
        "low": bargaining_range.low,
        "high": bargaining_range.high,
        "width": bargaining_range.width,
        "nonempty": bargaining_range.is_nonempty,
        "war_payoff_a": bargaining_range.war_payoff_a,
        "war_payoff_b": bargaining_range.war_payoff_b,
    }


_COST_A = Parameter("cost_a", "A's cost of war, in units of the stake (negative: a net gain)")
_COST_B = Parameter("cost_b", "B's cost of war, in units of the stake (negative: a net gain)")


@final
@register
class FearonModel(BargainingModel):
    """Fearon's complete-information bargaining range."""

    name: ClassVar[str] = "fearon"
    summary: ClassVar[str] = "Deals both sides prefer to war: x in [p - cost_a, p + cost_b]"
    reference: ClassVar[str] = (
        "Fearon, J. D. (1995), Rationalist Explanations for War, "
        "International Organization 49(3): 379-414"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("p", "probability that A wins the war", low=0.0, high=1.0),
        _COST_A,
        _COST_B,
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the range's bounds, width, non-empty flag and both war payoffs."""
        return _range_results(fearon_range(values["p"], values["cost_a"], values["cost_b"]))


@final
@register
class FearonBeliefsModel(BargainingModel):
    """Fearon's bargaining range when the sides hold different beliefs about ``p``."""

    name: ClassVar[str] = "fearon_beliefs"
    summary: ClassVar[str] = (
        "Bargaining range under mutual optimism: exists iff p_believed_by_a - "
        "p_believed_by_b <= cost_a + cost_b"
    )
    reference: ClassVar[str] = FearonModel.reference
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("p_believed_by_a", "A's belief that A wins the war", low=0.0, high=1.0),
        Parameter("p_believed_by_b", "B's belief that A wins the war", low=0.0, high=1.0),
        _COST_A,
        _COST_B,
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the range's bounds, width, existence flag and each side's war payoff."""
        bargaining_range = fearon_range_with_beliefs(
            values["p_believed_by_a"],
            values["p_believed_by_b"],
            values["cost_a"],
            values["cost_b"],
        )
        return {
            **_range_results(bargaining_range),
            "optimism_gap": values["p_believed_by_a"] - values["p_believed_by_b"],
        }
