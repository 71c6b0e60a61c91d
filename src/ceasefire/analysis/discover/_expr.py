"""The outcome language of ``ceasefire discover``: conditions on measures, parsed without ``eval``.

Grammar (lowest precedence first; keywords are lower case)::

    outcome    := disjunct ("or" disjunct)*
    disjunct   := negation ("and" negation)*
    negation   := "not" negation | atom
    atom       := "(" outcome ")" | comparison
    comparison := operand (OP operand)*          # a chain reads as in Python: 12 < m <= 24
    operand    := MEASURE | NUMBER
    OP         := "<" | "<=" | ">" | ">=" | "==" | "!="

A ``MEASURE`` is any name the resolver knows (``months_to_crisis.russia``,
``active.ukraine@36``, ``territory_change.russia``); a measure standing alone, without a
comparison, must be a yes/no measure (the planned ``deal.credible@12``). Numbers may use
``_`` between digits (``5_000``) and an exponent (``1e4``).

A comparison with a missing value (NaN, e.g. the months to a crisis that never came) is
false, as in IEEE arithmetic: ``months_to_crisis.russia <= 36`` holds only in draws with a
crisis within 36 months, and ``not (...)`` in every other draw.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError

__all__ = ["Outcome", "parse_outcome"]

BoolArray = npt.NDArray[np.bool_]
Resolver = Callable[[str], npt.ArrayLike]
"""Maps a measure name to its per-draw values (raises :class:`InputError` for an unknown name)."""

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
_KEYWORDS = {"and", "or", "not"}
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<number>[0-9](?:_?[0-9])*(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9]+)?
        |\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?:@[0-9]+(?:\.[0-9]+)?)?)
    | (?P<op><=|>=|==|!=|<|>)
    | (?P<paren>[()])
    | (?P<minus>-)
    """,
    re.VERBOSE,
)
_WHERE = "--outcome"


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


@dataclass(frozen=True)
class _Node:
    """A node of the parsed outcome: ``kind`` is and/or/not/compare/measure/number."""

    kind: str
    children: tuple[_Node, ...] = ()
    text: str = ""
    value: float = 0.0
    ops: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """A parsed outcome: its text, the measures it reads, and how to evaluate it per draw."""

    text: str
    measures: tuple[str, ...]
    _tree: _Node

    def evaluate(self, resolve: Resolver) -> BoolArray:
        """Return, per draw, whether the outcome holds, reading measures through ``resolve``."""
        values = {name: np.asarray(resolve(name)) for name in self.measures}
        lengths = {v.shape for v in values.values()}
        if len(lengths) > 1:
            raise InputError(
                "its measures have different numbers of draws", where=_WHERE, field=self.text
            )
        result = np.asarray(_evaluate(self._tree, values, self.text), dtype=bool)
        if result.ndim == 0:
            raise InputError(
                "reads no measure; name one, e.g. months_to_crisis.russia <= 24",
                where=_WHERE,
                field=self.text,
            )
        return result


def parse_outcome(text: str) -> Outcome:
    """Parse ``text`` into an :class:`Outcome`; a bad expression raises :class:`InputError`.

    The error is one line naming ``--outcome``, the expression and the column where
    parsing stopped.
    """
    tokens = _tokenize(text)
    if not tokens:
        raise InputError(
            "empty; expected a condition such as months_to_crisis.russia <= 24", where=_WHERE
        )
    parser = _Parser(text, tokens)
    tree = parser.outcome()
    if parser.position < len(tokens):
        parser.fail(f"unexpected {tokens[parser.position].text!r}")
    measures: list[str] = []
    _collect(tree, measures)
    if not measures:
        raise InputError(
            "reads no measure; name one, e.g. months_to_crisis.russia <= 24",
            where=_WHERE,
            field=text,
        )
    return Outcome(text=text, measures=tuple(dict.fromkeys(measures)), _tree=tree)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise InputError(
                f"unexpected {text[position]!r} at column {position + 1}; the language has "
                "measures, numbers, comparisons (< <= > >= == !=), and, or, not, parentheses",
                where=_WHERE,
                field=text,
            )
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if kind == "name" and word in _KEYWORDS:
                kind = word
            elif kind == "name" and word.lower() in _KEYWORDS | {"true", "false"}:
                raise InputError(
                    f"{word!r} at column {position + 1}: write and, or, not in lower case",
                    where=_WHERE,
                    field=text,
                )
            tokens.append(_Token(kind, word, position + 1))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens, one method per rule of the grammar."""

    def __init__(self, text: str, tokens: Sequence[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.position = 0

    def fail(self, message: str) -> None:
        column = (
            self.tokens[self.position].column
            if self.position < len(self.tokens)
            else len(self.text) + 1
        )
        raise InputError(f"{message} at column {column}", where=_WHERE, field=self.text)

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, kind: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == kind:
            self.position += 1
            return True
        return False

    def outcome(self) -> _Node:
        parts = [self.disjunct()]
        while self.take("or"):
            parts.append(self.disjunct())
        return parts[0] if len(parts) == 1 else _Node("or", tuple(parts))

    def disjunct(self) -> _Node:
        parts = [self.negation()]
        while self.take("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else _Node("and", tuple(parts))

    def negation(self) -> _Node:
        if self.take("not"):
            return _Node("not", (self.negation(),))
        return self.atom()

    def atom(self) -> _Node:
        if self.take("paren"):
            opening = self.tokens[self.position - 1]
            if opening.text != "(":
                self.position -= 1
                self.fail("unexpected ')'")
            inner = self.outcome()
            token = self.peek()
            if token is None or token.text != ")":
                self.fail("expected ')'")
            self.position += 1
            return inner
        return self.comparison()

    def comparison(self) -> _Node:
        operands = [self.operand()]
        ops: list[str] = []
        while (token := self.peek()) is not None and token.kind == "op":
            self.position += 1
            ops.append(token.text)
            operands.append(self.operand())
        if not ops:
            if operands[0].kind == "number":
                self.position -= 1
                self.fail("a number alone is not a condition; compare a measure with it")
            return operands[0]
        if all(o.kind == "number" for o in operands):
            self.position -= 1
            self.fail("compares numbers only; name a measure")
        return _Node("compare", tuple(operands), ops=tuple(ops))

    def operand(self) -> _Node:
        token = self.peek()
        if token is None:
            self.fail("expected a measure or a number, got the end")
        assert token is not None
        sign = 1.0
        if token.kind == "minus":
            self.position += 1
            token = self.peek()
            if token is None or token.kind != "number":
                self.fail("expected a number after '-'")
            assert token is not None
            sign = -1.0
        if token.kind == "number":
            self.position += 1
            return _Node("number", text=token.text, value=sign * float(token.text))
        if token.kind == "name":
            self.position += 1
            return _Node("measure", text=token.text)
        self.fail(f"expected a measure or a number, got {token.text!r}")
        raise AssertionError  # pragma: no cover - fail() raises


def _collect(node: _Node, out: list[str]) -> None:
    if node.kind == "measure":
        out.append(node.text)
    for child in node.children:
        _collect(child, out)


def _evaluate(node: _Node, values: dict[str, np.ndarray], text: str) -> Any:
    if node.kind == "or":
        return np.logical_or.reduce([_evaluate(c, values, text) for c in node.children])
    if node.kind == "and":
        return np.logical_and.reduce([_evaluate(c, values, text) for c in node.children])
    if node.kind == "not":
        return np.logical_not(_evaluate(node.children[0], values, text))
    if node.kind == "measure":
        value = values[node.text]
        if value.dtype != np.bool_:
            raise InputError(
                f"{node.text} is a number, not a yes/no measure; compare it, e.g. {node.text} > 0",
                where=_WHERE,
                field=text,
            )
        return value
    if node.kind == "compare":
        operands = [_operand(child, values, text) for child in node.children]
        result: Any = True
        with np.errstate(invalid="ignore"):
            for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                result = np.logical_and(result, _OPERATORS[op](left, right))
        return result
    raise AssertionError(node.kind)  # pragma: no cover - the parser makes no other node


def _operand(node: _Node, values: dict[str, np.ndarray], text: str) -> Any:
    if node.kind == "number":
        return node.value
    value = values[node.text]
    if value.dtype == np.bool_:
        raise InputError(
            f"{node.text} is a yes/no measure; use it alone or with not, not in a comparison",
            where=_WHERE,
            field=text,
        )
    return value.astype(float, copy=False)
