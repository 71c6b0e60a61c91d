"""Stochastic schedules: fans that widen, common random numbers, engines, calibration."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.calibrate import observation_model
from ceasefire.calibrate._calibrate import anchored
from ceasefire.calibrate._observation import Trajectories
from ceasefire.ensemble import simulate, uncertain_parameters
from ceasefire.model._processes import log_state, process_pieces
from ceasefire.model._schedule import Piece
from ceasefire.scenario import scenario_from_dict
from ceasefire.scenario._processes import SHOCK, Process
from ceasefire.scenario._units import DAYS_PER_MONTH
from tests.conftest import fixed, preset_data
from tests.test_calibrate import monthly_series, small_scenario, small_scenario_data

WALK = {"kind": "log_normal_walk", "innovation": fixed(0.2)}


def tiny_with_process(process: dict[str, Any] | None = WALK, **extra: Any) -> Any:
    """The tiny preset with a process on its first intensity segment (and ``extra`` fields)."""
    data = preset_data("tiny")
    if process is not None:
        data["combat"]["intensity"][0]["process"] = process
        data["combat"]["intensity"][1]["process"] = process
    for side, value in extra.items():
        data["sides"][side]["desertion_rate"] = value
    return scenario_from_dict(data)


def _monthly_casualties(ds: Any) -> np.ndarray:
    killed = ds["killed"].sel(side="red").values + ds["wounded_total"].sel(side="red").values
    return np.asarray(np.diff(killed, axis=1))


def test_the_log_state_spreads_like_the_square_root_of_time() -> None:
    """Var L_m = m σ² for the walk; σ²(1 − φ^{2m})/(1 − φ²) for AR(1) (Box & Jenkins 1970)."""
    rng = np.random.default_rng(7)
    draws, months, sigma, phi = 200_000, 13, 0.1, 0.6
    shocks = rng.standard_normal((months - 1, draws))
    walk = log_state("log_normal_walk", np.full(draws, sigma), None, shocks)
    ar1 = log_state("ar1", np.full(draws, sigma), np.full(draws, phi), shocks)
    m = np.arange(months)
    np.testing.assert_allclose(walk.std(axis=1), sigma * np.sqrt(m), rtol=0.01, atol=1e-12)
    expected = sigma * np.sqrt((1 - phi ** (2 * m)) / (1 - phi**2))
    np.testing.assert_allclose(ar1.std(axis=1), expected, rtol=0.01, atol=1e-12)
    assert np.all(np.diff(walk.std(axis=1)) > 0)


def test_pieces_are_monthly_and_keep_a_ramp() -> None:
    values: dict[str, np.ndarray] = {}

    def get(path: tuple[str | int, ...], param: Any, factor: float = 1.0) -> np.ndarray:
        key = ".".join(map(str, path))
        return values.get(key, np.full(2, param.central()))

    values["s.0.process.shock.1"] = np.array([1.0, -1.0])
    process = Process.model_validate(WALK)
    ramp = Piece(0.0, 3 * DAYS_PER_MONTH, np.array([1.0, 1.0]), np.array([4.0, 4.0]))
    pieces = process_pieces(ramp, process, ("s", 0), get, horizon_day=400.0)
    assert [p.start_day for p in pieces] == pytest.approx([0, DAYS_PER_MONTH, 2 * DAYS_PER_MONTH])
    assert pieces[-1].end_day == ramp.end_day
    np.testing.assert_allclose(pieces[0].value, [1.0, 1.0])  # month 0: today's level
    np.testing.assert_allclose(pieces[1].value, 2.0 * np.exp([0.2, -0.2]))
    np.testing.assert_allclose(pieces[1].end_value, 3.0 * np.exp([0.2, -0.2]))
    # Without sampled shocks (a central run) the segment is unchanged.
    values.clear()
    flat = process_pieces(ramp, process, ("s", 0), get, horizon_day=400.0)
    for piece in flat:
        start = 1.0 + piece.start_day / DAYS_PER_MONTH
        np.testing.assert_allclose(piece.value, [start, start])


def test_process_schema_errors_name_the_field() -> None:
    with pytest.raises(ValueError, match="persistence"):
        Process.model_validate({"kind": "ar1", "innovation": fixed(0.1)})
    with pytest.raises(ValueError, match="ar1 only"):
        Process.model_validate({**WALK, "persistence": fixed(0.5)})
    with pytest.raises(ValueError, match="below 1"):
        Process.model_validate({"kind": "ar1", "innovation": fixed(0.1), "persistence": fixed(1)})


def test_fans_widen_with_the_horizon() -> None:
    """The 5–95% band of monthly casualties widens month by month with a walk; not without."""
    with_walk = simulate(tiny_with_process(), draws=600, seed=3, save="trajectories")
    without = simulate(tiny_with_process(None), draws=600, seed=3, save="trajectories")

    def log_width(ds: Any) -> np.ndarray:
        q05, q95 = np.quantile(np.log(_monthly_casualties(ds)), [0.05, 0.95], axis=0)
        return np.asarray(q95 - q05)

    walk, constant = log_width(with_walk), log_width(without)
    # Month 1 vs the last month; the walk adds σ√m on the log scale (0.2·√10 ≈ 0.63).
    assert walk[-1] - walk[0] > 0.4
    assert walk[-1] - walk[0] > (constant[-1] - constant[0]) + 0.3
    assert len(uncertain_parameters(tiny_with_process())) > len(
        uncertain_parameters(tiny_with_process(None))
    )


def test_common_random_numbers_and_chunking_hold() -> None:
    """Shocks are per-path streams: an unrelated new parameter or another chunking leaves them."""
    base = tiny_with_process()
    other = tiny_with_process(
        blue={"dist": "uniform", "low": 0.0, "high": 0.004, "unit": "per_month", "assumption": "t"}
    )
    a = simulate(base, draws=300, seed=11, save="summary")
    b = simulate(other, draws=300, seed=11, save="summary")
    shocks = [p.path for p in uncertain_parameters(base) if p.latent]
    assert shocks and all(p.param == SHOCK for p in uncertain_parameters(base) if p.latent)
    for path in shocks:
        np.testing.assert_array_equal(a[path].values, b[path].values)
    one = simulate(base, draws=300, seed=11, save="trajectories", engine="numpy")
    chunked = simulate(base, draws=300, seed=11, save="trajectories", engine="numpy", chunk_size=77)
    for name in ("killed", "front", "active"):
        np.testing.assert_array_equal(one[name].values, chunked[name].values)


def test_the_engines_agree_on_a_process_driven_scenario() -> None:
    from tests.conftest import require_module

    require_module("numba")
    from tests.test_numba_kernel import assert_engines_agree

    ar1 = {"kind": "ar1", "innovation": fixed(0.15), "persistence": fixed(0.7)}
    data = preset_data("tiny")
    data["combat"]["intensity"][0]["process"] = WALK
    data["combat"]["intensity"][1]["process"] = ar1
    data["sides"]["red"]["channels"]["volunteers"]["recruitment"][1]["process"] = WALK
    assert_engines_agree(scenario_from_dict(data), draws=120)


@pytest.mark.slow
def test_calibration_recovers_a_known_innovation_scale(tmp_path: Path) -> None:
    """Synthetic GS claims from a walk with σ = 0.2 vs σ = 0.04: the posterior finds each.

    The casualty rate follows a log-normal walk; 18 months of claims are simulated by the
    model at a known σ (fixed bias, small noise) and calibrated with a uniform(0.01, 0.4)
    prior on σ. The posterior median lies near the truth and the 90% interval holds it.
    """
    data = small_scenario_data()
    data["time"]["horizon"] = {"value": 18, "unit": "months"}
    data["combat"]["casualties"][0]["value"] = fixed(1000, "per_day")
    data["combat"]["casualties"][0]["process"] = {
        "kind": "log_normal_walk",
        "innovation": {"dist": "uniform", "low": 0.01, "high": 0.4, "assumption": "test prior"},
    }
    data["sides"]["red"]["killed_fraction"] = fixed(0.25)
    data["observations"]["general_staff_noise"] = fixed(0.02)
    data["observations"]["mediazona_noise"] = fixed(0.05)
    scenario = small_scenario(tmp_path, data)
    run = anchored(scenario, scenario.time.start, 18)  # the calibration's run, shocks and all
    shocks = [p.path for p in uncertain_parameters(run) if p.latent]
    assert len(shocks) == 18
    months = np.arange(np.datetime64("2024-01", "M"), np.datetime64("2025-07", "M"))
    starts = months.astype("datetime64[D]")
    ends = (months + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    medians = {}
    for truth in (0.2, 0.04):
        rng = np.random.default_rng(5)
        values = {"combat.casualties.0.process.innovation": np.array([truth])}
        values.update({path: rng.standard_normal(1) for path in shocks})
        trajectories = Trajectories.of(simulate(run, draws=1, values=values, save="trajectories"))
        model = observation_model("general_staff", run)
        expected = model.expected(trajectories, run, values, starts, ends)[0]
        claims = expected * np.exp(0.02 * rng.standard_normal(18))
        observed = {"general_staff": monthly_series("general_staff", "2024-01", claims)}
        result = calibrate_(scenario, observed)
        posterior = result.values()["combat.casualties.0.process.innovation"]
        low, median, high = np.quantile(posterior, [0.05, 0.5, 0.95])
        assert low <= truth <= high, (truth, low, median, high)
        medians[truth] = median
    assert medians[0.2] > 2 * medians[0.04]
    assert 0.12 < medians[0.2] < 0.3


def calibrate_(scenario: Any, observed: dict[str, Any]) -> Any:
    from ceasefire.calibrate import calibrate

    return calibrate(
        scenario, observed, until=dt.date(2025, 6, 30), window=18, particles=300, runs=1, seed=1
    )


def test_sensitivity_takes_a_process_shocks_as_one_factor() -> None:
    """Sobol/Morris see "the shocks of this schedule", not one factor per month."""
    from ceasefire.analysis import scenario_factors

    factors, _ = scenario_factors(tiny_with_process())
    names = [factor.name for factor in factors]
    assert "combat.intensity.0.process.shocks" in names
    assert not any(".shock." in name for name in names)
    grouped = factors[names.index("combat.intensity.0.process.shocks")]
    assert len(grouped.parameters) == 4  # months 1–4 of the segment that ends on 2025-06-01


@settings(max_examples=40, deadline=None)
@given(
    begin=st.floats(-100.0, 200.0),
    length=st.floats(1.0, 900.0) | st.just(float("inf")),
    horizon=st.floats(10.0, 800.0),
    kind=st.sampled_from(["log_normal_walk", "ar1"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_process_pieces_tile_the_segment_within_the_run(
    begin: float, length: float, horizon: float, kind: str, seed: int
) -> None:
    """Monthly pieces tile the segment within the run.

    They are contiguous, start at the later of the segment and the run, end with the
    segment, and are positive multiples of the segment's value.
    """
    rng = np.random.default_rng(seed)
    draws = 3
    process = Process.model_validate(
        {"kind": kind, "innovation": fixed(0.3)}
        | ({"persistence": fixed(0.5)} if kind == "ar1" else {})
    )

    def get(path: tuple[str | int, ...], param: Any, factor: float = 1.0) -> np.ndarray:
        if "shock" in path:
            return rng.standard_normal(draws)
        return np.full(draws, param.central())

    segment = Piece(begin, begin + length, np.full(draws, 2.0), None)
    pieces = process_pieces(segment, process, ("s", 0), get, horizon_day=horizon)
    if not min(begin + length, horizon) > max(begin, 0.0):
        assert pieces == [segment]
        return
    assert pieces[0].start_day == max(begin, 0.0)
    assert pieces[-1].end_day == segment.end_day
    for left, right in itertools.pairwise(pieces):
        assert right.start_day == pytest.approx(left.end_day)
        assert right.start_day - left.start_day == pytest.approx(DAYS_PER_MONTH)
    assert pieces[-2 if len(pieces) > 1 else -1].start_day < horizon
    np.testing.assert_array_equal(pieces[0].value, segment.value)
    assert all(np.all(p.value > 0) for p in pieces)


@settings(max_examples=6, deadline=None)
@given(chunk=st.integers(1, 120), seed=st.integers(0, 1000))
def test_chunking_never_changes_a_process_driven_run(chunk: int, seed: int) -> None:
    """Any chunk size gives the bit-identical ensemble (shocks come in seed blocks)."""
    scenario = tiny_with_process()
    one = simulate(scenario, draws=120, seed=seed, save="trajectories", engine="numpy")
    split = simulate(
        scenario, draws=120, seed=seed, save="trajectories", engine="numpy", chunk_size=chunk
    )
    np.testing.assert_array_equal(one["killed"].values, split["killed"].values)


def test_a_weekly_process_steps_every_seven_days() -> None:
    """``step: {value: 7, unit: days}``: one innovation per week, σ per step."""
    weekly = {**WALK, "step": {"value": 7, "unit": "days"}}
    scenario = tiny_with_process(weekly)
    shocks = [p.path for p in uncertain_parameters(scenario) if p.latent]
    # Segment 0 runs 2025-01-01 … 2025-06-01 (151 days: 22 weeks), segment 1 to 2026-01-01
    # (214 days: 31 weeks); the first step of each is today's level.
    assert len(shocks) == 21 + 30
    process = Process.model_validate(weekly)
    piece = Piece(0.0, 30.0, np.ones(2), None)
    pieces = process_pieces(piece, process, ("s", 0), lambda p, q, f=1.0: np.zeros(2), 400.0)
    assert [p.start_day for p in pieces] == [0.0, 7.0, 14.0, 21.0, 28.0]
    with pytest.raises(ValueError, match="at least a day"):
        Process.model_validate({**WALK, "step": {"value": 0.5, "unit": "days"}})


def test_a_stored_posterior_leaves_the_window_shocks_behind(tmp_path: Path) -> None:
    """``run --posterior`` draws a process's innovations afresh.

    The stored ones are the calibration window's months, not the months of the run.
    """
    from ceasefire.calibrate import calibrate, posterior_values

    data = small_scenario_data()
    data["combat"]["casualties"][0]["process"] = WALK
    scenario = small_scenario(tmp_path, data)
    claims = monthly_series("general_staff", "2024-01", np.array([36e3, 38e3, 41e3]))
    result = calibrate(
        scenario,
        {"general_staff": claims},
        until=dt.date(2024, 3, 31),
        window=3,
        particles=20,
        runs=1,
        seed=3,
    )
    assert any(".process.shock." in path for path in result.samples)
    result.save(tmp_path / "posterior.nc")
    values = posterior_values(tmp_path / "posterior.nc", draws=10, seed=0)
    assert "combat.casualties.0.value" in values
    assert not any(".process.shock." in path for path in values)


def test_a_walk_carries_on_from_the_window_s_last_month(tmp_path: Path) -> None:
    """With the scenario, ``posterior_values`` moves a walk's level to its end-of-window state.

    ``value · exp(σ Σ z)`` over the window's innovations, particle by particle; without the
    scenario the stored window-start level is returned as before.
    """
    import xarray as xr

    from ceasefire.calibrate import calibrate, posterior_values

    data = small_scenario_data()
    data["combat"]["casualties"][0]["process"] = {
        "kind": "log_normal_walk",
        "innovation": {"dist": "uniform", "low": 0.1, "high": 0.3, "assumption": "test"},
    }
    scenario = small_scenario(tmp_path, data)
    # A rising series: the walk ends the window above where it started.
    claims = monthly_series("general_staff", "2024-01", np.array([30e3, 40e3, 52e3]))
    result = calibrate(
        scenario,
        {"general_staff": claims},
        until=dt.date(2024, 3, 31),
        window=3,
        particles=40,
        runs=1,
        seed=5,
    )
    result.save(tmp_path / "posterior.nc")
    stored = posterior_values(tmp_path / "posterior.nc", draws=200, seed=1)
    carried = posterior_values(tmp_path / "posterior.nc", draws=200, seed=1, scenario=scenario)
    key = "combat.casualties.0.value"
    with xr.open_dataset(tmp_path / "posterior.nc", group="posterior") as posterior:
        flat = {str(n): posterior[n].values.reshape(-1) for n in posterior.data_vars}
    # A 3-month window is months 0–2 of the run: the walk's state there is σ (z_1 + z_2);
    # the calibration run's extra month (its shock 3 and later) is not data.
    assert "combat.casualties.0.process.shock.3" in flat
    shocks = (
        flat["combat.casualties.0.process.shock.1"] + flat["combat.casualties.0.process.shock.2"]
    )
    expected = flat[key] * np.exp(flat["combat.casualties.0.process.innovation"] * shocks)
    assert set(carried[key]) <= set(expected)  # the same particles, each moved
    np.testing.assert_array_equal(
        stored["combat.casualties.0.process.innovation"],
        carried["combat.casualties.0.process.innovation"],
    )
    assert np.median(carried[key] / stored[key]) > 1.1  # the claims rose by 70%
