"""A scenario's published figures (``checks:``) beside the model, and the report's section."""

from __future__ import annotations

from typing import Any

import pytest

from ceasefire._errors import ScenarioError
from ceasefire.analysis import published_checks
from ceasefire.ensemble import simulate
from ceasefire.report import build_report
from ceasefire.scenario import DAYS_PER_MONTH, load_scenario, scenario_from_dict
from tests.conftest import duel, fixed

RATE = 40.0  # a's casualties a day, all killed


def _duel(checks: list[dict[str, Any]]) -> Any:
    data = duel(a0=100_000.0, b0=80_000.0, months=12.0)
    data["combat"] = {
        "law": "exchange_ratio",
        "reference_side": "a",
        "casualties": [{"value": fixed(RATE, "per_day")}],
        "exchange_ratio": fixed(2.0),
    }
    data["sources"] = {
        "count": {"title": "A count", "publisher": "someone", "date": "2024", "says": "a count"}
    }
    data["checks"] = [
        {"side": "a", "measure": "killed", "source": "count", "says": "test", **check}
        for check in checks
    ]
    return scenario_from_dict(data)


def test_each_kind_of_figure_is_judged_its_own_way():
    per_month = RATE * DAYS_PER_MONTH  # about 1,218 killed a month, in every draw
    scenario = _duel(
        [
            {"per_month": 1000, "bound": "floor"},
            {"per_month": 1500, "bound": "floor"},
            {"per_month": 1000, "bound": "ceiling"},
            {"per_month": 1500, "bound": "ceiling"},
            {"per_month": [1200, 1250], "bound": "estimate"},
            {"per_month": [2000, 2500], "bound": "estimate"},
        ]
    )
    rows = published_checks(simulate(scenario, draws=3, save="trajectories"), scenario)
    assert rows[0]["model"]["median"] == pytest.approx(per_month, rel=1e-3)
    assert [r["consistent"] for r in rows] == [True, False, False, True, True, False]
    assert rows[1]["verdict"] == "below a published floor"
    assert rows[4]["published"] == [1200.0, 1250.0]
    assert rows[0]["source_title"] == "A count" and rows[0]["months"] == pytest.approx(12, 0.01)


def test_the_default_report_sets_the_model_beside_published_figures():
    scenario = load_scenario("russia-ukraine-2024-11")
    ensemble = simulate(scenario, draws=200, seed=1, save="trajectories")
    rows = published_checks(ensemble, scenario)
    assert {(r["side"], r["measure"]) for r in rows} >= {
        ("ukraine", "killed"),
        ("ukraine", "deserted"),
        ("ukraine", "recruited"),
    }
    html = build_report(ensemble, scenario=scenario)
    assert "Against published figures" in html
    assert "31,000 Ukrainian soldiers killed" in html or "1,290" in html


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ({"per_month": [5, 1], "bound": "floor"}, "0 ≤ low ≤ high"),
        ({"per_month": 5, "bound": "floor", "source": "nowhere"}, "unknown source"),
        ({"per_month": 5, "bound": "guess"}, "bound"),
    ],
)
def test_a_bad_check_names_its_field(check, message):
    with pytest.raises(ScenarioError, match=message):
        _duel([check])
