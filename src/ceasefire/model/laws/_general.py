"""The Bracken/Helmbold general law."""

from __future__ import annotations

from typing import Any, final

from ceasefire.model._ops import NUMPY
from ceasefire.model.laws._base import Law, LawParameters, ParameterSource

__all__ = ["GeneralLaw"]

power = NUMPY["power"]


@final
class GeneralLaw(Law):
    """``C_s = a_o E_o^p E_s^q``: the general law of Bracken and Helmbold.

    It holds the square (1, 0), linear (1, 1) and logarithmic (0, 1) laws as special cases.

    Bracken, J. (1995), "Lanchester models of the Ardennes campaign", *Naval
    Research Logistics* 42(4); Helmbold, R. L. (1965), "A modification of
    Lanchester's equations", *Operations Research* 13(5).
    """

    name = "general"

    @staticmethod
    def casualties(
        own: Any,
        other: Any,
        own_rate: Any,
        other_rate: Any,
        first_shape: Any,
        second_shape: Any,
        scheduled: Any,
        elapsed: Any,
    ) -> Any:
        """``other^p · own^q · other_rate`` with ``p = first_shape``, ``q = second_shape``."""
        return power(other, first_shape) * power(own, second_shape) * other_rate

    @classmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """``rate``: ``lethality``; ``first_shape``: ``p``; ``second_shape``: ``q``."""
        return LawParameters(
            rate=source.per_side(combat.lethality, "lethality"),
            first_shape=source.shared(combat.p, "p"),
            second_shape=source.shared(combat.q, "q"),
        )
