"""`ceasefire battles fit` end to end: a series simulated from a known law, and the Ardennes."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.battles import BattleLaw
from ceasefire.cli import app
from tests.conftest import shared_file

runner = CliRunner()


def write_square_series(path, a=0.004, b=0.006, days=30):
    """Daily series from the discrete square law with reinforcements keeping forces up."""
    law = BattleLaw("square", a, b)
    a_forces, b_forces = [100_000.0], [80_000.0]
    rows = ["day,a_forces,a_casualties,b_forces,b_casualties"]
    for day in range(days):
        loss_a, loss_b = (float(x) for x in law.losses(a_forces[-1], b_forces[-1]))
        rows.append(f"{day},{a_forces[-1]},{loss_a},{b_forces[-1]},{loss_b}")
        a_forces.append(a_forces[-1] - loss_a + 300.0)
        b_forces.append(b_forces[-1] - loss_b + 450.0 * (1 + np.sin(day)))
    path.write_text("\n".join(rows) + "\n")


def test_fit_recovers_a_known_square_law(tmp_path):
    data = tmp_path / "square.csv"
    write_square_series(data)
    result = runner.invoke(app, ["battles", "fit", str(data), "--law", "square", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["parameters"]["a"] == pytest.approx(0.004, rel=1e-6)
    assert out["parameters"]["b"] == pytest.approx(0.006, rel=1e-6)
    assert out["r_squared"] == pytest.approx(1.0, abs=1e-9)
    assert out["identified"] is True


def test_general_law_on_the_ardennes_is_flagged_as_not_identified():
    """Wiper, Pettit & Young's series: forces barely move, so p and q are not identified."""
    data = shared_file("data/battles/ardennes/ardennes_wpy2000.csv")
    result = runner.invoke(app, ["battles", "fit", str(data), "--law", "general", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["identified"] is False
    assert out["warnings"]
    assert set(out["parameters"]) == {"a", "b", "p", "q", "tactical"}
    table = runner.invoke(app, ["battles", "fit", str(data), "--law", "square"])
    assert table.exit_code == 0
    assert "SSR" in table.output and "R²" in table.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("day,a_forces\n1,2\n", "missing column"),
        ("day,a_forces,a_casualties,b_forces,b_casualties\n1,10,x,10,1\n", "a_casualties"),
        ("day,a_forces,a_casualties,b_forces,b_casualties\n1,10,-1,10,1\n", "must not be negative"),
    ],
)
def test_bad_series_is_a_clean_error(tmp_path, content, message):
    data = tmp_path / "bad.csv"
    data.write_text(content)
    result = runner.invoke(app, ["battles", "fit", str(data)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_fitted_law_is_written_into_a_scenario(tmp_path):
    """The bridge: a = what B inflicts on A, so it becomes B's lethality in the scenario."""
    from ceasefire.scenario import load_scenario

    data = tmp_path / "square.csv"
    write_square_series(data)
    out = tmp_path / "fitted.yaml"
    args = ["battles", "fit", str(data), "--law", "square", "--into", "tiny"]
    result = runner.invoke(app, [*args, "--sides", "red,blue", "-o", str(out)])
    assert result.exit_code == 0, result.output
    scenario = load_scenario(out)
    assert scenario.combat.law == "square"
    blue = scenario.combat.lethality["blue"]  # inflicts A's (red's) losses
    assert blue.central() == pytest.approx(0.004, rel=1e-4)
    assert blue.unit == "per_day"
    assert "ceasefire battles fit" in (blue.assumption or "")
    assert scenario.combat.lethality["red"].central() == pytest.approx(0.006, rel=1e-4)
    bad = runner.invoke(app, [*args, "--sides", "red,green", "-o", str(tmp_path / "x.yaml")])
    assert bad.exit_code == 2
    assert not (tmp_path / "x.yaml").exists()


def test_plot_of_observed_against_fitted(tmp_path):
    data = tmp_path / "square.csv"
    write_square_series(data)
    plot = tmp_path / "fit.svg"
    result = runner.invoke(app, ["battles", "fit", str(data), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    text = plot.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    assert "observed" in text and "R²" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.svg", "square.csv"]
    bad = runner.invoke(app, ["battles", "fit", str(data), "--plot", str(tmp_path / "fit.gif")])
    assert bad.exit_code == 2


def write_square_table(path, a=0.03, b=0.05, battles=40, seed=3):
    """Battles fought under the discrete square law for 1-10 days, with years 1700-1939."""
    rng = np.random.default_rng(seed)
    law = BattleLaw("square", a, b)
    rows = ["a0,ac,b0,bc,year,duration"]
    for i in range(battles):
        a0, b0 = rng.uniform(5_000, 50_000), rng.uniform(5_000, 50_000)
        days = int(rng.integers(1, 11))
        a_now, b_now = a0, b0
        for day in range(days):
            loss_a, loss_b = (float(x) for x in law.losses(a_now, b_now, day))
            a_now, b_now = max(a_now - loss_a, 0.0), max(b_now - loss_b, 0.0)
        year = 1700 + 6 * i
        rows.append(f"{a0},{a0 - a_now},{b0},{b0 - b_now},{year},{days}")
    path.write_text("\n".join(rows) + "\n")


def test_select_favours_the_law_that_made_the_table(tmp_path):
    table = tmp_path / "battles.csv"
    write_square_table(table)
    result = runner.invoke(app, ["battles", "select", str(table), "--json", "--seed", "1"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    (everything,) = out["periods"]
    assert everything["best"] == "square"
    assert everything["probabilities"]["square"] > 0.9
    assert sum(everything["probabilities"].values()) == pytest.approx(1.0)
    bins = runner.invoke(
        app, ["battles", "select", str(table), "--by", "1700-1819,1820-1939", "--json"]
    )
    assert bins.exit_code == 0, bins.output
    periods = json.loads(bins.output)["periods"]
    assert [(p["start"], p["end"]) for p in periods] == [(1700, 1819), (1820, 1939)]
    assert sum(p["n_battles"] for p in periods) == 40


def test_select_on_cdb90_by_period():
    """CDB90 (CAA 1990, tidied by J. Arnold): 521 complete battles, one choice per period."""
    folder = shared_file("data/battles/cdb90/battles.csv").parent
    result = runner.invoke(app, ["battles", "select", str(folder), "--by", "year-bins"])
    assert result.exit_code == 0, result.output
    assert "521 battles" in result.output
    assert "1900-1945" in result.output


def test_select_bad_bins_is_a_clean_error(tmp_path):
    table = tmp_path / "battles.csv"
    write_square_table(table, battles=5)
    result = runner.invoke(app, ["battles", "select", str(table), "--by", "early,late"])
    assert result.exit_code == 2
    assert "expected year-bins" in result.output
