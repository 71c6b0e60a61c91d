"""One small typed object for an observed series, and its monthly resampling.

A :class:`Series` is either *cumulative* (a running total read on given days, counted from
an origin) or *per period* (a count for each period ``[start, end]``, both days inclusive: a
day, a calendar month, or an irregular span such as "contracts signed from 1 January to
26 September"). :func:`to_monthly` turns either into calendar-month counts, the form that
calibration and backtests score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = ["Kind", "Series", "month_label", "to_monthly"]

FloatArray = npt.NDArray[np.float64]
DateArray = npt.NDArray[np.datetime64]
Kind = Literal["cumulative", "per_period"]

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Series:
    """An observed series with its units and provenance.

    Attributes
    ----------
    name:
        Short name (``general_staff``, ``mediazona``, ``contracts`` or the user's).
    kind:
        ``"cumulative"``: ``values[i]`` is the running total at the end of ``ends[i]``.
        ``"per_period"``: ``values[i]`` counts what happened from ``starts[i]`` to
        ``ends[i]`` (both days inclusive).
    starts, ends:
        ``datetime64[D]`` arrays. For a cumulative series ``starts`` equals ``ends``.
    values:
        Non-negative counts, in ``units``.
    units:
        What one unit of ``values`` is (``"men"``, ``"contracts"``, …).
    quantity:
        What is counted, in words (``"Russian casualties claimed by the Ukrainian General
        Staff"``).
    source:
        Where the numbers come from (publisher, dataset, commit or file).
    path:
        The file the series was read from (empty when built in code).

    """

    name: str
    kind: Kind
    starts: DateArray
    ends: DateArray
    values: FloatArray
    units: str
    quantity: str
    source: str
    path: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        """Check the arrays agree in length and order."""
        n = len(self.values)
        if len(self.starts) != n or len(self.ends) != n:
            raise ValueError("starts, ends and values must have the same length")
        if n and np.any(self.ends < self.starts):
            raise ValueError("every period must end on or after its start")

    def __len__(self) -> int:
        """Return the number of readings or periods."""
        return len(self.values)

    @property
    def first(self) -> dt.date:
        """The first day the series covers."""
        return _to_date(self.starts.min())

    @property
    def last(self) -> dt.date:
        """The last day the series covers."""
        return _to_date(self.ends.max())

    def until(self, cutoff: dt.date) -> Series:
        """Keep only what was observed up to and including ``cutoff``.

        A period that ends after the cutoff is dropped whole (it was not complete on the
        cutoff day), so nothing observed later leaks into a calibration.
        """
        keep = self.ends <= np.datetime64(cutoff.isoformat(), "D")
        return replace(
            self, starts=self.starts[keep], ends=self.ends[keep], values=self.values[keep]
        )


def _to_date(day: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(day.astype("datetime64[D]")))


def month_label(day: np.datetime64) -> str:
    """Return ``YYYY-MM`` for a ``datetime64`` day."""
    return str(day.astype("datetime64[M]"))


def to_monthly(series: Series) -> Series:
    """Resample to calendar months: one count per month (a per-period series).

    Cumulative series are read at each month's last day by linear interpolation between
    readings and differenced; a month counts only when readings bracket both its start and
    its end (the first month of a series, with no reading before it, is dropped). Daily
    per-period counts are summed by month; days missing from a daily series count as zero
    (the convention of the Mediazona daily file: days without deaths are left out), and the
    last month is dropped when the series ends before its last day. Monthly per-period series
    are returned as they are. Periods longer than a day that are not calendar months
    (cumulative claims over irregular spans) cannot be split into months: ``ValueError``.
    """
    if len(series) == 0:
        return replace(series, kind="per_period")
    if series.kind == "cumulative":
        return _monthly_from_cumulative(series)
    lengths = (series.ends - series.starts) // _DAY + 1
    month_starts = series.starts.astype("datetime64[M]").astype("datetime64[D]")
    month_ends = (series.starts.astype("datetime64[M]") + 1).astype("datetime64[D]") - _DAY
    if np.all((series.starts == month_starts) & (series.ends == month_ends)):
        return series
    if not np.all(lengths == 1):
        raise ValueError(
            f"{series.name}: periods are neither days nor calendar months; "
            "they cannot be resampled to months"
        )
    months = series.starts.astype("datetime64[M]")
    unique, inverse = np.unique(months, return_inverse=True)
    totals = np.zeros(len(unique))
    np.add.at(totals, inverse, series.values)
    # Fill months with no reading at all between the first and the last (zero counts).
    all_months = np.arange(unique[0], unique[-1] + 1)
    full = np.zeros(len(all_months))
    full[np.searchsorted(all_months, unique)] = totals
    firsts: DateArray = all_months.astype("datetime64[D]")
    lasts: DateArray = ((all_months + 1).astype("datetime64[D]") - _DAY).astype("datetime64[D]")
    if series.ends.max() < lasts[-1]:
        firsts, lasts, full = firsts[:-1], lasts[:-1], full[:-1]
    return replace(series, kind="per_period", starts=firsts, ends=lasts, values=full)


def _monthly_from_cumulative(series: Series) -> Series:
    days = series.ends.astype("int64").astype(np.float64)
    first_month = series.ends.min().astype("datetime64[M]")
    last_month = series.ends.max().astype("datetime64[M]")
    months = np.arange(first_month, last_month + 1)
    # The count of month m is C(last day of m) − C(last day of m − 1).
    boundaries = (np.arange(first_month - 1, last_month + 1) + 1).astype("datetime64[D]") - _DAY
    at = boundaries.astype("int64").astype(np.float64)
    inside = (at >= days[0]) & (at <= days[-1])
    level = np.interp(at, days, series.values)
    complete = inside[:-1] & inside[1:]
    counts = np.diff(level)[complete]
    firsts = months.astype("datetime64[D]")[complete]
    lasts = ((months + 1).astype("datetime64[D]") - _DAY)[complete]
    return replace(series, kind="per_period", starts=firsts, ends=lasts, values=counts)
