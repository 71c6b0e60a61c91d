"""Exchange-ratio mode: one side's casualty rate is given, the other's follows."""

from __future__ import annotations

from typing import final

import numpy as np

from ceasefire.model._schedule import ScheduleTable
from ceasefire.model.laws._base import CombatLawKernel, FloatArray

__all__ = ["ExchangeRatioKernel"]


@final
class ExchangeRatioKernel(CombatLawKernel):
    """``C_ref(t)`` from a dated schedule; ``C_other = C_ref / r``.

    The loss-exchange ratio ``r`` is the reference side's casualties per casualty
    of the other side. This is how analysts often argue (UK Defence Intelligence
    publishes one side's daily average; ratios are debated), so the mode lets a
    scenario stand on the observed rate rather than on a fitted law.
    """

    def __init__(self, reference: int, casualties: ScheduleTable, ratio: FloatArray) -> None:
        self.reference = reference
        self.schedule = casualties
        self.inverse_ratio = 1.0 / ratio

    def casualties(self, effective: FloatArray, h: int, out: FloatArray) -> FloatArray:
        reference_rate = self.schedule.at(h)[0]
        out[self.reference] = reference_rate
        np.multiply(reference_rate, self.inverse_ratio, out=out[1 - self.reference])
        return out
