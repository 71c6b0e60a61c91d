"""Attrition laws, the integrator and the battle-data loaders."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from ceasefire._errors import InputError
from ceasefire.battles import BattleLaw, Trajectory, simulate
from ceasefire.battles._data import (
    PiecewiseConstantRate,
    load_battle_table,
    load_cdb90,
    load_engel_inputs,
    load_reinforcement_schedule,
)
from tests.conftest import shared_file

A = np.array([100.0, 400.0, 900.0])
B = np.array([50.0, 80.0, 20.0])


@pytest.mark.parametrize(
    ("special", "p", "q"),
    [
        (BattleLaw("square", 0.3, 0.2), 1.0, 0.0),
        (BattleLaw("linear", 0.3, 0.2), 1.0, 1.0),
        (BattleLaw("logarithmic", 0.3, 0.2), 0.0, 1.0),
    ],
)
def test_general_law_special_cases(special: BattleLaw, p: float, q: float) -> None:
    """Bracken (1995): linear p = q = 1, square p = 1, q = 0, logarithmic p = 0, q = 1."""
    general = BattleLaw("general", 0.3, 0.2, p, q)
    expected = special.losses(A, B)
    for got, want in zip(general.losses(A, B), expected, strict=True):
        np.testing.assert_allclose(got, want)


def test_tactical_parameter_scales_the_attackers_losses() -> None:
    """Bracken (1995): the tactical parameter multiplies the attacker's losses only."""
    law = BattleLaw("general", 0.3, 0.2, 1.0, 0.0, tactical=2.0)
    attacker = np.array([1.0, -1.0, 1.0])
    loss_a, loss_b = law.losses(A, B, 0.0, attacker)
    np.testing.assert_allclose(loss_a, 0.3 * B * np.array([2.0, 1.0, 2.0]))
    np.testing.assert_allclose(loss_b, 0.2 * A * np.array([1.0, 2.0, 1.0]))
    assert law.parameter_names == ("a", "b", "p", "q", "tactical")
    assert law.with_parameters([1, 2, 3, 4, 5]).parameters()["tactical"] == 5.0


def test_fatigue_decays_as_one_over_log_e_plus_step() -> None:
    """Rubio-Campillo (2016): killing rate ∝ 1/ln(e + step); equals the log law at step 0."""
    law = BattleLaw("fatigue", 0.1, 0.2)
    steps = np.array([0.0, 1.0, 10.0, 100.0])
    loss_a, loss_b = law.losses(1000.0, 500.0, steps)
    np.testing.assert_allclose(loss_a, 100.0 / np.log(math.e + steps))
    np.testing.assert_allclose(loss_b, 100.0 / np.log(math.e + steps))
    assert loss_a[0] == pytest.approx(BattleLaw("logarithmic", 0.1, 0.2).losses(1000.0, 500.0)[0])
    assert np.all(np.diff(loss_a) < 0)


def test_with_parameters_checks_length() -> None:
    with pytest.raises(ValueError, match="expected 2"):
        BattleLaw("square", 1, 2).with_parameters([1.0])


def test_square_law_invariant_conserved_by_rk4() -> None:
    """Lanchester (1916): b·A² − a·B² is constant without reinforcements."""
    law = BattleLaw("square", 0.02, 0.01)
    path = simulate(law, 1000.0, 600.0, 20.0, dt=0.05, method="rk4")
    invariant = 0.01 * path.a_strength**2 - 0.02 * path.b_strength**2
    np.testing.assert_allclose(invariant, invariant[0], rtol=1e-8)


def test_strengths_are_clipped_at_zero() -> None:
    path = simulate(BattleLaw("square", 0.5, 0.5), 100.0, 10.0, 30.0, method="daily")
    assert path.b_strength.min() == 0.0
    assert np.all(path.a_strength >= 0)


def test_daily_form_is_the_discrete_bracken_step() -> None:
    """Bracken (1995): B_{t+1} = B_t − ΔB_t with ΔB_t from the start-of-day strengths."""
    path = simulate(BattleLaw("linear", 1e-4, 2e-4), 1000.0, 800.0, 2.0, method="daily")
    a1 = 1000.0 - 1e-4 * 1000 * 800
    b1 = 800.0 - 2e-4 * 1000 * 800
    assert path.at(1.0) == pytest.approx((a1, b1))
    assert len(path.time) == 3


@pytest.mark.parametrize(
    ("day", "us", "jap"),
    [(1.0, 52_835, 21_220), (6.0, 66_453, None), (36.0, 51_984, 217)],
)
def test_engel_iwo_jima_forward_euler(day: float, us: float, jap: float | None) -> None:
    """Engel (1954) model, battle-fits.md reference computation (Euler, dt = 0.001 day).

    a = 0.0544 on US losses, b = 0.0106 on Japanese losses, JAP(0) = 21,500, US(0) = 0,
    P(t) from engel1954_us_reinforcements.csv; numbers rounded to whole men.
    """
    inputs = load_engel_inputs(shared_file("data/battles/iwo_jima/engel1954_model_inputs.csv"))
    schedule = load_reinforcement_schedule(
        shared_file("data/battles/iwo_jima/engel1954_us_reinforcements.csv")
    )
    assert schedule.total() == 73_000
    path = _engel_path(inputs.a, inputs.b, inputs.us_initial, inputs.japanese_initial, schedule)
    got_us, got_jap = path.at(day)
    assert got_us == pytest.approx(us, abs=2)
    if jap is not None:
        assert got_jap == pytest.approx(jap, abs=2)


_CACHE: dict[tuple[float, ...], Trajectory] = {}


def _engel_path(
    a: float, b: float, us0: float, jap0: float, schedule: PiecewiseConstantRate
) -> Trajectory:
    key = (a, b, us0, jap0)
    if key not in _CACHE:
        _CACHE[key] = simulate(
            BattleLaw("square", a, b),
            us0,
            jap0,
            36.0,
            dt=0.001,
            method="euler",
            a_reinforcement=schedule,
            save_step=1.0,
        )
    return _CACHE[key]


def test_engel_inputs_values() -> None:
    inputs = load_engel_inputs(shared_file("data/battles/iwo_jima/engel1954_model_inputs.csv"))
    assert (inputs.a, inputs.b, inputs.japanese_initial) == (0.0544, 0.0106, 21_500)


def test_cdb90_complete_battles() -> None:
    """CDB90 README: 521 of 660 battles have intst and cas for both sides."""
    table = load_cdb90(
        shared_file("data/battles/cdb90/battles.csv"),
        shared_file("data/battles/cdb90/belligerents.csv"),
        shared_file("data/battles/cdb90/battle_durations.csv"),
    )
    assert len(table) == 521
    assert table.name[0] == "NIEUPORT"
    assert (table.a0[0], table.ac[0], table.b0[0], table.bc[0]) == (11500, 4000, 11300, 1000)
    assert table.year[0] == 1600


def test_battle_table_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("a0,ac,b0,bc,year,name\n100,10,80,20,1805,Austerlitz\n50,5,60,6,,\n")
    table = load_battle_table(path)
    assert len(table) == 2
    assert table.name == ("Austerlitz", "")
    assert math.isnan(table.year[1]) and math.isnan(table.duration[0])


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a0,ac,b0\n1,2,3\n", "table.csv", "missing column"),
        ("a0,ac,b0,bc\n1,2,x,4\n", "table.csv:2: b0", "expected a number"),
        ("a0,ac,b0,bc\n1,2,3,4\n1,-2,3,4\n", "table.csv:3: ac", "must not be negative"),
        ("a0,ac,b0,bc\n", "table.csv", "no data rows"),
        ("a0,ac,b0,bc,duration\n1,2,3,4,-1\n", "table.csv:2: duration", "must not be negative"),
    ],
)
def test_battle_table_errors_name_file_row_column(
    tmp_path: Path,
    text: str,
    where: str,
    message: str,
) -> None:
    path = tmp_path / "table.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as caught:
        load_battle_table(path)
    assert where in str(caught.value)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_reinforcement_schedule(tmp_path / "absent.csv")


def test_reinforcement_interval_must_be_positive(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("t_start_day,t_end_day,us_inflow_men_per_day\n2,1,5\n")
    with pytest.raises(InputError, match=r"p\.csv:2: t_end_day"):
        load_reinforcement_schedule(path)
