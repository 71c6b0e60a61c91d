"""Symbols that record an equation as Vensim text, so the export reuses the equations' code.

Calling an equation of :mod:`ceasefire.model.equations` (or a law's ``casualties``) on
:class:`Symbol` arguments, rebound to :data:`VENSIM` primitives, returns a :class:`Symbol`
whose text is the same expression in Vensim syntax: the exported model is one more target
of the one model description, not a second copy of it.
"""

from __future__ import annotations

import math
from typing import Any

from ceasefire.model._rebind import rebind

__all__ = ["VENSIM", "Symbol", "number", "vensim"]


def number(value: float) -> str:
    """Write a float as Vensim reads it (round-trips exactly; inf as a very large number)."""
    if math.isnan(value):
        raise ValueError("a Vensim model cannot hold nan")
    if math.isinf(value):
        return "1e+300" if value > 0 else "-1e+300"
    return repr(float(value))


def _text(value: Any) -> str:
    if isinstance(value, Symbol):
        return value.text
    if isinstance(value, bool):  # pragma: no cover - equations compare, never pass bools
        raise TypeError("a boolean constant has no Vensim form")
    return number(float(value))


class Symbol:
    """A Vensim expression; arithmetic on symbols builds bigger expressions."""

    __slots__ = ("text",)
    __array_priority__ = 1000  # NumPy scalars defer to the symbol's operators

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Symbol({self.text!r})"

    def _binary(self, other: Any, operator: str, *, reflected: bool = False) -> Symbol:
        left, right = (_text(other), self.text) if reflected else (self.text, _text(other))
        return Symbol(f"({left} {operator} {right})")

    def __add__(self, other: Any) -> Symbol:
        return self._binary(other, "+")

    def __radd__(self, other: Any) -> Symbol:
        return self._binary(other, "+", reflected=True)

    def __sub__(self, other: Any) -> Symbol:
        return self._binary(other, "-")

    def __rsub__(self, other: Any) -> Symbol:
        return self._binary(other, "-", reflected=True)

    def __mul__(self, other: Any) -> Symbol:
        return self._binary(other, "*")

    def __rmul__(self, other: Any) -> Symbol:
        return self._binary(other, "*", reflected=True)

    def __truediv__(self, other: Any) -> Symbol:
        return self._binary(other, "/")

    def __rtruediv__(self, other: Any) -> Symbol:
        return self._binary(other, "/", reflected=True)

    def __neg__(self) -> Symbol:
        return Symbol(f"(-{self.text})")

    def __gt__(self, other: Any) -> Symbol:
        return self._binary(other, ">")

    def __lt__(self, other: Any) -> Symbol:
        return self._binary(other, "<")

    def __ge__(self, other: Any) -> Symbol:
        return self._binary(other, ">=")

    def __le__(self, other: Any) -> Symbol:
        return self._binary(other, "<=")


def _call(name: str) -> Any:
    def function(*arguments: Any) -> Symbol:
        return Symbol(f"{name}({', '.join(_text(a) for a in arguments)})")

    return function


def _power(base: Any, exponent: Any) -> Symbol:
    return Symbol(f"({_text(base)} ^ {_text(exponent)})")


VENSIM = {
    "minimum": _call("MIN"),
    "maximum": _call("MAX"),
    "select": _call("IF THEN ELSE"),
    "tanh": _call("TANH"),
    "log": _call("LN"),
    "exp": _call("EXP"),
    "power": _power,
}
"""Primitives that write Vensim functions."""


def vensim(function: Any, *arguments: Any) -> str:
    """Return the Vensim text of ``function`` (an equation or a law) applied to arguments."""
    result = rebind(function, VENSIM)(*arguments)
    return _text(result)
