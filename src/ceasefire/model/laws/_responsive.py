"""The responsive mode: the exchange-ratio rates at the start, then losses follow the forces."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, final

import numpy as np

from ceasefire.model._ops import NUMPY
from ceasefire.model.laws._base import Law, LawParameters, ParameterSource
from ceasefire.model.laws._exchange import ExchangeRatioLaw

__all__ = ["ResponsiveLaw"]

power = NUMPY["power"]


@final
class ResponsiveLaw(Law):
    """``C_s = C_s⁰(t) · (E_o / E_o⁰)^p · (E_s / E_s⁰)^q``: anchored rates that feel the war.

    ``C_s⁰(t)`` is what the exchange-ratio mode gives (the reference side's casualty rate from
    a dated schedule, the other side's that rate divided by the exchange ratio), and ``E⁰``
    are the effective strengths at the scenario's start, so at the start the two modes agree.
    After it, a side loses more when its opponent grows (``p``: the weight of the enemy's
    fire, as in the square law) and less when it shrinks itself (``q``: its own exposure, as
    in the logarithmic law): a manpower squeeze feeds back into losses, and so into the front.
    ``(p, q) = (0, 0)`` is the exchange-ratio mode; ``(1, 0)``, ``(1, 1)`` and ``(0, 1)``
    are the square, linear and logarithmic laws with their rates set by the observed start.
    It is the general law of Bracken (1995) and Helmbold (1965), anchored on observed rates.
    """

    name = "responsive"

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
        """``scheduled · own_rate · other^p · own^q`` (``own_rate`` holds the anchoring)."""
        return scheduled * own_rate * power(other, first_shape) * power(own, second_shape)

    @classmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """``rate``: ``m_s / ((E_o⁰)^p (E_s⁰)^q)``, ``m_s`` 1 (reference side) or ``1 / r``.

        ``first_shape``: ``p``; ``second_shape``: ``q``; the schedule: ``casualties``.
        """
        exchange = ExchangeRatioLaw.parameters(combat, source)  # m_s, the schedule
        p = source.shared(combat.p, "p")
        q = source.shared(combat.q, "q")
        # Anchored at one effective soldier at least: a side that starts empty has no rate
        # to anchor (its losses then follow the law's shape from one man up).
        start = np.maximum(source.initial_strength(), 1.0)
        anchoring = power(start[::-1], p) * power(start, q)  # (E_o⁰)^p (E_s⁰)^q, two sides
        return replace(exchange, rate=exchange.rate / anchoring, first_shape=p, second_shape=q)
