"""The front's pace: dated multipliers on its speed, which may carry a stochastic process.

``d front/dt = v · pace(t) · tanh((E_holder / E_other − θ) / w)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ceasefire.ensemble import simulate
from ceasefire.scenario import scenario_from_dict
from tests.conftest import fixed, preset_data, require_module

WALK = {"kind": "log_normal_walk", "innovation": fixed(0.25)}


def _tiny(pace: list[dict[str, Any]]) -> Any:
    data = preset_data("tiny")
    data["front"]["pace"] = pace
    return scenario_from_dict(data)


def _moved(ds: Any) -> np.ndarray:
    front = ds["front"].values
    return np.asarray(front - front[:, :1])


def test_a_pace_of_one_half_halves_every_step_of_the_front():
    """The forces do not depend on the front, so the path scales exactly with the pace."""
    plain = simulate(_tiny([]), draws=20, seed=5, save="trajectories")
    half = simulate(_tiny([{"value": fixed(0.5)}]), draws=20, seed=5, save="trajectories")
    np.testing.assert_allclose(_moved(half), 0.5 * _moved(plain), rtol=1e-9, atol=1e-6)
    assert float(np.abs(_moved(plain)[:, -1]).min()) > 100.0  # the front did move
    np.testing.assert_array_equal(half["active"].values, plain["active"].values)


def test_a_pace_walk_widens_the_territory_fan_with_the_horizon():
    walk = simulate(_tiny([{"value": fixed(1.0), "process": WALK}]), draws=400, seed=2)
    still = simulate(_tiny([]), draws=400, seed=2)

    def monthly_spread(ds: Any) -> np.ndarray:
        step = np.diff(ds["front"].values, axis=1)
        q05, q95 = np.quantile(step, [0.05, 0.95], axis=0)
        return np.asarray((q95 - q05) / np.abs(np.median(step, axis=0)))

    walking, fixed_pace = monthly_spread(walk), monthly_spread(still)
    assert walking[-1] > walking[0] + 0.5
    assert walking[-1] - walking[0] > fixed_pace[-1] - fixed_pace[0] + 0.5


def test_the_engines_agree_on_a_pace_process():
    require_module("numba")
    from tests.test_numba_kernel import assert_engines_agree

    ramp = {
        "start": "2025-03-01",
        "end": "2025-09-01",
        "value": fixed(1.0),
        "end_value": fixed(0.3),
    }
    assert_engines_agree(_tiny([{"end": "2025-03-01", "value": fixed(1.0), "process": WALK}, ramp]))


def test_pysd_runs_an_exported_pace_like_the_engines(tmp_path: Path):
    from tests.test_export import assert_pysd_runs_it_like_the_engines

    scenario = _tiny(
        [
            {"end": "2025-04-01", "value": fixed(1.2)},
            {
                "start": "2025-04-01",
                "end": "2025-10-01",
                "value": fixed(1.0),
                "end_value": fixed(0.4),
            },
        ]
    )
    assert "front pace" in assert_pysd_runs_it_like_the_engines(scenario, tmp_path)
