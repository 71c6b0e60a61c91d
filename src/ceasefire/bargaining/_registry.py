"""The calculator's registry: every closed-form model, its parameters and its results.

Each model module holds plain functions (the library API: typed arguments, a
small frozen result) and one registered :class:`BargainingModel` that exposes
them to ``ceasefire bargain solve MODEL --set name=value``. A model's
``solve`` takes floats by name and returns a flat mapping of named results
(numbers, booleans, short strings), which the CLI prints as JSON.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from ceasefire._errors import InputError

__all__ = [
    "REGISTRY",
    "BargainingModel",
    "Parameter",
    "Result",
    "register",
]

Result = Mapping[str, float | int | bool | str | list[float]]


@dataclass(frozen=True)
class Parameter:
    """A named input of a model, with its meaning and admissible range."""

    name: str
    description: str
    default: float | None = None
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def check(self, value: float, model: str) -> float:
        """Return ``value`` if admissible, else raise an :class:`InputError` naming it."""
        where = f"bargain solve {model}"
        if not math.isfinite(value):
            raise InputError(f"must be a finite number, got {value}", where=where, field=self.name)
        too_low = value < self.low or (self.low_open and value == self.low)
        too_high = value > self.high or (self.high_open and value == self.high)
        if too_low or too_high:
            left = "(" if self.low_open else "["
            right = ")" if self.high_open else "]"
            raise InputError(
                f"must lie in {left}{self.low:g}, {self.high:g}{right}, got {value:g}",
                where=where,
                field=self.name,
            )
        if self.integer and value != int(value):
            raise InputError(f"must be a whole number, got {value:g}", where=where, field=self.name)
        return value


class BargainingModel(ABC):
    """A closed-form model exposed to the calculator."""

    name: ClassVar[str]
    summary: ClassVar[str]
    reference: ClassVar[str]
    parameters: ClassVar[tuple[Parameter, ...]]

    @classmethod
    def resolve(cls, values: Mapping[str, float]) -> dict[str, float]:
        """Check ``values`` against the parameters, fill defaults, refuse unknown names."""
        known = {p.name: p for p in cls.parameters}
        for name in values:
            if name not in known:
                import difflib

                near = difflib.get_close_matches(name, list(known), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise InputError(
                    f"unknown parameter{hint}; {cls.name} takes {', '.join(known)}",
                    where=f"bargain solve {cls.name}",
                    field=name,
                )
        resolved: dict[str, float] = {}
        for name, parameter in known.items():
            if name in values:
                resolved[name] = parameter.check(float(values[name]), cls.name)
            elif parameter.default is not None:
                resolved[name] = parameter.default
            else:
                raise InputError(
                    f"missing: give --set {name}=VALUE ({parameter.description})",
                    where=f"bargain solve {cls.name}",
                    field=name,
                )
        return resolved

    @classmethod
    @abstractmethod
    def solve(cls, **values: float) -> Result:
        """Return the model's named results for checked parameter values."""


REGISTRY: dict[str, type[BargainingModel]] = {}
"""Calculator models by name, in registration order."""

M = TypeVar("M", bound=type[BargainingModel])


def register(model: M) -> M:
    """Class decorator: add a model to :data:`REGISTRY` under its ``name``."""
    if model.name in REGISTRY:
        raise ValueError(f"model name {model.name!r} registered twice")
    REGISTRY[model.name] = model
    return model
