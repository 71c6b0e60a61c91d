"""Lanchester's linear law (area fire)."""

from __future__ import annotations

from typing import Any, final

from ceasefire.model.laws._base import Law, LawParameters, ParameterSource

__all__ = ["LinearLaw"]


@final
class LinearLaw(Law):
    """``C_s = a_o E_o E_s``: unaimed fire into an area, losses grow with both forces.

    Lanchester (1916); the form used for area fire by Taylor, J. G. (1983),
    *Lanchester Models of Warfare*, vol. 1, ch. 2.
    """

    name = "linear"

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
        """``other_rate · other · own``."""
        return other_rate * other * own

    @classmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """``rate``: each side's ``lethality``."""
        return LawParameters(rate=source.per_side(combat.lethality, "lethality"))
