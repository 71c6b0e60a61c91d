"""Lanchester's square law (aimed fire)."""

from __future__ import annotations

from typing import Any, final

from ceasefire.model.laws._base import Law, LawParameters, ParameterSource

__all__ = ["SquareLaw"]


@final
class SquareLaw(Law):
    """``C_s = a_o E_o``: each side's losses are proportional to the enemy's strength.

    Lanchester, F. W. (1916), *Aircraft in Warfare: The Dawn of the Fourth Arm*, ch. V.
    The square-law invariant ``a_A E_A² − a_B E_B²`` is conserved without
    reinforcements (tested against the closed form).
    """

    name = "square"

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
        """``other_rate · other``."""
        return other_rate * other

    @classmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """``rate``: each side's ``lethality``, casualties inflicted per soldier per day."""
        return LawParameters(rate=source.per_side(combat.lethality, "lethality"))
