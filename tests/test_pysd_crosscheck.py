"""The pysd-reference preset against PySD running the reference .mdl file."""

import warnings

import numpy as np
import pytest

from ceasefire.ensemble import simulate
from tests.conftest import shared_file

# PySD itself (a dev-only dependency) uses pandas APIs that pandas now deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame")

STOCKS = {
    "Frontline": lambda ds, side: ds.active.sel(side=side).sum("channel"),
    "Training": lambda ds, side: ds.training.sel(side=side),
    "Wounded": lambda ds, side: ds.wounded.sel(side=side),
    "Pool": lambda ds, side: ds.pool.sel(side=side),
    "Cumulative killed": lambda ds, side: ds.killed.sel(side=side),
}


@pytest.fixture(scope="module")
def pysd_model():
    path = shared_file("reference/pysd-reference-model.mdl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import pysd

        return pysd.read_vensim(str(path))


def _compare(ds, frame, draw=0):
    worst = 0.0
    for name, pick in STOCKS.items():
        for side in ("a", "b"):
            ours = pick(ds, side).isel(draw=draw).values
            theirs = frame[f"{name} {side.upper()}"].to_numpy()
            assert ours.shape == theirs.shape
            relative = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1.0)
            worst = max(worst, float(relative.max()))
    return worst


def test_every_stock_every_month_matches_pysd(pysd_model):
    frame = pysd_model.run()
    ds = simulate("pysd-reference", draws=1)
    np.testing.assert_allclose(ds.time.values, frame.index.to_numpy())
    assert _compare(ds, frame) <= 1e-9


def test_varied_parameters_match_pysd(pysd_model):
    """The benchmark's ten parameters, varied: each draw equals PySD run with its values."""
    from ceasefire.scenario import load_scenario

    ranges = {
        ("combat.lethality.a", "lethality A"): (0.03, 0.07, "per_month"),
        ("combat.lethality.b", "lethality B"): (0.03, 0.06, "per_month"),
        ("sides.a.channels.recruits.recruitment.0.value", "recruit target A"): (
            15e3,
            35e3,
            "per_month",
        ),
        ("sides.b.channels.recruits.recruitment.0.value", "recruit target B"): (
            20e3,
            50e3,
            "per_month",
        ),
        ("sides.a.desertion_rate", "desertion rate A"): (0.001, 0.01, "per_month"),
        ("sides.b.desertion_rate", "desertion rate B"): (0.001, 0.01, "per_month"),
        ("sides.a.wounded_return.fraction", "return fraction A"): (0.3, 0.5, None),
        ("sides.b.wounded_return.fraction", "return fraction B"): (0.3, 0.5, None),
        ("sides.a.killed_fraction", "kia fraction A"): (0.2, 0.4, None),
        ("sides.b.killed_fraction", "kia fraction B"): (0.2, 0.4, None),
    }
    overrides = []
    for (path, _), (low, high, unit) in ranges.items():
        unit_text = f", unit: {unit}" if unit else ""
        overrides.append(
            f"{path}={{dist: uniform, low: {low}, high: {high}{unit_text}, assumption: t}}"
        )
    ds = simulate(load_scenario("pysd-reference", overrides=overrides), draws=3, seed=2)
    for draw in range(3):
        params = {name: float(ds[path].values[draw]) for (path, name) in ranges}
        assert _compare(ds, pysd_model.run(params=params), draw=draw) <= 1e-9
