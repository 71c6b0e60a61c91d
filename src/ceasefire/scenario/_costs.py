"""What the war costs each side in money, and what buys its recruits: the ``costs:`` section.

The money model is a post-processing of the ensemble's counters (recruits, killed, wounded,
active per channel and month): money is linear in them, so it needs no new flow in the
engine (:mod:`ceasefire.analysis.costs`). Per side ``s`` and month ``t``::

    pay_s(t)        = monthly_pay · Σ_{k ∈ paid} active_k(t)
    bonuses_s(t)    = (federal bonus_k(t) + regional_bonus) · recruits_k(t),  k ∈ bonus channels
    compensation_s  = death_payment · killed_paid(t) + injury_payment · wounded_paid(t)
    equipment_s(t)  = equipment_per_casualty · casualties_s(t)

Amounts are in the side's ``currency``; ``per_usd`` converts to dollars for comparison. These
parameters are sampled with the ensemble (their own streams, so they move no other draw) and
are not factors of the sensitivity analysis by default: they do not act on the model.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ceasefire.scenario._params import (
    Fraction,
    Men,
    Param,
    Positive,
    Rate,
    ScenarioFieldError,
    constrained,
)

__all__ = ["Costs", "RecruitmentSupply", "SideCosts", "check_costs"]

Money = Annotated[
    Param, constrained(units=(None, "rub", "usd"), low=0.0, what="an amount of money")
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecruitmentSupply(_Strict):
    """Recruits bought with money: ``R = R_ref · (P / P_ref)^ε · (W / W_ref)^γ``.

    ``P`` is the first-year payment offered over civilian life (federal and regional sign-on
    bonus plus twelve months of pay above the civilian wage), ``W`` the men still willing at
    the reference offer. ε is calibrated (:func:`ceasefire.analysis.costs.calibrate_supply`)
    on the two recruitment observations around a change of offer; only ε/γ matters, so γ = 1.
    """

    offer_before: Money = Field(description="Federal sign-on bonus before the change of offer.")
    offer_after: Money = Field(description="Federal sign-on bonus after it.")
    recruits_held: Rate = Field(
        description="Recruits per month observed both before and after the change (held)."
    )
    months_between: Positive = Field(
        description="Months between the two observations: recruits drawn from the willing pool."
    )
    willing_pool: Men = Field(description="Men willing to sign at the offer before the change.")


class SideCosts(_Strict):
    """One side's money: pay, bonuses, compensation, equipment, and the budget that carries it."""

    currency: Literal["rub", "usd"]
    per_usd: Positive = Field(description="Units of ``currency`` per US dollar.")
    paid_channels: list[str] = Field(description="Channels whose soldiers this side pays.")
    bonus_channels: list[str] = Field(
        default_factory=list, description="Channels whose recruits get a sign-on bonus."
    )
    monthly_pay: Money = Field(description="Pay per soldier per month.")
    civilian_wage: Money | None = Field(
        default=None, description="Average civilian monthly income, against which pay competes."
    )
    sign_on_bonus: Money | None = Field(
        default=None,
        description="Sign-on bonus per recruit where the channel has no `incentive:` schedule.",
    )
    regional_bonus: Money | None = Field(
        default=None, description="Regional sign-on bonus on top of the federal one, average."
    )
    death_payment: Money = Field(description="Paid to the family of each soldier killed.")
    injury_payment: Money = Field(description="Paid to each soldier wounded.")
    equipment_per_casualty: Money = Field(
        description="Equipment lost per casualty (killed or wounded), replacement value."
    )
    budget_per_year: Money = Field(
        description="Defence spending per year that can carry the war's money path."
    )
    foreign_share: Fraction | None = Field(
        default=None, description="Share of the war's spending paid by foreign aid."
    )
    political_weight_of_death: Positive = Field(
        description="Political cost of one killed soldier of average regional weight, in "
        "casualty equivalents (what it adds to the military cost of the casualty)."
    )
    regions: bool = Field(
        default=False,
        description="Spread this side's recruits and dead over Russia's regions (the shipped "
        "regional table) for their political weight; otherwise every death weighs the same.",
    )
    supply: RecruitmentSupply | None = None


class Costs(_Strict):
    """Per side: what its war costs in money (``costs:`` in a scenario file)."""

    sides: dict[str, SideCosts] = Field(min_length=1)


def check_costs(costs: Costs, sides: dict[str, Any]) -> None:
    """Raise :class:`ScenarioFieldError` for a side or channel of ``costs`` not in ``sides``."""
    for side_id, side_costs in costs.sides.items():
        if side_id not in sides:
            raise ScenarioFieldError(
                ("costs", "sides", side_id),
                f"unknown side {side_id!r}: expected one of {', '.join(sides)}",
            )
        for field in ("paid_channels", "bonus_channels"):
            for index, name in enumerate(getattr(side_costs, field)):
                if name not in sides[side_id].channels:
                    raise ScenarioFieldError(
                        ("costs", "sides", side_id, field, index),
                        f"unknown channel {name!r}: expected one of "
                        f"{', '.join(sides[side_id].channels)}",
                    )
