"""Least-squares fits of attrition laws: Antonov (2023) Iwo Jima calibrations, Ardennes."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.battles import BattleLaw, simulate
from ceasefire.battles._data import load_reinforcement_schedule
from ceasefire.battles._fit import IdentificationWarning, fit_law, fit_series
from ceasefire.battles._series import load_ardennes
from tests.conftest import shared_file

DAYS = np.arange(36.0)
US_TARGET = np.interp(DAYS, [0, 35], [73_000, 51_300])
JAP_TARGET = np.interp(DAYS, [0, 35], [21_000, 0])


@pytest.mark.parametrize(
    ("objective", "distance", "start", "b", "a", "reported_distance"),
    [
        # F2: Euclidean distance on the first and last points only.
        ("endpoints", "ssr", (0.05, 0.01), 0.0106351, 0.0547895, 73_000.0),
        # F3: the same distance over all 36 daily points.
        ("strengths", "side_norms", (0.04, 0.01), 0.00990159, 0.0399577, 83_614.5),
    ],
)
def test_antonov_iwo_jima_calibration(
    objective: str,
    distance: str,
    start: tuple[float, float],
    b: float,
    a: float,
    reported_distance: float,
) -> None:
    """Antonov (2023), SystemModeling "Generalized Lanchester combat models" (F2, F3).

    The notebook's model keeps ``fireFriendlyX = fireFriendlyY = 0.001``/day from its
    default rate rules (never reset before calibration), so both sides also lose 0.1 %
    of their own strength per day; NDSolve does not clip at 0; the SDMon distance is the
    sum over stocks of each stock's Euclidean distance. Reproduced with RK4 at
    dt = 0.5 day (breaks of P(t) on the grid), unclipped. For F2 the optimum is an exact
    fit of the end points, so least squares and Nelder–Mead agree.
    """
    schedule = load_reinforcement_schedule(
        shared_file("data/battles/iwo_jima/engel1954_us_reinforcements.csv")
    )
    result = fit_law(
        BattleLaw("square", *start),
        day=DAYS,
        a_forces=US_TARGET,
        b_forces=JAP_TARGET,
        objective=objective,  # type: ignore[arg-type]
        distance=distance,  # type: ignore[arg-type]
        initial_strengths=(0.0, 21_000.0),
        method="rk4",
        dt=0.5,
        clip=False,
        a_reinforcement=schedule,
        operational_loss=(0.001, 0.001),
        warn=False,
    )
    fitted = result.to_dict()
    assert fitted["b"] == pytest.approx(b, rel=5e-3)
    assert fitted["a"] == pytest.approx(a, rel=5e-3)
    assert result.distance == pytest.approx(reported_distance, abs=0.1)


def test_recovers_known_parameters_from_own_simulation() -> None:
    """A square-law series simulated daily is refitted exactly, with tiny SEs and R² = 1."""
    path = simulate(BattleLaw("square", 0.03, 0.02), 10_000.0, 8_000.0, 20.0, method="daily")
    result = fit_law(
        BattleLaw("square", 0.01, 0.01),
        day=path.time,
        a_forces=path.a_strength,
        b_forces=path.b_strength,
        objective="strengths",
        method="daily",
    )
    assert result.to_dict() == pytest.approx({"a": 0.03, "b": 0.02}, rel=1e-6)
    assert result.r_squared == pytest.approx(1.0)
    assert result.identified
    assert result.aic < 0


def test_casualties_objective_with_observed_strengths_as_inputs() -> None:
    """Bracken (1995): observed strengths are inputs, predicted daily casualties fitted."""
    rng = np.random.default_rng(7)
    a_forces = np.linspace(5_000, 4_000, 15)
    b_forces = np.linspace(6_000, 3_000, 15)
    noise = rng.normal(1.0, 0.01, size=(2, 15))
    result = fit_law(
        BattleLaw("square", 0.01, 0.01),
        day=np.arange(15.0),
        a_forces=a_forces,
        b_forces=b_forces,
        a_casualties=0.02 * b_forces * noise[0],
        b_casualties=0.05 * a_forces * noise[1],
        objective="casualties",
    )
    assert result.to_dict() == pytest.approx({"a": 0.02, "b": 0.05}, rel=0.02)
    assert np.all(result.standard_errors < 0.01 * result.estimates)
    assert result.ssr > 0 and result.n_observations == 30


def test_ardennes_general_law_is_not_identified() -> None:
    """Ardennes (Wiper, Pettit & Young 2000 series): the general law is not identified.

    Forces move < 10 % and together (battle-fits.md, Ardennes frequentist fit), so the
    Bracken (1995) exponents cannot be told apart from the coefficients.
    """
    series = load_ardennes(shared_file("data/battles/ardennes/ardennes_wpy2000.csv"))
    with pytest.warns(IdentificationWarning, match="not identified"):
        result = fit_series(BattleLaw("general", 0.005, 0.005, 0.5, 0.5, tactical=1.0), series)
    assert not result.identified
    assert result.objective == "casualties"


def test_bad_objective_is_rejected() -> None:
    with pytest.raises(ValueError, match="objective"):
        fit_law(
            BattleLaw("square", 0.1, 0.1),
            day=DAYS,
            a_forces=US_TARGET,
            b_forces=JAP_TARGET,
            objective="median",  # type: ignore[arg-type]
        )
