"""Numerical guards: a non-finite draw stops the run by name; a stiff step is reported.

Issue 9, item 3. Both engines (the NumPy reference and the compiled kernel) are checked.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from ceasefire._errors import InputError
from ceasefire.ensemble import simulate
from ceasefire.ensemble._sampling import sample_chunk, sampler_named, uncertain_parameters
from ceasefire.ensemble._streaming import simulate_streaming
from ceasefire.model import (
    LIMITED_STOCKS,
    NonFiniteRunError,
    build_inputs,
    describe_parameters,
    integrate,
    nice_step_below,
)
from ceasefire.scenario import Scenario, scenario_from_dict
from tests.conftest import preset_data

ENGINES = ["numpy", "numba"]
LETHALITY = "combat.lethality.red"
SUGGESTED = re.compile(r"time\.step of at most ([0-9.e+-]+) day")


def _scenario(data: dict[str, Any]) -> Scenario:
    return scenario_from_dict(data, where="<test>")


def _stiff_data(step_days: float = 1.0) -> dict[str, Any]:
    """Tiny, with Blue's wounded leaving treatment in 0.02 months (0.61 days), a 1-day step.

    The return-plus-discharge rate is 1 / 0.61 per day, so a 1-day step would take more
    than the wounded stock holds: the limiter binds (an assumption made up for the test).
    """
    data = preset_data("tiny")
    data["sides"]["blue"]["wounded_return"]["delay"] = {
        "value": 0.02,
        "unit": "months",
        "assumption": "test: a stiff treatment delay",
    }
    data["time"]["step"] = {"value": step_days, "unit": "days"}
    return data


# --- non-finite draws ----------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("save", ["trajectories", "summary"])
def test_an_overflowing_draw_stops_the_run_naming_it_and_its_values(engine: str, save: str) -> None:
    scenario = _scenario(preset_data("tiny"))
    lethality = np.array([0.06, 0.07, 1e306, 0.05, 0.08])  # per month; draw 2 is absurd
    with pytest.raises(NonFiniteRunError) as caught:
        simulate(
            scenario,
            draws=5,
            chunk_size=2,  # draw 2 is the first draw of the second chunk
            values={LETHALITY: lethality},
            engine=engine,
            save=save,  # type: ignore[arg-type]
        )
    message = str(caught.value)
    assert isinstance(caught.value, InputError)
    assert caught.value.draw == 2
    assert message.startswith("draw 2 went non-finite: ")
    # The most extreme value is named first, with its dotted path.
    assert f"sampled parameters: {LETHALITY} = 1e+306" in message
    if save == "trajectories":
        assert re.search(r"by month \d+", message), message
    else:
        assert "by the horizon" in message


def test_the_streaming_path_stops_on_a_non_finite_draw_too() -> None:
    scenario = _scenario(preset_data("tiny"))
    lethality = np.array([0.06, 0.07, 0.05, 1e306])
    with pytest.raises(NonFiniteRunError, match=r"^draw 3 went non-finite"):
        simulate_streaming(
            scenario, draws=4, chunk_size=3, values={LETHALITY: lethality}, engine="numpy"
        )


def test_the_error_survives_a_trip_to_a_worker_process() -> None:
    error = NonFiniteRunError("draw 7 went non-finite: x", draw=7)
    back = pickle.loads(pickle.dumps(error))
    assert str(back) == str(error)
    assert back.draw == 7


def test_parameters_are_listed_most_extreme_first_and_truncated() -> None:
    values = {f"p{i}": float(i + 1) for i in range(10)} | {"huge": 1e300, "tiny": 1e-200}
    text = describe_parameters(values, limit=3)
    assert text.startswith("huge = 1e+300, tiny = 1e-200, p9 = 10")
    assert text.endswith("and 9 more")


def test_a_finite_run_has_no_guard_error_and_no_limiter_hits() -> None:
    ensemble = simulate("tiny", draws=8, engine="numpy")
    assert ensemble.attrs["limiter_steps"] == 0
    assert ensemble.attrs["stiffness_warning"] == ""


# --- stiff settings ------------------------------------------------------------------------


def test_a_stiff_step_is_reported_and_the_suggested_step_silences_it() -> None:
    stiff = simulate(_scenario(_stiff_data()), draws=6, engine="numpy")
    warning = stiff.attrs["stiffness_warning"]
    assert "blue/conscripts wounded" in warning
    assert stiff.attrs["limiter_steps"] > 0
    found = SUGGESTED.search(warning)
    assert found is not None, warning
    suggested = float(found.group(1))
    assert 0.0 < suggested < 1.0
    # The stocks stayed non-negative (the limiter did its job): a warning, not an error.
    assert float(stiff["wounded"].min()) >= 0.0

    fixed = simulate(_scenario(_stiff_data(suggested)), draws=6, engine="numpy")
    assert fixed.attrs["stiffness_warning"] == ""
    assert fixed.attrs["limiter_steps"] == 0


def _limiter_counts(data: dict[str, Any], engine: str) -> tuple[np.ndarray, np.ndarray]:
    scenario = _scenario(data)
    parameters = uncertain_parameters(scenario)
    draws = 150  # more than one block of the compiled kernel's lanes
    sampled = sample_chunk(parameters, sampler_named("mc"), 3, draws, 0, draws)
    inputs = build_inputs(scenario, sampled, draws)
    if engine == "numba":
        from ceasefire.model._compiled import integrate_compiled

        result = integrate_compiled(inputs, keep_trajectories=False)
    else:
        result = integrate(inputs, keep_trajectories=False)
    assert result.limited is not None
    assert result.fit_days is not None
    return result.limited, result.fit_days


def _single_channel(data: dict[str, Any]) -> dict[str, Any]:
    """Two sides of one channel each, first-order training: the compiled scalar path."""
    del data["sides"]["red"]["channels"]["convicts"]
    return data


@pytest.mark.slow
@pytest.mark.parametrize(
    "variant",
    ["euler", "rk4", "pairs"],
)
def test_limiter_counts_agree_between_engines(variant: str) -> None:
    data = _stiff_data()
    # Desertion that outruns a 1-day step too, on Red's active force (illustrative).
    data["sides"]["red"]["desertion_rate"] = {
        "dist": "uniform",
        "low": 20,
        "high": 60,
        "unit": "per_month",
        "assumption": "test: stiff desertion",
    }
    if variant == "rk4":
        data["time"]["method"] = "rk4"
    if variant == "pairs":
        data = _single_channel(data)
    limited_numpy, fit_numpy = _limiter_counts(data, "numpy")
    limited_numba, fit_numba = _limiter_counts(data, "numba")
    assert limited_numpy.shape[0] == len(LIMITED_STOCKS)
    assert limited_numpy.sum() > 0
    np.testing.assert_array_equal(limited_numba, limited_numpy)
    np.testing.assert_allclose(fit_numba, fit_numpy, rtol=1e-12)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1.0, 1.0), (0.99, 0.5), (0.304, 0.2), (0.15, 0.1), (7.3, 5.0), (0.0, 0.0)],
)
def test_suggested_steps_are_round_numbers_below_the_limit(days: float, expected: float) -> None:
    assert nice_step_below(days) == expected


# --- the command line ----------------------------------------------------------------------


def test_run_prints_one_warning_line_and_still_writes_outputs(tmp_path: Path) -> None:
    from ceasefire.cli import app

    scenario = tmp_path / "stiff.yaml"
    scenario.write_text(yaml.safe_dump(_stiff_data()), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(scenario),
            "--draws",
            "4",
            "--output",
            str(out),
            "--engine",
            "numpy",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("ceasefire:")]
    assert len(warnings) == 1
    assert warnings[0].startswith("ceasefire: warning: stiff setting: ")
    assert "blue/conscripts wounded" in warnings[0]
    assert (out / "ensemble.nc").is_file()
    assert (out / "summary.json").is_file()


def test_run_stops_an_overflowing_scenario_with_one_line_and_exit_2(tmp_path: Path) -> None:
    from ceasefire.cli import app

    data = preset_data("tiny")
    data["combat"]["intensity"][1]["value"]["value"] = 1.2104563923174142e306
    scenario = tmp_path / "absurd.yaml"
    scenario.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["run", str(scenario), "--draws", "3", "--output", str(out), "--engine", "numpy"],
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "went non-finite" in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_an_out_of_scale_rate_gets_no_absurd_step_advice() -> None:
    """A step of 1e-305 days is no advice: the warning says a rate is out of scale."""
    from ceasefire.ensemble import simulate
    from ceasefire.scenario import load_scenario

    scenario = load_scenario("tiny", overrides=["combat.intensity.0.value=1e306"])
    ensemble = simulate(scenario, draws=8, engine="numpy", save="summary")
    warning = ensemble.attrs["stiffness_warning"]
    assert "out of scale" in warning
    assert "use time.step" not in warning
