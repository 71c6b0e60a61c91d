"""Battles run on the model's combat laws, and sit beside analysis/ as their own package.

The battle fitter's losses, its forward stepper and the rubio2016 step laws are checked
against ``ceasefire.model.laws`` (the equations every engine runs); the layout tests pin
that the CLI reaches battles only through ``ceasefire.battles``' public names.
"""

from __future__ import annotations

import ast
import importlib
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from ceasefire.battles import BattleLaw, combat_section, simulate
from ceasefire.battles._forward import (
    advance,
    simulate_casualty_fractions,
    simulate_to_end_strength,
)
from ceasefire.battles._laws import FITTED_LAWS, reads_own_rate
from ceasefire.battles._rubio_laws import STEP_LAWS, step_factor, step_losses
from ceasefire.model.laws import LAWS

ROOT = Path(__file__).resolve().parents[1]
A = np.array([120.0, 4_000.0, 35_000.0, 80_000.0])
B = np.array([90_000.0, 2_500.0, 41_000.0, 10.0])
T = np.array([0.0, 1.0, 7.0, 30.0])

LAWS_UNDER_TEST = {
    "square": BattleLaw("square", 0.03, 0.05),
    "linear": BattleLaw("linear", 2e-6, 3e-6),
    "logarithmic": BattleLaw("logarithmic", 0.02, 0.04),
    "general": BattleLaw("general", 0.003, 0.002, 0.7, 0.4),
    "fatigue": BattleLaw("fatigue", 0.02, 0.04),
}


def model_losses(law: BattleLaw, a: np.ndarray, b: np.ndarray, t: np.ndarray):
    """Each side's casualties from the model's law as its NumPy engine evaluates it.

    The model's ``rate`` of a side is what it inflicts (square, linear, general) or what it
    loses of itself (logarithmic, fatigue); the fatigue law's τ is one step of a battle.
    """
    model = LAWS[law.name]
    own = law.name in ("logarithmic", "fatigue")
    rate_a, rate_b = (law.a, law.b) if own else (law.b, law.a)
    first, second = {"general": (law.p, law.q), "fatigue": (1.0, 0.0)}.get(law.name, (0.0, 0.0))
    loss_a = model.casualties(a, b, rate_a, rate_b, first, second, 0.0, t)
    loss_b = model.casualties(b, a, rate_b, rate_a, first, second, 0.0, t)
    return np.broadcast_to(loss_a, a.shape), np.broadcast_to(loss_b, a.shape)


def test_every_fitted_law_is_a_model_law() -> None:
    assert set(FITTED_LAWS) <= set(LAWS)
    assert set(LAWS_UNDER_TEST) == set(FITTED_LAWS)
    assert {name: reads_own_rate(LAWS[name]) for name in FITTED_LAWS} == {
        "square": False,
        "linear": False,
        "logarithmic": True,
        "general": False,
        "fatigue": True,
    }


@pytest.mark.parametrize("name", FITTED_LAWS)
def test_battle_losses_are_the_model_laws_casualties(name: str) -> None:
    """The same equation; NumPy's power and log against the model's branch-free ones."""
    law = LAWS_UNDER_TEST[name]
    got = law.losses(A, B, T)
    want = model_losses(law, A, B, T)
    for side in range(2):
        np.testing.assert_allclose(got[side], want[side], rtol=1e-13)


def test_the_battle_convention_a_scales_side_as_losses() -> None:
    """Engel (1954): dUS/dt = −a·JAP, so under the square law A loses a·B."""
    loss_a, loss_b = BattleLaw("square", 0.0544, 0.0106).losses(50_000.0, 21_500.0)
    assert (float(loss_a), float(loss_b)) == (0.0544 * 21_500.0, 0.0106 * 50_000.0)
    loss_a, _ = BattleLaw("logarithmic", 0.01, 0.5).losses(1_000.0, 9_999.0)
    assert float(loss_a) == 10.0


@pytest.mark.parametrize("name", FITTED_LAWS)
@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_the_stepper_integrates_the_model_law(name: str, method: str) -> None:
    """simulate() against Euler / RK4 written out with the model's law, 20 days, dt = 0.5.

    The square law runs side B to zero within the 20 days, so the clipping is checked too.
    """
    law = LAWS_UNDER_TEST[name]
    path = simulate(law, 40_000.0, 30_000.0, 20.0, dt=0.5, method=method)  # type: ignore[arg-type]
    a, b = np.array([40_000.0]), np.array([30_000.0])
    dt = 0.5

    def rates(a, b, t):
        a, b = np.maximum(a, 0.0), np.maximum(b, 0.0)  # an RK4 stage may overshoot below 0
        loss_a, loss_b = model_losses(law, a, b, np.array([t]))
        return -loss_a, -loss_b

    for k in range(40):
        t = k * dt
        if method == "euler":
            da, db = rates(a, b, t)
        else:
            k1 = rates(a, b, t)
            k2 = rates(a + dt / 2 * k1[0], b + dt / 2 * k1[1], t + dt / 2)
            k3 = rates(a + dt / 2 * k2[0], b + dt / 2 * k2[1], t + dt / 2)
            k4 = rates(a + dt * k3[0], b + dt * k3[1], t + dt)
            da = (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]) / 6
            db = (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]) / 6
        a, b = np.maximum(a + dt * da, 0.0), np.maximum(b + dt * db, 0.0)
    np.testing.assert_allclose(path.at(20.0), (a[0], b[0]), rtol=1e-12)


def test_the_abc_forward_models_take_the_steppers_steps() -> None:
    """Both forward models of ABC take the steps advance() takes, battle by battle."""
    law = BattleLaw("linear", 1.0, 1.0)
    coefficients = np.array([[1e-5, 2e-5], [3e-5, 1e-5]])
    a0, b0 = np.array([5_000.0, 8_000.0, 3_000.0]), np.array([4_000.0, 9_000.0, 6_000.0])
    days = np.array([2.5, 4.0, 1.0])
    fraction_a, fraction_b = simulate_casualty_fractions(law, coefficients, a0, b0, days)
    a_end, b_end = 0.9 * a0, 0.5 * b0
    lost_a, lost_b = simulate_to_end_strength(law, coefficients, a0, b0, a_end, b_end, 50)
    for run, (a_rate, b_rate) in enumerate(coefficients):
        one = BattleLaw("linear", a_rate, b_rate)
        for i in range(3):
            a, b = a0[i], b0[i]
            for step in range(math.ceil(days[i])):
                a, b = advance(one, a, b, float(step), min(days[i] - step, 1.0))
            assert (fraction_a[run, i], fraction_b[run, i]) == (1 - a / a0[i], 1 - b / b0[i])
            a, b, step = a0[i], b0[i], 0
            while step == 0 or (a > a_end[i] and b > b_end[i] and step < 50):
                a, b = advance(one, a, b, float(step), 1.0)
                step += 1
            assert (lost_a[run, i], lost_b[run, i]) == (a0[i] - a, b0[i] - b)


@pytest.mark.parametrize("code", range(len(STEP_LAWS)))
def test_rubio_step_laws_are_the_model_laws(code: int) -> None:
    """The rubio2016 step laws are the model's equations, in the paper's arithmetic.

    rubio2016 keeps its own arithmetic (truncation to whole men needs the paper's last
    bits, and Numba compiles it), but k_blue is what blue inflicts (linear, square) or
    red's own loss rate (logarithmic, fatigue, τ = one step) in the model's laws.
    """
    name = STEP_LAWS[code]
    red, blue = np.array([9_000.0, 400.0, 25_000.0]), np.array([7_000.0, 3_000.0, 900.0])
    k_blue = step_factor(code, 100.0, red, blue)
    k_red = k_blue * np.array([0.5, 1.0, 2.5])
    for step in (0, 3, 40):
        red_loss, blue_loss = step_losses(code, k_blue, k_red, red, blue, step)
        law = BattleLaw(name, k_blue, k_red)
        want = model_losses(law, red, blue, np.full(3, float(step)))
        np.testing.assert_allclose(red_loss, want[0], rtol=1e-14)
        np.testing.assert_allclose(blue_loss, want[1], rtol=1e-14)


def test_a_fitted_fatigue_law_goes_into_a_scenario_with_a_day_as_its_step() -> None:
    from ceasefire.scenario import load_scenario, scenario_from_dict

    law = BattleLaw("fatigue", 0.02, 0.03)
    section = combat_section(law, {"a": 0.001, "b": 0.0}, ("red", "blue"), "test data")
    assert section["time_scale"]["value"] == 1
    data = load_scenario("tiny").model_dump(mode="json", exclude_none=True)
    data["combat"] = section
    scenario = scenario_from_dict(data)
    assert scenario.combat.law == "fatigue"
    assert scenario.combat.loss_rate["red"].central() == pytest.approx(0.02)
    assert scenario.combat.loss_rate["blue"].central() == pytest.approx(0.03)


# --- layout ------------------------------------------------------------------------------


def test_battles_is_a_package_of_its_own() -> None:
    assert importlib.util.find_spec("ceasefire.battles") is not None
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("ceasefire.analysis.battles")
    assert not (ROOT / "src" / "ceasefire" / "analysis" / "battles").exists()


def test_the_cli_imports_only_public_battles_names() -> None:
    """No ``ceasefire.battles._x`` (nor the old ``analysis.battles``) import in cli/."""
    reached: list[str] = []
    for path in sorted((ROOT / "src" / "ceasefire" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if "analysis.battles" in name or (
                    parts[:2] == ["ceasefire", "battles"] and any(p.startswith("_") for p in parts)
                ):
                    reached.append(f"{path.name}: {name}")
    assert reached == []


def test_the_contracts_place_battles_beside_analysis_without_exceptions() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c for c in contracts if c["type"] == "layers"]
    (layer,) = [layer for layer in layers["layers"] if "ceasefire.analysis" in layer]
    assert "ceasefire.battles" in [part.strip() for part in layer.split("|")]
    (private,) = [c for c in contracts if c["type"] == "private_modules"]
    assert not private.get("ignore_imports")
