"""Loaders for battle data: Engel's Iwo Jima inputs, battle tables and CDB90.

The *battle table* format a user can bring is a CSV with one battle per row and the
columns ``a0, ac, b0, bc`` (initial strength and battle casualties of sides A and B,
men) and optionally ``year``, ``name`` and ``duration`` (days). Every loader takes
paths; errors are :class:`~ceasefire._errors.InputError` naming the file, row and
column.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.battles._series import _read_rows
from ceasefire.battles._series import read_number as _number

__all__ = [
    "BattleTable",
    "EngelInputs",
    "PiecewiseConstantRate",
    "load_battle_table",
    "load_cdb90",
    "load_engel_inputs",
    "load_reinforcement_schedule",
]

FloatArray = npt.NDArray[np.float64]


def _read(path: Path, required: Iterable[str]) -> list[dict[str, str]]:
    header, rows = _read_rows(path)
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", where=str(path))
    return rows


@dataclass(frozen=True)
class PiecewiseConstantRate:
    """A rate that is ``rates[i]`` on ``[starts[i], ends[i])`` and 0 elsewhere."""

    starts: FloatArray
    ends: FloatArray
    rates: FloatArray

    def __call__(self, t: float) -> float:
        """Return the rate at time ``t`` (right-continuous)."""
        inside = (self.starts <= t) & (t < self.ends)
        return float(np.sum(self.rates[inside]))

    def total(self) -> float:
        """Return the integral of the rate over all intervals."""
        return float(np.sum(self.rates * (self.ends - self.starts)))


@dataclass(frozen=True)
class EngelInputs:
    """Engel (1954) Iwo Jima square-law inputs (US = side A, Japanese = side B).

    ``a`` multiplies the US losses (``dUS/dt = −a·JAP + P(t)``), ``b`` the Japanese
    losses (``dJAP/dt = −b·US``).
    """

    a: float
    b: float
    us_initial: float
    japanese_initial: float
    duration_days: float


def load_engel_inputs(path: str | Path) -> EngelInputs:
    """Load ``engel1954_model_inputs.csv`` (columns ``name, value``)."""
    path = Path(path)
    rows = _read(path, ("name", "value"))
    values = {
        row["name"]: _number(row["value"], f"{path}:{i}", "value")
        for i, row in enumerate(rows, start=2)
    }
    keys = {
        "a": "a_japanese_on_us",
        "b": "b_us_on_japanese",
        "us_initial": "us_initial_strength",
        "japanese_initial": "japanese_initial_strength",
        "duration_days": "battle_duration",
    }
    missing = [name for name in keys.values() if name not in values]
    if missing:
        raise InputError(f"missing row(s) {', '.join(missing)}", where=str(path), field="name")
    return EngelInputs(**{field: values[name] for field, name in keys.items()})


def load_reinforcement_schedule(path: str | Path) -> PiecewiseConstantRate:
    """Load a piecewise-constant reinforcement rate (``engel1954_us_reinforcements.csv``).

    Columns: ``t_start_day, t_end_day, us_inflow_men_per_day``; ``t_end_day`` must
    exceed ``t_start_day``.
    """
    path = Path(path)
    columns = ("t_start_day", "t_end_day", "us_inflow_men_per_day")
    rows = _read(path, columns)
    table: dict[str, list[float]] = {column: [] for column in columns}
    for index, row in enumerate(rows, start=2):
        where = f"{path}:{index}"
        for column in columns:
            table[column].append(_number(row[column], where, column))
        if table["t_end_day"][-1] <= table["t_start_day"][-1]:
            raise InputError("must exceed t_start_day", where=where, field="t_end_day")
    return PiecewiseConstantRate(
        np.array(table["t_start_day"]),
        np.array(table["t_end_day"]),
        np.array(table["us_inflow_men_per_day"]),
    )


@dataclass(frozen=True)
class BattleTable:
    """One battle per entry: initial strengths ``a0, b0`` and casualties ``ac, bc``.

    ``year`` and ``duration`` are NaN where unknown; ``name`` is empty where unknown.
    """

    a0: FloatArray
    ac: FloatArray
    b0: FloatArray
    bc: FloatArray
    year: FloatArray
    duration: FloatArray
    name: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.a0)


_TABLE_REQUIRED = ("a0", "ac", "b0", "bc")


def load_battle_table(path: str | Path) -> BattleTable:
    """Load a battle table CSV (``a0, ac, b0, bc`` and optionally ``year, name, duration``)."""
    path = Path(path)
    rows = _read(path, _TABLE_REQUIRED)
    columns: dict[str, list[float]] = {c: [] for c in (*_TABLE_REQUIRED, "year", "duration")}
    names: list[str] = []
    for index, row in enumerate(rows, start=2):
        where = f"{path}:{index}"
        for column in _TABLE_REQUIRED:
            columns[column].append(_number(row[column], where, column))
        for column in ("year", "duration"):
            text = (row.get(column) or "").strip()
            negative_ok = column == "year"
            value = _number(text, where, column, negative_ok=negative_ok) if text else math.nan
            columns[column].append(value)
        names.append((row.get("name") or "").strip())
    return _table(columns, names)


def _table(columns: dict[str, list[float]], names: list[str]) -> BattleTable:
    arrays = {key: np.array(values, dtype=np.float64) for key, values in columns.items()}
    return BattleTable(name=tuple(names), **arrays)


def load_cdb90(
    battles: str | Path, belligerents: str | Path, durations: str | Path | None = None
) -> BattleTable:
    """Build a battle table from CDB90 (``battles.csv``, ``belligerents.csv``, durations).

    Side A is the attacker (``attacker = 1``), side B the defender. Only complete
    battles are kept: one attacker and one defender row, each with ``intst`` (initial
    strength) and ``cas`` (casualties). ``year`` comes from ``battle_durations.csv``
    (``datetime_min``) and ``duration`` from its ``duration1`` (days), where given.
    """
    battles, belligerents = Path(battles), Path(belligerents)
    names = {
        row["isqno"]: (row.get("name") or "").strip() for row in _read(battles, ("isqno", "name"))
    }
    sides: dict[str, dict[int, tuple[float, float] | None]] = {}
    rows = _read(belligerents, ("isqno", "attacker", "intst", "cas"))
    for index, row in enumerate(rows, start=2):
        where = f"{belligerents}:{index}"
        isqno = row["isqno"]
        if isqno not in names:
            raise InputError(f"battle {isqno!r} is not in {battles}", where=where, field="isqno")
        role = int(_number(row["attacker"], where, "attacker"))
        if role not in (0, 1):
            raise InputError(
                f"expected 0 or 1, got {row['attacker']!r}", where=where, field="attacker"
            )
        strength, casualties = (row["intst"] or "").strip(), (row["cas"] or "").strip()
        value = None
        if strength and casualties:
            value = (_number(strength, where, "intst"), _number(casualties, where, "cas"))
        sides.setdefault(isqno, {})[role] = value
    year: dict[str, float] = {}
    duration: dict[str, float] = {}
    if durations is not None:
        durations = Path(durations)
        for index, row in enumerate(_read(durations, ("isqno", "duration1")), start=2):
            where = f"{durations}:{index}"
            text = (row["duration1"] or "").strip()
            if text:
                duration[row["isqno"]] = _number(text, where, "duration1")
            stamp = (row.get("datetime_min") or "").strip()
            if stamp[:4].isdigit():
                year[row["isqno"]] = float(stamp[:4])
    columns: dict[str, list[float]] = {c: [] for c in (*_TABLE_REQUIRED, "year", "duration")}
    kept: list[str] = []
    for isqno, by_role in sides.items():
        attacker, defender = by_role.get(1), by_role.get(0)
        if attacker is None or defender is None:
            continue
        columns["a0"].append(attacker[0])
        columns["ac"].append(attacker[1])
        columns["b0"].append(defender[0])
        columns["bc"].append(defender[1])
        columns["year"].append(year.get(isqno, math.nan))
        columns["duration"].append(duration.get(isqno, math.nan))
        kept.append(names[isqno])
    if not kept:
        raise InputError("no complete battles", where=str(belligerents))
    return _table(columns, kept)
