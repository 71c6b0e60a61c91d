"""Reading scenario-shaped files: YAML (with line numbers for errors) or TOML, safely.

Shared by the scenario loader and the overlay loaders (what-ifs, beliefs, deals, offers,
sweeps), so that none of them imports another's private helpers. Files are size- and
depth-limited and YAML aliases are bounded, so a hostile file fails with a clear error.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from ceasefire._errors import ScenarioError

__all__ = ["PRESETS_DIR", "FieldPath", "read_document"]

PRESETS_DIR = Path(__file__).parent / "presets"
_MAX_BYTES = 5_000_000

FieldPath = tuple[str | int, ...]
"""A field's place in a document: keys and list indices from the top."""


def read_document(path: Path) -> tuple[dict[str, Any], dict[FieldPath, int]]:
    """Read a YAML or TOML file into plain data, with each field's line (YAML only)."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError(f"cannot read: {error.strerror}", where=where) from None
    if len(raw) > _MAX_BYTES:
        raise ScenarioError(f"file of {len(raw):,} bytes is too large for a scenario", where=where)
    if b"\x00" in raw:
        raise ScenarioError("binary file; expected a YAML or TOML scenario", where=where)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            f"not UTF-8 text (byte {error.start}); expected a YAML or TOML scenario", where=where
        ) from None
    if not text.strip():
        raise ScenarioError("empty file; expected a YAML or TOML scenario", where=where)
    if path.suffix.lower() == ".toml":
        return _parse_toml(text, where), {}
    return _parse_yaml(text, where)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader, with impossible dates reported at their line.

    Built on libyaml's parser where present (the default scenario parses in 16 ms instead
    of 0.56 s with the pure-Python one).
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a calendar date ({error})", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

_MAX_DEPTH = 64
_MAX_NODES = 200_000


def _parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"not valid TOML: {error}", where=where) from None
    except RecursionError:
        raise ScenarioError("not valid TOML: nested too deeply", where=where) from None
    _check_depth(data, where)
    return data


def _check_depth(data: Any, where: str) -> None:
    """Refuse data nested deeper than any scenario is (and that would exhaust the stack)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise ScenarioError(
                f"nested more than {_MAX_DEPTH} levels deep; a scenario is far shallower",
                where=where,
            )
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


def _check_yaml_graph(node: yaml.Node, where: str) -> None:
    """Refuse alias cycles, alias bombs ("billion laughs") and absurd nesting.

    Counts the nodes of the document as aliases would expand it, without expanding it.
    """
    seen = 0
    stack: list[tuple[yaml.Node, int, frozenset[int]]] = [(node, 0, frozenset())]
    while stack:
        current, depth, path = stack.pop()
        seen += 1
        if seen > _MAX_NODES:
            raise ScenarioError(
                f"expands to more than {_MAX_NODES:,} values (YAML aliases?); "
                "a scenario is far smaller",
                where=where,
            )
        if depth > _MAX_DEPTH:
            raise ScenarioError(
                f"nested more than {_MAX_DEPTH} levels deep; a scenario is far shallower",
                where=f"{where}:{current.start_mark.line + 1}",
            )
        if id(current) in path:
            raise ScenarioError(
                "a YAML alias refers to a node that contains it",
                where=f"{where}:{current.start_mark.line + 1}",
            )
        inner = path | {id(current)}
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in current.value:
                # PyYAML keeps the last of two equal keys without a word: a hand-edited
                # scenario would then silently lose the first value.
                if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                    if key_node.value in keys:
                        raise ScenarioError(
                            f"key {key_node.value!r} appears twice in the same mapping",
                            where=f"{where}:{key_node.start_mark.line + 1}",
                        )
                    keys.add(key_node.value)
                stack.append((key_node, depth + 1, inner))
                stack.append((value_node, depth + 1, inner))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, depth + 1, inner) for item in current.value)


def _parse_yaml(text: str, where: str) -> tuple[dict[str, Any], dict[FieldPath, int]]:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_yaml_graph(node, where)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = str(error.problem or error)
        if "nesting depth" in problem:  # libyaml's own limit
            problem = f"nested too deeply ({problem})"
        raise ScenarioError(f"not valid YAML: {problem}", where=f"{where}{line}") from None
    except yaml.YAMLError as error:
        raise ScenarioError(f"not valid YAML: {error}", where=where) from None
    except RecursionError:
        raise ScenarioError("not valid YAML: nested too deeply", where=where) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"expected a mapping of scenario fields at the top, got {type(data).__name__}",
            where=where,
        )
    lines: dict[FieldPath, int] = {}
    _line_map(node, (), lines)
    return data, lines


def _line_map(node: yaml.Node | None, path: FieldPath, lines: dict[FieldPath, int]) -> None:
    if node is None:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines)
