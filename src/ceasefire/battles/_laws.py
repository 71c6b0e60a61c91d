"""Battle attrition laws: each side's losses per unit time given both strengths.

Convention for every law: parameter ``a`` scales side A's losses and ``b`` side B's
losses (Engel 1954: ``dUS/dt = −a·JAP``, ``dJAP/dt = −b·US`` with US as side A).
``attacker`` is +1 where A attacks and −1 where B attacks (as in
:class:`~ceasefire.battles._series.DailySeries`); only the general law uses it.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import final

import numpy as np
import numpy.typing as npt

__all__ = [
    "AttritionLaw",
    "FatigueLaw",
    "GeneralLaw",
    "LinearLaw",
    "LogarithmicLaw",
    "SquareLaw",
]

FloatArray = npt.NDArray[np.float64]
ArrayLike = float | FloatArray


class AttritionLaw(ABC):
    """A two-sided attrition law ``(loss_a, loss_b) = f(A, B, t, attacker)`` per unit time.

    Subclasses are small final classes; their parameters are exposed by name
    (:attr:`parameter_names`) so that fitters can rebuild them from a vector
    (:meth:`with_parameters`).
    """

    name: str = "law"

    @property
    @abstractmethod
    def parameter_names(self) -> tuple[str, ...]:
        """Names of the free parameters, in vector order."""

    @abstractmethod
    def parameter_vector(self) -> FloatArray:
        """Return the parameter values in the order of :attr:`parameter_names`."""

    @abstractmethod
    def with_parameters(self, values: Sequence[float] | FloatArray) -> AttritionLaw:
        """Return a law of the same kind with the given parameter vector."""

    @abstractmethod
    def losses(
        self,
        a_strength: ArrayLike,
        b_strength: ArrayLike,
        t: ArrayLike = 0.0,
        attacker: ArrayLike | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return the losses of side A and side B per unit time (vectorised)."""

    def parameters(self) -> dict[str, float]:
        """Return the parameters by name."""
        return dict(zip(self.parameter_names, map(float, self.parameter_vector()), strict=True))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.parameters().items())
        return f"{type(self).__name__}({args})"


def _check(values: Sequence[float] | FloatArray, names: tuple[str, ...]) -> list[float]:
    vector = [float(v) for v in values]
    if len(vector) != len(names):
        raise ValueError(f"expected {len(names)} parameters {names}, got {len(vector)}")
    return vector


def _arrays(a: ArrayLike, b: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)


class _TwoCoefficientLaw(AttritionLaw):
    """Shared plumbing for the laws with just the coefficients ``a`` and ``b``."""

    def __init__(self, a: float, b: float) -> None:
        self.a = float(a)
        self.b = float(b)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Names of the free parameters, in vector order."""
        return ("a", "b")

    def parameter_vector(self) -> FloatArray:
        """Return ``[a, b]``."""
        return np.array([self.a, self.b])

    def with_parameters(self, values: Sequence[float] | FloatArray) -> AttritionLaw:
        """Return a law of the same kind with ``[a, b]``."""
        a, b = _check(values, self.parameter_names)
        return type(self)(a, b)


@final
class SquareLaw(_TwoCoefficientLaw):
    """Aimed fire: ``loss_A = a·B``, ``loss_B = b·A``.

    Lanchester, F. W. (1916), *Aircraft in Warfare: The Dawn of the Fourth Arm*, ch. V.
    Without reinforcements ``b·A² − a·B²`` is conserved.
    """

    name = "square"

    def losses(
        self,
        a_strength: ArrayLike,
        b_strength: ArrayLike,
        t: ArrayLike = 0.0,
        attacker: ArrayLike | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(a·B, b·A)``."""
        a_s, b_s = _arrays(a_strength, b_strength)
        return self.a * b_s, self.b * a_s


@final
class LinearLaw(_TwoCoefficientLaw):
    """Area (unaimed) fire: ``loss_A = a·A·B``, ``loss_B = b·A·B``.

    Lanchester, F. W. (1916), *Aircraft in Warfare*, ch. V (the "ancient" / area-fire
    case); the general law with ``p = q = 1`` (Bracken 1995).
    """

    name = "linear"

    def losses(
        self,
        a_strength: ArrayLike,
        b_strength: ArrayLike,
        t: ArrayLike = 0.0,
        attacker: ArrayLike | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(a·A·B, b·A·B)``."""
        a_s, b_s = _arrays(a_strength, b_strength)
        return self.a * a_s * b_s, self.b * a_s * b_s


@final
class LogarithmicLaw(_TwoCoefficientLaw):
    """Own-strength losses: ``loss_A = a·A``, ``loss_B = b·B``.

    Peterson, R. H. (1953), "On the logarithmic law of combat and its application to
    tank combat", ORO-T-243; the general law with ``p = 0, q = 1`` (Bracken 1995).
    """

    name = "logarithmic"

    def losses(
        self,
        a_strength: ArrayLike,
        b_strength: ArrayLike,
        t: ArrayLike = 0.0,
        attacker: ArrayLike | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(a·A, b·B)``."""
        a_s, b_s = _arrays(a_strength, b_strength)
        return self.a * a_s, self.b * b_s


@final
class GeneralLaw(AttritionLaw):
    """Bracken/Helmbold general law: ``loss_A = a·B^p·A^q``, ``loss_B = b·A^p·B^q``.

    Bracken, J. (1995), "Lanchester models of the Ardennes campaign", *Naval Research
    Logistics* 42(4):559–577. Special cases: linear ``p = q = 1``, square ``p = 1,
    q = 0``, logarithmic ``p = 0, q = 1``. With ``tactical`` given, the attacker's
    losses are multiplied by it on each day (``attacker`` +1: A attacks, −1: B attacks);
    without it, or where ``attacker`` is None, no side is scaled.
    """

    name = "general"

    def __init__(
        self, a: float, b: float, p: float, q: float, tactical: float | None = None
    ) -> None:
        self.a = float(a)
        self.b = float(b)
        self.p = float(p)
        self.q = float(q)
        self.tactical = None if tactical is None else float(tactical)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """``(a, b, p, q)``, plus ``tactical`` when the law carries one."""
        base = ("a", "b", "p", "q")
        return base if self.tactical is None else (*base, "tactical")

    def parameter_vector(self) -> FloatArray:
        """Return the parameters in the order of :attr:`parameter_names`."""
        values = [self.a, self.b, self.p, self.q]
        if self.tactical is not None:
            values.append(self.tactical)
        return np.array(values)

    def with_parameters(self, values: Sequence[float] | FloatArray) -> AttritionLaw:
        """Return a general law with the given parameter vector."""
        vector = _check(values, self.parameter_names)
        return GeneralLaw(*vector)

    def losses(
        self,
        a_strength: ArrayLike,
        b_strength: ArrayLike,
        t: ArrayLike = 0.0,
        attacker: ArrayLike | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(a·B^p·A^q, b·A^p·B^q)``, the attacker's losses times ``tactical``."""
        a_s, b_s = _arrays(a_strength, b_strength)
        loss_a = self.a * np.power(b_s, self.p) * np.power(a_s, self.q)
        loss_b = self.b * np.power(a_s, self.p) * np.power(b_s, self.q)
        if self.tactical is not None and attacker is not None:
            side = np.asarray(attacker, dtype=np.float64)
            loss_a = loss_a * np.where(side > 0, self.tactical, 1.0)
            loss_b = loss_b * np.where(side < 0, self.tactical, 1.0)
        return loss_a, loss_b


@final
class FatigueLaw(_TwoCoefficientLaw):
    """Fatigue: ``loss_A = a·A / ln(e + t)``, ``loss_B = b·B / ln(e + t)``.

    Rubio-Campillo, X. (2016), "Model selection in historical research using
    approximate Bayesian computation", *PLoS ONE* 11(1): e0146491: the logarithmic law
    with a killing rate that decays with the number of steps fought ``t`` (1 at t = 0).
    """

    name = "fatigue"

    def losses(
        self,
        a_strength: ArrayLike,
        b_strength: ArrayLike,
        t: ArrayLike = 0.0,
        attacker: ArrayLike | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(a·A, b·B) / ln(e + t)``."""
        a_s, b_s = _arrays(a_strength, b_strength)
        decay = 1.0 / np.log(math.e + np.asarray(t, dtype=np.float64))
        return self.a * a_s * decay, self.b * b_s * decay
