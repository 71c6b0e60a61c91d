"""Global sensitivity through SALib: published test functions, then the model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire._errors import InputError
from ceasefire.analysis import Factor, analyse_factors, scenario_factors, sensitivity
from ceasefire.cli import app
from ceasefire.scenario import load_scenario

# Ishigami & Homma (1990), a = 7, b = 0.1; analytic indices (Saltelli et al., Global
# Sensitivity Analysis: The Primer, 2008, and SALib's documentation).
ISHIGAMI_S1 = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_ST = np.array([0.5576, 0.4424, 0.2437])
G_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0])


def _uniform(low: float, high: float):  # type: ignore[no-untyped-def]
    return lambda u: low + (high - low) * u


def _ishigami(values: dict[str, np.ndarray]) -> np.ndarray:
    x1, x2, x3 = values["x1"], values["x2"], values["x3"]
    return np.sin(x1) + 7.0 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)


def _ishigami_factors() -> list[Factor]:
    return [Factor(f"x{i}", (f"x{i}",), (_uniform(-np.pi, np.pi),)) for i in (1, 2, 3)]


def _g(values: dict[str, np.ndarray]) -> np.ndarray:
    out = np.ones_like(values["x0"])
    for i, a in enumerate(G_A):
        out *= (np.abs(4.0 * values[f"x{i}"] - 2.0) + a) / (1.0 + a)
    return out


def _g_indices() -> tuple[np.ndarray, np.ndarray]:
    """Sobol' G function: V_i = 1 / (3 (1 + a_i)²), S1_i = V_i / V.

    ST_i = V_i Π_{j≠i} (1 + V_j) / V, with V = Π (1 + V_i) - 1.
    """
    partial = 1.0 / (3.0 * (1.0 + G_A) ** 2)
    total = np.prod(1.0 + partial) - 1.0
    first = partial / total
    whole = np.array([partial[i] * np.prod(np.delete(1.0 + partial, i)) for i in range(len(G_A))])
    return first, whole / total


def _g_factors() -> list[Factor]:
    return [Factor(f"x{i}", (f"x{i}",), (_uniform(0.0, 1.0),)) for i in range(len(G_A))]


def _by_name(result) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    return {f["factor"]: f for f in result.to_dict()["factors"]}


def test_ishigami_sobol_indices_within_their_intervals() -> None:
    result = analyse_factors(_ishigami_factors(), _ishigami, method="sobol", n=4096, seed=3)
    found = _by_name(result)
    for i, name in enumerate(("x1", "x2", "x3")):
        entry = found[name]
        assert abs(entry["S1"] - ISHIGAMI_S1[i]) <= entry["S1_conf"], (name, entry)
        assert abs(entry["ST"] - ISHIGAMI_ST[i]) <= entry["ST_conf"], (name, entry)
        assert entry["S1_conf"] < 0.1
    assert [f["factor"] for f in result.to_dict()["factors"]] == ["x1", "x2", "x3"]
    assert result.evaluations == 4096 * (3 + 2)


def test_g_function_sobol_indices_within_their_intervals() -> None:
    first, total = _g_indices()
    result = analyse_factors(_g_factors(), _g, method="sobol", n=4096, seed=5)
    found = _by_name(result)
    for i in range(len(G_A)):
        entry = found[f"x{i}"]
        assert abs(entry["S1"] - first[i]) <= max(entry["S1_conf"], 1e-3), (i, entry)
        assert abs(entry["ST"] - total[i]) <= max(entry["ST_conf"], 1e-3), (i, entry)


def test_a_group_is_one_factor() -> None:
    pair = Factor("x1x2", ("x1", "x2"), (_uniform(-np.pi, np.pi), _uniform(-np.pi, np.pi)))
    third = Factor("x3", ("x3",), (_uniform(-np.pi, np.pi),))
    result = analyse_factors([pair, third], _ishigami, method="sobol", n=4096, seed=1)
    found = _by_name(result)
    # S_{12} = S1 + S2 + S12 (S12 = 0 for Ishigami); ST of the pair = 1 - S3 = 1.
    assert abs(found["x1x2"]["S1"] - 0.7563) <= found["x1x2"]["S1_conf"]
    assert abs(found["x1x2"]["ST"] - 1.0) <= found["x1x2"]["ST_conf"]
    assert result.evaluations == 4096 * (2 + 2)


def test_morris_and_pawn_rank_the_g_function_by_its_coefficients() -> None:
    morris = analyse_factors(_g_factors(), _g, method="morris", n=200, seed=2)
    pawn = analyse_factors(_g_factors(), _g, method="pawn", n=4000, seed=2)
    for result in (morris, pawn):
        ranked = [f["factor"] for f in result.to_dict()["factors"]]
        assert ranked[:4] == ["x0", "x1", "x2", "x3"], (result.method, ranked)


def test_an_output_that_does_not_vary_has_zero_indices() -> None:
    flat = analyse_factors(
        _ishigami_factors(), lambda v: np.zeros_like(v["x1"]), method="sobol", n=64
    )
    assert all(f["ST"] == 0 for f in flat.to_dict()["factors"])
    assert "does not vary" in flat.notes[0]


def test_pawn_refuses_groups() -> None:
    pair = Factor("g", ("x1", "x2"), (_uniform(0, 1), _uniform(0, 1)))
    with pytest.raises(InputError, match="PAWN takes no groups"):
        analyse_factors([pair], _ishigami, method="pawn", n=64)


def test_scenario_factors_group_and_hold() -> None:
    scenario = load_scenario()
    factors, held = scenario_factors(scenario, groups={"recruitment": ["*.recruitment.*"]})
    names = [f.name for f in factors]
    assert "recruitment" in names
    recruitment = next(f for f in factors if f.name == "recruitment")
    assert len(recruitment.parameters) >= 4
    assert all(".recruitment." in p for p in recruitment.parameters)
    assert held and all(p.startswith(("observations.", "costs.")) for p in held)
    with pytest.raises(InputError, match="matches no uncertain parameter"):
        scenario_factors(scenario, groups={"nothing": ["no.such.*"]})


@pytest.mark.slow
def test_the_default_scenario_months_to_crisis() -> None:
    result = sensitivity(output="months_to_crisis.russia", method="morris", n=16, seed=0)
    found = _by_name(result)
    # The bargaining section does not act on the simulation: exactly no effect.
    for name, entry in found.items():
        if name.startswith("bargaining."):
            assert entry["mu_star"] == 0.0, name
    top = result.to_dict()["factors"][0]["factor"]
    assert top.startswith(("sides.russia.", "combat.")), top
    assert any("held at their medians" in note for note in result.notes)
    json.dumps(result.to_dict())


def test_a_trajectory_measure_and_a_bad_name() -> None:
    result = sensitivity("tiny", output="active.blue@12", method="morris", n=4)
    assert result.evaluations == 4 * (10 + 1)
    with pytest.raises(InputError, match="did you mean"):
        sensitivity("tiny", output="active_fnal.blue", method="morris", n=4)


def test_cli_sensitivity_json_and_table() -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["sensitivity", "tiny", "--method", "morris", "-N", "4", "--json", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["method"] == "morris"
    # The default measure is continuous (months to crisis is censored at the horizon).
    assert payload["output"] == "force_margin.red"
    assert len(payload["factors"]) == 10
    result = runner.invoke(
        app,
        [
            "sensitivity",
            "tiny",
            "--output",
            "active_final.red",
            "--method",
            "sobol",
            "-N",
            "8",
            "--group",
            "lethality=combat.lethality.*",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "lethality (2 parameters)" in result.output
    result = runner.invoke(app, ["sensitivity", "tiny", "--group", "oops", "--no-progress"])
    assert result.exit_code == 2
    assert "expected NAME=GLOB" in result.output


def test_cli_sensitivity_saves_its_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out" / "sensitivity.json"
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["sensitivity", "tiny", "--method", "morris", "-N", "4", "--save", str(target)],
    )
    assert result.exit_code == 0, result.output
    saved = json.loads(target.read_text())
    assert saved["method"] == "morris" and saved["factors"]
    assert not list(target.parent.glob("*.tmp*"))
    result = runner.invoke(app, ["sensitivity", "tiny", "-N", "4", "--save", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a folder" in result.output


def test_results_are_reproducible_for_every_seed_including_zero() -> None:
    """SALib reads seed 0 as no seed; the adapter must not."""
    for seed in (0, 7):
        first = analyse_factors(_ishigami_factors(), _ishigami, method="sobol", n=64, seed=seed)
        again = analyse_factors(_ishigami_factors(), _ishigami, method="sobol", n=64, seed=seed)
        for name in first.indices:
            np.testing.assert_array_equal(first.indices[name], again.indices[name])


def test_money_s_own_parameters_are_factors_when_the_output_is_money():
    """``costs.*`` act on the money measures only: factors there, held for the others."""
    from ceasefire.analysis._sensitivity import default_exclude

    scenario = load_scenario("russia-ukraine-2024-11")
    money, _ = scenario_factors(scenario, exclude=default_exclude("money_per_month.russia"))
    crisis, held = scenario_factors(scenario, exclude=default_exclude("months_to_crisis.russia"))
    assert any(f.name.startswith("costs.") for f in money)
    assert not any(f.name.startswith("costs.") for f in crisis)
    assert any(path.startswith("costs.") for path in held)
    assert default_exclude("money_per_month.ukraine@12") == ("observations.*",)
