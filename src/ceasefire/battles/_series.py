"""Daily two-sided battle series: the documented CSV format, and the Ardennes file.

The *daily series* format a user can bring is a CSV with the columns
``day, a_forces, a_casualties, b_forces, b_casualties`` and optionally
``a_reinforcements, b_reinforcements, attacker`` (``a`` or ``b``, or ``1``/``-1``
meaning side A attacks / side B attacks). Forces are men at the start of the day;
casualties are combat casualties during that day.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError

__all__ = ["DailySeries", "load_ardennes", "load_daily_series", "read_number"]

FloatArray = npt.NDArray[np.float64]

_REQUIRED = ("day", "a_forces", "a_casualties", "b_forces", "b_casualties")
_OPTIONAL = ("a_reinforcements", "b_reinforcements", "attacker")


@dataclass(frozen=True)
class DailySeries:
    """A two-sided daily battle record; ``attacker`` is +1 where A attacks, −1 where B does."""

    name: str
    day: FloatArray
    a_forces: FloatArray
    a_casualties: FloatArray
    b_forces: FloatArray
    b_casualties: FloatArray
    a_reinforcements: FloatArray | None = None
    b_reinforcements: FloatArray | None = None
    attacker: FloatArray | None = None
    side_names: tuple[str, str] = ("a", "b")

    def __len__(self) -> int:
        return len(self.day)


def read_number(text: str | None, where: str, field: str, *, negative_ok: bool = False) -> float:
    """Read one CSV cell as a finite number (negative only with ``negative_ok``).

    Errors name the file and row (``where``) and the column (``field``).
    """
    raw = (text or "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"expected a number, got {raw!r}", where=where, field=field) from None
    if not math.isfinite(value):
        raise InputError(f"expected a finite number, got {raw!r}", where=where, field=field)
    if value < 0 and not negative_ok:
        raise InputError(f"must not be negative, got {raw!r}", where=where, field=field)
    return value


def _attacker(text: str, where: str) -> float:
    value = text.strip().lower()
    if value in ("a", "1", "+1"):
        return 1.0
    if value in ("b", "-1"):
        return -1.0
    raise InputError(f"expected a, b, 1 or -1, got {text!r}", where=where, field="attacker")


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        raise InputError("no such file", where=str(path))
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; expected a CSV file", where=str(path)) from None
    except csv.Error as error:
        raise InputError(f"not a valid CSV file: {error}", where=str(path)) from None
    if not rows:
        raise InputError("no data rows", where=str(path))
    return header, rows


def _series(
    name: str,
    columns: dict[str, list[float]],
    path: Path,
    side_names: tuple[str, str] = ("a", "b"),
) -> DailySeries:
    arrays = {key: np.asarray(values, dtype=np.float64) for key, values in columns.items()}
    day = arrays["day"]
    # Row i of the data is line i + 2 of the file (after the header), as in the row errors.
    backwards = np.flatnonzero(np.diff(day) <= 0)
    if backwards.size:
        raise InputError(
            "days must increase from row to row", where=f"{path}:{backwards[0] + 3}", field="day"
        )
    for key in ("a_forces", "a_casualties", "b_forces", "b_casualties"):
        negative = np.flatnonzero(arrays[key] < 0)
        if negative.size:
            raise InputError("must not be negative", where=f"{path}:{negative[0] + 2}", field=key)
    return DailySeries(
        name=name,
        day=day,
        a_forces=arrays["a_forces"],
        a_casualties=arrays["a_casualties"],
        b_forces=arrays["b_forces"],
        b_casualties=arrays["b_casualties"],
        a_reinforcements=arrays.get("a_reinforcements"),
        b_reinforcements=arrays.get("b_reinforcements"),
        attacker=arrays.get("attacker"),
        side_names=side_names,
    )


def load_daily_series(path: str | Path) -> DailySeries:
    """Load a daily series in the documented format (errors name the file, row and column)."""
    path = Path(path)
    header, rows = _read_rows(path)
    missing = [column for column in _REQUIRED if column not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; expected {', '.join(_REQUIRED)} "
            f"and optionally {', '.join(_OPTIONAL)}",
            where=str(path),
        )
    present = [c for c in (*_REQUIRED, *_OPTIONAL) if c in header]
    columns: dict[str, list[float]] = {c: [] for c in present}
    for index, row in enumerate(rows, start=2):
        where = f"{path}:{index}"
        for column in present:
            text = row.get(column) or ""
            if column == "attacker":
                columns[column].append(_attacker(text, where))
            else:
                columns[column].append(read_number(text, where, column, negative_ok=True))
    return _series(path.stem, columns, path)


def load_ardennes(path: str | Path) -> DailySeries:
    """Load the Wiper–Pettit–Young Ardennes series (A = Allied, B = German).

    The attack indicator follows the source notebook: the Germans attack on the first
    five days of the file (days 2–6), the Allies afterwards.
    """
    path = Path(path)
    header, rows = _read_rows(path)
    expected = ("day", "allied_forces", "allied_casualties", "german_forces", "german_casualties")
    missing = [c for c in expected if c not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", where=str(path))
    columns: dict[str, list[float]] = {
        key: [] for key in ("day", "a_forces", "a_casualties", "b_forces", "b_casualties")
    }
    mapping = {
        "day": "day",
        "a_forces": "allied_forces",
        "a_casualties": "allied_casualties",
        "b_forces": "german_forces",
        "b_casualties": "german_casualties",
    }
    for index, row in enumerate(rows, start=2):
        for key, column in mapping.items():
            where = f"{path}:{index}"
            columns[key].append(read_number(row[column], where, column, negative_ok=True))
    columns["attacker"] = [-1.0 if i < 5 else 1.0 for i in range(len(rows))]
    return _series("ardennes", columns, path, side_names=("allied", "german"))
