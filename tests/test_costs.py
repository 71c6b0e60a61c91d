"""What the war costs each side: supply curve, money flows, regions, cost-of-delay components."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.analysis.costs import (
    COMPONENTS,
    RegionalModel,
    calibrate_supply,
    load_region_table,
    money_per_month,
    money_summary,
    political_weights,
    regional_summary,
    supply_curve,
)
from ceasefire.bargaining._delay import DELAY_COMPONENTS, decisive_component, delay_components
from ceasefire.cli import app
from ceasefire.ensemble import simulate
from ceasefire.scenario import DEFAULT_PRESET, load_scenario

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ROOT.parent / "shared" / "data" / "ukraine" / "regions"


@pytest.fixture(scope="module")
def default() -> tuple[Any, Any]:
    scenario = load_scenario(DEFAULT_PRESET)
    return scenario, simulate(scenario, draws=60, seed=3, save="trajectories")


# --- the supply curve --------------------------------------------------------------------


def test_supply_curve_reproduces_its_calibration_targets() -> None:
    """R(P₀, W) = R(P₁, W − D) = the recruits held, on every draw (module docstring)."""
    pool = np.array([1.0e6, 2.5e6, 4.0e6])
    curve = calibrate_supply(
        offer_before=195_000,
        offer_after=400_000,
        recruits_held=30_000,
        months_between=6,
        willing_pool=pool,
        premium=1_600_000,
    )
    np.testing.assert_allclose(curve.recruits(195_000, pool), 30_000, rtol=1e-12)
    np.testing.assert_allclose(curve.recruits(400_000, pool - 180_000), 30_000, rtol=1e-12)
    # A larger willing pool thins more slowly, so the same hold needs a smaller elasticity.
    assert np.all(np.diff(curve.elasticity) < 0)


def test_supply_curve_is_monotone_in_pay_and_the_hold_bonus_holds() -> None:
    curve = calibrate_supply(
        offer_before=195_000,
        offer_after=400_000,
        recruits_held=30_000,
        months_between=6,
        willing_pool=2.0e6,
        premium=1_600_000,
    )
    bonuses = np.linspace(0, 3e6, 50)
    recruits = np.array([float(curve.recruits(b, curve.willing_ref)[()]) for b in bonuses])
    assert np.all(np.diff(recruits) > 0)
    bonus = curve.bonus_to_hold(30_000, 12)
    assert bonus > 400_000
    left = curve.willing_ref - 30_000 * 12
    np.testing.assert_allclose(curve.recruits(bonus, left), 30_000, rtol=1e-10)
    assert np.isinf(curve.bonus_to_hold(30_000, 1e4))  # the pool runs dry


def test_supply_calibration_refuses_an_offer_that_did_not_rise() -> None:
    with pytest.raises(ValueError, match="must exceed"):
        calibrate_supply(
            offer_before=400_000,
            offer_after=195_000,
            recruits_held=30_000,
            months_between=6,
            willing_pool=2e6,
            premium=1e6,
        )


# --- money ---------------------------------------------------------------------------------


def test_money_conserves_what_is_paid_is_the_sum_of_its_parts(default: tuple[Any, Any]) -> None:
    scenario, ensemble = default
    for side in scenario.side_ids:
        money = money_per_month(ensemble, scenario, side)
        parts = sum(money.components[c] for c in COMPONENTS)
        np.testing.assert_allclose(money.total, parts, rtol=1e-12)
        assert money.total.shape == (60, ensemble.sizes["time"] - 1)
        assert np.all(money.total > 0)


def test_money_scales_with_the_counters(default: tuple[Any, Any]) -> None:
    """Money is linear in the counters: doubling every count doubles every component."""
    scenario, ensemble = default
    doubled = ensemble.copy()
    for name in ("active", "recruited", "killed", "wounded_total"):
        doubled[name] = ensemble[name] * 2.0
    for side in scenario.side_ids:
        one = money_per_month(ensemble, scenario, side)
        two = money_per_month(doubled, scenario, side)
        for component in COMPONENTS:
            np.testing.assert_allclose(two.components[component], 2 * one.components[component])


def test_money_scales_with_draws(default: tuple[Any, Any]) -> None:
    """A draw's money depends on its own counters and parameters only, not on the others."""
    scenario, ensemble = default
    whole = money_per_month(ensemble, scenario, "russia").total
    part = money_per_month(ensemble.isel(draw=slice(10, 20)), scenario, "russia").total
    np.testing.assert_allclose(part, whole[10:20])


def test_compensation_by_hand(default: tuple[Any, Any]) -> None:
    """Ukraine pays every channel: compensation is death payment · killed + injury · wounded."""
    scenario, ensemble = default
    money = money_per_month(ensemble, scenario, "ukraine")
    killed = np.diff(ensemble["killed"].sel(side="ukraine").values, axis=1)
    wounded = np.diff(ensemble["wounded_total"].sel(side="ukraine").values, axis=1)
    death = ensemble["costs.sides.ukraine.death_payment"].values[:, None]
    injury = ensemble["costs.sides.ukraine.injury_payment"].values[:, None]
    np.testing.assert_allclose(money.components["compensation"], death * killed + injury * wounded)


def test_money_summary_reports_budget_and_the_bonus_to_hold(default: tuple[Any, Any]) -> None:
    scenario, ensemble = default
    summary = money_summary(ensemble, scenario)
    assert set(summary) == {"russia", "ukraine"}
    russia = summary["russia"]
    assert russia["currency"] == "rub"
    assert russia["total"]["p05"] <= russia["total"]["p50"] <= russia["total"]["p95"]
    assert 0 <= russia["budget_crisis"]["p_within_horizon"] <= 1
    bonus = russia["supply"]["bonus_to_hold"]
    assert bonus["p50"] > 400_000  # dearer than the doubled bonus: the pool thins
    assert "supply" not in summary["ukraine"]
    assert "without_foreign_aid" in summary["ukraine"]
    assert supply_curve(ensemble, scenario, "ukraine") is None


# --- regions -------------------------------------------------------------------------------


def test_regional_shares_sum_to_one_and_are_population_shares_when_neutral() -> None:
    table = load_region_table()
    assert len(table.iso) == 85
    assert table.men.sum() == 44_434_799  # the census total in the data README
    shares = RegionalModel().contract_shares(table)
    assert shares.sum() == pytest.approx(1.0)
    neutral = RegionalModel(dict.fromkeys(RegionalModel().coefficients, 0.0))
    np.testing.assert_allclose(neutral.contract_shares(table), table.men_share, rtol=1e-12)
    assert neutral.carried(table)["all"] == pytest.approx(0.0, abs=1e-12)
    assert political_weights(table).sum() == pytest.approx(1.0)


def test_regional_summary_shares_and_political_discount(default: tuple[Any, Any]) -> None:
    scenario, ensemble = default
    result = regional_summary(ensemble, scenario, "russia")
    rows = result["regions"]
    assert len(rows) == 85
    for key in ("recruits_share", "killed_share", "political_weight", "population_share"):
        assert sum(row[key] for row in rows) == pytest.approx(1.0)
    assert [r["killed_share"] for r in rows] == sorted(
        (r["killed_share"] for r in rows), reverse=True
    )
    moscow = next(r for r in rows if r["iso"] == "MOW")
    assert moscow["recruits_share"] < moscow["population_share"] < moscow["political_weight"]
    # Losses fall where they weigh less than a death drawn from the population at large.
    assert result["political_weight_of_death"]["p95"] < 1.0


def test_shipped_table_matches_the_shared_data() -> None:
    if not REGIONS.is_dir():
        pytest.skip("../shared/data/ukraine/regions is absent (a clone without shared data)")
    table = load_region_table()
    with (REGIONS / "census2021_nMen16-615.csv").open(encoding="utf-8") as handle:
        men = {row["regNameISO"]: float(row["nMen16_615_2021"]) for row in csv.DictReader(handle)}
    with (REGIONS / "regionCharacteristics.csv").open(encoding="utf-8") as handle:
        income = {row["regNameISO"]: float(row["meanIncome"]) for row in csv.DictReader(handle)}
    for i, iso in enumerate(table.iso):
        assert table.men[i] == men[iso]
        assert table.covariates["mean_income_rub"][i] == income[iso]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda row: {**row, "iso": "XX"}, "unknown region 'XX'"),
        (lambda row: {**row, "unemployment_pct": ""}, "missing value"),
        (lambda row: {**row, "men": "-5"}, "non-negative"),
        (lambda row: {**row, "men": "many"}, "not a number"),
    ],
)
def test_covariate_file_errors_name_file_line_and_field(
    tmp_path: Path, change: Any, message: str
) -> None:
    from ceasefire._errors import InputError

    table = load_region_table()
    path = tmp_path / "covariates.csv"
    rows = [
        {
            "iso": iso,
            "name": table.name[i],
            "men": str(table.men[i]),
            **{c: str(v[i]) for c, v in table.covariates.items()},
        }
        for i, iso in enumerate(table.iso)
    ]
    rows[3] = change(rows[3])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InputError, match=message) as error:
        load_region_table(path)
    assert error.value.where == f"{path}:5"


def test_a_covariate_file_with_the_shipped_numbers_gives_the_shipped_shares(tmp_path: Path) -> None:
    table = load_region_table()
    path = tmp_path / "same.csv"
    lines = ["iso,name,men,mean_income_rub,poverty_pct,unemployment_pct"]
    for i, iso in enumerate(table.iso):
        values = [
            table.covariates[c][i] for c in ("mean_income_rub", "poverty_pct", "unemployment_pct")
        ]
        lines.append(
            ",".join(
                [iso, table.name[i], repr(float(table.men[i])), *(repr(float(v)) for v in values)]
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = load_region_table(path)
    np.testing.assert_allclose(
        RegionalModel().contract_shares(again), RegionalModel().contract_shares(table)
    )


def test_regions_command_json_has_every_field() -> None:
    result = CliRunner().invoke(app, ["regions", "--draws", "40", "--json", "--top", "85"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["regions"]) == 85
    for key in (
        "iso",
        "name",
        "recruits_per_month",
        "recruits_share",
        "killed_share",
        "political_weight",
    ):
        assert key in data["regions"][0]
    assert data["supply"]["bonus_to_hold"]["p50"] > 0


# --- the cost of delay -----------------------------------------------------------------------


def test_cost_of_delay_components_add_up_to_the_total(default: tuple[Any, Any]) -> None:
    from ceasefire.bargaining._coupling import World

    scenario, ensemble = default
    world = World(scenario, ensemble)
    area = ensemble["front.contested_area"].values if "front.contested_area" in ensemble else None
    assert area is None  # fixed in the default: the share below uses its value
    held = ensemble["front"].values / scenario.front.contested_area.central()
    resolve = {s: ensemble[f"bargaining.resolve.{s}"].values for s in scenario.side_ids}
    weight = np.full(60, 0.5)
    parts = {
        "russia": delay_components(
            world, "russia", resolve["russia"], own_share=held, territory_weight=weight
        ),
        "ukraine": delay_components(
            world, "ukraine", resolve["ukraine"], own_share=1 - held, territory_weight=weight
        ),
    }
    totals = {s: sum(parts[s][c] for c in DELAY_COMPONENTS) for s in parts}
    # The casualty part is the calculus's earlier cost of delay: ΔC / R.
    cas = (
        ensemble["killed"].sel(side="russia").values
        + ensemble["wounded_total"].sel(side="russia").values
    )
    np.testing.assert_allclose(
        parts["russia"]["casualties"], np.diff(cas, axis=1) / resolve["russia"][:, None]
    )
    decided = decisive_component(parts, "russia", "ukraine")
    difference = float(np.mean(totals["russia"].mean(axis=1) - totals["ukraine"].mean(axis=1)))
    assert sum(decided["difference"].values()) == pytest.approx(difference)
    assert sum(decided["share"].values()) == pytest.approx(1.0)
    assert decided["decides"] in DELAY_COMPONENTS
    for side in parts:
        for component in DELAY_COMPONENTS:
            assert np.all(parts[side][component] >= 0)


def test_the_bonus_lever_has_its_cost() -> None:
    """A higher federal bonus (the dashboard's lever) costs more in bonuses and buys recruits."""
    path = "sides.russia.channels.contract.incentive.bonus.0.value"
    runs = {}
    for bonus in (400_000, 800_000):
        scenario = load_scenario(DEFAULT_PRESET, overrides=[f"{path}={bonus}"])
        ensemble = simulate(scenario, draws=40, seed=1, save="trajectories")
        runs[bonus] = (money_summary(ensemble, scenario)["russia"], ensemble)
    low, high = runs[400_000][0], runs[800_000][0]
    assert high["components"]["bonuses"]["p50"] > 1.5 * low["components"]["bonuses"]["p50"]
    recruited = {b: runs[b][1]["recruited"].sel(side="russia").values[:, -1].mean() for b in runs}
    assert recruited[800_000] > recruited[400_000]


def test_the_report_shows_money_in_the_currency_and_as_the_registry_measure(
    default: tuple[Any, Any],
) -> None:
    """The costs section reads the typed money summary and the registry's US$ band."""
    from ceasefire.analysis import format_band
    from ceasefire.analysis.costs import summary_with_money
    from ceasefire.ensemble import MEASURES
    from ceasefire.report import build_report

    scenario, ensemble = default
    html = build_report(ensemble, scenario=scenario)
    _, summary = summary_with_money(ensemble, scenario)
    dollars = MEASURES["money_per_month"]
    assert '<th scope="col">in US$</th>' in html
    for side in ("russia", "ukraine"):
        band = summary.sides[side].bands[dollars.name]
        assert f"<td>{format_band(band, dollars.format)}</td>" in html
    assert summary.money is not None and summary.money["russia"].currency == "rub"
    assert summary.money["russia"].to_json() == money_summary(ensemble, scenario)["russia"]
