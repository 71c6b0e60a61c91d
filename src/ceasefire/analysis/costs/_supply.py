"""Recruits bought with money: a supply curve that thins as the willing pool is drawn down.

Recruits per month at a first-year offer ``P`` with ``W`` men still willing::

    R(P, W) = R_ref · (P / P_ref)^ε · (W / W_ref)^γ
    P       = federal bonus + regional bonus + 12 · (monthly pay − civilian wage)

``P`` is what a year under contract pays over civilian life (the pay premium of
enlistment supply models). Calibration on a change of the federal bonus from
``b₀`` to ``b₁`` with recruitment held at ``R_held`` while ``D = R_held · months_between`` men
were drawn from ``W``::

    R(P₁, W − D) = R(P₀, W) = R_held   ⇒   ε / γ = −ln(1 − D / W) / ln(P₁ / P₀)

Only ε/γ is identified, so γ = 1. The bonus that holds ``R_held`` for ``m`` more months
solves ``R(P, W − D − R_held · m) = R_held``::

    P_needed = P₁ · (1 − R_held · m / (W − D))^(−1/ε),   bonus = P_needed − (P₁ − b₁)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["SupplyCurve", "calibrate_supply"]

FloatArray = npt.NDArray[np.float64]

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class SupplyCurve:
    """A calibrated supply curve, per draw (arrays broadcast together).

    ``premium`` is the part of the offer that is not the federal bonus (regional bonus plus a
    year of pay above the civilian wage); ``offer_ref`` the whole offer after the change.
    """

    recruits_ref: FloatArray
    offer_ref: FloatArray
    premium: FloatArray
    willing_ref: FloatArray
    elasticity: FloatArray

    def recruits(
        self, federal_bonus: FloatArray | float, willing: FloatArray | float
    ) -> FloatArray:
        """Recruits per month at a federal bonus with ``willing`` men left (``R(P, W)``)."""
        offer = np.asarray(federal_bonus, dtype=np.float64) + self.premium
        ratio = np.maximum(np.asarray(willing, dtype=np.float64), 0.0) / self.willing_ref
        return np.asarray(
            self.recruits_ref * (offer / self.offer_ref) ** self.elasticity * ratio,
            dtype=np.float64,
        )

    def bonus_to_hold(self, recruits: float, months: float) -> FloatArray:
        """Federal bonus that keeps ``recruits`` a month coming after ``months`` more months.

        The pool is drawn down by ``recruits · months`` on the way; ``inf`` where that empties
        it.
        """
        left = self.willing_ref - recruits * months
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = (recruits / self.recruits_ref) * (self.willing_ref / left)
            offer = self.offer_ref * factor ** (1.0 / self.elasticity)
        return np.asarray(np.where(left > 0, offer - self.premium, np.inf), dtype=np.float64)


def calibrate_supply(
    *,
    offer_before: FloatArray | float,
    offer_after: FloatArray | float,
    recruits_held: FloatArray | float,
    months_between: FloatArray | float,
    willing_pool: FloatArray | float,
    premium: FloatArray | float,
) -> SupplyCurve:
    """Return the supply curve through the two observations around a change of bonus.

    ``offer_before`` and ``offer_after`` are the federal bonuses, ``premium`` the rest of the
    offer (regional bonus plus twelve months of pay above the civilian wage).
    """
    before = np.asarray(offer_before, dtype=np.float64) + premium
    after = np.asarray(offer_after, dtype=np.float64) + premium
    if np.any(after <= before):
        raise ValueError("the offer after the change must exceed the offer before it")
    drawn = np.asarray(recruits_held, dtype=np.float64) * months_between
    willing = np.asarray(willing_pool, dtype=np.float64)
    if np.any(drawn >= willing):
        raise ValueError("the recruits between the observations exceed the willing pool")
    elasticity = -np.log1p(-drawn / willing) / np.log(after / before)
    return SupplyCurve(
        recruits_ref=np.asarray(recruits_held, dtype=np.float64) + 0.0 * elasticity,
        offer_ref=after + 0.0 * elasticity,
        premium=np.asarray(premium, dtype=np.float64) + 0.0 * elasticity,
        willing_ref=willing - drawn,
        elasticity=np.asarray(elasticity, dtype=np.float64),
    )
