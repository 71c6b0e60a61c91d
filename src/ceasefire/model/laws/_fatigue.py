"""The fatigue law: the logarithmic law with a killing rate that decays as fighting goes on."""

from __future__ import annotations

import math
from typing import Any, final

from ceasefire.model._ops import NUMPY
from ceasefire.model.laws._base import Law, LawParameters, ParameterSource

__all__ = ["FatigueLaw"]

log = NUMPY["log"]


@final
class FatigueLaw(Law):
    """``C_s = a_s E_s / ln(e + t / τ)``: fatigue sets in with the time fought ``t``.

    Rubio-Campillo, X. (2016), "Model selection in historical research using approximate
    Bayesian computation", *PLoS ONE* 11(1): e0146491, where ``t`` counts the steps of a
    battle; here ``t`` is the time since the scenario's start in units of ``τ``
    (``time_scale``), so the rate is ``a_s`` at the start and ``a_s / ln(e + 1) ≈ 0.76 a_s``
    after one ``τ``.
    """

    name = "fatigue"

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
        """``own_rate · own / ln(e + elapsed · first_shape)`` (``first_shape = 1/τ``)."""
        return own_rate * own / log(math.e + elapsed * first_shape)

    @classmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """``rate``: ``loss_rate``; ``first_shape``: ``1 / time_scale`` (per day)."""
        return LawParameters(
            rate=source.per_side(combat.loss_rate, "loss_rate"),
            first_shape=1.0 / source.shared(combat.time_scale, "time_scale"),
        )
