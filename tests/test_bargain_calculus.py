"""The grounded deal calculus: revealed preferences, mechanisms, settlement forecast."""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.bargaining import (
    Issue,
    deal_calculus,
    kalai_smorodinsky_agreement,
    nash_agreement,
    pareto_frontier,
    two_period_shifting_power,
)
from ceasefire.bargaining import _vector as vec
from ceasefire.bargaining._mechanisms import preventive_war
from ceasefire.bargaining._offers import CasualtyRate, Offer, OfferRecord
from ceasefire.bargaining._revealed import PreferencePrior, infer_preferences
from ceasefire.bargaining._settlement import (
    base_rate,
    settlement_curve,
    shipped_war_durations,
    war_durations,
)
from ceasefire.cli import app
from ceasefire.scenario import scenario_from_dict
from tests.conftest import shared_file
from tests.test_bargain_coupling import paper_war

runner = CliRunner()


def test_vectorised_frontier_matches_the_library():
    """Window, Nash and KS over draws and months equal the exact per-point library."""
    rng = np.random.default_rng(3)
    draws, months = 150, 4
    weight_a = rng.dirichlet([1, 1, 1], draws)
    weight_b = rng.dirichlet([1, 1, 1], draws)
    binary = [False, True, False]
    chains = vec.chains(weight_a, weight_b, binary)
    d_a = rng.uniform(-0.3, 0.9, (draws, months))
    d_b = rng.uniform(-0.3, 0.9, (draws, months))
    open_ = vec.window_open(chains, d_a, d_b)
    nash = vec.nash_terms(chains, d_a, d_b)
    ks = vec.kalai_smorodinsky_terms(chains, d_a, d_b)
    names = ["territory", "neutrality", "sanctions"]
    assert 0.2 < open_.mean() < 1.0  # both cases are exercised
    for d in range(draws):
        issues = [Issue(names[j], weight_a[d, j], weight_b[d, j], binary[j]) for j in range(3)]
        frontier = pareto_frontier(issues)
        for m in range(months):
            reach = max(d_a[d, m], frontier.pieces[0][0].utility_a)
            expected = (
                reach <= frontier.pieces[-1][-1].utility_a
                and frontier.utility_b_at(reach) >= d_b[d, m] - 1e-12
            )
            assert open_[d, m] == expected
            if not expected:
                assert np.isnan(nash[d, m]).all()
                continue
            point = (d_a[d, m], d_b[d, m])
            n = nash_agreement(issues, point)
            k = kalai_smorodinsky_agreement(issues, point)
            assert nash[d, m] == pytest.approx([n.outcome[x] for x in names], abs=1e-9)
            assert ks[d, m] == pytest.approx([k.outcome[x] for x in names], abs=1e-9)


@pytest.mark.parametrize("delta", [0.3, 0.6, 0.9, 0.99])
def test_commitment_condition_is_powells_closed_form(delta):
    """On the two-period toy the path condition equals x1* > 1 (Powell 2006; oracle A3)."""
    grid = np.linspace(0.0, 1.0, 11)
    costs = [0.0, 0.05, 0.2, 0.5]
    seen = set()
    for p1 in grid:
        for p2 in grid:
            for cost in costs:
                toy = two_period_shifting_power(p1, p2, cost, 0.1, delta)
                ours = bool(preventive_war((1 + delta) * p1 - cost, p2 - cost, 1.0, delta))
                assert ours == toy.preventive_war, (p1, p2, cost)
                seen.add(ours)
    assert seen == {True, False}


def _synthetic_record(truth, sides, rng, n_offers=40):
    """Offers at random points and dates, each answered by one side as the model says.

    The casualty rate changes from month to month (200 to 3,000 a day), so that the cost of
    fighting on varies between choices and resolve is told apart from the issue weights.
    """
    names = ("territory", "neutrality", "sanctions")
    months = [dt.date(2022 + m // 12, 1 + m % 12, 1) for m in range(24)]
    rates = tuple(
        CasualtyRate(month, float(rng.uniform(200, 3000)), "synthetic") for month in months
    )
    offers = []
    for i in range(n_offers):
        point = {
            "territory": float(rng.uniform(0, 0.45)),
            "neutrality": float(rng.integers(0, 2)),
            "sanctions": float(rng.uniform(0, 1)),
        }
        index = i % 2
        side = sides[index]
        date = months[int(rng.integers(0, len(months)))]
        rate = next(r.per_day for r in rates if r.date == date)
        weights = truth["weights"][side]
        war = {"territory": 0.2, "neutrality": 0.0, "sanctions": 0.0}
        if index == 0:
            utility_war = sum(w * war[n] for w, n in zip(weights, names, strict=True))
            utility_offer = sum(w * point[n] for w, n in zip(weights, names, strict=True))
        else:
            utility_war = sum(w * (1 - war[n]) for w, n in zip(weights, names, strict=True))
            utility_offer = sum(w * (1 - point[n]) for w, n in zip(weights, names, strict=True))
        cost = rate * 30.4375 * 12 / truth["resolve"][side]
        refuses = utility_war - cost - utility_offer + rng.logistic(0, 0.02) > 0
        offers.append(
            Offer(
                id=f"synthetic-{i}",
                date=date,
                by=side if not refuses else "mediator",
                offered=not refuses,
                point=point,
                refused_by=(side,) if refuses else (),
                standing=False,
                recorded_outcome="",
                source="synthetic",
            )
        )
    return OfferRecord("synthetic", "synthetic", tuple(offers), rates)


@pytest.mark.slow
def test_inference_recovers_known_resolve_and_weights():
    """Choices generated by the model with known preferences are explained by them.

    Optimism and expected duration are fixed (narrow priors) so that the test is about the
    resolve and the issue weights, which the refusals must identify.
    """
    sides = ("a", "b")
    truth = {
        "resolve": {"a": 4.0e6, "b": 1.5e6},
        "weights": {"a": (0.6, 0.3, 0.1), "b": (0.3, 0.5, 0.2)},
    }
    record = _synthetic_record(truth, sides, np.random.default_rng(7), n_offers=60)
    prior = PreferencePrior(
        optimism_a=(-1e-6, 1e-6),
        optimism_b=(-1e-6, 1e-6),
        duration=(11.999, 12.001),
        sigma=(0.019, 0.021),
    )
    posterior = infer_preferences(
        record,
        sides=sides,
        issues={"territory": "continuous", "neutrality": "binary", "sanctions": "continuous"},
        at_war={"territory": "front", "neutrality": 0.0, "sanctions": 0.0},
        line=0.2,
        cutoff=dt.date(2024, 11, 30),
        prior=prior,
        samples=100_000,
        seed=1,
    )
    summary = posterior.summary()["parameters"]
    assert posterior.effective_sample_size > 20
    for side in sides:
        post = summary[f"resolve.{side}"]["posterior"]
        prior_width = math.log(3e7 / 3e5)
        assert post["p05"] <= truth["resolve"][side] <= post["p95"]
        assert math.log(post["p95"] / post["p05"]) < 0.6 * prior_width  # it learned
        for weight, name in zip(
            truth["weights"][side], ("territory", "neutrality", "sanctions"), strict=True
        ):
            bands = summary[f"weight.{side}.{name}"]["posterior"]
            assert abs(bands["p50"] - weight) < 0.15, (side, name, bands)


def test_hazard_is_the_base_rate_when_the_window_carries_no_information():
    """With a likelihood ratio of 1 (or an always-open window on average), h = λ."""
    rng = np.random.default_rng(0)
    window = rng.random((500, 24)) < 0.3
    hazard = np.full(500, 0.03)
    monthly, p_by = settlement_curve(window, hazard, likelihood_ratio=1.0)
    assert monthly == pytest.approx(np.full(24, 0.03))
    assert p_by == pytest.approx(1 - 0.97 ** np.arange(1, 25))
    # Informative windows move it, and an open window raises the hazard.
    opened, _ = settlement_curve(np.ones((10, 3), bool), hazard[:10], likelihood_ratio=3.0)
    closed, _ = settlement_curve(np.zeros((10, 3), bool), hazard[:10], likelihood_ratio=3.0)
    assert opened[0] == pytest.approx(0.03 * 3 / 2)
    assert closed[0] == pytest.approx(0.03 / 2)
    assert 0.5 * opened[0] + 0.5 * closed[0] == pytest.approx(0.03)


def test_base_rate_reproduces_the_data_readme():
    """12 of 95 COW wars reached 33 months; 2, 3 and 5 of them ended within 6, 12, 24."""
    wars = shipped_war_durations()
    assert len(wars) == 95
    rate = base_rate(wars, 33.0)
    assert rate.at_risk == 12
    assert rate.within[6]["p"] == pytest.approx(2 / 12)
    assert rate.within[12]["p"] == pytest.approx(3 / 12)
    assert rate.within[24]["p"] == pytest.approx(5 / 12)
    assert np.median([w.months for w in wars]) == pytest.approx(5.32, abs=0.01)


def test_shipped_durations_are_derived_from_the_cow_file():
    path = shared_file("data/wars/Inter-StateWarData_v4.0.csv")
    derived = war_durations(path)
    shipped = shipped_war_durations()
    assert [(w.number, w.start, w.end) for w in derived] == [
        (w.number, w.start, w.end) for w in shipped
    ]


def _paper_scenario():
    data = paper_war()
    data["information_cutoff"] = "1999-12-31"
    return scenario_from_dict(data)


PAPER_OFFERS = """\
name: paper offers
war_start: 1997-01-01
offers:
  - id: all-for-a
    date: 1999-06-01
    by: a
    offered: true
    point: {territory: 0.9, neutrality: 1}
    refused_by: [b]
casualty_rates:
  - {date: 1997-01-01, per_day: 100, source: the paper war}
"""


def test_identical_beliefs_and_no_power_shift_give_a_credible_window_equal_to_the_window(
    tmp_path,
):
    """Shared beliefs, a front that cannot move: nothing can make a deal incredible."""
    offers = tmp_path / "offers.yaml"
    offers.write_text(PAPER_OFFERS)
    from ceasefire.bargaining._offers import load_offers

    record = load_offers(
        offers,
        sides=("a", "b"),
        kinds={"territory": "continuous", "neutrality": "binary"},
        contested_area_km2=100_000,
        cutoff=dt.date(1999, 12, 31),
    )
    result = deal_calculus(
        _paper_scenario(),
        draws=20,
        offers=record,
        posterior_samples=5000,
        backtest=False,
        revealed_optimism=False,
    )
    assert result["credible_window"] == result["p_window_open"]
    assert max(result["mechanisms"]["commitment"]) == 0.0
    assert max(result["mechanisms"]["optimism"]) == 0.0
    assert len(result["settlement"]["p_by_month"]) == len(result["settlement"]["months"])
    assert result["offers"][0]["accepts"]["a"] == pytest.approx(1.0)
    # The record's optimism is a belief of each side: with it, the views differ.
    revealed = deal_calculus(
        _paper_scenario(), draws=20, offers=record, posterior_samples=5000, backtest=False
    )
    assert revealed["p_window_shared_beliefs"] == result["p_window_shared_beliefs"]


def _bargain(*args):
    return runner.invoke(app, ["bargain", "--draws", "30", *args])


def test_bargain_json_has_the_issue_keys():
    result = _bargain("--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    settlement = out["settlement"]
    assert {"months", "hazard", "p_by_month", "base_rate"} <= set(settlement)
    assert len(settlement["p_by_month"]) == len(settlement["months"]) == len(settlement["hazard"])
    assert np.all(np.diff(settlement["p_by_month"]) >= -1e-12)
    assert set(out["mechanisms"]) >= {"optimism", "commitment", "indivisibility"}
    assert len(out["credible_window"]) == len(out["months"])
    assert np.all(np.array(out["credible_window"]) <= np.array(out["p_window_open"]) + 1e-12)
    assert len(out["offers"]) == 5
    for offer in out["offers"]:
        assert {"date", "by", "point", "recorded_outcome", "accepts", "distance_to_nash"} <= set(
            offer
        )
        assert set(offer["accepts"]) == {"russia", "ukraine"}
    assert "resolve.russia" in out["preferences"]["parameters"]
    assert len(settlement["backtest"]["cutoffs"]) == 3
    assert out["beliefs"]["ukraine"].startswith("General Staff")
    # The KIIS polls are a check beside the posterior: willingness rises with the costs.
    check = out["preferences"]["public_opinion_check"]
    assert [row["ready_share"] for row in check] == [0.09, 0.19, 0.26, 0.32, 0.32]
    model = [row["model_p_prefers_ceasefire_on_the_line"] for row in check]
    assert model[-1] > model[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("point: {territory: 0.2, neutrality: 1, sanctions: 0, crimea: 1}", "unknown issue"),
        ("point: {territory: 1.4, neutrality: 1, sanctions: 0}", "share in [0, 1]"),
        ("point: {territory: {km2: 900000}, neutrality: 1, sanctions: 0}", "km²"),
    ],
)
def test_bad_offer_files_are_one_line_errors(tmp_path, text, message):
    path = tmp_path / "offers.yaml"
    path.write_text(
        "offers:\n  - date: 2024-01-01\n    by: russia\n    " + text + "\n"
        "casualty_rates:\n  - {date: 2024-01-01, per_day: 1000}\n"
    )
    result = _bargain("--offers", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert message in result.output
    assert str(path) in result.output


def test_an_offer_after_the_cutoff_is_refused(tmp_path):
    path = tmp_path / "offers.yaml"
    path.write_text(
        "offers:\n  - date: 2025-02-01\n    by: russia\n"
        "    point: {territory: 0.2, neutrality: 1, sanctions: 0}\n"
        "casualty_rates:\n  - {date: 2024-01-01, per_day: 1000}\n"
    )
    result = _bargain("--offers", str(path))
    assert result.exit_code == 2
    assert "after the information cutoff" in result.output
    assert "offers.0.date" in result.output


def test_deal_measures_are_measures_for_sensitivity_and_compare():
    """deal_*@MONTH are per-draw measures the analysis layer can select and compare."""
    from ceasefire.analysis import compare_ensembles, select_measure
    from ceasefire.analysis._measures import add_registered_measures
    from ceasefire.bargaining import DEAL_MEASURES
    from ceasefire.ensemble import simulate
    from ceasefire.scenario import load_scenario

    scenario = load_scenario("russia-ukraine-2024-11")
    ensemble = add_registered_measures(
        simulate(scenario, draws=8, seed=0, save="trajectories"), scenario
    )
    for name in DEAL_MEASURES:
        values = select_measure(ensemble, f"{name}@12").values
        assert values.shape == (8,)
        assert np.all(np.isfinite(values))
    settled = select_measure(ensemble, "deal_settled@24").values
    assert np.all((settled > 0) & (settled < 1))
    same = compare_ensembles(ensemble, ensemble)["measures"]
    assert same["deal_settled@12"]["mean_difference"] == 0.0
    assert "deal_nash_territory_km2@24" in same


def test_a_scenario_the_shipped_record_does_not_fit_keeps_the_plain_window(tmp_path):
    """The shipped record is the default's; a scenario with other sides keeps the window."""
    import yaml

    data = paper_war()
    data["information_cutoff"] = "1999-12-31"
    path = tmp_path / "paper.yaml"
    path.write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["bargain", str(path), "--draws", "3", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert "settlement" not in out
    assert "no record of offers fits" in out["note"]
    table = runner.invoke(app, ["bargain", str(path), "--draws", "3"])
    assert table.exit_code == 0, table.output
    assert "no record of offers fits" in table.output
    # A record the user names must fit: its mistakes are errors.
    offers = tmp_path / "offers.yaml"
    offers.write_text(PAPER_OFFERS.replace("neutrality: 1}", "neutrality: 1, sanctions: 0}"))
    named = runner.invoke(app, ["bargain", str(path), "--draws", "3", "--offers", str(offers)])
    assert named.exit_code == 2
    assert "unknown issue 'sanctions'" in named.output


def test_the_shift_rule_flags_a_shift_larger_than_the_others_cost():
    """Fearon's informal rule on a toy path: a 0.2 gain in power against a cost of 0.1."""
    from ceasefire.bargaining._mechanisms import shift_exceeds_cost

    power = np.array([[0.5, 0.6, 0.7], [0.5, 0.5, 0.5]])
    casualties = np.array([[0.0, 5.0, 10.0], [0.0, 5.0, 10.0]])
    resolve = np.array([100.0, 100.0])
    flags = shift_exceeds_cost(power, casualties, resolve, [0, 1], lookahead=2)
    assert flags.tolist() == [[True, True], [False, False]]


_DATED_OFFERS = """\
offers:
  - {date: 2024-01-01, by: a, point: {territory: 0.2}}
casualty_rates:
  - {date: 2024-01-01, per_day: 1000}
lines:
  - {date: 2024-01-01, km2: 500}
public_opinion:
  - {date: 2024-01-01, side: a, ready_share: 0.3}
"""


@pytest.mark.parametrize(
    ("listing", "entry", "shape"),
    [
        ("casualty_rates", "{date: DATE, per_day: 1000}", "{date: …, per_day: …, source: …}"),
        ("lines", "{date: DATE, km2: 500}", "{date: …, km2: …, source: …}"),
        (
            "public_opinion",
            "{date: DATE, side: a, ready_share: 0.3}",
            "{date: …, side: …, ready_share: …, source: …}",
        ),
    ],
)
def test_dated_lists_of_an_offer_file_fail_alike(tmp_path, listing, entry, shape):
    """Rates, lines and polls: a missing key names the entry's shape; a later date, the cutoff."""
    from ceasefire._errors import InputError
    from ceasefire.bargaining import load_offers

    def load(text: str) -> OfferRecord:
        path = tmp_path / "offers.yaml"
        path.write_text(text)
        return load_offers(
            path,
            sides=("a", "b"),
            kinds={"territory": "continuous"},
            contested_area_km2=10_000,
            cutoff=dt.date(2024, 6, 30),
        )

    assert load(_DATED_OFFERS).casualty_rates[0].per_day == 1000
    original = entry.replace("DATE", "2024-01-01")
    keyless = original.replace(", " + entry.split(", ")[1].split(":")[0] + ":", ", other:")
    with pytest.raises(InputError, match=re.escape(f"expected {shape}")) as missing:
        load(_DATED_OFFERS.replace(original, keyless))
    assert missing.value.field == f"{listing}.0"
    later = entry.replace("DATE", "2024-07-01")
    with pytest.raises(InputError, match="dated 2024-07-01, after the information cutoff") as late:
        load(_DATED_OFFERS.replace(original, later))
    assert late.value.field == f"{listing}.0.date"
