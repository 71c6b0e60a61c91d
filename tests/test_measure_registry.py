"""The registry of headline measures: one entry defines a measure for every consumer."""

from __future__ import annotations

from typing import Any

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


@pytest.fixture(scope="module")
def default_run() -> tuple[Any, Any]:
    """The default scenario (it has `costs:`), kept with trajectories."""
    from ceasefire.scenario import load_scenario

    scenario = load_scenario("russia-ukraine-2024-11")
    return scenario, simulate(scenario, draws=60, seed=4, engine="numpy", save="trajectories")


def test_money_is_one_entry_of_the_registry(default_run: tuple[Any, Any]) -> None:
    """Money per month is one entry (``money_per_month``), added after the run.

    It comes from the trajectories and `costs:`; summary, table, compare, select_measure and
    measure_unit take it from the registry like every measure.
    """
    from ceasefire.analysis import Summary
    from ceasefire.analysis.costs import add_money_measure, money_per_month, summary_with_money

    scenario, ensemble = default_run
    measure = MEASURES["money_per_month"]
    assert not measure.from_chunks and measure.summarized and measure.compared
    assert "money_per_month" not in ensemble  # no chunk computes it
    with_money = add_money_measure(ensemble, scenario)
    assert with_money["money_per_month"].attrs == measure.attrs
    for side in scenario.side_ids:
        money = money_per_month(ensemble, scenario, side)
        np.testing.assert_allclose(
            with_money["money_per_month"].sel(side=side).values,
            money.total.mean(axis=1) / money.per_usd,
        )
        assert float(with_money["money_per_month"].sel(side=side).min()) > 0

    _, summary = summary_with_money(ensemble, scenario)
    assert isinstance(summary, Summary) and summary.money is not None
    band = summary.sides["russia"].bands["money_per_month"]
    values = with_money["money_per_month"].sel(side="russia").values
    assert band.units == "USD/month"
    assert band.p50 == pytest.approx(float(np.quantile(values, 0.5)))
    _, rows = summary_rows(summary)
    row = next(r for r in rows if r[0] == measure.label)
    assert row[1] == f"{measure.format(band.p50)} ({measure.format(band.p05)} to " + (
        f"{measure.format(band.p95)})"
    )
    assert row[1].startswith("$")

    compared = compare_ensembles(with_money, with_money)["measures"]["money_per_month.ukraine"]
    assert compared["mean_difference"] == 0.0 and compared["pairs"] == 60
    assert "money_per_month.russia" in measure_names(with_money)
    np.testing.assert_array_equal(
        select_measure(with_money, "money_per_month.russia").values, values
    )
    assert measure_unit("money_per_month.russia") == "US dollars a month"


def test_money_is_absent_where_it_cannot_be_computed() -> None:
    """Without `costs:` (tiny) or without trajectories there is no money row, band or detail."""
    from ceasefire.analysis.costs import summary_with_money
    from ceasefire.scenario import load_scenario

    tiny = load_scenario("tiny")
    _, summary = summary_with_money(simulate(tiny, draws=20, seed=1, save="trajectories"), tiny)
    assert summary.money is None
    assert all("money_per_month" not in side.bands for side in summary.sides.values())
    assert not any(row[0] == MEASURES["money_per_month"].label for row in summary_rows(summary)[1])
    default = load_scenario("russia-ukraine-2024-11")
    bare = simulate(default, draws=20, seed=1, save="summary")
    ensemble, summary = summary_with_money(bare, default)
    assert ensemble is bare and summary.money is None
