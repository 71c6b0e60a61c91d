"""The logarithmic law (losses proportional to one's own strength)."""

from __future__ import annotations

from typing import Any, final

from ceasefire.model.laws._base import Law, LawParameters, ParameterSource

__all__ = ["LogarithmicLaw"]


@final
class LogarithmicLaw(Law):
    """``C_s = a_s E_s``: each side loses a share of itself per day.

    Peterson, R. H. (1953), "On the 'logarithmic law' of attrition and its application to
    tank combat", *Operations Research* 1(3); the name comes from the logarithmic state
    equation it implies.
    """

    name = "logarithmic"

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
        """``own_rate · own``."""
        return own_rate * own

    @classmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """``rate``: each side's ``loss_rate``, own losses per own soldier per day."""
        return LawParameters(rate=source.per_side(combat.loss_rate, "loss_rate"))
