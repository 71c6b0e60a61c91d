"""Loaders for the observation files; bad files raise InputError with file, line and field.

Formats (none of them needs the project's shared data folder; any copy of the files works):

- **General Staff** (``general_staff``): the JSON array of the PetroIvaniuk
  ``2022-Ukraine-Russia-War-Dataset`` (``russia_losses_personnel.json``), one object per day
  with ``date`` and the cumulative ``personnel`` claim. Days must be consecutive.
- **Mediazona/BBC** (``mediazona``): a JSON object keyed by ``YYYY-MM-DD`` (daily file) or
  ``YYYY-MM`` (monthly file), each value ``{"deaths": n, ...}``; named deaths by date of death.
- **Contract claims** (``contracts``): the CSV of official Russian contract counts
  (``claim_id, period_start, as_of_date, ..., contracts_signed, ...``), each row cumulative from
  its ``period_start`` to its ``as_of_date``. Rows without an ``as_of_date`` are skipped (their
  period is unknown) and named in the series' notes.
- **Generic CSV**: a header ``date,value`` and one row per reading. ``date`` is ``YYYY-MM-DD``
  (a day) or ``YYYY-MM`` (a calendar month). Optional ``# key: value`` comment lines before
  the header set ``kind`` (``cumulative`` or ``per_period``, default ``per_period``),
  ``units`` (default ``men``), ``quantity`` and ``source``. Per-period series must have no
  gaps (a missing day or month is an error, not a zero); cumulative series may be read on
  irregular days but must never decrease.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ceasefire._errors import InputError
from ceasefire.observe._series import Kind, Series

__all__ = [
    "load_contract_claims",
    "load_csv",
    "load_general_staff",
    "load_mediazona",
    "load_series",
]

_DAY = np.timedelta64(1, "D")
_DAY_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_TEXT = re.compile(r"^\d{4}-\d{2}$")
_QUOTED_DATE = re.compile(r'"(\d{4}-\d{2}(?:-\d{2})?)"')

GENERAL_STAFF_SOURCE = (
    "Ukrainian General Staff daily claims of Russian personnel losses, as collected in "
    "PetroIvaniuk/2022-Ukraine-Russia-War-Dataset (MIT)"
)
MEDIAZONA_SOURCE = (
    "Mediazona/BBC Russian Service: named, confirmed Russian military deaths by date of death, "
    "as collected in ukrainewarlosses/ukrwarlosses (a lower bound)"
)
CONTRACTS_SOURCE = "official Russian statements of military contracts signed (unverified)"


def _where(path: Path, line: int | None = None) -> str:
    return f"{path}:{line}" if line else str(path)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the file: {error}", where=str(path)) from None


def _read_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg}", where=_where(path, error.lineno)) from None


def _date_lines(text: str) -> dict[str, int]:
    """Map each quoted date string to the first line it appears on (for error messages)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _QUOTED_DATE.finditer(line):
            lines.setdefault(match.group(1), number)
    return lines


def _parse_day(text: Any, path: Path, line: int | None, field: str) -> np.datetime64:
    if not isinstance(text, str) or not _DAY_TEXT.match(text):
        raise InputError(
            f"expected a date as YYYY-MM-DD, got {text!r}", where=_where(path, line), field=field
        )
    try:
        return np.datetime64(dt.date.fromisoformat(text).isoformat(), "D")
    except ValueError:
        raise InputError(
            f"{text!r} is not a calendar date", where=_where(path, line), field=field
        ) from None


def _parse_month(text: str, path: Path, line: int | None, field: str) -> np.datetime64:
    try:
        dt.date.fromisoformat(text + "-01")
    except ValueError:
        raise InputError(
            f"{text!r} is not a calendar month", where=_where(path, line), field=field
        ) from None
    return np.datetime64(text, "M")


def _count(value: Any, path: Path, line: int | None, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"expected a number, got {value!r}", where=_where(path, line), field=field)
    number = float(value)
    if not math.isfinite(number):
        raise InputError(
            f"expected a finite number, got {value!r}", where=_where(path, line), field=field
        )
    if number < 0:
        raise InputError(
            f"a count cannot be negative, got {value!r}", where=_where(path, line), field=field
        )
    return number


def _check_order(
    days: Sequence[Any], lines: list[int | None], path: Path, field: str, *, daily: bool
) -> None:
    for i in range(1, len(days)):
        step = (days[i] - days[i - 1]) // _DAY
        if step <= 0:
            raise InputError(
                f"{days[i]} comes after {days[i - 1]}: dates must increase",
                where=_where(path, lines[i]),
                field=field,
            )
        if daily and step > 1:
            raise InputError(
                f"gap: no reading from {days[i - 1] + _DAY} to {days[i] - _DAY}",
                where=_where(path, lines[i]),
                field=field,
            )


def _check_cumulative(values: list[float], lines: list[int | None], path: Path, field: str) -> None:
    for i in range(1, len(values)):
        if values[i] < values[i - 1]:
            raise InputError(
                f"a cumulative series cannot decrease: {values[i]:g} after {values[i - 1]:g}",
                where=_where(path, lines[i]),
                field=field,
            )


def load_general_staff(path: str | Path, *, name: str = "general_staff") -> Series:
    """Read the General Staff daily cumulative personnel claim (PetroIvaniuk JSON).

    The claim is usually read as Russian *casualties* (killed + wounded) since 2022-02-24,
    although the dataset calls it "killed". Days must be consecutive and the total must
    never decrease.

    Parameters
    ----------
    path:
        A ``russia_losses_personnel.json`` file.
    name:
        Name of the returned series.

    Returns
    -------
    Series
        Cumulative, in men, one reading per day.

    """
    path = Path(path)
    text = _read_text(path)
    data = _read_json(path, text)
    if not isinstance(data, list) or not data:
        raise InputError("expected a non-empty JSON array of daily objects", where=str(path))
    lines_of = _date_lines(text)
    days: list[np.datetime64] = []
    values: list[float] = []
    lines: list[int | None] = []
    for index, record in enumerate(data):
        if not isinstance(record, dict):
            raise InputError("expected an object", where=str(path), field=f"[{index}]")
        raw_date = record.get("date")
        line = lines_of.get(raw_date) if isinstance(raw_date, str) else None
        if "date" not in record:
            raise InputError("missing `date`", where=str(path), field=f"[{index}].date")
        if "personnel" not in record:
            raise InputError(
                "missing `personnel`", where=_where(path, line), field=f"[{index}].personnel"
            )
        days.append(_parse_day(raw_date, path, line, f"[{index}].date"))
        values.append(_count(record["personnel"], path, line, f"[{index}].personnel"))
        lines.append(line)
    _check_order(days, lines, path, "date", daily=True)
    _check_cumulative(values, lines, path, "personnel")
    stamps = np.array(days, dtype="datetime64[D]")
    return Series(
        name=name,
        kind="cumulative",
        starts=stamps,
        ends=stamps.copy(),
        values=np.array(values),
        units="men",
        quantity="Russian personnel losses (casualties) claimed by the Ukrainian General Staff",
        source=GENERAL_STAFF_SOURCE,
        path=str(path),
    )


def load_mediazona(path: str | Path, *, name: str = "mediazona") -> Series:
    """Read Mediazona/BBC named deaths: a daily (``YYYY-MM-DD``) or monthly (``YYYY-MM``) file.

    Each value is ``{"deaths": n, ...}`` or a bare number. In the daily file, days with no
    deaths are left out (they count as zero when resampled to months).

    Parameters
    ----------
    path:
        A ``daily_*.json`` or ``monthly_*.json`` file.
    name:
        Name of the returned series.

    Returns
    -------
    Series
        Per period (days or calendar months), in men.

    """
    path = Path(path)
    text = _read_text(path)
    data = _read_json(path, text)
    if not isinstance(data, dict) or not data:
        raise InputError(
            'expected a non-empty JSON object keyed by date ({"2024-11-30": {"deaths": n}})',
            where=str(path),
        )
    lines_of = _date_lines(text)
    keys = list(data)
    monthly = bool(_MONTH_TEXT.match(keys[0]))
    starts: list[np.datetime64] = []
    ends: list[np.datetime64] = []
    values: list[float] = []
    lines: list[int | None] = []
    for key in keys:
        line = lines_of.get(key)
        record = data[key]
        value = record.get("deaths") if isinstance(record, dict) else record
        if value is None:
            raise InputError("missing `deaths`", where=_where(path, line), field=f"{key}.deaths")
        if monthly:
            if not _MONTH_TEXT.match(key):
                raise InputError(
                    f"expected a month as YYYY-MM (the file's first key is one), got {key!r}",
                    where=_where(path, line),
                    field=key,
                )
            month = _parse_month(key, path, line, key)
            start = month.astype("datetime64[D]")
            end = (month + 1).astype("datetime64[D]") - _DAY
        else:
            start = _parse_day(key, path, line, key)
            end = start
        starts.append(start)
        ends.append(end)
        values.append(_count(value, path, line, f"{key}.deaths"))
        lines.append(line)
    if monthly:
        months = [s.astype("datetime64[M]").astype("datetime64[D]") for s in starts]
        # Months must be consecutive: check their index as days of a month-indexed axis.
        month_index = [
            np.datetime64(int(m.astype("datetime64[M]").astype("int64")), "D") for m in months
        ]
        _check_order(month_index, lines, path, "month", daily=True)
    else:
        _check_order(starts, lines, path, "date", daily=False)
    return Series(
        name=name,
        kind="per_period",
        starts=np.array(starts, dtype="datetime64[D]"),
        ends=np.array(ends, dtype="datetime64[D]"),
        values=np.array(values),
        units="men",
        quantity="named Russian military deaths (Mediazona/BBC), by date of death",
        source=MEDIAZONA_SOURCE,
        path=str(path),
    )


def load_contract_claims(path: str | Path, *, name: str = "contracts") -> Series:
    """Read the official contract-count claims CSV (cumulative from each row's period start).

    ``contracts_signed`` plus ``volunteers_extra`` (where given) counts the recruits claimed
    from ``period_start`` to ``as_of_date``; rows with no ``as_of_date`` are skipped and
    named in the notes.

    Parameters
    ----------
    path:
        An ``official_contract_claims.csv`` file.
    name:
        Name of the returned series.

    Returns
    -------
    Series
        Per period (irregular, possibly overlapping spans), in recruits.

    """
    path = Path(path)
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    required = {"claim_id", "period_start", "as_of_date", "contracts_signed"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise InputError(f"missing column(s) {', '.join(sorted(missing))}", where=_where(path, 1))
    starts: list[np.datetime64] = []
    ends: list[np.datetime64] = []
    values: list[float] = []
    notes: list[str] = []
    for row in reader:
        line = reader.line_num
        claim = row["claim_id"] or f"line {line}"
        if not (row.get("as_of_date") or "").strip():
            notes.append(f"{claim}: skipped, no as_of_date (the period it counts is unknown)")
            continue
        start = _parse_day(row["period_start"], path, line, "period_start")
        end = _parse_day(row["as_of_date"], path, line, "as_of_date")
        if end < start:
            raise InputError(
                f"as_of_date {end} is before period_start {start}",
                where=_where(path, line),
                field="as_of_date",
            )
        total = _number_cell(row["contracts_signed"], path, line, "contracts_signed")
        extra = (row.get("volunteers_extra") or "").strip()
        if extra:
            total += _number_cell(extra, path, line, "volunteers_extra")
        starts.append(start)
        ends.append(end)
        values.append(total)
    if not values:
        raise InputError("no row with an as_of_date: nothing to use", where=str(path))
    return Series(
        name=name,
        kind="per_period",
        starts=np.array(starts, dtype="datetime64[D]"),
        ends=np.array(ends, dtype="datetime64[D]"),
        values=np.array(values),
        units="recruits",
        quantity="recruits claimed by Russian officials (contracts signed, cumulative from "
        "each claim's period start)",
        source=CONTRACTS_SOURCE,
        path=str(path),
        notes=tuple(notes),
    )


def _number_cell(text: str, path: Path, line: int, field: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise InputError(
            f"expected a number, got {text!r}", where=_where(path, line), field=field
        ) from None
    return _count(number, path, line, field)


_META_KEYS = ("kind", "units", "quantity", "source")


def load_csv(path: str | Path, *, name: str | None = None) -> Series:
    """Read a generic ``date,value`` CSV (see the module docstring for the format).

    Parameters
    ----------
    path:
        The CSV file.
    name:
        Name of the returned series (default: the file's stem).

    Returns
    -------
    Series
        Cumulative or per period (days or calendar months), as the ``# kind:`` line says.

    """
    path = Path(path)
    text = _read_text(path)
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    body_start = 0
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            key, sep, value = stripped[1:].partition(":")
            key = key.strip().lower()
            if sep and key in _META_KEYS:
                meta[key] = value.strip()
                meta_lines[key] = number
            elif sep:
                raise InputError(
                    f"unknown setting {key!r}: expected one of {', '.join(_META_KEYS)}",
                    where=_where(path, number),
                )
            continue
        body_start = number
        break
    if not body_start:
        raise InputError("no header: expected a line `date,value`", where=str(path))
    kind = meta.get("kind", "per_period")
    if kind not in ("cumulative", "per_period"):
        raise InputError(
            f"kind must be cumulative or per_period, got {kind!r}",
            where=_where(path, meta_lines.get("kind")),
            field="kind",
        )
    header = [cell.strip().lower() for cell in lines[body_start - 1].split(",")]
    if header != ["date", "value"]:
        raise InputError(
            f"expected the header `date,value`, got {lines[body_start - 1]!r}",
            where=_where(path, body_start),
        )
    starts: list[np.datetime64] = []
    ends: list[np.datetime64] = []
    values: list[float] = []
    line_numbers: list[int | None] = []
    monthly: bool | None = None
    for number in range(body_start + 1, len(lines) + 1):
        raw = lines[number - 1].strip()
        if not raw or raw.startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split(",")]
        if len(cells) != 2:
            raise InputError(
                f"expected 2 cells (date,value), got {len(cells)}", where=_where(path, number)
            )
        date_text, value_text = cells
        is_month = bool(_MONTH_TEXT.match(date_text))
        if monthly is None:
            monthly = is_month
        if is_month != monthly:
            raise InputError(
                "mixes days and months: use YYYY-MM-DD or YYYY-MM throughout",
                where=_where(path, number),
                field="date",
            )
        if is_month:
            month = _parse_month(date_text, path, number, "date")
            start = month.astype("datetime64[D]")
            end = (month + 1).astype("datetime64[D]") - _DAY
        else:
            start = _parse_day(date_text, path, number, "date")
            end = start
        starts.append(start)
        ends.append(end)
        values.append(_number_cell(value_text, path, number, "value"))
        line_numbers.append(number)
    if not values:
        raise InputError("no data rows after the header", where=str(path))
    resolved_kind: Kind = "cumulative" if kind == "cumulative" else "per_period"
    if monthly and resolved_kind == "cumulative":
        # A cumulative total read at the end of each month.
        starts = list(ends)
    per_period = resolved_kind == "per_period"
    if monthly:
        index = [np.datetime64(int(s.astype("datetime64[M]").astype("int64")), "D") for s in ends]
        _check_order(index, line_numbers, path, "date", daily=per_period)
    else:
        _check_order(ends, line_numbers, path, "date", daily=per_period)
    if not per_period:
        _check_cumulative(values, line_numbers, path, "value")
    return Series(
        name=name or path.stem,
        kind=resolved_kind,
        starts=np.array(starts, dtype="datetime64[D]"),
        ends=np.array(ends, dtype="datetime64[D]"),
        values=np.array(values),
        units=meta.get("units", "men"),
        quantity=meta.get("quantity", "(not stated in the file)"),
        source=meta.get("source", f"file {path.name} (no `# source:` line)"),
        path=str(path),
    )


def load_series(path: str | Path, *, name: str | None = None) -> Series:
    """Read any supported observation file, recognising its format from its content.

    A JSON array of objects with ``personnel`` is a General Staff file; a JSON object keyed
    by dates is a Mediazona file; a CSV with a ``contracts_signed`` column is the contract
    claims table; a CSV headed ``date,occupied_km2`` is a DeepState area file; any other CSV
    is the generic ``date,value`` format.

    Parameters
    ----------
    path:
        The file.
    name:
        Name of the returned series (default: the loader's default name, or the file stem).

    Returns
    -------
    Series
        As returned by the matching loader.

    """
    path = Path(path)
    text = _read_text(path)
    head = text.lstrip()[:1]
    named = {} if name is None else {"name": name}
    if head == "[":
        return load_general_staff(path, **named)
    if head == "{":
        return load_mediazona(path, **named)
    first_line = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    if "contracts_signed" in first_line.split(","):
        return load_contract_claims(path, **named)
    if [cell.strip().lower() for cell in first_line.split(",")] == ["date", "occupied_km2"]:
        from ceasefire.observe._territory import load_deepstate

        return load_deepstate(path, **named)
    return load_csv(path, name=name)
