"""Battle laws: the model's combat law with the coefficients a battle fit varies.

The equation of each law is the model's (:data:`ceasefire.model.laws.LAWS`, one class per
file); a :class:`BattleLaw` only holds the numbers a fitter varies and says which of the
model's roles each fills. Convention of the battle fitter: ``a`` scales side A's losses
and ``b`` side B's (Engel 1954: ``dUS/dt = −a·JAP``, ``dJAP/dt = −b·US`` with US as side A).
A model law reads either the opponent's rate (square, linear, general: ``a`` is what B
inflicts) or a side's own (logarithmic, fatigue: ``a`` is what A loses of itself), which
:func:`reads_own_rate` finds from the law's equation, so no law is listed twice.

The laws' few non-arithmetic operations (``power``, ``log``) are NumPy's here
(:func:`numpy_casualties`): the model looks them up by name in the law's module globals,
so that each engine can rebind them (``model/_ops.py``), and its branch-free versions,
made for compiled lane loops, cost some forty NumPy calls a scalar, which the fits,
stepping one battle in scalars, cannot afford (a general-law trajectory: 0.02 s with
NumPy's ``power``, 0.6 s with the branch-free one). The expression is the model's either
way.

Two pieces the model's laws do not have, kept here:

- Bracken's (1995) *tactical* parameter of the general law: the attacker's losses are
  multiplied by it on each day (``attacker`` +1: A attacks, −1: B attacks);
- the fatigue law's clock: Rubio-Campillo (2016) counts the steps of a battle, so ``τ`` is
  one step (``first_shape = 1/τ = 1``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, final

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.model import with_numpy
from ceasefire.model.laws import LAWS, Law

__all__ = ["FITTED_LAWS", "BattleLaw", "combat_section", "numpy_casualties", "reads_own_rate"]

FloatArray = npt.NDArray[np.float64]
ArrayLike = Any  # a float or an array of floats, broadcast together

FITTED_LAWS = ("square", "linear", "logarithmic", "general", "fatigue")
"""The model's laws a battle fit can vary (the exchange-ratio mode has no coefficients)."""

_FATIGUE_STEPS = 1.0
"""``first_shape = 1/τ`` of the fatigue law: ``τ`` is one step, as in Rubio-Campillo (2016)."""


@cache
def numpy_casualties(law: type[Law]) -> Callable[..., Any]:
    """``law.casualties`` with its primitives (``power``, ``log``, …) bound to NumPy's.

    The same code object, so the same expression (:func:`ceasefire.model.with_numpy`; see
    the module docstring for why).
    """
    return with_numpy(law.casualties)


@cache
def reads_own_rate(law: type[Law]) -> bool:
    """Whether ``law``'s casualties of a side scale with its own rate, not the opponent's.

    Evaluated from the equation: casualties with the own rate 1 and the opponent's 0.
    """
    return bool(numpy_casualties(law)(1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0) != 0.0)


@final
@dataclass(frozen=True, eq=False)
class BattleLaw:
    """A combat law of the model with the coefficients of a battle: ``a``, ``b`` and shapes.

    ``name`` is one of :data:`FITTED_LAWS`; ``a`` scales side A's losses and ``b`` side B's,
    per unit time (floats, or arrays that broadcast with the strengths: the forward models
    of ABC fight many coefficient pairs at once). ``p, q`` are the general law's exponents
    (``loss_A = a·B^p·A^q``; Bracken 1995) and ``tactical`` its optional attacker factor.
    """

    name: str
    a: ArrayLike
    b: ArrayLike
    p: float | None = None
    q: float | None = None
    tactical: float | None = None
    law: type[Law] = field(init=False, repr=False)
    # Fixed by the law, worked out once (the fits evaluate a law thousands of times).
    _casualties: Callable[..., Any] = field(init=False, repr=False)
    _own_rate: bool = field(init=False, repr=False)
    _shapes: tuple[float, float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.name not in FITTED_LAWS:
            raise InputError(
                f"unknown law {self.name!r}; expected one of {', '.join(FITTED_LAWS)}",
                field="law",
            )
        general = self.name == "general"
        if general and (self.p is None or self.q is None):
            raise InputError("the general law needs its exponents p and q", field="law")
        if not general and (self.p, self.q, self.tactical) != (None, None, None):
            raise InputError(f"p, q and tactical belong to the general law, not {self.name}")
        for name in ("a", "b"):
            value = getattr(self, name)
            scalar = np.ndim(value) == 0
            object.__setattr__(self, name, float(value) if scalar else np.asarray(value, float))
        for name in ("p", "q", "tactical"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, float(getattr(self, name)))
        law = LAWS[self.name]
        object.__setattr__(self, "law", law)
        object.__setattr__(self, "_casualties", numpy_casualties(law))
        object.__setattr__(self, "_own_rate", reads_own_rate(law))
        if general:
            object.__setattr__(self, "_shapes", (self.p, self.q))
        else:
            object.__setattr__(
                self, "_shapes", (_FATIGUE_STEPS if self.name == "fatigue" else 0.0, 0.0)
            )

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """``(a, b)``, then ``p, q`` for the general law and ``tactical`` when it has one."""
        names = ("a", "b") if self.name != "general" else ("a", "b", "p", "q")
        return names if self.tactical is None else (*names, "tactical")

    def parameter_vector(self) -> FloatArray:
        """Return the parameter values in the order of :attr:`parameter_names`."""
        return np.array([getattr(self, name) for name in self.parameter_names], dtype=np.float64)

    def with_parameters(self, values: Sequence[float] | FloatArray) -> BattleLaw:
        """Return the same law with the parameter vector ``values``."""
        vector = [float(v) for v in values]
        names = self.parameter_names
        if len(vector) != len(names):
            raise ValueError(f"expected {len(names)} parameters {names}, got {len(vector)}")
        return BattleLaw(self.name, **dict(zip(names, vector, strict=True)))

    def with_coefficients(self, a: ArrayLike, b: ArrayLike) -> BattleLaw:
        """Return the same law (same shapes) with the coefficients ``a`` and ``b``."""
        return BattleLaw(self.name, a, b, self.p, self.q, self.tactical)

    def parameters(self) -> dict[str, float]:
        """Return the parameters by name."""
        return dict(zip(self.parameter_names, map(float, self.parameter_vector()), strict=True))

    def losses(
        self,
        a_strength: ArrayLike,
        b_strength: ArrayLike,
        t: ArrayLike = 0.0,
        attacker: ArrayLike | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return the losses of side A and side B per unit time: the model law's casualties.

        Each side's are ``law.casualties(own, other, own_rate, other_rate, first_shape,
        second_shape, 0, t)`` with the side's strength as ``own``, as the model's engines
        call it; ``t`` is the time fought (the fatigue law's steps).
        """
        own_a, own_b = (self.a, self.b) if self._own_rate else (self.b, self.a)
        first, second = self._shapes
        a_s = np.asarray(a_strength, dtype=np.float64)
        b_s = np.asarray(b_strength, dtype=np.float64)
        casualties = self._casualties
        loss_a = casualties(a_s, b_s, own_a, own_b, first, second, 0.0, t)
        loss_b = casualties(b_s, a_s, own_b, own_a, first, second, 0.0, t)
        if self.tactical is not None and attacker is not None:
            side = np.asarray(attacker, dtype=np.float64)
            loss_a = loss_a * np.where(side > 0, self.tactical, 1.0)
            loss_b = loss_b * np.where(side < 0, self.tactical, 1.0)
        return loss_a, loss_b

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.parameters().items())
        return f"BattleLaw({self.name!r}, {args})"


def _parameter(
    value: float, error: float, note: str, unit: str | None, low: float | None
) -> dict[str, Any]:
    out: dict[str, Any]
    if math.isfinite(error) and error > 0:
        out = {"dist": "normal", "mean": value, "sd": error}
        if low is not None:
            out["low"] = low
    else:
        out = {"value": value}
    if unit is not None:
        out["unit"] = unit
    out["assumption"] = note
    return out


def combat_section(
    law: BattleLaw, errors: Mapping[str, float], sides: tuple[str, str], provenance: str
) -> dict[str, Any]:
    """Return a scenario ``combat:`` mapping for a fitted law; ``sides`` = (side A, side B).

    The scenario's laws give each side one rate: what it inflicts (``lethality``: square,
    linear, general) or what it loses of itself (``loss_rate``: logarithmic), so ``a``,
    which scales A's losses, is B's lethality or A's loss rate (:func:`reads_own_rate`);
    the fatigue law's time scale is one day, a step of the fitted daily series.
    A historical coefficient applied to another war is an assumption, so each parameter
    is labelled as one, naming ``provenance`` (what was fitted to what); its standard error
    (``errors``) becomes a normal distribution truncated at zero for rates.
    """
    if law.tactical is not None:
        raise InputError(
            "the scenario's combat laws have no tactical parameter: fit the general law "
            "without an attacker column to write it into a scenario",
            field="law",
        )
    side_a, side_b = sides
    estimates = law.parameters()

    def rate(name: str) -> dict[str, Any]:
        note = f"{name} of the {law.name} law fitted by ceasefire battles fit: {provenance}"
        return _parameter(estimates[name], errors[name], note, "per_day", 0.0)

    section: dict[str, Any]
    if reads_own_rate(law.law):
        section = {"law": law.name, "loss_rate": {side_a: rate("a"), side_b: rate("b")}}
        if law.name == "fatigue":
            # The fit's time is in days of the series, so τ (one step) is one day.
            note = f"one step of the fatigue law is a day of the fitted series: {provenance}"
            section["time_scale"] = {"value": 1, "unit": "days", "assumption": note}
        return section
    # a scales A's losses, so it is what side B inflicts; b is what A inflicts.
    section = {"law": law.name, "lethality": {side_a: rate("b"), side_b: rate("a")}}
    for exponent in ("p", "q") if law.name == "general" else ():
        note = f"exponent {exponent} fitted by ceasefire battles fit: {provenance}"
        section[exponent] = _parameter(estimates[exponent], errors[exponent], note, None, None)
    return section
