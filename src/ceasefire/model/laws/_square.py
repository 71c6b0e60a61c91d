"""Lanchester's square law (aimed fire)."""

from __future__ import annotations

from typing import final

import numpy as np

from ceasefire.model.laws._base import CombatLawKernel, FloatArray

__all__ = ["SquareLawKernel"]


@final
class SquareLawKernel(CombatLawKernel):
    """``C_s = a_o E_o``: each side's losses are proportional to the enemy's strength.

    Lanchester, F. W. (1916), *Aircraft in Warfare: The Dawn of the Fourth Arm*, ch. V.
    The square-law invariant ``a_A E_A² − a_B E_B²`` is conserved without
    reinforcements (tested against the closed form).
    """

    def __init__(self, lethality: FloatArray) -> None:
        # lethality[s]: casualties inflicted per effective soldier of side s per day.
        self.opponent_lethality = lethality[::-1].copy()

    def casualties(self, effective: FloatArray, h: int, out: FloatArray) -> FloatArray:
        return np.multiply(self.opponent_lethality, effective[::-1], out=out)
