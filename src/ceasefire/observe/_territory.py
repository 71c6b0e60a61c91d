"""The DeepState occupied-area file: daily map snapshots, read as the area at each month's end.

Format: a CSV with the header ``date,occupied_km2`` and one row per map snapshot (``date``
``YYYY-MM-DD``, strictly increasing, gaps allowed; ``occupied_km2`` the area shown as
Russian-occupied, km², Crimea included). The area is a *level*, not a count, so
:func:`load_deepstate` returns one value per calendar month: the area at the end of the
month's last day, interpolated linearly between the snapshots that bracket it (the month
counts only when snapshots lie on both sides of, or on, that day). The series is a per-period
series of calendar months whose value is read at each period's end; the observation model
:class:`~ceasefire.calibrate._observation.OccupiedArea` reads the model's front there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ceasefire._errors import InputError
from ceasefire.observe._loaders import _check_order, _number_cell, _parse_day, _read_text
from ceasefire.observe._series import Series

__all__ = ["DEEPSTATE_SOURCE", "load_deepstate"]

DEEPSTATE_SOURCE = (
    "DeepState map: area shown as Russian-occupied (Crimea included), km², computed from the "
    "daily snapshots of cyterat/deepstate-map-data"
)
_DAY = np.timedelta64(1, "D")
HEADER = ["date", "occupied_km2"]


def load_deepstate(path: str | Path, *, name: str = "territory") -> Series:
    """Read a DeepState ``date,occupied_km2`` CSV as the occupied area at each month's end.

    Parameters
    ----------
    path:
        The CSV file.
    name:
        Name of the returned series.

    Returns
    -------
    Series
        Calendar months (``starts`` the first day, ``ends`` the last), each value the area in
        km² at the end of the month's last day.

    Raises
    ------
    InputError
        Naming the file, line and field: a wrong header, a bad date or number, dates out of
        order, or fewer than one month-end bracketed by snapshots.

    """
    path = Path(path)
    lines = _read_text(path).splitlines()
    header_at = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if header_at is None:
        raise InputError("empty file: expected the header `date,occupied_km2`", where=str(path))
    header = [cell.strip().lower() for cell in lines[header_at].split(",")]
    if header != HEADER:
        raise InputError(
            f"expected the header `date,occupied_km2`, got {lines[header_at]!r}",
            where=f"{path}:{header_at + 1}",
        )
    days: list[np.datetime64] = []
    areas: list[float] = []
    numbers: list[int | None] = []
    for number in range(header_at + 2, len(lines) + 1):
        raw = lines[number - 1].strip()
        if not raw:
            continue
        cells = [cell.strip() for cell in raw.split(",")]
        if len(cells) != 2:
            raise InputError(
                f"expected 2 cells (date,occupied_km2), got {len(cells)}",
                where=f"{path}:{number}",
            )
        days.append(_parse_day(cells[0], path, number, "date"))
        areas.append(_number_cell(cells[1], path, number, "occupied_km2"))
        numbers.append(number)
    if not days:
        raise InputError("no data rows after the header", where=str(path))
    _check_order(days, numbers, path, "date", daily=False)
    at = np.array(days, dtype="datetime64[D]")
    values = np.array(areas)
    months = np.arange(at[0].astype("datetime64[M]"), at[-1].astype("datetime64[M]") + 1)
    firsts = months.astype("datetime64[D]")
    lasts = (months + 1).astype("datetime64[D]") - _DAY
    inside = (lasts >= at[0]) & (lasts <= at[-1])
    if not inside.any():
        raise InputError(
            "no month's last day lies within the snapshots: the area at a month's end cannot "
            "be read",
            where=str(path),
        )
    level = np.interp(
        lasts[inside].astype("int64").astype(np.float64),
        at.astype("int64").astype(np.float64),
        values,
    )
    return Series(
        name=name,
        kind="per_period",
        starts=firsts[inside],
        ends=lasts[inside],
        values=level,
        units="km2",
        quantity="area shown as Russian-occupied at the month's end (a level, not a count)",
        source=DEEPSTATE_SOURCE,
        path=str(path),
    )
