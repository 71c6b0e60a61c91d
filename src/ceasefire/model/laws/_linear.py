"""Lanchester's linear law (area fire)."""

from __future__ import annotations

from typing import final

import numpy as np

from ceasefire.model.laws._base import CombatLawKernel, FloatArray

__all__ = ["LinearLawKernel"]


@final
class LinearLawKernel(CombatLawKernel):
    """``C_s = a_o E_o E_s``: unaimed fire into an area, losses grow with both forces.

    Lanchester (1916); the form used for area fire by Taylor, J. G. (1983),
    *Lanchester Models of Warfare*, vol. 1, ch. 2.
    """

    def __init__(self, lethality: FloatArray) -> None:
        self.opponent_lethality = lethality[::-1].copy()

    def casualties(self, effective: FloatArray, h: int, out: FloatArray) -> FloatArray:
        np.multiply(self.opponent_lethality, effective[::-1], out=out)
        return np.multiply(out, effective, out=out)
