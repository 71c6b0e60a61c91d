"""The registry of headline measures: one entry defines a measure for every consumer."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.analysis import (
    compare_ensembles,
    measure_names,
    measure_unit,
    select_measure,
    summarize,
    summary_rows,
)
from ceasefire.ensemble import MEASURES, Measure, format_ratio, simulate


@pytest.fixture
def deserted_share(monkeypatch: pytest.MonkeyPatch) -> Measure:
    """A new measure, added as one registry entry: deserters per recruit over the horizon."""

    def compute(chunk):  # (draws, sides)
        recruited = chunk.final("recruited")
        out = np.full_like(recruited, np.nan)
        return np.divide(chunk.final("deserted"), recruited, where=recruited > 0, out=out)

    measure = Measure(
        "deserted_per_recruit",
        "1",
        "deserted per recruit over the horizon",
        compute,
        "deserters per recruit",
        label="Deserters per recruit",
        format=format_ratio,
    )
    monkeypatch.setitem(MEASURES, measure.name, measure)
    return measure


def test_a_new_measure_is_one_entry(deserted_share: Measure) -> None:
    """simulate, summarize, the table, compare, select_measure and its unit all take it."""
    ensemble = simulate("tiny", draws=64, seed=3, engine="numpy", save="trajectories")
    name = deserted_share.name
    assert ensemble[name].dims == ("draw", "side")
    assert ensemble[name].attrs == {"units": "1", "long_name": deserted_share.long_name}
    deserted = ensemble["final_deserted"].sum("channel")
    recruited = ensemble["final_recruited"].sum("channel")
    assert float(deserted.max()) > 0  # the check below is not 0 == 0
    np.testing.assert_allclose(ensemble[name].values, (deserted / recruited).values)

    summary = summarize(ensemble)
    side = next(iter(summary["sides"]))
    band = summary["sides"][side][name]
    assert band["p05"] <= band["p50"] <= band["p95"]

    _, rows = summary_rows(summary)
    row = next(r for r in rows if r[0] == "Deserters per recruit")
    assert row[1] == f"{band['p50']:.2f} ({band['p05']:.2f} to {band['p95']:.2f})"

    assert f"{name}.{side}" in measure_names(ensemble)
    assert measure_unit(f"{name}.{side}") == "deserters per recruit"
    np.testing.assert_array_equal(
        select_measure(ensemble, f"{name}.{side}").values, ensemble[name].sel(side=side).values
    )

    paired = compare_ensembles(ensemble, ensemble)["measures"][f"{name}.{side}"]
    assert paired["mean_difference"] == 0.0


def test_the_registry_names_each_variable_once() -> None:
    """Every entry's key is its name, with units and a long name for the ensemble's attrs."""
    for key, measure in MEASURES.items():
        assert key == measure.name
        assert measure.units and measure.long_name and measure.unit_words


def test_simulate_writes_the_registry_attrs() -> None:
    ensemble = simulate("tiny", draws=8, seed=0, engine="numpy", save="summary")
    for measure in MEASURES.values():
        if measure.name in ensemble:
            assert ensemble[measure.name].attrs == measure.attrs
