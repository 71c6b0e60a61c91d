"""Territory (DeepState), honest scores (PIT, widths, two baselines) and crisis causes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ceasefire.analysis import CAUSES, crisis_causes
from ceasefire.calibrate import backtest
from ceasefire.calibrate._backtest import persistence_baseline
from ceasefire.calibrate._scoring import interval_width, pit_histogram, pit_values
from ceasefire.ensemble import simulate
from ceasefire.observe import load_deepstate, load_series
from ceasefire.scenario import load_scenario, scenario_from_dict
from tests.conftest import fixed, preset_data, shared_file
from tests.test_calibrate import monthly_series, small_scenario, small_scenario_data


def test_deepstate_file_reads_as_month_end_areas() -> None:
    """The shared file: 2024-07 … 2024-11, the last value the 2024-11-30 snapshot itself."""
    path = shared_file("data/ukraine/deepstate/occupied_area_to-2024-11.csv")
    series = load_series(path, name="territory")
    assert [str(d) for d in series.ends] == [
        "2024-07-31",
        "2024-08-31",
        "2024-09-30",
        "2024-10-31",
        "2024-11-30",
    ]
    assert series.values[-1] == pytest.approx(111_442.2)
    gains = np.diff(series.values)
    # The data README: gains of 351–716 km² a month from July to November 2024.
    assert np.all(gains > 300) and np.all(gains < 720)


def test_deepstate_gaps_are_bridged_by_interpolation(tmp_path: Path) -> None:
    path = tmp_path / "area.csv"
    path.write_text("date,occupied_km2\n2024-01-20,100\n2024-01-30,110\n2024-02-09,120\n")
    series = load_deepstate(path)
    assert [str(d) for d in series.ends] == ["2024-01-31"]  # February's end is not bracketed
    assert series.values[0] == pytest.approx(111.0)
    assert series.units == "km2"


def test_pit_is_uniform_for_a_calibrated_forecast() -> None:
    """Outcomes drawn from the forecast itself give a flat PIT histogram (chi-square test)."""
    from scipy import stats

    rng = np.random.default_rng(1)
    samples = rng.standard_normal((4000, 2000))
    outcomes = rng.standard_normal(2000)
    counts = pit_histogram(pit_values(samples, outcomes))
    assert sum(counts) == 2000
    assert stats.chisquare(counts).pvalue > 0.001
    # A forecast too narrow by half piles the PIT at both ends (a U shape).
    narrow = pit_histogram(pit_values(0.5 * samples, outcomes))
    assert narrow[0] + narrow[-1] > 3 * (narrow[4] + narrow[5])
    width = interval_width(samples[:, :3], 0.9)
    np.testing.assert_allclose(width, 2 * 1.6449, rtol=0.05)


def test_persistence_baseline_spreads_like_a_random_walk() -> None:
    values = np.array([10.0, 12.0, 11.0, 15.0, 14.0])
    history = monthly_series("general_staff", "2024-01", values)
    baseline = persistence_baseline(history, ["2024-06", "2024-07", "2024-09"])
    assert baseline is not None
    spread = np.diff(values).std(ddof=1)
    np.testing.assert_allclose(baseline.means, 14.0)
    np.testing.assert_allclose(baseline.sds, spread * np.sqrt([1, 2, 4]))
    assert persistence_baseline(monthly_series("x", "2024-01", values[:2]), ["2024-03"]) is None


def _territory_scenario(tmp_path: Path) -> Any:
    data = small_scenario_data()
    data["front"] = {
        "holder": "red",
        "initial": fixed(100_000, "km2"),
        "contested_area": fixed(600_000, "km2"),
        "max_speed": {
            "dist": "uniform",
            "low": 200,
            "high": 800,
            "unit": "per_month",
            "assumption": "test prior",
        },
        "stall_ratio": fixed(1.0),
        "width": fixed(0.3),
    }
    data["observations"]["territory_noise"] = fixed(0.002)
    return small_scenario(tmp_path, data)


def test_backtest_scores_territory_and_both_baselines(tmp_path: Path) -> None:
    """``series.territory`` holds km² at month ends; every series carries the new scores."""
    scenario = _territory_scenario(tmp_path)
    rng = np.random.default_rng(3)
    gs = monthly_series("general_staff", "2024-01", 36_000 * np.exp(0.1 * rng.standard_normal(6)))
    area = monthly_series("territory", "2024-01", 100_000 + 400 * np.arange(1, 7))
    result = backtest(
        scenario,
        {"general_staff": gs, "territory": area},
        cutoff=dt.date(2024, 3, 31),
        horizon=3,
        window=3,
        particles=60,
        runs=1,
        seed=2,
    )
    record = json.loads(json.dumps(result.to_json()))
    territory = record["series"]["territory"]
    assert territory["months"] == ["2024-04", "2024-05", "2024-06"]
    assert list(territory["quantiles"]) == ["0.05", "0.25", "0.5", "0.75", "0.95"]
    # The front gains at 200–800 km² a month from 100,000 km² (ratio 1.25 over the stall).
    assert 100_500 < territory["quantiles"]["0.5"][0] < 104_000
    for entry in record["series"].values():
        assert {"crps", "coverage_50", "coverage_90", "width_90", "pit_histogram"} <= set(entry)
        assert set(entry["baselines"]) == {"mean_last_3", "persistence"}
        for baseline in entry["baselines"].values():
            assert {"crps", "coverage_50", "coverage_90", "width_90"} <= set(baseline)
        assert sum(entry["pit_histogram"]) == 3
        assert len(entry["width_90_by_month"]) == 3


def test_default_scenario_starts_no_draw_in_crisis() -> None:
    """Thresholds are shares of the starting force below 1: the month-0 crisis share is 0."""
    scenario = load_scenario("russia-ukraine-2024-11")
    ds = simulate(scenario, draws=1500, seed=0, save="trajectories")
    causes = crisis_causes(ds, scenario)
    for side in ("russia", "ukraine"):
        assert causes[side]["at_start"] == 0
        assert sum(causes[side]["causes"].values()) == causes[side]["crises"]
    assert float(np.nanmin(ds["months_to_crisis"].values)) > 0
    # The median territory path follows the pre-cutoff direction: Russia gains ground.
    median = np.median(ds["front"].values, axis=0)
    assert median[1] > median[0] and median[12] > median[6] > median[0]


def test_crisis_causes_name_desertion_and_the_pool() -> None:
    """A side drained by desertion alone, or by an exhausted pool, is labelled so."""
    data = preset_data("tiny")
    data["sides"]["blue"]["desertion_rate"] = fixed(0.1, "per_month")
    data["sides"]["blue"]["required_minimum_force"] = None
    data["sides"]["blue"]["required_minimum_share"] = fixed(0.9)
    data["combat"]["lethality"] = {"red": fixed(0, "per_month"), "blue": fixed(0, "per_month")}
    ds = simulate(scenario_from_dict(data), draws=50, seed=1, save="trajectories")
    blue = crisis_causes(ds)["blue"]
    assert blue["crises"] == 50
    assert blue["causes"]["desertion"] == 50
    data = preset_data("tiny")
    data["sides"]["blue"]["pool"] = {"initial": fixed(3000, "men"), "depletion_exponent": fixed(1)}
    data["sides"]["blue"]["required_minimum_force"] = None
    data["sides"]["blue"]["required_minimum_share"] = fixed(0.95)
    scenario = scenario_from_dict(data)
    ds = simulate(scenario, draws=50, seed=1, save="trajectories")
    blue = crisis_causes(ds, scenario)["blue"]
    assert blue["crises"] > 0
    assert blue["causes"]["pool ran dry"] == blue["crises"]
    assert set(blue["causes"]) == set(CAUSES)


def test_calibration_starts_the_front_where_the_map_puts_it(tmp_path: Path) -> None:
    """The window starts on 2024-04-01: the front starts at the area observed on 03-31."""
    from ceasefire.calibrate import calibrate

    scenario = _territory_scenario(tmp_path)
    area = monthly_series("territory", "2024-01", 100_000 + 400 * np.arange(1, 7))
    result = calibrate(
        scenario,
        {"territory": area},
        until=dt.date(2024, 6, 30),
        window=3,
        particles=30,
        runs=1,
        seed=1,
    )
    assert result.scenario.front is not None
    assert result.scenario.front.initial.central() == pytest.approx(101_200)
    assert any("2024-03-31" in note for note in result.notes)
