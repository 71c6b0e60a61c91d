"""Load scenarios from YAML or TOML files and shipped presets, with clear errors.

A load error names the file, the line where it is known, and the dotted field
path (the same path that ``--set`` takes), and says what was expected.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ceasefire._errors import ScenarioError
from ceasefire.scenario._files import PRESETS_DIR, FieldPath, _Loader, read_document
from ceasefire.scenario._overlays import load_whatif
from ceasefire.scenario._params import DISTRIBUTIONS
from ceasefire.scenario._schema import Scenario, ScenarioFieldError

__all__ = [
    "DEFAULT_PRESET",
    "apply_overrides",
    "json_schema",
    "load_scenario",
    "preset_names",
    "preset_path",
    "scenario_from_dict",
    "scenario_hash",
]

DEFAULT_PRESET = "russia-ukraine-2024-11"

Path_ = FieldPath


def preset_names() -> list[str]:
    """Return the names of the scenarios shipped with ceasefire."""
    return sorted(path.stem for path in PRESETS_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    """Return the file of the preset ``name``."""
    path = PRESETS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise ScenarioError(
            f"no preset named {name!r}; presets: {', '.join(preset_names())}", where=name
        )
    return path


def load_scenario(
    source: str | Path | Scenario | None = None,
    *,
    overrides: Sequence[str] = (),
    whatifs: Sequence[str | Path] = (),
    notes: list[str] | None = None,
) -> Scenario:
    """Load a scenario from a file path, a preset name, or return a given one.

    ``whatifs`` are what-if overlays (shipped names such as ``belarus-joins``, or
    overlay files), applied in order; the scenario's name gets their names appended
    (``russia-ukraine-2024-11.belarus-joins``). ``overrides`` are ``path=value``
    strings, as given to ``--set``, applied after them: the value is read as YAML;
    a number put on a parameter replaces it by that fixed number, labelled as an
    assumption made on the command line.

    A parameter that an overlay or ``--set`` fixes to a number leaves its
    ``correlations:`` group (a number has no rank to correlate); each such change is
    appended to ``notes`` as a sentence, for the command line to print.
    """
    if isinstance(source, Scenario):
        if not overrides and not whatifs:
            return source
        data = source.model_dump(mode="json", exclude_none=True)
        where, lines = "<scenario>", None
    else:
        path = _resolve(DEFAULT_PRESET if source is None else source)
        data, lines = read_document(path)
        where = str(path)
    # (field path, overlay file or "--set path=value"), in the order applied
    overlaid: list[tuple[str, str]] = []
    if whatifs:
        names = []
        for whatif in whatifs:
            overlay = load_whatif(whatif)
            data = apply_overrides(data, overlay.overrides, where=overlay.path)
            names.append(re.sub(r"[^a-z0-9_.-]+", "-", overlay.name.lower()).strip("-."))
            overlaid.extend(
                (item.partition("=")[0].strip(), overlay.path) for item in overlay.overrides
            )
        if isinstance(data.get("name"), str):
            data["name"] = ".".join([data["name"], *names])
    data = apply_overrides(data, overrides)
    overlaid.extend((item.partition("=")[0].strip(), f"--set {item}") for item in overrides)
    # The title says what ran: tables, summary.json and the ensemble's attributes show it.
    changes = []
    if whatifs:
        changes.append("what-ifs: " + ", ".join(names))
    if overrides:
        changes.append("; ".join(f"--set {item.strip()}" for item in overrides))
    if changes and isinstance(data.get("title"), str):
        data["title"] = f"{data['title']} ({'; '.join(changes)})"
    _uncorrelate_fixed(data, overlaid, notes)
    try:
        return scenario_from_dict(data, where=where, lines=lines)
    except ScenarioError as error:
        # A bad value an overlay or --set put in is their mistake: name the overlay file or
        # the --set argument, with a path that --set accepts (the one it was given, when the
        # problem lies inside the value it set).
        field = error.field or ""
        origin = next(
            (
                (dotted, by)
                for dotted, by in reversed(overlaid)
                if f"{field}.".startswith(f"{dotted}.")
            ),
            None,
        )
        if origin is None:
            raise
        dotted, by = origin
        shown = dotted if by.startswith("--set ") else error.field
        raise ScenarioError(error.message, where=by, field=shown) from None


def _uncorrelate_fixed(
    data: dict[str, Any], overlaid: Sequence[tuple[str, str]], notes: list[str] | None
) -> None:
    """Drop from ``correlations:`` the parameters an overlay or ``--set`` fixed to a number.

    A correlation joins distributions through their ranks; a fixed number has none, so the
    group goes on without it (its row and column of a ``rank:`` matrix removed), and a
    group left with one parameter is dropped.
    """
    groups = data.get("correlations")
    if not overlaid or not isinstance(groups, list):
        return
    origins = dict(overlaid)
    kept: list[Any] = []
    for group in groups:
        names = group.get("parameters") if isinstance(group, dict) else None
        if not isinstance(names, list):
            kept.append(group)
            continue
        fixed = [
            i
            for i, name in enumerate(names)
            if isinstance(name, str) and name in origins and _is_fixed_at(data, name)
        ]
        if not fixed:
            kept.append(group)
            continue
        rest = [name for i, name in enumerate(names) if i not in fixed]
        for i in fixed:
            left = (
                f"the group goes on with {', '.join(map(str, rest))}"
                if len(rest) >= 2
                else f"its correlation with {', '.join(map(str, rest))} is dropped"
            )
            if notes is not None:
                notes.append(
                    f"{origins[names[i]]} fixes {names[i]} to a number, so it leaves its "
                    f"correlation group ({left})"
                )
        if len(rest) < 2:
            continue
        rank = group.get("rank")
        if isinstance(rank, list):
            rank = [
                [value for j, value in enumerate(row) if j not in fixed]
                for i, row in enumerate(rank)
                if i not in fixed and isinstance(row, list)
            ]
        kept.append({**group, "parameters": rest, "rank": rank})
    if kept:
        data["correlations"] = kept
    else:
        del data["correlations"]


def _is_fixed_at(data: Any, dotted: str) -> bool:
    node = data
    for part in dotted.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return isinstance(node, dict) and "value" in node and "dist" not in node


def _resolve(source: str | Path) -> Path:
    path = Path(source)
    if path.is_dir():
        raise ScenarioError(
            "is a directory; expected a YAML or TOML scenario file", where=str(path)
        )
    if path.is_file():
        return path
    if isinstance(source, str) and (PRESETS_DIR / f"{source}.yaml").is_file():
        return PRESETS_DIR / f"{source}.yaml"
    near = difflib.get_close_matches(str(source), preset_names(), n=1)
    hint = f" (did you mean preset {near[0]!r}?)" if near else ""
    raise ScenarioError(
        f"no such file, and no preset of that name{hint}; presets: {', '.join(preset_names())}",
        where=str(source),
    )


def apply_overrides(
    data: dict[str, Any], overrides: Iterable[str], *, where: str = "--set"
) -> dict[str, Any]:
    """Apply ``path=value`` overrides to raw scenario data (a copy is returned).

    ``where`` names the origin of the overrides in error messages (``--set``, or the
    overlay file they come from).
    """
    data = json.loads(json.dumps(data, default=str))
    for override in overrides:
        if "=" not in override:
            raise ScenarioError(f"expected path=value, got {override!r}", where=where)
        dotted, _, text = override.partition("=")
        path = _split_path(dotted.strip(), where)
        try:
            value = yaml.load(text, Loader=_Loader) if text.strip() else None
        except yaml.constructor.ConstructorError as error:
            raise ScenarioError(str(error.problem), where=where, field=dotted) from None
        except yaml.YAMLError:
            value = text
        if value is None:
            raise ScenarioError(f"no value given for {dotted!r}", where=where)
        _set_path(data, path, value, override, where)
    return data


def _split_path(dotted: str, where: str) -> list[str | int]:
    if not dotted:
        raise ScenarioError("empty path", where=where)
    return [int(part) if part.isdigit() else part for part in dotted.split(".")]


def _set_path(data: Any, path: list[str | int], value: Any, override: str, where: str) -> None:
    node = data
    for depth, key in enumerate(path):
        here = ".".join(str(p) for p in path[: depth + 1])
        last = depth == len(path) - 1
        if isinstance(node, dict):
            if key not in node and not last:
                near = difflib.get_close_matches(str(key), [str(k) for k in node], n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise ScenarioError(
                    f"no field {here!r} in the scenario{hint}", where=where, field=here
                )
            if last:
                current = node.get(key)
                if isinstance(current, dict) and _is_param(current) and not isinstance(value, dict):
                    node[key] = _fixed_from_override(current, value, override)
                else:
                    node[key] = value
                return
            node = node[key]
        elif isinstance(node, list):
            if not isinstance(key, int) or not 0 <= key < len(node):
                raise ScenarioError(f"expected an index below {len(node)}", where=where, field=here)
            if last:
                node[key] = value
                return
            node = node[key]
        else:
            raise ScenarioError("is not a table of fields", where=where, field=here)


def _is_param(node: Any) -> bool:
    return isinstance(node, dict) and ("value" in node or node.get("dist") in DISTRIBUTIONS)


def _fixed_from_override(current: dict[str, Any], value: Any, override: str) -> dict[str, Any]:
    fixed: dict[str, Any] = {
        "value": value,
        "assumption": f"set on the command line: --set {override}",
    }
    if "unit" in current:
        fixed["unit"] = current["unit"]
    return fixed


def scenario_from_dict(
    data: Mapping[str, Any], *, where: str = "<dict>", lines: Mapping[Path_, int] | None = None
) -> Scenario:
    """Validate raw data into a :class:`Scenario`, or raise a :class:`ScenarioError`."""
    lines = lines or {}
    try:
        return Scenario.model_validate(data)
    except ScenarioFieldError as error:
        raise _located(error.message, error.path, where, lines) from None
    except ValidationError as error:
        problems = error.errors(include_url=False)
        # An unknown key usually explains a "missing" one next to it (a typo): report it first.
        problems.sort(key=lambda problem: problem["type"] != "extra_forbidden")
        first = problems[0]
        path = _clean_loc(data, first["loc"])
        if first["type"].startswith("union_tag"):
            path = (*path, str(first.get("ctx", {}).get("discriminator", "")).strip("'"))
        elif first["type"] == "unknown_distribution":
            path = (*path, "dist")
        message = _explain(first, path)
        if len(problems) > 1:
            # Every problem is listed, so one run of `validate` shows all there is to fix.
            others = []
            for problem in problems[1:]:
                where_ = _clean_loc(data, problem["loc"])
                dotted = ".".join(str(p) for p in where_) or "(top level)"
                line = lines.get(where_) if where_ in lines else None
                at = f" (line {line})" if line else ""
                others.append(f"{dotted}{at}: {_explain(problem, where_)}")
            count = len(others)
            message += f" (and {count} more problem{'s' * (count > 1)}: {'; '.join(others)})"
        raise _located(message, path, where, lines) from None


def _located(message: str, path: Path_, where: str, lines: Mapping[Path_, int]) -> ScenarioError:
    probe = path
    while probe and probe not in lines:
        probe = probe[:-1]
    line = lines.get(probe) if probe else None
    located = f"{where}:{line}" if line else where
    dotted = ".".join(str(p) for p in path) or None
    return ScenarioError(message, where=located, field=dotted)


def _clean_loc(data: Any, loc: Sequence[str | int]) -> Path_:
    """Drop the union tags pydantic puts in error locations (``uniform``, ``square``…)."""
    path: list[str | int] = []
    node = data
    # pydantic puts a tagged union's tag right after the union's own location, once; the
    # tag can also be a field name (combat `law: exchange_ratio` has a field
    # `exchange_ratio`), so it is skipped once per node, not by whether the key exists.
    tag_skipped = False
    for part in loc:
        if (
            isinstance(node, dict)
            and not tag_skipped
            and part
            in (
                node.get("dist", "fixed" if "value" in node else None),
                node.get("law"),
            )
        ):
            tag_skipped = True
            continue
        if part in ("function-after[check(), ...]",) or str(part).startswith("function-"):
            continue
        tag_skipped = False
        path.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(path)


def _all_field_names(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for sub in _models_in(field.annotation):
            names |= _all_field_names(sub, seen)
    return names


def _models_in(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _models_in(origin)
    for meta in getattr(annotation, "__metadata__", ()) or ():
        yield from _models_in(meta)


def _explain(problem: Mapping[str, Any], path: Path_) -> str:
    kind = problem["type"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else ""
        near = difflib.get_close_matches(key, sorted(_all_field_names(Scenario)), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        return f"unknown key {key!r}{hint}"
    if kind == "missing":
        return "missing required field"
    message = str(problem["msg"])
    message = message.removeprefix("Value error, ")
    if kind not in ("value_error", "assertion_error") and "input" in problem:
        shown = repr(problem["input"])
        if len(shown) < 60:
            message += f" (got {shown})"
    return message


def scenario_hash(scenario: Scenario) -> str:
    """Return the sha256 of the scenario's canonical JSON form (file layout does not matter)."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of scenario files."""
    return Scenario.model_json_schema()
