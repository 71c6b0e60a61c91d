"""The HTML report: self-contained, every section present, numbers from the model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from ceasefire.analysis import format_probability, summarize
from ceasefire.bargaining import deal_window
from ceasefire.ensemble import simulate
from ceasefire.ensemble._io import save_ensemble
from ceasefire.report import SECTIONS, build_report
from ceasefire.report._reduce import crisis_by_month, monthly_flow
from ceasefire.scenario import iter_params, load_scenario

DRAWS = 200


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("russia-ukraine-2024-11")


@pytest.fixture(scope="module")
def ensemble(scenario):
    return simulate(scenario, draws=DRAWS, seed=3)


@pytest.fixture(scope="module")
def window(scenario):
    return deal_window(scenario, draws=20, seed=3, every_months=1)


SENSITIVITY = {
    "measure": "months_to_crisis.russia",
    "method": "Sobol (Saltelli)",
    "index": "total-order index",
    "draws": 1234,
    "factors": [
        {"name": "sides.russia.required_minimum_force", "index": 0.61, "low": 0.5, "high": 0.7},
        {"name": "combat.exchange_ratio", "index": 0.22, "low": 0.15, "high": 0.3},
    ],
}


@pytest.fixture(scope="module")
def page(ensemble, scenario, window):
    return build_report(ensemble, scenario=scenario, window=window, sensitivity=SENSITIVITY)


def _section(page: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}".*?</section>', page, flags=re.S)
    assert match is not None, anchor
    return match.group(0)


def test_report_is_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # No attribute may point at the network (the namespaces of SVG are names, not fetches).
    fetches = re.findall(r'(?:src|href)="(https?:[^"]*)"', page)
    assert fetches == []
    assert "@import" not in page and "url(http" not in page


def test_every_section_is_there_in_order(page: str) -> None:
    anchors = re.findall(r'<section id="([a-z]+)"', page)
    assert anchors == [
        "answer",
        "forces",
        "flows",
        "crisis",
        "territory",
        "forecast",
        "published",
        "deal",
        "calculus",
        "needs",
        "costs",
        "sensitivity",
        "discovery",
        "claims",
        "calibration",
        "parameters",
        "method",
    ]
    # The forecast and published-figures sections (report._forecast, report._published).
    assert len(anchors) == len(SECTIONS) + 2


def test_figures_have_titles_descriptions_and_captions(page: str) -> None:
    svgs = re.findall(r'<figure><svg role="img" aria-label="([^"]+)"', page)
    # forces, flows, crisis, territory, deal window, cost of delay, killed by region, tornado
    assert len(svgs) == 8
    assert page.count("<desc>") == 8
    assert page.count("<figcaption>") == 8


def test_headline_numbers_come_from_the_summary(page: str, ensemble) -> None:
    summary = summarize(ensemble)
    answer = _section(page, "answer")
    for side in ("russia", "ukraine"):
        crisis = summary["sides"][side]["p_crisis"]["36"]
        assert format_probability(crisis["probability"]) in answer
        final = summary["sides"][side]["active_final"]["p50"]
        assert f"{final:,.0f}" in answer


def test_missing_sections_say_so_and_present_ones_do_not(page: str) -> None:
    assert 'data-available="false"' in _section(page, "claims")
    assert "Not available" in _section(page, "claims")
    assert "Not available" in _section(page, "calibration")
    tornado = _section(page, "sensitivity")
    assert "Not available" not in tornado
    assert "sides.russia.required_minimum_force" in tornado
    assert "1,234 model runs" in tornado


def test_claims_and_calibration_sections_show_given_results(ensemble, scenario) -> None:
    claims = {
        "article": "the opinion article",
        "claims": [
            {
                "sentence": "around 20,000 new recruits each month",
                "value": 20000,
                "verdict": "within the official range",
            }
        ],
    }
    calibration = {
        "method": "ABC",
        "data": "UK DI",
        "parameters": [
            {
                "name": "combat.exchange_ratio",
                "prior": "pert 1/1.5/3",
                "posterior": {"p05": 1.1, "p50": 1.4, "p95": 2.0},
            }
        ],
    }
    text = build_report(ensemble, scenario=scenario, claims=claims, calibration=calibration)
    assert "around 20,000 new recruits each month" in _section(text, "claims")
    assert "1.40 (1.10 to 2.00)" in _section(text, "calibration")
    assert "Not available" in _section(text, "deal")


def test_every_parameter_is_listed_with_its_provenance(page: str, scenario) -> None:
    table = _section(page, "parameters")
    params = list(iter_params(scenario))
    for path, _ in params:
        assert ".".join(str(p) for p in path) in table
    sourced = sum(p.source is not None for _, p in params)
    assert f"{len(params)} parameters: {sourced} from a source" in table
    assert table.count("<td>assumption: ") == len(params) - sourced


def test_method_section_names_seed_draws_version_hash(page: str, ensemble) -> None:
    method = _section(page, "method")
    assert ensemble.attrs["scenario_sha256"] in method
    assert ensemble.attrs["ceasefire_version"] in method
    assert f"{DRAWS:,}" in method


def test_the_report_is_reproducible(ensemble, scenario) -> None:
    assert build_report(ensemble, scenario=scenario) == build_report(ensemble, scenario=scenario)


def test_summary_only_ensemble_says_what_it_cannot_show(scenario) -> None:
    small = simulate(scenario, draws=50, seed=0, save="summary")
    text = build_report(small)
    assert "Not available" in _section(text, "forces")
    assert 'data-available="true"' in _section(text, "crisis")
    assert "only its sampled parameters" in _section(text, "parameters")


def test_monthly_flows_add_up_to_the_cumulative_counters(ensemble) -> None:
    bands = monthly_flow(ensemble, "russia", ("recruited",))
    # The median of a sum is not the sum of medians: check one draw's flow exactly instead.
    single = ensemble.isel(draw=[0])
    flow = monthly_flow(single, "russia", ("recruited",)).at(0.5)
    days = np.diff(single["elapsed_days"].values) / 30.4375
    total = single["recruited"].sel(side="russia").values[0]
    assert np.sum(flow * days) == pytest.approx(total[-1] - total[0], rel=1e-9)
    assert bands.values.shape == (5, ensemble.sizes["time"] - 1)


def test_crisis_by_month_ends_at_the_summary_probability(ensemble) -> None:
    months, probability = crisis_by_month(ensemble, "ukraine")
    summary = summarize(ensemble)["sides"]["ukraine"]["p_crisis"]["36"]["probability"]
    assert months[-1] == 36
    assert probability[-1] == pytest.approx(summary)
    assert np.all(np.diff(probability) >= 0)


# --- the command ------------------------------------------------------------------------


def _app() -> typer.Typer:
    from ceasefire.cli._report import register

    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


def test_report_command_on_an_ensemble_reads_sidecars(tmp_path: Path, ensemble) -> None:
    save_ensemble(ensemble, tmp_path / "ensemble.nc")
    (tmp_path / "sensitivity.json").write_text(json.dumps(SENSITIVITY))
    result = CliRunner().invoke(
        _app(), ["report", str(tmp_path / "ensemble.nc"), "--window-draws", "0"]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "report.html").read_text()
    assert "combat.exchange_ratio" in _section(text, "sensitivity")
    assert "--window-draws 0" in _section(text, "deal")
    # The preset was recognised by its hash: every parameter, not only the sampled ones.
    assert "only its sampled parameters" not in _section(text, "parameters")


def test_report_command_from_a_scenario(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(
        _app(),
        ["report", "tiny", "--draws", "30", "-o", str(target), "--set", "time.horizon.value=6"],
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "no `bargaining:` section" in _section(text, "deal")
    assert "30 draws" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--sensitivity", "{missing}"], "cannot read"),
        (["--sensitivity", "{bad}"], "not valid JSON"),
        (["--scenario", "tiny"], "did not make the ensemble"),
    ],
)
def test_report_command_refuses_bad_input(
    tmp_path: Path, ensemble, extra: list[str], message: str
) -> None:
    save_ensemble(ensemble, tmp_path / "ensemble.nc")
    (tmp_path / "bad.json").write_text("{not json")
    args = [a.format(missing=tmp_path / "nope.json", bad=tmp_path / "bad.json") for a in extra]
    result = CliRunner().invoke(
        _app(), ["report", str(tmp_path / "ensemble.nc"), "--window-draws", "0", *args]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "report.html").exists()


def test_the_report_reads_what_the_commands_write(ensemble, scenario) -> None:
    """The JSON of `ceasefire sensitivity`, `claims` and `calibrate` feed their sections."""
    from ceasefire.analysis import sensitivity
    from ceasefire.claims import analyse_article

    ranked = sensitivity("tiny", output="active_final.red", method="sobol", n=16, seed=1).to_dict()
    text = (
        "Western estimates suggest that between 115,000 and 160,000 Russian troops have died, "
        "and another 500,000 have been wounded, roughly 90% of the personnel Russia had at "
        "the start of the invasion. Moscow recruits around 20,000 new soldiers each month."
    )
    claims = analyse_article(text, date=None).to_dict()
    calibration = {
        "until": "2024-11-30",
        "window_start": "2024-09-01",
        "max_rhat": 1.01,
        "min_ess_bulk": 812.0,
        "ppc": {"general_staff": {}},
        "posterior": {"combat.exchange_ratio": {"0.05": 1.2, "0.5": 1.6, "0.95": 2.4}},
    }
    page = build_report(
        ensemble,
        scenario=scenario,
        sensitivity=ranked,
        claims=claims,
        calibration=calibration,
    )
    drivers = _section(page, "sensitivity")
    assert "Not available" not in drivers
    top = ranked["factors"][0]["factor"]
    assert top in drivers
    assert f"{ranked['evaluations']:,} model runs" in drivers
    said = _section(page, "claims")
    assert "115,000 to 160,000" in said
    assert "implied initial force" in said
    fitted = _section(page, "calibration")
    assert "combat.exchange_ratio" in fitted
    assert "1.60 (1.20 to 2.40)" in fitted
    assert "max R-hat 1.010" in fitted


def test_forecast_section_shows_widening_territory_and_causes() -> None:
    """The forecast section: 90% widths by month, territory against the data, crisis causes."""
    from ceasefire.ensemble import simulate
    from ceasefire.observe import load_deepstate
    from ceasefire.report import build_report
    from ceasefire.report._build import default_sections
    from ceasefire.scenario import load_scenario
    from tests.conftest import shared_file

    path = shared_file("data/ukraine/deepstate/occupied_area_to-2024-11.csv")
    scenario = load_scenario("russia-ukraine-2024-11")
    ensemble = simulate(scenario, draws=300, seed=2, save="trajectories")
    page = build_report(
        ensemble, scenario=scenario, sections=default_sections(load_deepstate(path))
    )
    section = _section(page, "forecast")
    assert "month 36" in section and "5–95% width" in section
    assert "the holder was gaining 1,602 km² over the last 3 months" in section
    assert "losses outran recruits" in section and "at month 0" in section
