"""The logarithmic law (losses proportional to one's own strength)."""

from __future__ import annotations

from typing import final

import numpy as np

from ceasefire.model.laws._base import CombatLawKernel, FloatArray

__all__ = ["LogarithmicLawKernel"]


@final
class LogarithmicLawKernel(CombatLawKernel):
    """``C_s = a_s E_s``: each side loses a share of itself per day.

    Peterson, R. H. (1953), "On the 'logarithmic law' of attrition and its
    application to tank combat", *Operations Research* 1(3); the name comes from
    the logarithmic state equation it implies.
    """

    def __init__(self, loss_rate: FloatArray) -> None:
        self.loss_rate = loss_rate

    def casualties(self, effective: FloatArray, h: int, out: FloatArray) -> FloatArray:
        return np.multiply(self.loss_rate, effective, out=out)
