"""exp, log, tanh and pow in branch-free arithmetic, so that compiled lane loops vectorise.

The ``llvmlite`` wheels here are not SVML-patched (``numba -s``), so LLVM leaves a call to
libm's ``exp``/``pow``/``tanh`` in a loop scalar, and the whole loop with it. These versions
use only arithmetic, integer operations on the bits of a float (``bits``/``from_bits``), and
selects, which LLVM vectorises. Both engines use them (NumPy on arrays, the compiled engine
on scalars; :mod:`ceasefire.model._ops`), so the engines agree to rounding.

**Error bounds** (tested in ``tests/test_mathlib.py`` against NumPy on 10⁶ points each):

- ``exp(x)``: Cody–Waite reduction ``x = n ln 2 + r``, ``|r| ≤ ln 2 / 2``, and the Taylor
  polynomial of ``e^r − 1`` to degree 13 (truncation below 5e-18); within 2 ulp on
  ``[−708.39, 709]``; 0 below and ``inf`` above that range (the true value is subnormal
  below −708.4 and overflows above 709.78).
- ``log(x)``: ``x = m 2^e`` with ``m ∈ [√½, √2)`` and ``log m = 2 atanh((m−1)/(m+1))`` by its
  odd series to ``s^23`` (truncation below 1e-18); within 2 ulp for every positive finite
  ``x`` (subnormals are scaled first); ``−inf`` at 0, ``nan`` below 0, ``inf`` at ``inf``.
- ``tanh(x) = expm1(2|x|) / (expm1(2|x|) + 2)`` with the sign of ``x``, ``|x|`` capped at 20
  (``tanh(20)`` rounds to 1): within 4 ulp.
- ``power(x, y)`` for ``x ≥ 0``: ``x`` exactly where ``y = 1``; ``exp(y log x)`` otherwise,
  whose relative error is at most ``(4 + 2 |y ln x|)`` ulp (the rounding of ``y log x`` is
  amplified by the exponential); ``0^y`` is 1, 0 or ``inf`` for ``y`` = 0, > 0, < 0.

NaN in, NaN out for all four.

Each function is written against the primitives ``bits``, ``from_bits``, ``select``,
``minimum`` and ``maximum`` and its siblings, looked up in module globals, and rebuilt per
backend by :func:`build` (the same rebinding as the equations').
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ceasefire.model._rebind import rebind

__all__ = ["FUNCTIONS", "build"]

LOG2E = 1.4426950408889634
LN2_HI = 6.93147180369123816490e-01  # ln 2 split so that n·LN2_HI is exact (fdlibm)
LN2_LO = 1.90821492927058770002e-10
MAGIC = 6755399441055744.0  # 1.5 · 2⁵²: x + MAGIC rounds x to an integer in the low bits
MAGIC_BITS = 0x4338000000000000  # the bits of MAGIC
EXPONENT_ONE = 0x3FF0000000000000  # the bits of 1.0
MANTISSA = 0x000FFFFFFFFFFFFF
SQRT2 = 1.4142135623730951
MIN_NORMAL = 2.2250738585072014e-308
TWO_54 = 18014398509481984.0
EXP_LOW = -708.39
EXP_HIGH = 709.0
TANH_CAP = 20.0

# Placeholders, bound per backend by build().
bits: Any = None
from_bits: Any = None
select: Any = None
minimum: Any = None
maximum: Any = None
expm1_parts: Any = None
exp: Any = None
log: Any = None


def _expm1_parts(x: Any) -> Any:
    """``(scale, q)`` with ``e^x = scale · (1 + q)``, ``scale = 2^n`` exactly, for clamped x."""
    t = x * LOG2E + MAGIC
    n = t - MAGIC
    r = (x - n * LN2_HI) - n * LN2_LO
    q = 1.0 / 6227020800.0
    q = q * r + 1.0 / 479001600.0
    q = q * r + 1.0 / 39916800.0
    q = q * r + 1.0 / 3628800.0
    q = q * r + 1.0 / 362880.0
    q = q * r + 1.0 / 40320.0
    q = q * r + 1.0 / 5040.0
    q = q * r + 1.0 / 720.0
    q = q * r + 1.0 / 120.0
    q = q * r + 1.0 / 24.0
    q = q * r + 1.0 / 6.0
    q = q * r + 0.5
    q = (q * r + 1.0) * r
    scale = from_bits((bits(t) - MAGIC_BITS + 1023) << 52)
    return scale, q


def _exp(x: Any) -> Any:
    """``e^x`` (see the module docstring for its range and error)."""
    clamped = minimum(maximum(x, EXP_LOW), EXP_HIGH)
    scale, q = expm1_parts(clamped)
    value = scale + scale * q
    value = select(x < EXP_LOW, 0.0, value)
    value = select(x > EXP_HIGH, np.inf, value)
    return select(x != x, x, value)


def _tanh(x: Any) -> Any:
    """``tanh x`` (see the module docstring)."""
    a = minimum(maximum(x, -x), TANH_CAP)
    scale, q = expm1_parts(2.0 * a)
    e = (scale - 1.0) + scale * q  # expm1(2a): exact q where n = 0
    t = e / (e + 2.0)
    t = select(x < 0.0, -t, t)
    return select(x != x, x, t)


def _log(x: Any) -> Any:
    """Natural logarithm (see the module docstring)."""
    subnormal = x < MIN_NORMAL
    y = x * select(subnormal, TWO_54, 1.0)  # scaled only where subnormal: no overflow
    b = bits(y)
    e = (b >> 52) - 1023
    m = from_bits((b & MANTISSA) | EXPONENT_ONE)
    big = m > SQRT2
    m = select(big, m * 0.5, m)
    e = select(big, e + 1, e)
    e = select(subnormal, e - 54, e)
    ef = from_bits(e + MAGIC_BITS) - MAGIC
    s = (m - 1.0) / (m + 1.0)
    z = s * s
    p = 2.0 / 23.0
    p = p * z + 2.0 / 21.0
    p = p * z + 2.0 / 19.0
    p = p * z + 2.0 / 17.0
    p = p * z + 2.0 / 15.0
    p = p * z + 2.0 / 13.0
    p = p * z + 2.0 / 11.0
    p = p * z + 2.0 / 9.0
    p = p * z + 2.0 / 7.0
    p = p * z + 2.0 / 5.0
    p = p * z + 2.0 / 3.0
    log_m = 2.0 * s + s * (z * p)
    value = ef * LN2_HI + (log_m + ef * LN2_LO)
    value = select(x == 0.0, -np.inf, value)
    value = select(x < 0.0, np.nan, value)
    value = select(x == np.inf, np.inf, value)
    return select(x != x, x, value)


def _power(x: Any, y: Any) -> Any:
    """``x^y`` for ``x ≥ 0`` (see the module docstring)."""
    value = exp(y * log(select(x == 0.0, 1.0, x)))  # 0 is handled below, without 0 · −inf
    at_zero = select(y == 0.0, 1.0, select(y > 0.0, 0.0, np.inf))
    value = select(x == 0.0, at_zero, value)
    return select(y == 1.0, x, value)


FUNCTIONS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("expm1_parts", _expm1_parts),
    ("exp", _exp),
    ("tanh", _tanh),
    ("log", _log),
    ("power", _power),
)
"""The functions in dependency order (each may use the ones before it)."""


def build(
    primitives: Mapping[str, Any], wrap: Callable[[Callable[..., Any]], Any] = lambda f: f
) -> dict[str, Any]:
    """Return ``{name: function}`` rebound to ``primitives`` and wrapped by ``wrap``.

    ``primitives`` gives ``bits``, ``from_bits``, ``select``, ``minimum`` and ``maximum``;
    ``wrap`` compiles a function (the compiled engine) or leaves it as it is (NumPy).
    """
    built: dict[str, Any] = {}
    for name, function in FUNCTIONS:
        built[name] = wrap(rebind(function, {**primitives, **built}, extra=True))
    return built
