"""Observation loaders: the shared files, the generic CSV, monthly resampling, bad files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from ceasefire._errors import InputError
from ceasefire.observe import (
    load_contract_claims,
    load_csv,
    load_general_staff,
    load_mediazona,
    load_series,
    to_monthly,
)
from tests.conftest import shared_file


def _gs_file(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "gs.json"
    path.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return path


def _gs_rows(days: int, per_day: float = 100.0) -> list[dict[str, object]]:
    start = dt.date(2024, 1, 1)
    return [
        {"date": (start + dt.timedelta(days=i)).isoformat(), "personnel": per_day * (i + 1)}
        for i in range(days)
    ]


def test_general_staff_shared_file_reads_and_resamples() -> None:
    """The README of the shared data: 1,010 days to 2024-11-30; 732,350 on 2024-11-25."""
    series = load_general_staff(
        shared_file("data/ukraine/petroivaniuk/russia_losses_personnel.json")
    )
    assert len(series) == 1010
    assert series.kind == "cumulative"
    assert series.last == dt.date(2024, 11, 30)
    day = np.datetime64("2024-11-25")
    assert series.values[series.ends == day][0] == 732_350
    monthly = to_monthly(series)
    # Monthly increments add up to the growth between the first and last month ends.
    feb_end = series.values[series.ends == np.datetime64("2022-02-28")][0]
    assert monthly.values.sum() == pytest.approx(series.values[-1] - feb_end)
    assert str(monthly.starts[0]) == "2022-03-01"
    assert str(monthly.ends[-1]) == "2024-11-30"


def test_mediazona_daily_sums_to_the_monthly_file() -> None:
    """Both shared Mediazona files hold the same deaths (README: summed by month)."""
    daily = load_mediazona(shared_file("data/ukraine/mediazona/daily_to-2024-11.json"))
    monthly = load_mediazona(shared_file("data/ukraine/mediazona/monthly_to-2024-11.json"))
    assert len(monthly) == 34
    resampled = to_monthly(daily)
    np.testing.assert_array_equal(resampled.starts, monthly.starts)
    np.testing.assert_array_equal(resampled.values, monthly.values)
    assert to_monthly(monthly) is monthly


def test_contract_claims_skip_rows_without_a_date() -> None:
    series = load_contract_claims(
        shared_file("data/ukraine/recruitment/official_contract_claims.csv")
    )
    assert list(series.values) == [325_000, 452_000]
    assert [str(d) for d in series.ends] == ["2023-09-26", "2023-12-01"]
    assert len(series.notes) == 2
    assert all("as_of_date" in note for note in series.notes)


def test_load_series_recognises_each_format(tmp_path: Path) -> None:
    gs = _gs_file(tmp_path, _gs_rows(3))
    assert load_series(gs).name == "general_staff"
    mz = tmp_path / "mz.json"
    mz.write_text(json.dumps({"2024-01": {"deaths": 5}, "2024-02": {"deaths": 7}}))
    assert load_series(mz).name == "mediazona"
    generic = tmp_path / "mine.csv"
    generic.write_text("date,value\n2024-01,3\n2024-02,4\n")
    loaded = load_series(generic, name="x")
    assert loaded.name == "x"
    assert list(loaded.values) == [3, 4]


def test_cumulative_monthly_increments_interpolate_month_ends(tmp_path: Path) -> None:
    """Readings every 10 days on a straight line: each month gets 10 a day times its length."""
    path = tmp_path / "cum.csv"
    start = dt.date(2024, 1, 1)
    rows = [(start + dt.timedelta(days=10 * i), 10.0 * 10 * i) for i in range(40)]
    body = "\n".join(f"{d.isoformat()},{v:g}" for d, v in rows)
    path.write_text(
        f"# kind: cumulative\n# units: men\n# source: a test line\ndate,value\n{body}\n"
    )
    series = load_csv(path)
    assert series.kind == "cumulative"
    assert series.source == "a test line"
    monthly = to_monthly(series)
    # January is dropped (no reading before its first day); February 2024 has 29 days.
    assert str(monthly.starts[0]) == "2024-02-01"
    assert monthly.values[0] == pytest.approx(290.0)
    assert monthly.values[1] == pytest.approx(310.0)


def test_until_drops_periods_ending_after_the_cutoff(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("date,value\n2024-01,1\n2024-02,2\n2024-03,3\n")
    series = load_csv(path)
    cut = series.until(dt.date(2024, 3, 15))
    assert list(cut.values) == [1, 2]


@pytest.mark.parametrize(
    ("rows", "line", "field", "words"),
    [
        (
            [{"date": "2024-01-01", "personnel": 5}, {"date": "2024-13-02", "personnel": 6}],
            7,
            "[1].date",
            "calendar",
        ),
        (
            [{"date": "2024-01-01", "personnel": 5}, {"date": "2024-01-03", "personnel": 6}],
            7,
            "date",
            "gap",
        ),
        (
            [{"date": "2024-01-01", "personnel": 5}, {"date": "2024-01-02", "personnel": -6}],
            7,
            "[1].personnel",
            "negative",
        ),
        (
            [{"date": "2024-01-01", "personnel": 5}, {"date": "2024-01-02", "personnel": 4}],
            7,
            "personnel",
            "decrease",
        ),
        (
            [{"date": "2024-01-02", "personnel": 5}, {"date": "2024-01-01", "personnel": 6}],
            7,
            "date",
            "increase",
        ),
    ],
)
def test_bad_general_staff_files_name_file_line_and_field(
    tmp_path: Path, rows: list[dict[str, object]], line: int, field: str, words: str
) -> None:
    path = _gs_file(tmp_path, rows)
    with pytest.raises(InputError) as caught:
        load_general_staff(path)
    error = caught.value
    assert error.where == f"{path}:{line}"
    assert error.field == field
    assert words in error.message


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        ("date,value\n2024-01-01,1\n2024-01-03,2\n", 3, "date", "gap"),
        ("date,value\n2024-01,1\n2024-03,2\n", 3, "date", "gap"),
        ("date,value\n2024-01-01,1\n2024-01-02,-2\n", 3, "value", "negative"),
        ("date,value\n2024-01-01,1\n2024-02-30,2\n", 3, "date", "calendar"),
        ("date,value\n2024-01-01,1\n2024-01-02,abc\n", 3, "value", "number"),
        ("# kind: cumulative\ndate,value\n2024-01-01,10\n2024-01-09,9\n", 4, "value", "decrease"),
        ("date,value\n2024-01-01,1\n2024-02,2\n", 3, "date", "mixes"),
    ],
)
def test_bad_generic_csv(tmp_path: Path, body: str, line: int, field: str, words: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(InputError) as caught:
        load_csv(path)
    assert caught.value.where == f"{path}:{line}"
    assert caught.value.field == field
    assert words in caught.value.message


def test_bad_files_without_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(InputError, match="no such file"):
        load_series(missing)
    broken = tmp_path / "broken.json"
    broken.write_text('[{"date": "2024-01-01",\n "personnel": }]')
    with pytest.raises(InputError, match="not valid JSON") as caught:
        load_general_staff(broken)
    assert caught.value.where == f"{broken}:2"
    header = tmp_path / "h.csv"
    header.write_text("day,count\n2024-01-01,1\n")
    with pytest.raises(InputError, match="header"):
        load_csv(header)
    kind = tmp_path / "k.csv"
    kind.write_text("# kind: running\ndate,value\n2024-01-01,1\n")
    with pytest.raises(InputError, match="kind") as caught:
        load_csv(kind)
    assert caught.value.field == "kind"
