"""Calibration: CRPS against closed forms, SMC recovery of known parameters, ArviZ output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import integrate, stats

from ceasefire._errors import InputError
from ceasefire.calibrate import (
    calibrate,
    crps_normal,
    crps_samples,
    interval_covers,
    observation_model,
    posterior_values,
)
from ceasefire.calibrate._calibrate import anchored
from ceasefire.calibrate._observation import Trajectories
from ceasefire.ensemble import simulate, uncertain_parameters
from ceasefire.observe import Series
from ceasefire.scenario import DAYS_PER_MONTH, Scenario, load_scenario
from tests.conftest import fixed


def small_scenario_data() -> dict[str, Any]:
    """Two one-channel sides in the exchange-ratio mode, with an observations section.

    Four uncertain parameters: the casualty rate, the killed share and the two series'
    noise; the observation factors are fixed so that the data identify the rest.
    """

    def side(initial: float, killed: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": "side",
            "channels": {
                "line": {
                    "effectiveness": fixed(1),
                    "exposure": fixed(1),
                    "initial_active": fixed(initial, "men"),
                    "draws_on_pool": False,
                }
            },
            "killed_fraction": killed,
            "wounded_return": {"fraction": fixed(0.5), "delay": fixed(2, "months")},
            "desertion_rate": fixed(0, "per_month"),
        }

    def uniform(low: float, high: float, unit: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"dist": "uniform", "low": low, "high": high}
        out["assumption"] = "test prior"
        if unit:
            out["unit"] = unit
        return out

    return {
        "name": "calibration-test",
        "title": "two sides in the exchange-ratio mode",
        "time": {"start": "2024-01-01", "horizon": {"value": 12, "unit": "months"}},
        "sides": {
            "red": side(500_000, uniform(0.15, 0.35)),
            "blue": side(400_000, fixed(0.25)),
        },
        "combat": {
            "law": "exchange_ratio",
            "reference_side": "red",
            "casualties": [{"value": uniform(500, 2000, "per_day")}],
            "exchange_ratio": fixed(1.5),
        },
        "observations": {
            "side": "red",
            "general_staff_bias": fixed(1.2),
            "general_staff_noise": uniform(0.05, 0.2),
            "mediazona_coverage": fixed(0.5),
            "mediazona_lag": fixed(3, "months"),
            "mediazona_noise": uniform(0.05, 0.2),
            "contract_inflation": fixed(1.3),
            "contract_noise": fixed(0.1),
            "other_noise": fixed(0.1),
        },
    }


def small_scenario(tmp_path: Path, data: dict[str, Any] | None = None) -> Scenario:
    """Write the small scenario to a file and load it like a user's."""
    import yaml

    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data or small_scenario_data()), encoding="utf-8")
    return load_scenario(str(path))


def monthly_series(name: str, first: str, values: np.ndarray) -> Series:
    """A per-month series starting with the month ``first`` (YYYY-MM)."""
    months = np.arange(np.datetime64(first, "M"), np.datetime64(first, "M") + len(values))
    return Series(
        name=name,
        kind="per_period",
        starts=months.astype("datetime64[D]"),
        ends=(months + 1).astype("datetime64[D]") - np.timedelta64(1, "D"),
        values=np.asarray(values, dtype=np.float64),
        units="men",
        quantity="synthetic",
        source="simulated by the model (test)",
    )


def synthetic_case(
    scenario: Scenario, truth: dict[str, float], months: int, seed: int
) -> dict[str, Series]:
    """Observations simulated by the model at ``truth``, with log-normal noise."""
    run = anchored(scenario, scenario.time.start, months)
    values = {path: np.array([value]) for path, value in truth.items()}
    trajectories = Trajectories.of(simulate(run, draws=1, values=values, save="trajectories"))
    first = np.datetime64(scenario.time.start.isoformat(), "M")
    month_index = np.arange(first, first + months)
    starts = month_index.astype("datetime64[D]")
    ends = (month_index + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    rng = np.random.default_rng(seed)
    out = {}
    for name in ("general_staff", "mediazona"):
        model = observation_model(name, scenario)
        expected = model.expected(trajectories, run, values, starts, ends)[0]
        sigma = truth[f"observations.{name}_noise"]
        noisy = expected * np.exp(sigma * rng.standard_normal(months))
        out[name] = monthly_series(name, str(first), noisy)
    return out


def test_crps_normal_matches_the_integral_definition() -> None:
    """Gneiting et al. (2005) closed form against CRPS = ∫ (F(x) − 1{x ≥ y})² dx."""
    for mean, sd, y in [(0.0, 1.0, 0.3), (10.0, 2.5, 4.0), (-3.0, 0.4, -3.9)]:
        dist = stats.norm(mean, sd)
        below, _ = integrate.quad(lambda x, d=dist: d.cdf(x) ** 2, -np.inf, y)
        above, _ = integrate.quad(lambda x, d=dist: (1 - d.cdf(x)) ** 2, y, np.inf)
        assert crps_normal(mean, sd, y) == pytest.approx(below + above, rel=1e-7)
    # The standard normal at its mean: (√2 − 1) / √π.
    assert crps_normal(0.0, 1.0, 0.0) == pytest.approx((np.sqrt(2) - 1) / np.sqrt(np.pi))
    assert crps_normal(5.0, 0.0, 7.5) == pytest.approx(2.5)


def test_crps_of_samples_converges_to_the_normal_closed_form() -> None:
    """An ensemble at the normal's quantiles scores as the normal itself (to O(1/n))."""
    n = 20_000
    grid = stats.norm.ppf((np.arange(n) + 0.5) / n, loc=3.0, scale=2.0)
    observed = np.array([3.0, 1.0, 8.0])
    samples = np.repeat(grid[:, None], 3, axis=1)
    np.testing.assert_allclose(
        crps_samples(samples, observed), crps_normal(3.0, 2.0, observed), rtol=2e-3
    )
    # One sample: the absolute error.
    assert crps_samples(np.array([2.0]), 5.0)[0] == pytest.approx(3.0)


def test_interval_coverage() -> None:
    samples = np.arange(101, dtype=float)[:, None] * np.ones((1, 3))
    covered = interval_covers(samples, np.array([50.0, 4.0, 96.0]), 0.9)
    assert list(covered) == [True, False, False]


@pytest.mark.slow
def test_calibration_recovers_known_parameters(tmp_path: Path) -> None:
    """Over repeated synthetic cases the 90% posterior interval covers the true values.

    Each case draws true parameters from the prior, simulates four months of General Staff
    and Mediazona observations with the model and its observation models, and calibrates.
    With 4 parameters × 8 cases = 32 checks at a nominal 90%, fewer than 25 hits would be
    very unlikely for a calibrated posterior (binomial P < 0.01).
    """
    scenario = small_scenario(tmp_path)
    parameters = uncertain_parameters(scenario)
    assert len(parameters) == 4
    rng = np.random.default_rng(2024)
    hits = 0
    checks = 0
    for case in range(8):
        truth = {p.path: float(p.param.ppf(rng.random(1))[0]) for p in parameters}
        observed = synthetic_case(scenario, truth, months=4, seed=case)
        result = calibrate(
            scenario,
            observed,
            until=dt.date(2024, 4, 30),
            window=4,
            particles=200,
            runs=1,
            seed=case,
        )
        values = result.values()
        for path, value in truth.items():
            low, high = np.quantile(values[path], [0.05, 0.95])
            hits += int(low <= value <= high)
            checks += 1
        # The data narrow the casualty rate well inside its prior of 500–2,000 a day.
        low, high = np.quantile(values["combat.casualties.0.value"], [0.05, 0.95])
        assert high - low < 0.5 * 1500
    assert hits >= 25, f"{hits}/{checks} true values inside the 90% intervals"


@pytest.mark.slow
def test_posterior_file_round_trip(tmp_path: Path) -> None:
    """The posterior is ArviZ netCDF; posterior_values resamples it reproducibly."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"arviz(\..*)?")
        import arviz

    scenario = small_scenario(tmp_path)
    truth = {p.path: float(p.param.central()) for p in uncertain_parameters(scenario)}
    observed = synthetic_case(scenario, truth, months=3, seed=1)
    result = calibrate(
        scenario, observed, until=dt.date(2024, 3, 31), window=3, particles=60, runs=2, seed=3
    )
    path = tmp_path / "posterior.nc"
    result.save(path)
    data = arviz.from_netcdf(str(path))
    assert {"posterior", "posterior_predictive", "observed_data"} <= set(data.groups())
    assert data.posterior.sizes["chain"] == 2
    assert data.posterior.sizes["draw"] == 60
    assert data.posterior_predictive["general_staff"].shape == (2, 60, 3)
    diagnostics = result.diagnostics()
    assert set(diagnostics["rhat"]) == set(truth)
    first = posterior_values(path, 500, seed=7)
    again = posterior_values(path, 500, seed=7)
    other = posterior_values(path, 500, seed=8)
    assert set(first) == set(truth)
    for name in first:
        assert first[name].shape == (500,)
        np.testing.assert_array_equal(first[name], again[name])
        assert set(np.unique(first[name])) <= set(result.values()[name])
    assert not np.array_equal(
        first["combat.casualties.0.value"], other["combat.casualties.0.value"]
    )
    # The values run the model: simulate accepts them for the scenario's parameters.
    ensemble = simulate(scenario, draws=500, values=first, save="summary")
    assert ensemble.sizes["draw"] == 500
    ppc = result.ppc()
    assert set(ppc) == {"general_staff", "mediazona"}


def test_calibration_input_errors(tmp_path: Path) -> None:
    scenario = small_scenario(tmp_path)
    series = {"general_staff": monthly_series("general_staff", "2024-01", np.full(3, 3e4))}
    with pytest.raises(InputError, match="last day of a month") as caught:
        calibrate(scenario, series, until=dt.date(2024, 3, 15))
    assert caught.value.field == "until"
    with pytest.raises(InputError, match="unknown series") as caught:
        calibrate(scenario, {"tanks": series["general_staff"]}, until=dt.date(2024, 3, 31))
    with pytest.raises(InputError, match="no observation falls"):
        calibrate(scenario, series, until=dt.date(2023, 3, 31))
    data = small_scenario_data()
    del data["observations"]
    with pytest.raises(InputError, match="observations") as caught:
        calibrate(small_scenario(tmp_path, data), series, until=dt.date(2024, 3, 31))
    assert caught.value.field == "observations"
    data = small_scenario_data()
    data["observations"]["side"] = "green"
    with pytest.raises(InputError, match="unknown side") as caught:
        calibrate(small_scenario(tmp_path, data), series, until=dt.date(2024, 3, 31))
    assert caught.value.field == "observations.side"
    with pytest.raises(InputError, match="no such file"):
        posterior_values(tmp_path / "missing.nc", 10, 0)


def test_named_observation_models_scale_their_counter_by_their_factor() -> None:
    """Each claim series is its counter of the observed side in a period times its factor.

    General Staff: (killed + wounded) × bias; contracts: recruits × inflation; Mediazona:
    killed × coverage, times the completeness 1 − exp(−age / lag) when the file is dated.
    """
    scenario = load_scenario("russia-ukraine-2024-11")
    assert scenario.observations is not None
    side = scenario.observations.side
    days = np.array([0.0, 30.0, 60.0])
    ramp = np.array([[0.0, 300.0, 900.0], [0.0, 600.0, 1500.0]])  # two draws
    counters = {
        (name, side): ramp * (k + 1)
        for k, name in enumerate(["killed", "wounded_total", "recruited"])
    }
    trajectories = Trajectories(np.datetime64(scenario.time.start.isoformat(), "D"), days, counters)
    start = np.datetime64(scenario.time.start.isoformat(), "D")
    starts, ends = np.array([start]), np.array([start + np.timedelta64(59, "D")])
    values = {
        "observations.general_staff_bias": np.array([1.5, 2.0]),
        "observations.contract_inflation": np.array([1.1, 1.3]),
        "observations.mediazona_coverage": np.array([0.4, 0.5]),
    }
    killed, wounded, recruited = (ramp[:, [2]] * k for k in (1, 2, 3))

    def expected(name: str, **options: Any) -> Any:
        model = observation_model(name, scenario, **options)
        return model.expected(trajectories, scenario, values, starts, ends)

    bias = values["observations.general_staff_bias"][:, None]
    np.testing.assert_allclose(expected("general_staff"), (killed + wounded) * bias)
    inflation = values["observations.contract_inflation"][:, None]
    np.testing.assert_allclose(expected("contracts"), recruited * inflation)
    coverage = values["observations.mediazona_coverage"][:, None]
    np.testing.assert_allclose(expected("mediazona"), killed * coverage)
    as_of = dt.date.fromisoformat(str(ends[0] + np.timedelta64(61, "D")))
    lag = scenario.observations.mediazona_lag
    lag_months = lag.central() / (DAYS_PER_MONTH if lag.unit == "days" else 1.0)
    completeness = 1.0 - np.exp(-(61 / DAYS_PER_MONTH) / lag_months)
    np.testing.assert_allclose(
        expected("mediazona", as_of=as_of), killed * coverage * completeness, rtol=1e-12
    )
