"""The dashboard without a browser: controls from the schema, server-side checks, compute."""

from __future__ import annotations

import asyncio
import json
import math
import types
from pathlib import Path
from typing import Any

import numpy as np
import param
import pytest
import typer
from typer.testing import CliRunner

from ceasefire._errors import InputError
from ceasefire.dashboard import Settings, apply_controls, build_scenario, compute, controls_for
from ceasefire.dashboard._compute import overlay_catalogue
from ceasefire.dashboard._controls import _constraint, check_integer, check_value
from ceasefire.scenario import load_scenario
from tests.conftest import require_module

pn = require_module("panel")


@pytest.fixture(scope="module")
def base() -> Any:
    return load_scenario("russia-ukraine-2024-11")


@pytest.fixture(scope="module")
def controls(base: Any) -> Any:
    return {c.key: c for c in controls_for(base)}


def test_controls_cover_the_parameters_that_matter(controls: Any) -> None:
    for key in (
        "russia.contract.recruitment",
        "russia.prisoners.recruitment",
        "russia.north_korea.initial_active",
        "russia.contract.bonus",
        "ukraine.mobilised.recruitment",
        "russia.desertion_rate",
        "combat.casualties",
        "combat.exchange_ratio",
    ):
        assert key in controls, key
    for control in controls.values():
        assert control.low < control.default < control.high, control.key
        assert control.provenance.startswith(("source:", "assumption:"))


def test_control_defaults_are_the_scenario_medians(base: Any, controls: Any) -> None:
    korea = base.sides["russia"].channels["north_korea"].initial_active
    assert controls["russia.north_korea.initial_active"].default == pytest.approx(korea.central())
    assert controls["russia.north_korea.initial_active"].unit == "men"


def test_bounds_come_from_the_field_constraints(base: Any) -> None:
    assert _constraint(base, ("sides", "russia", "killed_fraction")) == (0.0, 1.0)
    assert _constraint(base, ("sides", "russia", "desertion_rate")) == (0.0, math.inf)
    assert _constraint(base, ("combat", "casualties", 0, "value")) == (0.0, math.inf)


def test_a_scaled_control_keeps_the_distribution_and_says_so(base: Any, controls: Any) -> None:
    control = controls["russia.contract.recruitment"]
    scaled = apply_controls(base, [control], {control.key: 2 * control.default})
    before = base.sides["russia"].channels["contract"].recruitment[0].value
    after = scaled.sides["russia"].channels["contract"].recruitment[0].value
    assert after.dist == before.dist == "pert"
    assert (after.low, after.mode, after.high) == pytest.approx(
        (2 * before.low, 2 * before.mode, 2 * before.high)
    )
    assert after.source is None
    assert "scaled ×2" in (after.assumption or "")
    assert "source: article" in (after.assumption or "")


@pytest.mark.parametrize("value", [1e12, -5.0, float("nan"), "1e3; import os", None])
def test_out_of_range_or_non_numbers_are_refused(controls: Any, value: Any) -> None:
    control = controls["combat.exchange_ratio"]
    with pytest.raises(InputError, match=r"out of range|expected a number") as caught:
        check_value(control, value)
    assert caught.value.where == control.label


def test_whole_numbers_are_checked() -> None:
    assert check_integer("300", (100, 1000), "draws") == 300
    with pytest.raises(InputError, match="out of range: enter 100 to 1,000"):
        check_integer(5_000_000, (100, 1000), "draws")
    with pytest.raises(InputError, match="whole number"):
        check_integer(2.5, (1, 10), "draws")


def test_an_overlay_is_applied_before_the_controls(base: Any) -> None:
    overlays = overlay_catalogue()
    name = sorted(overlays)[0]
    plain = build_scenario(base, [], Settings(values={}), overlays)
    overlaid = build_scenario(base, [], Settings(values={}, overlays=(name,)), overlays)
    assert plain == base
    assert overlaid != base
    with pytest.raises(InputError, match="unknown overlay"):
        build_scenario(base, [], Settings(values={}, overlays=("../../etc/passwd",)), overlays)


def test_compute_reduces_the_ensemble(base: Any, controls: Any) -> None:
    settings = Settings(values={}, draws=100, horizon_months=12)
    results = compute(base, list(controls.values()), settings, {})
    assert results.months[-1] == 12
    for side in ("russia", "ukraine"):
        band = results.active[side]
        assert band.shape == (5, 13)
        assert np.all(np.diff(band, axis=0) >= -1e-6)  # quantiles in order
        assert np.all(np.diff(results.crisis[side]) >= 0)
    record = json.loads(results.to_json(settings))
    assert record["settings"]["draws"] == 100
    assert record["summary"]["draws"] == 100
    # The bonus lever's cost: money per month, with the sign-on bonuses apart.
    assert record["summary"]["money"]["russia"]["components"]["bonuses"]["p50"] > 0
    # The page reads the typed summary; JSON is its serialisation, money a registry measure.
    from ceasefire.analysis import Summary

    assert isinstance(results.summary, Summary)
    assert record["summary"] == json.loads(json.dumps(results.summary.to_json()))
    assert results.summary.sides["russia"].bands["money_per_month"].units == "USD/month"


def test_dashboard_session_updates_and_refuses_bad_values(base: Any, tmp_path: Path) -> None:
    from ceasefire.dashboard import Dashboard

    dashboard = Dashboard(base, draws=100, window_draws=0)
    asyncio.run(dashboard.update())
    assert dashboard.results is not None
    first = dashboard.numbers.object
    assert 'data-key="p_crisis.russia"' in first
    assert 'data-key="money.russia"' in first and "bonuses" in first
    assert "in US$" in first and "; $" in first  # money in dollars, from the registry

    key = "russia.contract.recruitment"
    with param.discard_events(dashboard.sliders[key]):  # no watcher outside an event loop
        dashboard.sliders[key].value = 1e9
    asyncio.run(dashboard.update())
    assert dashboard.message.visible
    assert "out of range" in dashboard.message.object
    assert dashboard.sliders[key].value == pytest.approx(dashboard.controls[0].default)
    assert dashboard.numbers.object == first

    # Panel runs the watcher of the revert's own value change later, as a task; that echo
    # must neither recompute nor take the refusal message down.
    results = dashboard.results

    async def refuse_and_settle() -> None:
        with param.discard_events(dashboard.sliders[key]):
            dashboard.sliders[key].value = 1e9
        await dashboard.update()
        while pending := asyncio.all_tasks() - {asyncio.current_task()}:
            await asyncio.gather(*pending)

    asyncio.run(refuse_and_settle())
    assert dashboard.message.visible
    assert dashboard.results is results
    # A real change afterwards computes again and clears the message.
    with param.discard_events(dashboard.sliders[key]):
        dashboard.sliders[key].value = dashboard.controls[0].default * 0.5
    change = types.SimpleNamespace(obj=dashboard.sliders[key], new=dashboard.sliders[key].value)
    asyncio.run(dashboard._changed(change))
    assert not dashboard.message.visible
    assert dashboard.results is not results

    saved = tmp_path / "s.yaml"
    saved.write_text(dashboard._scenario_yaml().getvalue())
    assert load_scenario(saved) == dashboard.results.scenario


def test_dashboard_command_refuses_bad_draws_before_serving() -> None:
    from ceasefire.cli._report import register

    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    result = CliRunner().invoke(app, ["dashboard", "tiny", "--draws", "5", "--port", "0"])
    assert result.exit_code == 2
    assert "out of range" in result.output
