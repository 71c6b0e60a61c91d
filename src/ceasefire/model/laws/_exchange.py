"""Exchange-ratio mode: one side's casualty rate is given, the other's follows."""

from __future__ import annotations

from typing import Any, final

import numpy as np

from ceasefire.model.laws._base import Law, LawParameters, ParameterSource

__all__ = ["ExchangeRatioLaw"]


@final
class ExchangeRatioLaw(Law):
    """``C_ref(t)`` from a dated schedule; ``C_other = C_ref / r``.

    The loss-exchange ratio ``r`` is the reference side's casualties per casualty of the
    other side. This is how analysts often argue (UK Defence Intelligence publishes one
    side's daily average; ratios are debated), so the mode lets a scenario stand on the
    observed rate rather than on a fitted law.
    """

    name = "exchange_ratio"

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
        """``scheduled · own_rate``: the rate is 1 for the reference side and 1/r otherwise."""
        return scheduled * own_rate

    @classmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """``rate``: 1 (reference side) or ``1 / exchange_ratio``; the schedule: ``casualties``."""
        inverse_ratio = 1.0 / source.shared(combat.exchange_ratio, "exchange_ratio")
        reference = list(source.side_ids).index(combat.reference_side)
        rate = np.empty((len(source.side_ids), source.draws))
        for s in range(len(source.side_ids)):
            rate[s] = 1.0 if s == reference else inverse_ratio
        return LawParameters(
            rate=rate,
            schedule=combat.casualties,
            schedule_field="casualties",
            ratio_change=combat.exchange_ratio_change,
            ratio_side=1 - reference,
        )
