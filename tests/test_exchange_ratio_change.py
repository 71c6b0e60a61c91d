"""The exchange ratio over time: dated multipliers (``combat.exchange_ratio_change``).

``r(t) = r · ρ(t)``: with the reference side's rate given, the other side loses
``C_ref / (r ρ(t))``; ``ρ`` may carry a stochastic process, so the ratio moves per draw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ceasefire.ensemble import simulate
from ceasefire.scenario import scenario_from_dict
from tests.conftest import duel, fixed, preset_data, require_module

WALK = {"kind": "log_normal_walk", "innovation": fixed(0.2)}


def _exchange(change: list[dict[str, Any]], law: str = "exchange_ratio") -> Any:
    data = duel(a0=100_000.0, b0=80_000.0, months=6.0)
    data["combat"] = {
        "law": law,
        "reference_side": "a",
        "casualties": [{"value": fixed(60.0, "per_day")}],
        "exchange_ratio": fixed(1.5),
        "exchange_ratio_change": change,
    }
    if law == "responsive":
        data["combat"].update(p=fixed(0.5), q=fixed(0.5))
    return scenario_from_dict(data)


@pytest.mark.parametrize("law", ["exchange_ratio", "responsive"])
def test_doubling_the_ratio_halves_the_other_side_s_losses(law):
    plain = simulate(_exchange([], law), draws=1, save="trajectories")
    doubled = simulate(_exchange([{"value": fixed(2.0)}], law), draws=1, save="trajectories")
    killed_b = (x.killed.sel(side="b").isel(draw=0).values for x in (plain, doubled))
    b_plain, b_doubled = killed_b
    killed_a = (x.killed.sel(side="a").isel(draw=0).values for x in (plain, doubled))
    a_plain, a_doubled = killed_a
    if law == "exchange_ratio":  # rates that do not follow the forces: exactly half, a alike
        np.testing.assert_allclose(b_doubled, 0.5 * b_plain, rtol=1e-12)
        np.testing.assert_array_equal(a_doubled, a_plain)
    else:  # b stays stronger, so a loses more and b a little over half
        assert b_doubled[-1] < 0.55 * b_plain[-1] and b_doubled[-1] > 0.45 * b_plain[-1]
        assert a_doubled[-1] > a_plain[-1]


def test_a_ratio_walk_widens_the_other_side_s_fan():
    walk = simulate(_exchange([{"value": fixed(1.0), "process": WALK}]), draws=400, seed=4)
    step = np.diff(walk.killed.sel(side="b").values, axis=1)
    q05, q95 = np.quantile(np.log(step), [0.05, 0.95], axis=0)
    assert (q95 - q05)[-1] > (q95 - q05)[0] + 0.4
    reference = np.diff(walk.killed.sel(side="a").values, axis=1)
    # The reference side's rate is given: the same in every draw.
    assert np.ptp(reference, axis=0).max() < 1e-9 * reference.max()


def test_the_engines_agree_on_a_ratio_process():
    require_module("numba")
    from tests.test_numba_kernel import assert_engines_agree

    data = preset_data("russia-ukraine-2024-11")
    data["combat"]["exchange_ratio_change"] = [{"value": fixed(1.0), "process": WALK}]
    assert_engines_agree(scenario_from_dict(data), draws=80)


def test_pysd_runs_an_exported_ratio_change_like_the_engines(tmp_path: Path):
    from tests.test_export import assert_pysd_runs_it_like_the_engines

    data = preset_data("tiny")
    data["combat"] = {
        "law": "responsive",
        "reference_side": "red",
        "casualties": [{"value": fixed(900, "per_month")}],
        "exchange_ratio": fixed(1.8),
        "exchange_ratio_change": [
            {"end": "2025-05-01", "value": fixed(1.0)},
            {
                "start": "2025-05-01",
                "end": "2025-11-01",
                "value": fixed(1.0),
                "end_value": fixed(2.5),
            },
        ],
        "p": fixed(0.7),
        "q": fixed(0.3),
    }
    scenario = scenario_from_dict(data)
    assert "exchange ratio change" in assert_pysd_runs_it_like_the_engines(scenario, tmp_path)
