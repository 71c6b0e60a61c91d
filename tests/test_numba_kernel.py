"""The compiled kernel against the NumPy reference engine (to 1e-12 relative) and PySD."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ceasefire.ensemble import simulate
from ceasefire.scenario import load_scenario, scenario_from_dict
from tests.conftest import fixed, preset_data, require_module

require_module("numba")

LAWS: dict[str, dict[str, Any]] = {
    "square": {
        "law": "square",
        "lethality": {"red": fixed(0.06, "per_month"), "blue": fixed(0.07, "per_month")},
    },
    "linear": {
        "law": "linear",
        "lethality": {"red": fixed(1e-6, "per_month"), "blue": fixed(2e-6, "per_month")},
    },
    "logarithmic": {
        "law": "logarithmic",
        "loss_rate": {"red": fixed(0.05, "per_month"), "blue": fixed(0.08, "per_month")},
    },
    "general": {
        "law": "general",
        "lethality": {"red": fixed(3e-4, "per_month"), "blue": fixed(4e-4, "per_month")},
        "p": {"dist": "uniform", "low": 0.6, "high": 1.0, "assumption": "test"},
        "q": fixed(0.4),
    },
    "fatigue": {
        "law": "fatigue",
        "loss_rate": {"red": fixed(0.05, "per_month"), "blue": fixed(0.08, "per_month")},
        "time_scale": {
            "dist": "uniform",
            "low": 3,
            "high": 30,
            "unit": "days",
            "assumption": "test",
        },
    },
    "exchange_ratio": {
        "law": "exchange_ratio",
        "reference_side": "red",
        "casualties": [{"value": fixed(900, "per_month")}],
        "exchange_ratio": {"dist": "uniform", "low": 1.5, "high": 3, "assumption": "test"},
        "intensity": [
            {
                "start": "2025-03-01",
                "end": "2025-09-01",
                "value": fixed(1.0),
                "end_value": fixed(2.0),
            }
        ],
        "min_loss_time": fixed(1, "months"),
    },
    "responsive": {
        "law": "responsive",
        "reference_side": "red",
        "casualties": [{"value": fixed(900, "per_month")}],
        "exchange_ratio": {"dist": "uniform", "low": 1.5, "high": 3, "assumption": "test"},
        "p": {"dist": "uniform", "low": 0.0, "high": 1.0, "assumption": "test"},
        "q": fixed(0.5),
        "min_loss_time": fixed(1, "months"),
    },
}


def assert_engines_agree(scenario: Any, draws: int = 150, seed: int = 4) -> None:
    reference = simulate(scenario, draws=draws, seed=seed, engine="numpy", save="trajectories")
    compiled = simulate(
        scenario, draws=draws, seed=seed, engine="numba", save="trajectories", chunk_size=97
    )
    assert list(reference.data_vars) == list(compiled.data_vars)
    for name in reference.data_vars:
        ours, theirs = compiled[name].values, reference[name].values
        assert np.array_equal(np.isnan(ours), np.isnan(theirs)), name
        scale = np.maximum(np.abs(theirs), 1e-300)
        difference = np.where(ours == theirs, 0.0, np.abs(ours - theirs) / scale)
        assert np.nanmax(difference, initial=0.0) <= 1e-12, name


@pytest.mark.parametrize("method", ["euler", "rk4"])
@pytest.mark.parametrize("law", list(LAWS))
def test_every_combat_law_and_method_matches_numpy(law, method):
    data = preset_data("tiny")
    data["combat"] = LAWS[law]
    data["time"]["method"] = method
    assert_engines_agree(scenario_from_dict(data))


@pytest.mark.parametrize("name", ["tiny", "russia-ukraine-2024-11", "pysd-reference"])
def test_presets_match_numpy(name):
    """Limiter, pool, third-order training, incentives, policies, crisis days and the front."""
    assert_engines_agree(load_scenario(name), draws=130)


def test_crises_are_found_by_both_engines():
    ds = simulate("tiny", draws=300, seed=1, engine="numba")
    assert np.isfinite(ds.months_to_crisis.values).any()  # the comparison above is not vacuous


def test_a_starved_front_hits_the_limiter_in_both_engines():
    """Casualties far above the force: outflows are limited, stocks stay non-negative."""
    data = preset_data("tiny")
    data["combat"] = {
        "law": "square",
        "lethality": {"red": fixed(5000, "per_month"), "blue": fixed(5000, "per_month")},
    }
    scenario = scenario_from_dict(data)
    assert_engines_agree(scenario, draws=40)
    ds = simulate(scenario, draws=40, engine="numba")
    assert float(ds.active.min()) == 0.0
    # A month in, what is left of blue is what training delivered since the last step.
    conscripts = ds.active.sel(side="blue", channel="conscripts").isel(time=1)
    assert float(conscripts.max()) < 0.01 * float(
        ds.initial_active.sel(side="blue").sum("channel").min()
    )


def test_engine_names_are_checked():
    with pytest.raises(ValueError, match="unknown engine"):
        simulate("tiny", draws=2, engine="fortran")


def test_compiled_kernel_matches_pysd():
    """The reference model through the compiled kernel, against PySD, to 1e-9."""
    import warnings

    from tests.conftest import shared_file

    path = shared_file("reference/pysd-reference-model.mdl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pysd

        frame = pysd.read_vensim(str(path)).run()
    ds = simulate("pysd-reference", draws=1, engine="numba")
    for column, values in (
        ("Frontline A", ds.active.sel(side="a").sum("channel")),
        ("Training B", ds.training.sel(side="b")),
        ("Wounded A", ds.wounded.sel(side="a")),
        ("Pool B", ds.pool.sel(side="b")),
        ("Cumulative killed A", ds.killed.sel(side="a")),
    ):
        theirs = frame[column].to_numpy()
        ours = values.isel(draw=0).values
        assert np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1.0)) <= 1e-9


PAIR_LAWS: dict[str, dict[str, Any]] = {
    name: {
        **{k: v for k, v in law.items() if k not in ("intensity",)},
        **(
            {"lethality": {"a": fixed(0.05, "per_month"), "b": fixed(0.04, "per_month")}}
            if "lethality" in law and name != "linear"
            else {}
        ),
    }
    for name, law in LAWS.items()
}
PAIR_LAWS["linear"] = {
    "law": "linear",
    "lethality": {"a": fixed(1e-7, "per_month"), "b": fixed(2e-7, "per_month")},
}
PAIR_LAWS["logarithmic"] = {
    "law": "logarithmic",
    "loss_rate": {"a": fixed(0.05, "per_month"), "b": fixed(0.08, "per_month")},
}
PAIR_LAWS["fatigue"] = {
    **LAWS["fatigue"],
    "loss_rate": {"a": fixed(0.05, "per_month"), "b": fixed(0.08, "per_month")},
}
PAIR_LAWS["general"]["lethality"] = {"a": fixed(3e-4, "per_month"), "b": fixed(4e-4, "per_month")}
PAIR_LAWS["exchange_ratio"]["reference_side"] = "a"
PAIR_LAWS["exchange_ratio"]["intensity"] = LAWS["exchange_ratio"]["intensity"]
PAIR_LAWS["responsive"]["reference_side"] = "a"


@pytest.mark.parametrize("law", list(PAIR_LAWS))
def test_two_single_channel_sides_match_numpy(law):
    """The reference model's shape (one channel per side, first-order delay, Euler)."""
    data = preset_data("pysd-reference")
    data["combat"] = PAIR_LAWS[law]
    data["sides"]["a"]["required_minimum_force"] = fixed(470_000, "men")
    assert_engines_agree(scenario_from_dict(data), draws=60)
