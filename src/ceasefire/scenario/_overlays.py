"""Overlays and proposed deals: small YAML files that refer to a scenario.

An *overlay* changes a scenario: ``overrides`` maps dotted field paths (those
``--set`` takes) to values, each with its source or assumption; a path may name a
field that is not there yet (a new channel, a recruitment schedule). A *belief
overlay* gives one side its own view of the war; a *what-if* (``belarus-joins``,
``bonus-cut``, ...) changes the world, and what-ifs compose (``--with a --with b``).
A
*deal* names, for every bargaining issue, the first side's share (``front``: the line
held at the decision month).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ceasefire._errors import InputError
from ceasefire.scenario._files import PRESETS_DIR, FieldPath, read_document

__all__ = [
    "Deal",
    "Overlay",
    "deal_names",
    "load_deal",
    "load_overlay",
    "load_whatif",
    "overlay_names",
    "read_preset_file",
    "whatif_names",
]


@dataclass(frozen=True)
class Overlay:
    """Overrides applied to a scenario: one side's beliefs, or a what-if."""

    name: str
    description: str
    overrides: tuple[str, ...]
    path: str = ""
    """The file it was read from (named in error messages)."""


@dataclass(frozen=True)
class Deal:
    """A proposed settlement: the first side's share of each issue."""

    name: str
    issues: dict[str, float | str]


_KINDS = {
    "beliefs": "belief overlay",
    "deals": "deal",
    "whatifs": "what-if",
    "records": "negotiation record",
}


def overlay_names() -> list[str]:
    """Return the names of the shipped belief overlays."""
    return sorted(p.stem for p in (PRESETS_DIR / "beliefs").glob("*.yaml"))


def deal_names() -> list[str]:
    """Return the names of the shipped deals (``--deal NAME``)."""
    return sorted(p.stem for p in (PRESETS_DIR / "deals").glob("*.yaml"))


def record_names() -> list[str]:
    """Return the names of the shipped negotiation records (``bargain --offers NAME``)."""
    return sorted(p.stem for p in (PRESETS_DIR / "records").glob("*.yaml"))


def whatif_names() -> list[str]:
    """Return the names of the shipped what-if overlays."""
    return sorted(p.stem for p in (PRESETS_DIR / "whatifs").glob("*.yaml"))


def read_preset_file(
    source: str | Path, folder: str
) -> tuple[dict[str, Any], dict[FieldPath, int], str]:
    """Read a YAML file given by path or by the name of one shipped in ``presets/<folder>``.

    Returns its data, each field's line, and the path read (for error messages).
    """
    path = Path(source)
    if not path.is_file():
        shipped = PRESETS_DIR / folder / f"{source}.yaml"
        if isinstance(source, str) and shipped.is_file():
            path = shipped
        else:
            names = sorted(p.stem for p in (PRESETS_DIR / folder).glob("*.yaml"))
            raise InputError(
                f"no such file, and no shipped {_KINDS[folder]} of that name; shipped: "
                + ", ".join(names),
                where=str(source),
            )
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError("expected a YAML file", where=str(path))
    data, lines = read_document(path)
    return data, lines, str(path)


def _file(source: str | Path, folder: str) -> tuple[dict[str, Any], str]:
    data, _, where = read_preset_file(source, folder)
    return data, where


def load_overlay(source: str | Path) -> Overlay:
    """Load a belief overlay from a YAML file or a shipped name."""
    return _overlay(*_file(source, "beliefs"))


def load_whatif(source: str | Path) -> Overlay:
    """Load a what-if overlay from a YAML file or a shipped name (``whatif_names()``)."""
    return _overlay(*_file(source, "whatifs"))


def _overlay(data: dict[str, Any], where: str) -> Overlay:
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
        path=where,
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
