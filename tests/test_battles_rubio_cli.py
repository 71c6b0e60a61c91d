"""``ceasefire battles select --procedure rubio2016``: JSON shape, robustness words, errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ceasefire.battles._rubio_laws import SQUARE
from ceasefire.cli import app
from tests.conftest import shared_file
from tests.test_battles_rubio import synthetic_table

runner = CliRunner()


def write_table(path, law=SQUARE, n=30):
    table = synthetic_table(law, seed=4, n=n)
    rows = ["a0,ac,b0,bc,year"]
    for i in range(n):
        year = 1700 + 6 * i
        rows.append(f"{table.a0[i]},{table.ac[i]},{table.b0[i]},{table.bc[i]},{year}")
    path.write_text("\n".join(rows) + "\n")


def test_rubio2016_json_keeps_the_law_probability_mapping(tmp_path):
    table = tmp_path / "battles.csv"
    write_table(table)
    args = ["battles", "select", str(table), "--procedure", "rubio2016", "--json"]
    result = runner.invoke(app, [*args, "--runs", "4000", "--tolerance", "0.02", "--seed", "3"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["procedure"] == "rubio2016" and out["sampler"] == "rejection"
    (everything,) = out["periods"]
    assert set(everything["probabilities"]) == {"linear", "square", "logarithmic", "fatigue"}
    assert sum(everything["probabilities"].values()) == pytest.approx(1.0)
    assert everything["best"] == "square" and everything["probabilities"]["square"] > 0.9
    assert everything["n_simulations"] == 4000 and sum(everything["accepted"].values()) == 80
    assert everything["discretisation"]["rounding"] == "truncate"
    repeated = runner.invoke(app, [*args, "--runs", "400", "--repeats", "3", "--by", "1700-1799"])
    assert repeated.exit_code == 0, repeated.output
    (period,) = json.loads(repeated.output)["periods"]
    assert period["repeats"] == 3 and len(period["per_repeat"]) == 3
    assert set(period["probability_sd"]) == set(period["probabilities"])


def test_rubio2016_robustness_says_what_the_verdict_belongs_to(tmp_path):
    table = tmp_path / "battles.csv"
    write_table(table, n=12)
    result = runner.invoke(
        app,
        ["battles", "select", str(table), "--procedure", "rubio2016", "--robustness", "--runs=400"],
    )
    assert result.exit_code == 0, result.output
    for variant in ("10 men a step", "1,000 men a step", "no rounding", "continuous time"):
        assert variant in result.output
    assert "is a property of the" in result.output
    assert "Bayes factor" in result.output


@pytest.mark.slow
def test_rubio2016_on_cdb90_by_period():
    """CDB90 (CAA 1990, tidied by J. Arnold): the paper's procedure per period."""
    folder = shared_file("data/battles/cdb90/battles.csv").parent
    result = runner.invoke(
        app,
        ["battles", "select", str(folder), "--procedure=rubio2016", "--by=year-bins", "--json"],
    )
    assert result.exit_code == 0, result.output
    periods = json.loads(result.output)["periods"]
    assert [p["start"] for p in periods] == [1600, 1700, 1800, 1900, 1946]
    # Two of the 521 complete battles have no year (or one outside the bins).
    assert sum(p["n_battles"] + p["n_dropped"] for p in periods) == 519


def test_rubio_options_need_the_rubio_procedure(tmp_path):
    table = tmp_path / "battles.csv"
    write_table(table, n=5)
    result = runner.invoke(app, ["battles", "select", str(table), "--sampler", "smc"])
    assert result.exit_code == 2
    assert "--sampler: only with --procedure rubio2016" in result.output
    result = runner.invoke(
        app, ["battles", "select", str(table), "--procedure", "rubio2016", "--population", "50"]
    )
    assert result.exit_code == 2
    assert "--population: only with --sampler smc" in result.output
