"""The Bracken/Helmbold general law."""

from __future__ import annotations

from typing import final

import numpy as np

from ceasefire.model.laws._base import CombatLawKernel, FloatArray

__all__ = ["GeneralLawKernel"]


@final
class GeneralLawKernel(CombatLawKernel):
    """``C_s = a_o E_o^p E_s^q``: the general law of Bracken and Helmbold.

    It holds the square (1, 0), linear (1, 1) and logarithmic (0, 1) laws as special cases.

    Bracken, J. (1995), "Lanchester models of the Ardennes campaign", *Naval
    Research Logistics* 42(4); Helmbold, R. L. (1965), "A modification of
    Lanchester's equations", *Operations Research* 13(5).
    """

    def __init__(self, lethality: FloatArray, p: FloatArray, q: FloatArray) -> None:
        self.opponent_lethality = lethality[::-1].copy()
        self.p = p
        self.q = q

    def casualties(self, effective: FloatArray, h: int, out: FloatArray) -> FloatArray:
        np.power(effective[::-1], self.p, out=out)
        out *= np.power(effective, self.q)
        return np.multiply(out, self.opponent_lethality, out=out)
