"""The few primitive operations the model's equations use, and how an engine rebinds them.

The equations (:mod:`ceasefire.model.equations`) and the combat laws are plain Python
functions of their arguments, written once. Arithmetic (``+ − × ÷``) works on floats,
NumPy arrays and symbolic expressions alike; the handful of other operations they need
(:data:`PRIMITIVES`) are looked up by name in the function's module globals, so a function
can be *rebound* to another set of primitives without a second copy of its text:

- the NumPy engine calls the functions as written, on whole ``(slots, draws)`` arrays
  (:data:`NUMPY`: ``np.minimum``, ``np.where``, …);
- the compiled engine compiles them with Numba, rebound to scalar primitives
  (:data:`BASIC_SCALAR`: ``a if a < b else b``, …), which LLVM turns into branch-free
  selects over the lanes of a block; NumPy's ufuncs on scalars cost a 0-d array each
  inside Numba (measured 250x slower than the select);
- ``exp``, ``log``, ``tanh`` and ``power`` are :mod:`ceasefire.model._mathlib`'s branch-free
  versions in both engines: libm's would keep a lane loop scalar, and NumPy's SIMD
  ``tanh`` differs from libm's in the last bits, which a difference of two fronts turns
  into 1e-12;
- the Vensim export calls them on symbols (:mod:`ceasefire.model._symbolic`), which
  record the expression.

Only the project's own functions are rebound; nothing a user writes reaches this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ceasefire.model import _mathlib
from ceasefire.model._rebind import PRIMITIVES, rebind

__all__ = ["BASIC_SCALAR", "NUMPY", "NUMPY_PLAIN", "PRIMITIVES", "TINY", "rebind", "with_numpy"]

TINY = 1e-300
"""A floor for denominators that may be zero: ``x / max(y, TINY)`` is ``x / y`` for any
``y >= TINY`` and finite where ``y`` is zero."""


def _select(condition: Any, if_true: Any, if_false: Any) -> Any:
    return np.where(condition, if_true, if_false)


def _bits(x: Any) -> Any:
    return np.asarray(x, dtype=np.float64).view(np.int64)


def _from_bits(i: Any) -> Any:
    return np.asarray(i, dtype=np.int64).view(np.float64)


_NUMPY_BASIC: Mapping[str, Callable[..., Any]] = {
    "minimum": np.minimum,
    "maximum": np.maximum,
    "select": _select,
    "bits": _bits,
    "from_bits": _from_bits,
}
_NUMPY_MATH = _mathlib.build(_NUMPY_BASIC)

NUMPY: Mapping[str, Callable[..., Any]] = {
    "minimum": np.minimum,
    "maximum": np.maximum,
    "select": _select,
    **{name: _NUMPY_MATH[name] for name in ("tanh", "log", "exp", "power")},
}
"""Primitives on arrays (and floats): the equations as written. The transcendental
functions are :mod:`ceasefire.model._mathlib`'s, so both engines compute the same values."""


NUMPY_PLAIN: Mapping[str, Callable[..., Any]] = {
    "minimum": np.minimum,
    "maximum": np.maximum,
    "select": np.where,
    "tanh": np.tanh,
    "log": np.log,
    "exp": np.exp,
    "power": np.power,
}
"""Primitives as NumPy's own functions: for code outside the engines that evaluates an
equation or a law on scalars or small arrays and wants speed over bit-equality with the
engines (the battle fitter steps one battle at a time: the branch-free ``power`` costs about
40 NumPy calls on a scalar, 30x NumPy's own)."""


def with_numpy(function: Callable[..., Any]) -> Callable[..., Any]:
    """Return an equation or a law's ``casualties`` with :data:`NUMPY_PLAIN` primitives."""
    return rebind(function, NUMPY_PLAIN)


def _scalar_minimum(a: float, b: float) -> float:
    return a if a < b else b


def _scalar_maximum(a: float, b: float) -> float:
    return a if a > b else b


def _scalar_select(condition: bool, if_true: float, if_false: float) -> float:
    return if_true if condition else if_false


BASIC_SCALAR: Mapping[str, Callable[..., Any]] = {
    "minimum": _scalar_minimum,
    "maximum": _scalar_maximum,
    "select": _scalar_select,
}
"""Primitives on scalars, for compiled lane loops (compiled by the compiled engine, which
adds the bit casts and builds :mod:`ceasefire.model._mathlib` on them)."""
