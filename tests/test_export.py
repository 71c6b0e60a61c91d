"""The Vensim export against PySD, `run --deterministic`, hostile names and the fatigue law."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.ensemble import median_values, simulate
from ceasefire.model import export_vensim, time_grid, vensim_name
from ceasefire.scenario import load_scenario, preset_names, scenario_from_dict
from tests.conftest import duel, fixed, preset_data, require_module

# PySD itself (a dev-only dependency) uses pandas APIs that pandas now deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame", "ignore::DeprecationWarning"
)

runner = CliRunner()

# Every stock of the export, from the engines' saved trajectories (draw 0).
COUNTERS = {
    "recruited": "Cumulative recruited",
    "killed": "Cumulative killed",
    "wounded_total": "Cumulative wounded total",
    "returned": "Cumulative returned",
    "discharged": "Cumulative discharged",
    "deserted": "Cumulative deserted",
}


def _pysd_run(text: str, scenario: Any, tmp_path: Path) -> Any:
    pysd = require_module("pysd")
    path = tmp_path / "model.mdl"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pysd.read_vensim(str(path))
        grid = time_grid(scenario)
        return model.run(return_timestamps=list(grid.save_steps * grid.dt))


def _stocks(ds: xr.Dataset, scenario: Any) -> dict[str, np.ndarray]:
    """The engines' stocks under the export's names (one channel per column)."""
    out: dict[str, np.ndarray] = {}
    for side_id, side in scenario.sides.items():
        s = vensim_name(side_id)
        if side.pool is not None:
            out[f"Pool {s}"] = ds.pool.sel(side=side_id).values[0]
        for channel in side.channels:
            slot = f"{s} {vensim_name(channel)}"
            pick = {"side": side_id, "channel": channel}
            out[f"Active {slot}"] = ds.active.sel(**pick).values[0]
            out[f"Wounded {slot}"] = ds.wounded_channel.sel(**pick).values[0]
            out[f"Training {slot}"] = ds.training_channel.sel(**pick).values[0]
            for name, label in COUNTERS.items():
                out[f"{label} {slot}"] = ds[f"{name}_channel"].sel(**pick).values[0]
    if "front" in ds:
        out["Front"] = ds.front.values[0]
    return out


def _deterministic(scenario: Any) -> xr.Dataset:
    """One draw at the medians, with per-channel trajectories (from the kernel itself)."""
    from ceasefire.model import build_inputs, integrate

    values = median_values(scenario)
    inputs = build_inputs(scenario, values, 1)
    result = integrate(inputs, keep_trajectories=True)
    assert result.saved is not None
    layout = inputs.layout
    sides = list(layout.side_ids)
    data: dict[str, Any] = {}
    channels = list(layout.channel_ids)
    shape = (1, len(result.saved["active"]), len(sides), len(channels))
    for name in ("active", "wounded", "training", *COUNTERS):
        grid = np.full(shape, np.nan)
        for k in range(layout.slots):
            grid[0, :, layout.slot_side[k], layout.slot_channel[k]] = result.saved[name][:, k, 0]
        target = name if name == "active" else f"{name}_channel"
        data[target] = (("draw", "time", "side", "channel"), grid)
    data["pool"] = (("draw", "time", "side"), result.saved["pool"][None, :, :, 0])
    if "front" in result.saved:
        data["front"] = (("draw", "time"), result.saved["front"][:, 0][None])
    return xr.Dataset(data, coords={"side": sides, "channel": channels})


def _worst(frame: Any, stocks: dict[str, np.ndarray]) -> float:
    worst = 0.0
    for name, ours in stocks.items():
        assert name in frame.columns, f"the export has no stock {name!r}"
        theirs = frame[name].to_numpy()
        relative = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1.0)
        worst = max(worst, float(relative.max()))
    return worst


def assert_pysd_runs_it_like_the_engines(scenario: Any, tmp_path: Path) -> str:
    """Export ``scenario`` at its medians; PySD's stocks match the engines' to 1e-9.

    Returns the exported text (for checks of what it names).
    """
    text = export_vensim(scenario, median_values(scenario))
    frame = _pysd_run(text, scenario, tmp_path)
    assert _worst(frame, _stocks(_deterministic(scenario), scenario)) <= 1e-9
    return text


@pytest.mark.slow
@pytest.mark.parametrize("name", preset_names())
def test_pysd_runs_every_preset_export_like_the_engines(name, tmp_path):
    """PySD on the exported .mdl against the engines at the medians: every stock, every month.

    The integration is the same (Euler, the same step and limiter), so the bound is 1e-9.
    """
    scenario = load_scenario(name)
    frame = _pysd_run(export_vensim(scenario, median_values(scenario)), scenario, tmp_path)
    assert _worst(frame, _stocks(_deterministic(scenario), scenario)) <= 1e-9


def test_run_deterministic_is_the_exported_point(tmp_path):
    """`run --deterministic` runs one draw with every uncertain parameter at its median."""
    out = tmp_path / "det"
    result = runner.invoke(app, ["run", "tiny", "--deterministic", "--no-progress", "-o", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["draws"] == 1
    ours = xr.open_dataset(out / "ensemble.nc")
    scenario = load_scenario("tiny")
    reference = simulate(scenario, draws=1, values=median_values(scenario), engine="numpy")
    # ensemble.nc stores trajectories in single precision.
    np.testing.assert_allclose(ours.active.values, reference.active.values, rtol=1e-6)
    for path, value in median_values(scenario).items():
        np.testing.assert_allclose(ours[path].values, value, rtol=1e-15)
    ours.close()


def test_export_cli_writes_a_model_pysd_reads(tmp_path):
    target = tmp_path / "model.mdl"
    result = runner.invoke(app, ["export", "tiny", "--format", "mdl", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("{UTF-8}")
    for stock in ("Active ", "Training ", "Wounded ", "Pool "):
        assert f"\n{stock}" in text
    # Units and provenance travel into the comments.
    assert "~\tmen\n" in text and "assumption:" in text


def test_pysd_runs_the_responsive_law_like_the_engines(tmp_path):
    """The responsive law's anchoring (start strengths in its rate) survives the export."""
    data = preset_data("tiny")
    data["combat"] = {
        "law": "responsive",
        "reference_side": "red",
        "casualties": [{"value": fixed(900, "per_month")}],
        "exchange_ratio": fixed(1.8),
        "p": fixed(0.8),
        "q": fixed(0.5),
    }
    assert_pysd_runs_it_like_the_engines(scenario_from_dict(data), tmp_path)


def _hostile_comments() -> dict[str, Any]:
    data = duel(months=2)
    data["title"] = 'a title | ~ with {braces} and "quotes"\nINTEG ('
    data["combat"]["lethality"]["b"] = {
        **fixed(0.12, "per_month"),
        "assumption": 'closes | the ~ equation {and} opens\n x = INTEG ( "another"',
    }
    return data


def test_a_hostile_name_or_comment_cannot_change_the_exported_equations(tmp_path):
    """Scenario ids are identifiers; free text reaches the file only as comments.

    The schema refuses any other id; comments lose Vensim's separators, so the equations do
    not change.
    """
    from ceasefire._errors import ScenarioError

    data = duel()
    data["sides"]['red"; import os #'] = data["sides"].pop("a")
    with pytest.raises(ScenarioError, match="not a valid id"):
        scenario_from_dict(data)
    assert vensim_name('a"; x = INTEG(|~{}') == "a_ x _ INTEG_"

    hostile = scenario_from_dict(_hostile_comments())
    plain = scenario_from_dict(duel(months=2))
    text = export_vensim(hostile, {})
    equations = [line for line in text.splitlines() if not line.startswith("\t~")]
    assert equations == [
        line for line in export_vensim(plain, {}).splitlines() if not line.startswith("\t~")
    ]
    frame_hostile = _pysd_run(text, hostile, tmp_path)
    frame_plain = _pysd_run(export_vensim(plain, {}), plain, tmp_path)
    np.testing.assert_array_equal(frame_hostile.to_numpy(), frame_plain.to_numpy())


def _fatigue(method: str = "euler") -> Any:
    data = duel(months=4, method=method)
    data["combat"] = {
        "law": "fatigue",
        "loss_rate": {"a": fixed(0.09, "per_month"), "b": fixed(0.07, "per_month")},
        "time_scale": {
            "dist": "uniform",
            "low": 5,
            "high": 20,
            "unit": "days",
            "assumption": "test",
        },
    }
    return scenario_from_dict(data)


def test_the_fatigue_law_is_the_battle_fitters_law():
    """``combat.law: fatigue`` loses ``a·A / ln(e + t/τ)`` per day, as the battle fitter's law.

    With τ = one day, a day of the scenario is one step of Rubio-Campillo's battles.
    """
    from ceasefire.battles import BattleLaw

    data = duel(months=1)
    data["combat"] = {
        "law": "fatigue",
        "loss_rate": {"a": fixed(0.02, "per_day"), "b": fixed(0.03, "per_day")},
        "time_scale": fixed(1, "days"),
    }
    data["time"]["saveper"] = {"value": 1, "unit": "days"}
    scenario = scenario_from_dict(data)
    ds = simulate(scenario, draws=1, engine="numpy")
    killed = ds.killed.isel(draw=0).values  # (time, side), cumulative
    a, b = ds.active.isel(draw=0).sum("channel").values.T
    law = BattleLaw("fatigue", 0.02, 0.03)
    for day in (0, 5, 17):
        loss_a, loss_b = law.losses(a[day], b[day], t=float(day))
        np.testing.assert_allclose(killed[day + 1] - killed[day], [loss_a, loss_b], rtol=1e-12)


@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_the_fatigue_law_runs_the_same_in_both_engines(method):
    require_module("numba")
    scenario = _fatigue(method)
    ours = simulate(scenario, draws=70, seed=2, engine="numba", save="trajectories")
    theirs = simulate(scenario, draws=70, seed=2, engine="numpy", save="trajectories")
    np.testing.assert_allclose(ours.active.values, theirs.active.values, rtol=1e-12)
    # Fatigue slows the killing: less than the logarithmic law at the starting rate.
    data = duel(months=4, method=method)
    data["combat"] = {
        "law": "logarithmic",
        "loss_rate": {"a": fixed(0.09, "per_month"), "b": fixed(0.07, "per_month")},
    }
    plain = simulate(scenario_from_dict(data), draws=1, engine="numpy")
    assert (ours.killed.isel(time=-1).values < plain.killed.isel(time=-1, draw=0).values).all()
