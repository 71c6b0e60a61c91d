"""The interface every combat law implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
import numpy.typing as npt

__all__ = ["CombatLawKernel"]

FloatArray = npt.NDArray[np.float64]


class CombatLawKernel(ABC):
    """Casualties per day on each side from the sides' effective strengths.

    ``effective`` has shape ``(2, draws)``: row ``s`` is ``E_s = Σ_c e_c active[s, c]``.
    ``h`` is the half-step time index, for laws with dated inputs. Casualties per day,
    before intensity and caps, are written into ``out`` (shape ``(2, draws)``), which is
    returned.
    """

    @abstractmethod
    def casualties(self, effective: FloatArray, h: int, out: FloatArray) -> FloatArray:
        """Write the combat casualties per day suffered by each side into ``out``."""
