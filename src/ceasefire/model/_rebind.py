"""Rebinding a function's global names: one code object, several backends (see ``_ops``)."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["PRIMITIVES", "rebind"]

PRIMITIVES = ("minimum", "maximum", "select", "tanh", "log", "exp", "power")
"""Names an equation may use besides arithmetic: ``select(condition, if_true, if_false)``."""


def rebind(
    function: Callable[..., Any], primitives: Mapping[str, Any], *, extra: bool = False
) -> Callable[..., Any]:
    """Return ``function`` with the names in ``primitives`` (and nothing else) rebound.

    The code object is shared: the result computes the same expression, with
    ``minimum``, ``select``, … taken from ``primitives``. Other globals (constants such as
    ``TINY``) keep their values. Names other than :data:`PRIMITIVES` need ``extra``.
    """
    unknown = set(primitives) - set(PRIMITIVES)
    if unknown and not extra:  # pragma: no cover - a programming error in an engine
        raise ValueError(f"not a primitive: {sorted(unknown)}")
    namespace = {**function.__globals__, **primitives}
    clone = types.FunctionType(
        function.__code__,
        namespace,
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    clone.__doc__ = function.__doc__
    clone.__qualname__ = function.__qualname__
    clone.__module__ = function.__module__
    return clone
