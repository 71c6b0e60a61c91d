import math

import pytest

from ceasefire.analysis import probability_words, summarize, summary_rows, wilson_interval
from ceasefire.ensemble import simulate


@pytest.mark.parametrize(
    ("p", "words"),
    [
        (0.0, "remote chance"),
        (0.05, "remote chance"),
        (0.15, "highly unlikely"),
        (0.30, "unlikely"),
        (0.45, "realistic possibility"),
        (0.60, "likely"),
        (0.75, "likely"),
        (0.85, "highly likely"),
        (0.95, "almost certain"),
        (1.0, "almost certain"),
        # In the yardstick's gaps, both neighbours: the words never claim a range the
        # value lies outside (8.2% was "highly unlikely", whose range is 10-20%).
        (0.07, "remote chance to highly unlikely"),
        (0.082, "remote chance to highly unlikely"),
        (0.52, "realistic possibility to likely"),
        (0.914, "highly likely to almost certain"),
        (0.946, "highly likely to almost certain"),
        (0.22, "highly unlikely to unlikely"),
        (0.37, "unlikely to realistic possibility"),
        (0.77, "likely to highly likely"),
        # Worded as printed (a tenth of a point): 9.96% prints as 10.0%.
        (0.09996, "highly unlikely"),
    ],
)
def test_uk_yardstick(p, words):
    assert probability_words(p) == words


def test_probability_words_refuse_non_probabilities():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        probability_words(1.2)


def test_wilson_interval_known_values():
    # Wilson (1927); e.g. 0 of 100 gives [0, 0.0370], 50 of 100 gives [0.4038, 0.5962].
    low, high = wilson_interval(0, 100)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(0.0370, abs=1e-4)
    low, high = wilson_interval(50, 100)
    assert (low, high) == pytest.approx((0.4038, 0.5962), abs=1e-4)


def test_summary_of_tiny():
    ds = simulate("tiny", draws=400, seed=0)
    summary = summarize(ds)
    assert summary["draws"] == 400 and summary["horizon_months"] == pytest.approx(12)
    blue = summary["sides"]["blue"]
    p12 = blue["p_crisis"]["12"]
    hits = int((ds.months_to_crisis.sel(side="blue") <= 12).sum())
    assert p12["probability"] == hits / 400
    assert p12["words"] == probability_words(hits / 400)
    assert p12["ci95"][0] <= p12["probability"] <= p12["ci95"][1]
    band = blue["active_final"]
    assert band["p05"] <= band["p50"] <= band["p95"]
    assert band["p50"] == pytest.approx(float(ds.active_final.sel(side="blue").quantile(0.5)))
    assert summary["sides"]["red"]["territory_change"]["p50"] == pytest.approx(
        -summary["sides"]["blue"]["territory_change"]["p50"]
    )
    header, rows = summary_rows(summary)
    assert header == ["", "red", "blue"]
    assert any(row[0] == "P(manpower crisis within 12 months)" for row in rows)


def test_months_to_crisis_is_null_beyond_the_horizon():
    ds = simulate("tiny", draws=50, seed=0)
    summary = summarize(ds)
    red = summary["sides"]["red"]["months_to_crisis"]
    # Red almost never falls below its minimum within 12 months in this preset.
    assert red["p50"] is None
    blue = summary["sides"]["blue"]["months_to_crisis"]
    assert blue["p05"] is None or math.isfinite(blue["p05"])


def test_no_crisis_entry_without_a_required_minimum():
    summary = summarize(simulate("pysd-reference", draws=2))
    assert "p_crisis" not in summary["sides"]["a"]


def test_measures_are_addressed_by_name():
    import numpy as np

    from ceasefire._errors import InputError
    from ceasefire.analysis import measure_names, select_measure

    ds = simulate("tiny", draws=30, seed=1)
    crisis = select_measure(ds, "months_to_crisis.blue")
    assert crisis.dims == ("draw",)
    np.testing.assert_array_equal(crisis.values, ds.months_to_crisis.sel(side="blue").values)
    at_six = select_measure(ds, "active.red@6")
    expected = ds.active.sel(side="red").sum("channel").sel(time=6).values
    np.testing.assert_array_equal(at_six.values, expected)
    assert select_measure(ds, "front@12").dims == ("draw",)
    assert "months_to_crisis.red" in measure_names(ds)
    with pytest.raises(InputError, match=r"did you mean 'months_to_crisis\.red'"):
        select_measure(ds, "months_to_crysis.red")
    with pytest.raises(InputError, match="expected a side"):
        select_measure(ds, "active_final.green")
    with pytest.raises(InputError, match="add @month"):
        select_measure(ds, "active.red")
    with pytest.raises(InputError, match="not saved"):
        select_measure(ds, "active.red@13")


def test_the_summary_is_typed_and_json_is_its_serialisation():
    """summarize() is summary_of().to_json(); from_json reads it back (and summary.json's run)."""
    import dataclasses
    import json

    from ceasefire.analysis import Summary, summary_of
    from ceasefire.ensemble import simulate_streaming

    ensemble = simulate("tiny", draws=400, seed=2, engine="numpy")
    typed = summary_of(ensemble)
    data = summarize(ensemble)
    assert typed.to_json() == data
    assert Summary.from_json(json.loads(json.dumps(data))) == typed
    # summary.json's run block (what `ceasefire run` records) is read back and written again.
    with_run = Summary.from_json({**data, "run": {"whatifs": []}})
    assert with_run.run == {"whatifs": []} and dataclasses.replace(with_run, run=None) == typed
    assert with_run.to_json() == {**data, "run": {"whatifs": []}}
    side = next(iter(typed.sides))
    band = typed.sides[side].bands["active_final"]
    assert band.units == "men" and band.p05 <= band.p50 <= band.p95
    streamed = summary_of(simulate_streaming("tiny", draws=400, seed=2, engine="numpy"))
    assert streamed == typed  # the sketches held every value: the same numbers


def _skeleton(data):
    """The keys of a JSON object at every level, in order (values left out)."""
    if isinstance(data, dict):
        return {key: _skeleton(value) for key, value in data.items()}
    return None


def test_run_prints_and_writes_the_typed_summary_serialised(tmp_path):
    """`run --json` is Summary.to_json(), in the shape summary.json had before.

    The one addition is money as a measure: ``money_per_month`` in each side's bands.
    """
    import json

    from typer.testing import CliRunner

    from ceasefire.analysis import Summary
    from ceasefire.analysis.costs import summary_with_money
    from ceasefire.cli import app
    from ceasefire.scenario import load_scenario

    out = tmp_path / "run"
    result = CliRunner().invoke(
        app,
        ["run", "--draws", "40", "--seed", "2", "--engine", "numpy", "-o", str(out), "--json",
         "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert json.loads((out / "summary.json").read_text()) == printed
    assert Summary.from_json(printed).to_json() == printed

    scenario = load_scenario("russia-ukraine-2024-11")
    ensemble = simulate(scenario, draws=40, seed=2, engine="numpy", save="trajectories")
    _, expected = summary_with_money(ensemble, scenario)
    run = {"deterministic": False, "whatifs": [], "overrides": [], "posterior": None}
    assert printed == {**expected.to_json(), "run": run}

    band = ["units", "p05", "p50", "p95"]
    crisis = {m: dict.fromkeys(["probability", "ci95", "words"]) for m in ("12", "24", "36")}
    measures = [
        "active_initial", "active_final", "casualties_per_month", "recruits_per_month",
        "loss_to_recruitment", "killed_total", "territory_change", "money_per_month",
    ]  # fmt: skip
    side = {
        **{name: dict.fromkeys(band) for name in measures},
        "p_crisis": crisis,
        "months_to_crisis": dict.fromkeys([*band, "note"]),
    }
    quantiles = dict.fromkeys(["p05", "p50", "p95"])
    money = {
        "currency": None,
        "units": None,
        **dict.fromkeys(["total", "first_month", "last_month"], quantiles),
        "components": dict.fromkeys(["pay", "bonuses", "compensation", "equipment"], quantiles),
        "total_usd": quantiles,
        "budget_per_month": quantiles,
        "budget_crisis": dict.fromkeys(
            ["p_within_horizon", "first_month_median", "cause", "share_of_budget_median"]
        ),
    }
    bonus = ["recruits_per_month", "after_months", "p05", "p50", "p95", "units", "note"]
    top = [
        "scenario", "title", "scenario_sha256", "seed", "draws", "sampler", "start",
        "horizon_months", "information_cutoff", "ceasefire_version", "probability_words",
    ]  # fmt: skip
    assert _skeleton(printed) == {
        **dict.fromkeys(top),
        "sides": {"russia": side, "ukraine": side},
        "money": {
            "russia": {
                **money,
                "supply": {"elasticity": quantiles, "bonus_to_hold": dict.fromkeys(bonus)},
            },
            "ukraine": {**money, "without_foreign_aid": dict.fromkeys(["p_budget_short", "note"])},
        },
        "run": dict.fromkeys(run),
    }
    # Dicts compare without order: the order is pinned on the keys themselves.
    assert list(printed) == [*top, "sides", "money", "run"]
    assert list(printed["sides"]["russia"]) == [*measures, "p_crisis", "months_to_crisis"]
    assert list(printed["money"]["russia"]) == [*money, "supply"]
