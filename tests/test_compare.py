"""Scenario comparison under common random numbers."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ceasefire.analysis import compare, compare_ensembles
from ceasefire.cli import app
from ceasefire.ensemble import simulate
from ceasefire.scenario import load_scenario


def test_a_scenario_compared_with_itself_differs_by_exactly_zero() -> None:
    base = load_scenario()
    result = compare(base, [base], draws=600, seed=2)
    (comparison,) = result["comparisons"]
    assert comparison["measures"]
    for name, entry in comparison["measures"].items():
        assert entry["mean_difference"] == 0.0, name
        assert entry["ci95"] == [0.0, 0.0], name


def test_a_what_if_shifts_what_it_touches_and_nothing_else() -> None:
    base = load_scenario()
    result = compare(base, [load_scenario(whatifs=["bonus-cut"])], draws=1500, seed=0)
    measures = result["comparisons"][0]["measures"]
    recruits = measures["recruits_per_month.russia"]
    assert recruits["ci95"][1] < 0  # fewer recruits, and the interval says so
    crisis = measures["p_crisis_36m.russia"]
    assert crisis["variant"] > crisis["base"]
    assert crisis["ci95"][0] > 0
    # The bonus does not touch Ukraine's recruitment: identical draw by draw. Its losses
    # follow Russia's strength (the responsive mode's p): a smaller Russian force kills fewer.
    assert measures["recruits_per_month.ukraine"]["mean_difference"] == 0.0
    assert measures["killed_total.ukraine"]["ci95"][1] < 0
    assert result["comparisons"][0]["shared_parameters"] > 40


def test_paired_intervals_are_narrower_than_independent_ones() -> None:
    base = load_scenario()
    variant = load_scenario(whatifs=["north-korea-surge"])
    a = simulate(base, draws=2000, seed=1, save="summary")
    b = simulate(variant, draws=2000, seed=1, save="summary")
    paired = compare_ensembles(a, b)["measures"]["active_final.russia"]
    width = paired["ci95"][1] - paired["ci95"][0]
    values_a = a["active_final"].sel(side="russia").values
    values_b = b["active_final"].sel(side="russia").values
    independent = 2 * 1.96 * ((values_a.var() + values_b.var()) / 2000) ** 0.5
    assert width < independent / 10


def test_ensembles_with_other_seeds_are_not_paired() -> None:
    a = simulate("tiny", draws=16, seed=1, save="summary")
    b = simulate("tiny", draws=16, seed=2, save="summary")
    with pytest.raises(ValueError, match="different seeds"):
        compare_ensembles(a, b)


def test_cli_compare() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["compare", "tiny", "tiny", "-n", "50", "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert all(
        entry["mean_difference"] == 0.0 for entry in payload["comparisons"][0]["measures"].values()
    )
    result = runner.invoke(
        app,
        [
            "compare",
            "russia-ukraine-2024-11",
            "belarus-joins+bonus-cut",
            "-n",
            "64",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "russia-ukraine-2024-11.belarus-joins.bonus-cut against" in " ".join(
        result.output.split()
    )
    result = runner.invoke(app, ["compare", "tiny", "no-such-thing", "--no-progress"])
    assert result.exit_code == 2
    assert "what-ifs: belarus-joins" in result.output
