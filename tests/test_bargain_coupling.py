"""The deal window on a scenario whose numbers can be checked on paper."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire._errors import InputError
from ceasefire.bargaining import deal_window
from ceasefire.cli import app
from ceasefire.ensemble import simulate
from ceasefire.scenario import (
    DAYS_PER_MONTH,
    load_deal,
    load_overlay,
    overlay_names,
    scenario_from_dict,
)
from tests.conftest import fixed

ISSUE_KINDS = {"territory": "continuous", "neutrality": "binary"}


def paper_war(max_speed: float = 0.0) -> dict:
    """Two sides, no uncertainty: A loses 100 a day, B 50 a day; the front does not move.

    A holds 20,000 of 100,000 km² (a share of 0.2). Resolve is 10⁶ casualties for each
    side; territory and neutrality weigh 0.5 each for both sides.
    """

    def side() -> dict:
        return {
            "name": "side",
            "channels": {
                "line": {
                    "effectiveness": fixed(1),
                    "exposure": fixed(1),
                    "initial_active": fixed(100_000, "men"),
                    "draws_on_pool": False,
                }
            },
            "killed_fraction": fixed(1),
            "wounded_return": {"fraction": fixed(0), "delay": fixed(1, "months")},
            "desertion_rate": fixed(0, "per_month"),
        }

    return {
        "name": "paper-war",
        "title": "a war that can be checked on paper",
        "time": {"start": "2000-01-01", "horizon": {"value": 6, "unit": "months"}},
        "sides": {"a": side(), "b": side()},
        "combat": {
            "law": "exchange_ratio",
            "reference_side": "a",
            "casualties": [{"value": fixed(100, "per_day")}],
            "exchange_ratio": fixed(2),
        },
        "front": {
            "holder": "a",
            "initial": fixed(20_000, "km2"),
            "contested_area": fixed(100_000, "km2"),
            "max_speed": fixed(max_speed, "per_month"),
            "stall_ratio": fixed(0),
            "width": fixed(1),
        },
        "bargaining": {
            "resolve": {"a": fixed(1e6, "men"), "b": fixed(1e6, "men")},
            "issues": {
                "territory": {
                    "kind": "continuous",
                    "weights": {"a": fixed(0.5), "b": fixed(0.5)},
                    "at_war": "front",
                },
                "neutrality": {
                    "kind": "binary",
                    "weights": {"a": fixed(0.5), "b": fixed(0.5)},
                    "at_war": fixed(0),
                },
            },
        },
    }


def test_window_terms_and_verdicts_match_the_paper_calculation():
    scenario = scenario_from_dict(paper_war())
    days = simulate(scenario, draws=1).elapsed_days.values
    horizon = days[-1]
    result = deal_window(scenario, draws=2, deal={"territory": "front", "neutrality": 0})
    # Nominal months label the decisions; the saved steps sit within half a day of them.
    assert result["months"] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert np.allclose(days[:-1] / DAYS_PER_MONTH, result["months"], atol=0.5 / DAYS_PER_MONTH)
    # War values: A gets 0.5 x 0.2 of territory and no neutrality; B the rest.
    assert result["war_value"]["a"]["p50"] == pytest.approx(0.1)
    assert result["war_value"]["b"]["p50"] == pytest.approx(0.9)
    for column, day in enumerate(days[:-1]):
        d_a = 0.1 - 100 * (horizon - day) / 1e6
        d_b = 0.9 - 50 * (horizon - day) / 1e6
        # The frontier is U_A + U_B = 1: a deal exists, and Nash splits the surplus.
        assert result["p_window_open"][column] == 1.0
        nash_utility_a = d_a + (1 - d_a - d_b) / 2
        territory = result["terms"]["nash"]["territory"][column]["p50"]
        assert territory == pytest.approx(2 * nash_utility_a, abs=1e-9)
        assert result["terms"]["nash"]["neutrality"][column]["p50"] == 0.0
        # "Current line, no neutrality": U = (0.1, 0.9) beats both war values.
        assert result["deal"]["a"][column] == 1.0
        assert result["deal"]["b"][column] == 1.0
    assert result["opening_month"]["p50"] == 0.0
    monthly = result["cost_of_delay"]
    # Per regular month of 30.4375 days, whatever the 30- or 31-day gaps between saves.
    assert monthly["a"]["average"]["p50"] == pytest.approx(100 * DAYS_PER_MONTH / 1e6, rel=1e-9)
    assert monthly["b"]["average"]["p50"] == pytest.approx(50 * DAYS_PER_MONTH / 1e6, rel=1e-9)
    for side, rate in (("a", 100), ("b", 50)):
        assert monthly[side]["by_month_median"] == pytest.approx(
            [rate * DAYS_PER_MONTH / 1e6] * len(result["months"]), rel=1e-9
        )
    assert result["needs_deal_more"]["side"] == "a"


def test_neutrality_for_the_current_line_is_refused_by_b():
    result = deal_window(
        scenario_from_dict(paper_war()), draws=1, deal={"territory": "front", "neutrality": 1}
    )
    # A: 0.5 x 0.2 + 0.5 = 0.6 beats its war value; B: 0.5 x 0.8 = 0.4 does not.
    assert all(p == 1.0 for p in result["deal"]["a"])
    assert all(p == 0.0 for p in result["deal"]["b"])
    assert all(p == 0.0 for p in result["deal"]["both"])


def test_mutual_optimism_closes_the_window():
    """A believes the front moves its way; B believes it stays: the gap beats the costs."""
    scenario = scenario_from_dict(paper_war())
    optimist = ["front.max_speed={value: 3000, unit: per_month, assumption: optimism}"]
    shared = deal_window(scenario, draws=1)
    divergent = deal_window(scenario, draws=1, beliefs_a=optimist)
    assert all(p == 1.0 for p in shared["p_window_open"])
    world_a = simulate(scenario_from_dict(paper_war(max_speed=3000)), draws=1)
    share_a = float(world_a.front.isel(draw=0, time=-1)) / 100_000
    costs_at_start = (100 + 50) * float(world_a.elapsed_days[-1]) / 1e6
    gap = 0.5 * (share_a - 0.2)
    assert gap > costs_at_start  # so the window must be shut from the first month on
    assert all(p == 0.0 for p in divergent["p_window_open"])
    assert divergent["opening_month"]["p_never"] == 1.0
    assert divergent["war_value"]["a"]["p50"] == pytest.approx(0.5 * share_a)


def test_shipped_overlays_and_deal_load():
    assert {"russia-official-recruitment", "ukraine-western-figures"} <= set(overlay_names())
    russia = load_overlay("russia-official-recruitment")
    assert russia.overrides[0].startswith("sides.russia.channels.contract.recruitment.0.value=")
    deal = load_deal(
        "current-line-neutrality",
        {"territory": "continuous", "neutrality": "binary", "sanctions": "continuous"},
    )
    assert deal.issues == {"territory": "front", "neutrality": 1.0, "sanctions": 0.0}


def test_bad_deals_are_refused(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text("issues: {territory: 0.3, neutrality: 0.5}\n")
    with pytest.raises(InputError, match=r"issues\.neutrality: a binary issue takes 0 or 1"):
        load_deal(path, ISSUE_KINDS)
    path.write_text("issues: {territory: 0.3}\n")
    with pytest.raises(InputError, match="missing neutrality"):
        load_deal(path, ISSUE_KINDS)
    path.write_text("issues: {territory: 1.3, neutrality: 1}\n")
    with pytest.raises(InputError, match=r"share in \[0, 1\]"):
        load_deal(path, ISSUE_KINDS)
    with pytest.raises(InputError, match="no shipped deal"):
        load_deal("nowhere", ISSUE_KINDS)


def test_bargain_command_on_the_default_scenario():
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "bargain",
            "--draws",
            "40",
            "--json",
            "--beliefs-a",
            "russia-official-recruitment",
            "--beliefs-b",
            "ukraine-western-figures",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"months", "p_window_open", "opening_month", "terms", "cost_of_delay", "deal"} <= set(
        out
    )
    assert len(out["months"]) == 36
    assert out["deal"]["name"] == "current line + neutrality"
    assert set(out["terms"]["nash"]) == {"territory", "neutrality", "sanctions"}
    assert out["beliefs"]["russia"] == "russia-official-recruitment"
    assert np.all(np.array(out["p_window_open"]) <= 1.0)
    table = runner.invoke(app, ["bargain", "--draws", "20"])
    assert table.exit_code == 0, table.output
    assert "prefers 'current line + neutrality'" in table.output
    assert "needs the deal more" in table.output


def test_bargain_without_a_bargaining_section_is_a_clean_error():
    result = CliRunner().invoke(app, ["bargain", "pysd-reference", "--draws", "5"])
    assert result.exit_code == 2
    assert "no `bargaining:` section" in result.output
