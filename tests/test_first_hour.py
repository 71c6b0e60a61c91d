"""The first hour of a new user (issue 22): each point that broke or misled, from the user's side.

Every test here failed before the fix it guards; the numbers in the docstrings are the ones
the issue reported.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.analysis import (
    YARDSTICK,
    format_probability,
    probability_words,
    summarize,
    yardstick_legend,
)
from ceasefire.analysis._format import format_values, probability_axis_top
from ceasefire.cli import app
from ceasefire.ensemble._io import open_ensemble
from ceasefire.scenario import load_scenario
from tests.conftest import require_module

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args: str, cwd: Path | None = None) -> object:
    """Run the CLI in-process (in ``cwd`` when given)."""
    if cwd is None:
        return runner.invoke(app, list(args))
    before = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args))
    finally:
        os.chdir(before)


# --- 1. a --set on a correlated parameter ------------------------------------------------


def test_fixing_a_correlated_parameter_drops_it_from_its_group_with_a_note() -> None:
    """`run --set sides.russia.killed_fraction=0.2` exited 2: only distributions correlate."""
    notes: list[str] = []
    scenario = load_scenario(overrides=["sides.russia.killed_fraction=0.2"], notes=notes)
    correlated = {p for group in scenario.correlations for p in group.parameters}
    assert "sides.russia.killed_fraction" not in correlated
    assert "sides.ukraine.killed_fraction" not in correlated  # its pair is left alone
    assert "sides.russia.wounded_return.fraction" in correlated  # other groups stay
    assert len(notes) == 1 and "leaves its correlation group" in notes[0]
    result = invoke(
        "validate", "russia-ukraine-2024-11", "--set", "sides.russia.killed_fraction=0.2"
    )
    assert result.exit_code == 0, result.output
    assert "ceasefire: note: --set sides.russia.killed_fraction=0.2 fixes" in result.stderr


def test_a_group_of_three_keeps_its_other_two(tmp_path: Path) -> None:
    scenario = load_scenario("russia-ukraine-2024-11")
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["correlations"] = [
        {
            "parameters": [
                "sides.russia.killed_fraction",
                "sides.ukraine.killed_fraction",
                "sides.russia.wounded_return.fraction",
            ],
            "rank": [[1, 0.5, 0.2], [0.5, 1, 0.3], [0.2, 0.3, 1]],
            "assumption": "test",
        }
    ]
    import yaml

    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    fixed = load_scenario(path, overrides=["sides.ukraine.killed_fraction=0.2"])
    (group,) = fixed.correlations
    assert group.parameters == [
        "sides.russia.killed_fraction",
        "sides.russia.wounded_return.fraction",
    ]
    assert group.spearman()[0, 1] == pytest.approx(0.2)


# --- 2, 3. extras and the scheduler, before any work --------------------------------------


@pytest.mark.parametrize(
    ("args", "module", "extra"),
    [
        (["calibrate", "--observed", "x=y.csv"], "arviz", "calibrate"),
        (["backtest", "--observed", "x=y.csv"], "arviz", "calibrate"),
        (["run", "tiny", "-n", "5", "--scheduler", "tcp://127.0.0.1:1"], "distributed", "dask"),
        (["run", "tiny", "-n", "5", "--engine", "numba"], "numba", "fast"),
        (["sweep", "nothing.yaml", "-o", "out", "--executor", "dask"], "distributed", "dask"),
    ],
)
def test_a_missing_extra_is_named_before_any_work(
    args: list[str], module: str, extra: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`calibrate` without arviz computed, then ended in a ModuleNotFoundError traceback."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == module else real(name, *a)
    )
    started = time.perf_counter()
    result = invoke(*args, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert f"pip install 'ceasefire[{extra}]'" in result.stderr
    assert "Traceback" not in result.output
    assert time.perf_counter() - started < 5
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_named_within_seconds(tmp_path: Path) -> None:
    """`run --scheduler tcp://host:8786` ran 31 s, then said 'cannot write outputs: None'."""
    require_module("distributed")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    result = invoke(
        "run", "tiny", "-n", "5", "--scheduler", f"tcp://127.0.0.1:{port}", cwd=tmp_path
    )
    assert time.perf_counter() - started < 10
    assert result.exit_code == 2
    assert f"cannot connect to the Dask scheduler at 127.0.0.1:{port}" in result.stderr
    assert "None" not in result.stderr


# --- 4. --set errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ("combat.exchange_ration=2", "combat.exchange_ration"),
        ("combat.exchange_ratio=two", "combat.exchange_ratio"),
        ("sides.russia.desertion_rate=-1", "sides.russia.desertion_rate"),
    ],
)
def test_set_errors_name_the_set_and_a_path_it_accepts(given: str, path: str) -> None:
    """A typo was reported at a line of the preset, with paths that --set refused.

    `combat.exchange_ration` came out as `combat.exchange_ratio.exchange_ration`, and `=two` as
    `combat.exchange_ratio.exchange_ratio.fixed.value`.
    """
    result = invoke("validate", "russia-ukraine-2024-11", "--set", given)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ceasefire: error: --set {given}: {path}: "), result.stderr
    assert "presets" not in result.stderr
    # The path printed is one --set takes.
    parent = path.rpartition(".")[0] if path.endswith("ration") else path
    fine = "combat.exchange_ratio=2" if parent.startswith("combat") else f"{path}=0.001"
    assert invoke("validate", "russia-ukraine-2024-11", "--set", fine).exit_code == 0


# --- 5. python -m ceasefire ----------------------------------------------------------------


def test_python_m_ceasefire() -> None:
    """`python -m ceasefire` failed: No module named ceasefire.__main__."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "ceasefire", "validate", "tiny"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid scenario 'tiny'" in done.stdout


# --- 6. outputs that clobber each other ----------------------------------------------------


def test_every_run_gets_its_own_folder_and_records_what_ran(tmp_path: Path) -> None:
    """A bare `run` overwrote `make run`'s ensemble; what-ifs and --set shared folders."""
    fitted = tmp_path / "fitted.yaml"
    fitted.write_text(
        (ROOT / "src/ceasefire/scenario/presets/tiny.yaml")
        .read_text(encoding="utf-8")
        .replace("law: square", "law: square  # fitted"),
        encoding="utf-8",
    )
    runs = {
        ("tiny",): r"tiny\.n30",
        ("tiny", "--seed", "3"): r"tiny\.n30\.seed3",
        ("tiny", "--set", "combat.lethality.red=0.06"): r"tiny\.set-[0-9a-f]{8}\.n30",
        ("tiny", "--sampler", "lhs"): r"tiny\.lhs\.n30",
        (str(fitted),): r"tiny\.file-[0-9a-f]{8}\.n30",
    }
    folders: set[str] = set()
    for args, pattern in runs.items():
        result = invoke("run", *args, "-n", "30", "--no-progress", cwd=tmp_path)
        assert result.exit_code == 0, result.output
        (folder,) = [p for p in (tmp_path / "out").iterdir() if p.name not in folders]
        folders.add(folder.name)
        assert re.fullmatch(pattern, folder.name), folder.name
    assert len(folders) == len(runs)
    what_if = invoke("run", "-n", "30", "--with", "bonus-cut", "--set", "combat.exchange_ratio=2",
                     "--json", cwd=tmp_path)  # fmt: skip
    assert what_if.exit_code == 0, what_if.output
    summary = json.loads(what_if.stdout)
    assert summary["run"]["whatifs"] == ["bonus-cut"]
    assert summary["run"]["overrides"] == ["combat.exchange_ratio=2"]
    assert (
        "what-ifs: bonus-cut" in summary["title"]
        and "--set combat.exchange_ratio=2" in summary["title"]
    )
    (folder,) = (tmp_path / "out").glob("russia-ukraine-2024-11.bonus-cut.set-*.n30")
    attrs = open_ensemble(folder / "ensemble.nc").attrs
    assert json.loads(attrs["overrides"]) == ["combat.exchange_ratio=2"]
    assert json.loads(attrs["whatifs"]) == ["bonus-cut"]


def test_a_posterior_gets_its_own_folder(tmp_path: Path) -> None:
    from ceasefire.cli._app import default_folder

    scenario = load_scenario("tiny")
    posterior = tmp_path / "posterior.nc"
    posterior.write_bytes(b"a posterior")
    plain = default_folder(scenario, source="tiny", overrides=None, draws=10_000, seed=0)
    given = default_folder(
        scenario, source="tiny", overrides=None, draws=10_000, seed=0, posterior=posterior
    )
    assert plain == Path("out/tiny") and given.name.startswith("tiny.posterior-")
    point = default_folder(
        scenario, source="tiny", overrides=None, draws=1, seed=0, deterministic=True
    )
    assert point == Path("out/tiny.deterministic")


def test_writing_over_another_run_names_the_files_that_now_describe_it(tmp_path: Path) -> None:
    out = tmp_path / "same"
    assert invoke("run", "tiny", "-n", "20", "-o", str(out)).exit_code == 0
    (out / "report.html").write_text("old", encoding="utf-8")
    again = invoke("run", "tiny", "-n", "20", "-o", str(out))
    assert "warning" not in again.stderr  # the same run: its report still holds
    other = invoke("run", "tiny", "-n", "20", "--seed", "2", "-o", str(out))
    assert other.exit_code == 0
    assert "report.html there still describe that run" in other.stderr


# --- 7. the same inputs give the same report -----------------------------------------------


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}"')
    return page[start : page.index("</section>", start)]


def test_report_of_a_scenario_reads_its_run_folder_like_the_ensemble_does(tmp_path: Path) -> None:
    """Given a scenario, `report` ignored the sensitivity.json the .nc path read."""
    assert invoke("run", "tiny", "-n", "40", "--no-progress", cwd=tmp_path).exit_code == 0
    folder = tmp_path / "out" / "tiny.n40"
    made = invoke("sensitivity", "tiny", "--method", "morris", "-N", "4", "--no-progress",
                  "--save", str(folder / "sensitivity.json"))  # fmt: skip
    assert made.exit_code == 0, made.output
    by_scenario = invoke("report", "tiny", "-n", "40", "--window-draws", "0", cwd=tmp_path)
    assert by_scenario.exit_code == 0, by_scenario.output
    page_a = (folder / "report.html").read_text(encoding="utf-8")
    by_file = invoke("report", str(folder / "ensemble.nc"), "-o", str(tmp_path / "b.html"),
                     "--window-draws", "0")  # fmt: skip
    assert by_file.exit_code == 0, by_file.output
    page_b = (tmp_path / "b.html").read_text(encoding="utf-8")
    for anchor in ("answer", "sensitivity", "crisis", "forces"):
        assert _section(page_a, anchor) == _section(page_b, anchor), anchor
    assert 'data-available="true"' in _section(page_a, "sensitivity")


# --- 8. probability words agree with their legend ------------------------------------------


def test_words_never_claim_a_range_the_value_lies_outside() -> None:
    """8.2% was 'highly unlikely' (10–20%), 91.4% 'highly likely' (80–90%).

    Every value as printed, to a tenth of a percentage point.
    """
    ranges = {name: (low, high) for name, low, high in YARDSTICK}
    for value in np.round(np.linspace(0.0, 1.0, 1001), 3):
        words = probability_words(float(value))
        if " to " in words:
            below, above = words.split(" to ")
            assert ranges[below][1] < value < ranges[above][0], (value, words)
        else:
            low, high = ranges[words]
            assert low <= value <= high, (value, words)


def test_the_issue_s_values_and_one_legend_everywhere() -> None:
    assert probability_words(0.082) == "remote chance to highly unlikely"
    assert probability_words(0.914) == "highly likely to almost certain"
    assert probability_words(0.946) == "highly likely to almost certain"
    assert format_probability(0.082) == "8.2% (remote chance to highly unlikely)"
    legend = yardstick_legend()
    for words, _, _ in YARDSTICK:
        assert words in legend
    assert "10–20%" in legend and "a value in a gap" in legend


def test_the_run_table_and_report_word_the_same_way(tmp_path: Path) -> None:
    result = invoke("run", "tiny", "-n", "200", "-o", str(tmp_path / "o"))
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    for entry in summary["sides"]["red"]["p_crisis"].values():
        assert format_probability(entry["probability"]) in result.output
        assert entry["words"] == probability_words(entry["probability"])
    assert summary["probability_words"] == yardstick_legend()


# --- 9. compare uses one statistic -----------------------------------------------------------


def test_compare_difference_is_the_difference_of_the_columns() -> None:
    """578,019 − 853,731 = −275,712, yet it printed −276,955 (medians against a paired mean)."""
    result = invoke("compare", "russia-ukraine-2024-11", "bonus-cut", "-n", "300", "--json",
                    "--no-progress")  # fmt: skip
    assert result.exit_code == 0, result.output
    (comparison,) = json.loads(result.stdout)["comparisons"]
    for name, entry in comparison["measures"].items():
        if entry["units"] == "probability":
            assert entry["mean_difference"] == pytest.approx(entry["variant"] - entry["base"])
        else:
            difference = entry["variant_mean"] - entry["base_mean"]
            # Float noise only: 1e-9 absolute, or 1e-12 relative for money (billions of $).
            assert entry["mean_difference"] == pytest.approx(difference, rel=1e-12, abs=1e-9), name
    table = invoke("compare", "russia-ukraine-2024-11", "bonus-cut", "-n", "300", "--no-progress")
    assert "base (mean)" in table.output and "difference (mean)" in table.output
    assert "km² gained; negative: lost" in table.output


# --- 10. sensitivity on a near-constant output ----------------------------------------------


def test_sensitivity_explains_a_continuous_measure_by_default_and_warns_on_flat_ones() -> None:
    """A censored crisis time barely varies; at -N 64 it once printed ST = 6.257."""
    from ceasefire.analysis import sensitivity

    default = sensitivity("russia-ukraine-2024-11", n=8, seed=0)
    assert default.output == "force_margin.russia"
    for name in ("S1", "ST"):
        assert np.all((default.indices[name] >= 0) & (default.indices[name] <= 1))
    assert any("too small for these intervals" in note for note in default.notes)
    held = default.to_dict()["held_at_median"]
    assert all(name in " ".join(default.notes) for name in held)  # all of them, not 6 and …
    # A crisis of the tiny preset's red side within its horizon is rare (0.1% of draws): its
    # months to crisis are censored at the horizon in almost every run.
    flat = sensitivity("tiny", output="months_to_crisis.red", n=8, seed=0)
    warned = "warning: months_to_crisis.red does not vary"
    assert any(note.startswith(warned) for note in flat.notes), flat.notes
    result = invoke(
        "sensitivity", "tiny", "--output", "months_to_crisis.red", "-N", "64", "--no-progress"
    )
    assert result.exit_code == 0
    assert "ceasefire: warning: months_to_crisis.red does not vary" in result.stderr


def test_sobol_estimates_outside_0_1_are_clipped_and_kept_raw() -> None:
    from ceasefire.analysis._sensitivity import Factor, _sobol_notes

    factors = [Factor("a", ("a",), (np.asarray,)), Factor("b", ("b",), (np.asarray,))]
    indices = {
        "S1": np.array([1.022, 0.1]),
        "S1_conf": np.array([0.9, 0.1]),
        "ST": np.array([6.257, -0.2]),
        "ST_conf": np.array([3.0, 0.1]),
    }
    extra: dict[str, object] = {}
    notes = _sobol_notes(indices, factors, 64, extra)
    assert indices["ST"].tolist() == [1.0, 0.0] and indices["S1"][0] == 1.0
    assert extra["unclipped"] == {"a": {"S1": 1.022, "ST": 6.257}, "b": {"ST": -0.2}}
    assert any("outside [0, 1]" in n for n in notes) and any("N = 64" in n for n in notes)


# --- 11. the backtest verdict ---------------------------------------------------------------


def _record(crps: float, baseline: float, covered: int, rhat: float, ess: float) -> dict:
    months = 12
    observed = [100.0] * months
    inside = [(90.0, 110.0)] * covered + [(10.0, 20.0)] * (months - covered)
    return {
        "calibration": {"max_rhat": rhat, "min_ess_bulk": ess},
        "series": {
            "mediazona": {
                "crps": crps,
                "baseline_crps": baseline,
                "coverage_50": covered / months,
                "coverage_90": covered / months,
                "observed": observed,
                "quantiles": {"0.05": [lo for lo, _ in inside], "0.95": [hi for _, hi in inside]},
            }
        },
    }


def test_backtest_verdict_needs_convergence_and_coverage() -> None:
    """At R-hat 1.100, ESS 14 and 0% of months in the 50% interval it said 'the model is better'."""
    from ceasefire.cli._calibrate import _add_verdicts

    unconverged = _record(1.0, 2.0, 12, rhat=1.100, ess=14)
    _add_verdicts(unconverged, runs=2)
    assert "has not converged" in unconverged["calibration"]["convergence_warning"]
    assert unconverged["series"]["mediazona"]["verdict"].startswith("no verdict")
    missed = _record(1.0, 2.0, 0, rhat=1.001, ess=900)
    _add_verdicts(missed, runs=2)
    verdict = missed["series"]["mediazona"]["verdict"]
    assert verdict.startswith("no evidence of skill") and "12 above and 0 below" in verdict
    good = _record(1.0, 2.0, 11, rhat=1.001, ess=900)
    _add_verdicts(good, runs=2)
    assert good["series"]["mediazona"]["verdict"].startswith("the model is better")
    assert good["calibration"]["convergence_warning"] is None


# --- 12. numbers with their units at a precision that shows differences ----------------------


def test_numbers_keep_their_differences_and_never_go_scientific() -> None:
    """0.0135 and 0.0059 both printed 0.01; the parameter table printed 4.44348e+07 men."""
    from ceasefire.report._provenance import describe
    from ceasefire.scenario import Fixed

    assert format_values([0.0135, 0.0059]) == ["0.0135", "0.0059"]
    assert format_values([0.0021, 0.0030, 0.0045]) == ["0.00210", "0.00300", "0.00450"]
    fixed = Fixed(value=44_434_800, unit="men", assumption="test")
    assert describe(fixed) == "44,434,800 men"
    from ceasefire.dashboard._app import _numeral_format

    assert _numeral_format(100.0) == "0,0" and _numeral_format(0.001) == "0,0.000"


def test_report_tables_hold_no_raw_values(tmp_path: Path) -> None:
    """The claims and calibration tables leaked raw values.

    The claims table printed None, per_month and one sentence three times; calibration priors
    read "the scenario's (see the parameters section)".
    """
    from ceasefire.ensemble import simulate
    from ceasefire.report import build_report

    sentence = "Russia recruits 20,000 to 30,000 men a month and lost 500,000."
    claims = {
        "title": "test article",
        "claims": [
            {"sentence": sentence, "low": 20000.0, "high": 30000.0, "unit": "people",
             "counts": "recruits", "period": "per_month", "entity": "Russia"},
            {"sentence": sentence, "low": 5e5, "high": 5e5, "unit": "people",
             "counts": "killed", "period": "cumulative", "entity": None},
        ],
        "checks": [{"name": "c", "claims": [0, 1], "arithmetic": "a", "verdict": "v"}],
    }  # fmt: skip
    calibration = {"posterior": {"sides.red.desertion_rate": {"0.05": 0.0021, "0.5": 0.003,
                                                               "0.95": 0.0045}}}  # fmt: skip
    scenario = load_scenario("tiny")
    ensemble = simulate(scenario, draws=40, seed=0)
    page = build_report(ensemble, scenario=scenario, claims=claims, calibration=calibration)
    table = _section(page, "claims")
    assert "None" not in table and "per_month" not in table
    assert table.count(sentence) == 1 and "same sentence as #1" in table
    assert "#1, #2" in table
    prior = _section(page, "calibration")
    assert "see the parameters section" not in prior
    assert "0.00300" in prior and "0.00 (0.00 to 0.00)" not in prior


def test_morris_effects_carry_the_measure_s_unit() -> None:
    """The Morris table printed 443677.240 with no unit."""
    result = invoke("sensitivity", "tiny", "--output", "active.blue@12", "--method", "morris",
                    "-N", "4", "--no-progress")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "mu_star (men)" in result.output


# --- 13. charts that show the result ----------------------------------------------------------


def test_a_probability_axis_is_scaled_to_the_data() -> None:
    """Crisis probabilities of at most 3% were drawn on a 0–100% axis."""
    assert probability_axis_top(0.03) == 0.05
    assert probability_axis_top(0.0) == 0.01
    assert probability_axis_top(0.7) == 1.0
    from ceasefire.report._figures import crisis_figure

    months = np.arange(0.0, 37.0)
    svg = crisis_figure({"r": (months, np.linspace(0, 0.03, 37))}, {"r": "Red"})
    assert "scaled to the data" in svg


# --- 14. the headline table states its question ----------------------------------------------


def test_the_headline_table_states_its_question_and_sign_convention(tmp_path: Path) -> None:
    result = invoke("run", "-n", "30", "-o", str(tmp_path / "o"), "--no-progress")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Question: Over the 36 months from 2024-12-01")
    assert "Territory gained by the side, km² (negative: lost)" in result.output


# --- 15. the smaller points -------------------------------------------------------------------


def test_presets_lists_beliefs_and_deals() -> None:
    result = invoke("presets")
    assert "russia-official-recruitment" in result.output
    assert "current-line-neutrality" in result.output


def test_seeds_are_numbers_in_every_json(tmp_path: Path) -> None:
    """summary.json had the seed as a string, sensitivity.json as a number."""
    assert invoke("run", "tiny", "-n", "20", "-o", str(tmp_path / "o")).exit_code == 0
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["seed"] == 0 and isinstance(summary["seed"], int)
    ensemble = open_ensemble(tmp_path / "o" / "ensemble.nc")
    assert summarize(ensemble)["seed"] == 0


def test_validate_lists_every_problem(tmp_path: Path) -> None:
    """Validate lists them all; it stopped at '(and 3 more problems)'."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntitle: y\nfoo: 1\nbar: 2\n", encoding="utf-8")
    result = invoke("validate", str(bad))
    assert result.exit_code == 2
    assert "unknown key 'foo'" in result.stderr
    assert "bar (line 4): unknown key 'bar'" in result.stderr
    assert "sides: missing required field" in result.stderr


def test_the_deal_window_never_says_never_in_0_percent() -> None:
    """'it never opens in 0% of draws'."""
    result = invoke("bargain", "-n", "40")
    assert result.exit_code == 0, result.output
    assert "never opens in 0%" not in result.output


def test_a_poor_battle_fit_warns(tmp_path: Path) -> None:
    """A square-law fit with R² 0.106 reported no warning."""
    rng = np.random.default_rng(1)
    rows = ["day,a_forces,a_casualties,b_forces,b_casualties"]
    a, b = 10_000.0, 9_000.0
    for day in range(1, 21):
        loss_a, loss_b = rng.uniform(0, 400, 2)
        rows.append(f"{day},{a:.0f},{loss_a:.0f},{b:.0f},{loss_b:.0f}")
        a, b = a - loss_a, b - loss_b
    data = tmp_path / "noise.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = invoke("battles", "fit", str(data), "--law", "square", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["r_squared"] < 0.5
    assert any(w.startswith("poor fit: R²") for w in record["warnings"])


def test_a_claim_below_a_published_range_is_measured_against_all_of_it() -> None:
    """'27% below the published figures' compared with the lowest figure only."""
    from ceasefire.claims._checks import _compare

    verdict = _compare((100.0, 120.0), (150.0, 200.0), "X")
    assert verdict.startswith("lower: 20–50% below X")


def test_claims_are_numbered_from_one(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Russia recruits about 20,000 soldiers a month. Some 115,000 Russian troops have died.\n",
        encoding="utf-8",
    )
    result = invoke("claims", str(article), "--date", "2024-11-25")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│")]
    assert rows and rows[0].split("│")[1].strip() == "1"
