"""Belief overlays and proposed deals: small YAML files that refer to a scenario.

A *belief overlay* gives one side its own view of the war: ``overrides`` maps dotted
field paths (those ``--set`` takes) to values, each with its source or assumption. A
*deal* names, for every bargaining issue, the first side's share (``front``: the line
held at the decision month).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ceasefire._errors import InputError
from ceasefire.scenario._load import PRESETS_DIR, _read

__all__ = ["Deal", "Overlay", "load_deal", "load_overlay", "overlay_names"]


@dataclass(frozen=True)
class Overlay:
    """One side's beliefs: overrides applied to the scenario."""

    name: str
    description: str
    overrides: tuple[str, ...]


@dataclass(frozen=True)
class Deal:
    """A proposed settlement: the first side's share of each issue."""

    name: str
    issues: dict[str, float | str]


def overlay_names() -> list[str]:
    """Return the names of the shipped belief overlays."""
    return sorted(p.stem for p in (PRESETS_DIR / "beliefs").glob("*.yaml"))


def _file(source: str | Path, folder: str) -> tuple[dict[str, Any], str]:
    path = Path(source)
    if not path.is_file():
        shipped = PRESETS_DIR / folder / f"{source}.yaml"
        if isinstance(source, str) and shipped.is_file():
            path = shipped
        else:
            names = sorted(p.stem for p in (PRESETS_DIR / folder).glob("*.yaml"))
            raise InputError(
                f"no such file, and no shipped {folder[:-1]} of that name; shipped: "
                + ", ".join(names),
                where=str(source),
            )
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError("expected a YAML file", where=str(path))
    data, _ = _read(path)
    return data, str(path)


def load_overlay(source: str | Path) -> Overlay:
    """Load a belief overlay from a YAML file or a shipped name."""
    data, where = _file(source, "beliefs")
    unknown = set(data) - {"name", "description", "overrides"}
    if unknown:
        raise InputError(f"unknown key {sorted(unknown)[0]!r}", where=where)
    overrides = data.get("overrides")
    if not isinstance(overrides, dict) or not overrides:
        raise InputError("expected `overrides:`, a mapping of field paths to values", where=where)
    return Overlay(
        name=str(data.get("name", Path(where).stem)),
        description=str(data.get("description", "")),
        overrides=tuple(
            f"{path}={json.dumps(value, default=str)}" for path, value in overrides.items()
        ),
    )


def load_deal(source: str | Path, issues: dict[str, str]) -> Deal:
    """Load a deal from a YAML file or a shipped name and check it against ``issues``.

    ``issues`` maps each issue of the scenario to its kind (``continuous`` or ``binary``).
    """
    data, where = _file(source, "deals")
    unknown = set(data) - {"name", "issues"}
    if unknown:
        raise InputError(f"unknown key {sorted(unknown)[0]!r}", where=where)
    terms = data.get("issues")
    if not isinstance(terms, dict):
        raise InputError("expected `issues:`, a mapping of issue names to shares", where=where)
    if set(terms) != set(issues):
        missing = sorted(set(issues) - set(terms))
        extra = sorted(set(terms) - set(issues))
        detail = f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(extra)}"
        raise InputError(
            f"the deal must name every issue of the scenario ({', '.join(issues)}): {detail}",
            where=where,
            field="issues",
        )
    checked: dict[str, float | str] = {}
    for name, value in terms.items():
        field = f"issues.{name}"
        if value == "front":
            checked[name] = "front"
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError("expected `front` or a share in [0, 1]", where=where, field=field)
        if not 0.0 <= float(value) <= 1.0:
            raise InputError(f"expected a share in [0, 1], got {value}", where=where, field=field)
        if issues[name] == "binary" and float(value) not in (0.0, 1.0):
            raise InputError(f"a binary issue takes 0 or 1, got {value}", where=where, field=field)
        checked[name] = float(value)
    return Deal(name=str(data.get("name", Path(where).stem)), issues=checked)
