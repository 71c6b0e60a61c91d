"""Backtests: no leakage past the cutoff, the JSON record, the baseline and the commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import typer
import yaml
from typer.testing import CliRunner

from ceasefire.calibrate import backtest, crps_normal, naive_baseline
from ceasefire.cli._calibrate import register
from tests.conftest import shared_file
from tests.test_calibrate import monthly_series, small_scenario, small_scenario_data

CUTOFF = dt.date(2024, 3, 31)


def _series_with_future() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    return {
        "general_staff": 36_000 * np.exp(0.1 * rng.standard_normal(6)),
        "mediazona": 2_500 * np.exp(0.1 * rng.standard_normal(6)),
    }


def test_no_leakage_past_the_cutoff(tmp_path: Path) -> None:
    """A file with data after the cutoff gives exactly the forecast of the file cut there."""
    scenario = small_scenario(tmp_path)
    raw = _series_with_future()
    full = {name: monthly_series(name, "2024-01", values) for name, values in raw.items()}
    cut = {name: monthly_series(name, "2024-01", values[:3]) for name, values in raw.items()}
    options = {"cutoff": CUTOFF, "horizon": 3, "window": 3, "particles": 60, "runs": 1, "seed": 4}
    with_future = backtest(scenario, full, **options)
    without = backtest(scenario, cut, **options)
    for name in raw:
        np.testing.assert_array_equal(
            with_future.series[name].samples, without.series[name].samples
        )
        assert with_future.series[name].observed == [float(v) for v in raw[name][3:]]
        assert without.series[name].observed == [None, None, None]
        assert with_future.series[name].scores["crps"] is not None
        assert without.series[name].scores["crps"] is None
    record = with_future.to_json()
    entry = record["series"]["general_staff"]
    assert record["cutoff"] == "2024-03-31"
    assert entry["months"] == ["2024-04", "2024-05", "2024-06"]
    assert list(entry["quantiles"]) == ["0.05", "0.25", "0.5", "0.75", "0.95"]
    assert {"observed", "crps", "coverage_50", "coverage_90", "baseline_crps"} <= set(entry)
    # The baseline: a normal with the mean and sd of the last three observed months.
    mean, sd = raw["general_staff"][:3].mean(), raw["general_staff"][:3].std(ddof=1)
    expected = crps_normal(mean, sd, raw["general_staff"][3:]).mean()
    assert entry["baseline_crps"] == pytest.approx(expected)
    json.dumps(record)  # serialisable


def test_naive_baseline_needs_three_months() -> None:
    series = monthly_series("x", "2024-01", np.array([1.0, 2.0, 3.0, 5.0]))
    mean, sd = naive_baseline(series)  # type: ignore[misc]
    assert mean == pytest.approx(10 / 3)
    assert sd == pytest.approx(np.std([2.0, 3.0, 5.0], ddof=1))
    assert naive_baseline(monthly_series("x", "2024-01", np.array([1.0, 2.0]))) is None


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _csv(tmp_path: Path, name: str, values: np.ndarray) -> Path:
    path = tmp_path / f"{name}.csv"
    months = [f"2024-{m:02d}" for m in range(1, len(values) + 1)]
    body = "\n".join(f"{m},{v:.0f}" for m, v in zip(months, values, strict=True))
    path.write_text(f"# source: synthetic test data\ndate,value\n{body}\n", encoding="utf-8")
    return path


def test_backtest_and_calibrate_commands(tmp_path: Path) -> None:
    scenario = tmp_path / "small.yaml"
    scenario.write_text(yaml.safe_dump(small_scenario_data()), encoding="utf-8")
    data = _csv(tmp_path, "casualties", _series_with_future()["general_staff"])
    runner = CliRunner()
    common = ["--particles", "40", "--runs", "1", "--window", "3", "--no-progress"]
    result = runner.invoke(
        _app(),
        ["backtest", str(scenario), "--cutoff", "2024-03-31", "--horizon", "2",
         "--observed", f"casualties.red={data}", "--json", *common],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["series"]["casualties.red"]["months"] == ["2024-04", "2024-05"]
    assert record["series"]["casualties.red"]["crps"] > 0
    output = tmp_path / "posterior.nc"
    result = runner.invoke(
        _app(),
        ["calibrate", str(scenario), "--until", "2024-03-31", "--observed",
         f"casualties.red={data}", "-o", str(output), *common],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert output.exists()
    assert "Posterior-predictive check" in result.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--observed", "general_staff"], "NAME=PATH"),
        (["--observed", "general_staff=/nonexistent.json"], "no such file"),
        (["--cutoff", "2024-03-15", "--observed", "casualties.red=DATA"], "last day of a month"),
        (["--cutoff", "March", "--observed", "casualties.red=DATA"], "YYYY-MM-DD"),
        (["--observed", "tanks=DATA"], "unknown series"),
    ],
)
def test_backtest_bad_input_exits_2(tmp_path: Path, arguments: list[str], message: str) -> None:
    scenario = tmp_path / "small.yaml"
    scenario.write_text(yaml.safe_dump(small_scenario_data()), encoding="utf-8")
    data = _csv(tmp_path, "d", np.full(3, 30_000.0))
    arguments = [a.replace("DATA", str(data)) for a in arguments]
    result = CliRunner().invoke(_app(), ["backtest", str(scenario), *arguments, "--no-progress"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_default_scenario_backtest_on_the_shared_data() -> None:
    """The default from its 2024-11-30 cutoff: 13 months forecast, nothing yet to score."""
    from ceasefire.observe import load_series
    from ceasefire.scenario import load_scenario

    gs = load_series(
        shared_file("data/ukraine/petroivaniuk/russia_losses_personnel.json"), name="general_staff"
    )
    result = backtest(
        load_scenario("russia-ukraine-2024-11"),
        {"general_staff": gs},
        cutoff=dt.date(2024, 11, 30),
        horizon=13,
        particles=100,
        runs=1,
    )
    entry = result.to_json()["series"]["general_staff"]
    assert entry["months"][0] == "2024-12"
    assert entry["months"][-1] == "2025-12"
    assert entry["observed"] == [None] * 13
    median = entry["quantiles"]["0.5"][0]
    # The forecast stays on the scale of the last observed months (38k–45k a month).
    assert 20_000 < median < 80_000
