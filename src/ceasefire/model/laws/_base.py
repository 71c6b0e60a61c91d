"""What a combat law is: one equation and the scenario fields it reads.

A law is one small final class in its own file (``model/laws/_<name>.py``), found by the
registry in :mod:`ceasefire.model.laws`; with its schema entry in
:mod:`ceasefire.scenario._schema` that is all a new law needs. Every engine and the Vensim
export evaluate the same :meth:`Law.casualties` (rebound as in :mod:`ceasefire.model._ops`),
and the battle fitter reads the same convention (``rate`` is what a side inflicts, or
loses of itself, per soldier per day).

**The uniform signature.** ``casualties(own, other, own_rate, other_rate, first_shape,
second_shape, scheduled, elapsed)`` gives side ``s``'s casualties per day, before
intensity and the loss cap, where

- ``own``, ``other``: the effective strengths ``E_s`` and ``E_o``;
- ``own_rate``, ``other_rate``: the law's per-side rate of ``s`` and of its opponent
  (lethality, own loss rate, or the exchange mode's multiplier), per day;
- ``first_shape``, ``second_shape``: the law's shared shape parameters (exponents, a time
  scale), 0 where unused;
- ``scheduled``: the value of the law's dated schedule, per day (0 where it has none);
- ``elapsed``: days since the start of the scenario.

Each law says which scenario field fills each role in :meth:`Law.parameters`, by name.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Law", "LawParameters", "ParameterSource"]

FloatArray = npt.NDArray[np.float64]


class ParameterSource(Protocol):
    """How a law reads its scenario fields as per-draw values in engine units."""

    side_ids: Sequence[str]
    draws: int

    def per_side(self, mapping: Mapping[str, Any], field: str) -> FloatArray:
        """``(sides, draws)`` values of ``combat.<field>.<side>``, rates per day."""
        ...

    def shared(self, param: Any, field: str) -> FloatArray:
        """``(draws,)`` values of ``combat.<field>`` (durations in days, rates per day)."""
        ...

    def initial_strength(self) -> FloatArray:
        """``(sides, draws)`` effective strengths at the start, ``Σ_k e_k active_k(0)``."""
        ...


@dataclass(frozen=True)
class LawParameters:
    """A law's roles filled for one chunk of draws (see the module docstring)."""

    rate: FloatArray  # (sides, draws)
    first_shape: FloatArray | None = None  # (draws,)
    second_shape: FloatArray | None = None  # (draws,)
    schedule: Any = None  # the scenario segments of the law's dated schedule, if any
    schedule_field: str = ""  # its field name, e.g. "casualties"
    # A dated multiplier ρ(t) on the exchange ratio: side ``ratio_side``'s casualties / ρ(t)
    ratio_change: Any = None  # the scenario segments, if any
    ratio_side: int = 0


class Law(ABC):
    """A combat law (see the module docstring); subclasses are small final classes."""

    name: ClassVar[str]
    """The scenario's ``combat.law``."""

    @staticmethod
    @abstractmethod
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
        """Side ``s``'s casualties per day (elementwise, branch-free; see the module)."""

    @classmethod
    @abstractmethod
    def parameters(cls, combat: Any, source: ParameterSource) -> LawParameters:
        """Fill the law's roles from the scenario's ``combat`` section."""
