"""The deal calculus in the report and on the dashboard's data path."""

from __future__ import annotations

import re

import pytest

from ceasefire.bargaining import deal_calculus
from ceasefire.bargaining._beliefs import claimed_beliefs
from ceasefire.ensemble import simulate
from ceasefire.report import build_report
from ceasefire.scenario import load_scenario
from tests.conftest import require_module


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("russia-ukraine-2024-11")


@pytest.fixture(scope="module")
def calculus(scenario):
    beliefs_a, beliefs_b, labels = claimed_beliefs(scenario)
    result = deal_calculus(
        scenario,
        draws=20,
        seed=3,
        beliefs_a=beliefs_a,
        beliefs_b=beliefs_b,
        posterior_samples=5000,
        backtest=True,
    )
    result["beliefs"] = labels
    return result


def test_the_report_shows_why_no_deal_and_the_forecast(scenario, calculus):
    page = build_report(simulate(scenario, draws=20, seed=3), scenario=scenario, window=calculus)
    match = re.search(r'<section id="calculus".*?</section>', page, flags=re.S)
    assert match is not None
    section = match.group(0)
    assert "Not available" not in section
    assert "Settlement forecast" in section
    for word in ("closed by optimism", "closed by commitment", "closed by indivisibility"):
        assert word in section
    for offer in calculus["offers"]:
        assert offer["id"] in section
    p6 = calculus["settlement"]["p_by_month"][5]
    assert f"within 6 months {p6:.0%}" in section
    assert "resolve.russia" in section
    assert "little evidence" in section
    assert "constrains most" in section
    assert "share ready for territorial concessions" in section


def test_the_dashboard_shows_the_calculus_in_words(scenario):
    require_module("panel")
    from ceasefire.dashboard._app import _calculus_text
    from ceasefire.dashboard._compute import compute_window

    window, note = compute_window(scenario, draws=10, seed=0)
    assert note == ""
    assert window is not None
    assert "settlement" in window
    text = _calculus_text(window)
    assert f"{window['credible_window'][0]:.0%} of draws" in text
    assert "P(settled within 6 months)" in text


def test_who_needs_the_deal_more_is_read_once_for_the_cli_and_the_report() -> None:
    """The side, its probability (the complement when it is the second side) and the shares."""
    from ceasefire.bargaining import needs_more

    window = {
        "sides": ["a", "b"],
        "needs_deal_more": {
            "side": "b",
            "p_a_cost_of_delay_higher": 0.3,
            "components": {
                "share": {"casualties": 0.19, "territory": -0.001, "money": 0.81, "politics": None},
                "decides": "money",
            },
        },
    }
    more = needs_more(window)
    assert (more.side, more.decides) == ("b", "money")
    assert more.probability == pytest.approx(0.7)
    assert more.shares == "casualties 19%, territory 0%, money 81%"  # -0.1% rounds to 0%
    del window["needs_deal_more"]["components"]
    assert needs_more(window).decides is None and needs_more(window).shares is None
