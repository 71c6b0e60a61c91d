"""The commitment problem from shifting power, in a two-period toy.

Fearon, J. D. (1995), "Rationalist Explanations for War", *International Organization*
49(3): 379–414 (preventive war); Powell, R. (2006), "War as a Commitment Problem",
*International Organization* 60(1): 169–203. The two-period reduction is the project's own
(``reference/bargaining-oracles.md``, A3), not a formula quoted from either paper.

Timing: a pie of 1 is divided in each of two periods, the second discounted by ``δ``. The
rising side R holds all bargaining power and makes a take-it-or-leave-it offer at the start
of each period; the declining side D accepts or fights. War is decisive and permanent: the
winner keeps the whole pie in every remaining period, and each side pays its cost once.
D wins with ``p1`` if it fights in period 1 and with ``p2`` in period 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire.bargaining._checks import check_nonnegative, check_probability
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = ["CommitmentModel", "ShiftingPowerOutcome", "two_period_shifting_power"]


@dataclass(frozen=True)
class ShiftingPowerOutcome:
    """Whether R can buy peace in period 1, and what peace and war are worth to it.

    ``minimal_offer`` is the formula's ``x1*`` and may exceed 1 (then no feasible offer
    buys peace: ``preventive_war``). ``rising_peace_value`` is R's value of buying peace at
    the smallest non-negative offer that does it; it is only attainable when there is no
    preventive war.
    """

    minimal_offer: float
    preventive_war: bool
    declining_war_value: float
    rising_peace_value: float
    rising_war_value: float


def two_period_shifting_power(
    p_period_1: float,
    p_period_2: float,
    cost_declining: float,
    cost_rising: float,
    delta: float,
) -> ShiftingPowerOutcome:
    """Return the smallest period-1 offer that keeps the declining side from fighting.

    In period 2 R concedes only D's war value ``p2 − c_D``, so D's peace is worth
    ``x1 + δ(p2 − c_D)`` against ``(1 + δ)p1 − c_D`` for war now, and the minimal offer is
    ``x1* = (1 + δ)p1 − c_D − δ(p2 − c_D)``. **War is unavoidable iff x1* > 1**: R cannot
    credibly promise more later. R's values are ``1 − x1* + δ(1 − p2 + c_D)`` at peace and
    ``(1 + δ)(1 − p1) − c_R`` at war; their difference is ``c_D + c_R``, so R buys peace
    whenever it can. Shares cannot be negative: when ``p2 < c_D`` R concedes nothing in
    period 2, and a negative ``x1*`` means D accepts nothing in period 1.
    Powell (2006), *International Organization* 60(1): 169–203; the toy is derived in
    ``reference/bargaining-oracles.md`` A3. Timing: see the module docstring.
    """
    check_probability("p_period_1", p_period_1)
    check_probability("p_period_2", p_period_2)
    check_nonnegative("cost_declining", cost_declining)
    check_nonnegative("cost_rising", cost_rising)
    if not 0.0 < delta < 1.0:  # also refuses NaN
        raise ValueError(f"delta must lie in (0, 1), got {delta!r}")
    period_2_concession = max(p_period_2 - cost_declining, 0.0)
    declining_war_value = (1.0 + delta) * p_period_1 - cost_declining
    minimal_offer = declining_war_value - delta * period_2_concession
    rising_peace_value = 1.0 - max(minimal_offer, 0.0) + delta * (1.0 - period_2_concession)
    rising_war_value = (1.0 + delta) * (1.0 - p_period_1) - cost_rising
    return ShiftingPowerOutcome(
        minimal_offer=minimal_offer,
        preventive_war=minimal_offer > 1.0,
        declining_war_value=declining_war_value,
        rising_peace_value=rising_peace_value,
        rising_war_value=rising_war_value,
    )


@final
@register
class CommitmentModel(BargainingModel):
    """The two-period shifting-power toy: whether the rising side can buy peace."""

    name: ClassVar[str] = "commitment"
    summary: ClassVar[str] = (
        "Minimal period-1 offer x1* = (1+delta)p1 - c_D - delta(p2 - c_D); "
        "preventive war iff x1* > 1"
    )
    reference: ClassVar[str] = (
        "Powell, R. (2006), War as a Commitment Problem, International Organization "
        "60(1): 169-203; Fearon, J. D. (1995), International Organization 49(3): 379-414"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter(
            "p_period_1", "probability that the declining side wins in period 1", low=0, high=1
        ),
        Parameter(
            "p_period_2", "probability that the declining side wins in period 2", low=0, high=1
        ),
        Parameter("cost_declining", "the declining side's cost of war (paid once)", low=0.0),
        Parameter("cost_rising", "the rising side's cost of war (paid once)", low=0.0),
        Parameter(
            "delta", "discount factor of period 2", low=0, high=1, low_open=True, high_open=True
        ),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the minimal offer, the war flag and both sides' values."""
        outcome = two_period_shifting_power(
            values["p_period_1"],
            values["p_period_2"],
            values["cost_declining"],
            values["cost_rising"],
            values["delta"],
        )
        return {
            "minimal_offer": outcome.minimal_offer,
            "preventive_war": outcome.preventive_war,
            "declining_war_value": outcome.declining_war_value,
            "rising_peace_value": outcome.rising_peace_value,
            "rising_war_value": outcome.rising_war_value,
        }
