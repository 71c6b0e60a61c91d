"""Scenario discovery: the outcome language, PRIM, CART, bootstrap intervals and the command.

PRIM's toy examples follow the test shapes of Lempert, Bryant & Bankes (2008), "Comparing
algorithms for scenario discovery" (RAND WR-557-NSF): points spread uniformly over the unit
cube, cases of interest inside a known rectangular box that restricts some of the inputs,
with further inputs that do not matter; the algorithm must give back the box's bounds.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from ceasefire._errors import InputError
from ceasefire.analysis.discover import (
    Box,
    Settings,
    box_overlap,
    box_stats,
    choose_box,
    data_limits,
    discover,
    parse_outcome,
    paste,
    peel,
    quasi_p_values,
)
from ceasefire.cli import app
from tests.conftest import require_module


def _toy(
    n: int,
    dims: int,
    box: dict[int, tuple[float, float]],
    *,
    inside: float = 1.0,
    outside: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points in the unit cube; the outcome holds with ``inside``/``outside`` chance."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, dims))
    in_box = np.ones(n, dtype=bool)
    for dim, (low, high) in box.items():
        in_box &= (x[:, dim] >= low) & (x[:, dim] <= high)
    y = np.where(in_box, rng.uniform(size=n) < inside, rng.uniform(size=n) < outside)
    return x, y


def _dataset(x: np.ndarray, y: np.ndarray) -> xr.Dataset:
    """An ensemble-shaped dataset: parameters as ``(draw,)`` variables, the outcome a measure."""
    data = {f"p.x{j}": ("draw", x[:, j], {"units": "1"}) for j in range(x.shape[1])}
    data["signal"] = ("draw", y.astype(float))
    return xr.Dataset(data, coords={"draw": np.arange(len(y))}, attrs={"scenario": "toy"})


def _resolve(y: np.ndarray) -> Any:
    return lambda name: y.astype(float)


# --- the outcome language ------------------------------------------------------------------


def _values() -> dict[str, np.ndarray]:
    return {
        "months_to_crisis.russia": np.array([3.0, 24.0, np.nan, 40.0]),
        "territory_change.russia": np.array([6000.0, -100.0, 5001.0, 0.0]),
        "deal.credible@12": np.array([True, False, True, False]),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("months_to_crisis.russia <= 24", [True, True, False, False]),
        ("not (months_to_crisis.russia <= 24)", [False, False, True, True]),
        ("territory_change.russia > 5000", [True, False, True, False]),
        ("territory_change.russia > 5_000 and months_to_crisis.russia < 10", [1, 0, 0, 0]),
        ("12 < months_to_crisis.russia <= 40", [False, True, False, True]),
        ("months_to_crisis.russia <= 24 or territory_change.russia > -1e2", [1, 1, 1, 1]),
        ("deal.credible@12", [True, False, True, False]),
        ("not deal.credible@12 and territory_change.russia >= 0", [0, 0, 0, 1]),
        ("territory_change.russia != 0 and not not deal.credible@12", [1, 0, 1, 0]),
    ],
)
def test_outcome_language(text: str, expected: list[int]) -> None:
    """Comparisons, chains, and/or/not; a missing value (NaN) makes a comparison false."""
    values = _values()
    result = parse_outcome(text).evaluate(values.__getitem__)
    assert result.dtype == np.bool_
    assert result.tolist() == [bool(v) for v in expected]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("months_to_crisis.russia <=", "got the end at column 27"),
        ("months_to_crisis.russia + 1 > 2", "unexpected '+' at column 25"),
        ("__import__('os').system('true')", 'unexpected "\'" at column 12'),
        ("(months_to_crisis.russia < 3", "expected ')'"),
        ("months_to_crisis.russia < 3)", "unexpected ')'"),
        ("24", "a number alone is not a condition"),
        ("3 < 4", "compares numbers only"),
        ("months_to_crisis.russia < 3 AND deal.credible@12", "lower case"),
        ("months_to_crisis.russia", "is a number, not a yes/no measure"),
        ("deal.credible@12 > 0", "is a yes/no measure"),
        ("months_to_crisis.russia < 3 months", "unexpected 'months'"),
    ],
)
def test_outcome_language_refuses(text: str, message: str) -> None:
    """Anything but measures, numbers, comparisons and and/or/not is one clear error."""
    with pytest.raises(InputError, match="--outcome") as raised:
        parse_outcome(text).evaluate(_values().__getitem__)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_outcome_reads_measures_through_the_resolver() -> None:
    """A new measure plugs in through the resolver: the language does not know names."""
    asked: list[str] = []

    def resolve(name: str) -> np.ndarray:
        asked.append(name)
        return np.array([True, False])

    outcome = parse_outcome("deal.credible@12 or deal.credible@24")
    assert outcome.measures == ("deal.credible@12", "deal.credible@24")
    assert outcome.evaluate(resolve).tolist() == [True, False]
    assert asked == ["deal.credible@12", "deal.credible@24"]


# --- PRIM on toy examples -------------------------------------------------------------------


@pytest.mark.parametrize(("dims", "n"), [(3, 1000), (10, 2000)])
def test_prim_recovers_a_known_box(dims: int, n: int) -> None:
    """A box restricting 2 of the inputs, cases exactly the points inside it (Lempert et al.).

    Peeling, the balance rule and pasting give back the bounds to within the spacing of the
    points near them (a few hundredths at these sizes) and restrict nothing else.
    """
    truth = {0: (0.2, 0.6), 1: (0.5, 1.0)}
    x, y = _toy(n, dims, truth)
    trajectory = peel(x, y, alpha=0.05, mass_min=0.02)
    chosen = choose_box(trajectory)
    box = paste(x, y, trajectory.boxes[chosen])
    limits = data_limits(x)
    assert box.restricted(limits) == [0, 1]
    assert box.lower[0] == pytest.approx(0.2, abs=0.03)
    assert box.upper[0] == pytest.approx(0.6, abs=0.03)
    assert box.lower[1] == pytest.approx(0.5, abs=0.03)
    stats = box_stats(x, y, box)
    assert stats.coverage > 0.9
    assert stats.density > 0.9


def test_peeling_trajectory_trades_coverage_for_density() -> None:
    """Along the trajectory coverage never rises, mass falls by about alpha a step."""
    x, y = _toy(4000, 5, {0: (0.0, 0.3), 2: (0.6, 1.0)}, inside=0.7, outside=0.05, seed=3)
    trajectory = peel(x, y, alpha=0.05, mass_min=0.05)
    assert trajectory.coverage[0] == 1.0
    assert trajectory.mass[0] == 1.0
    assert np.all(np.diff(trajectory.coverage) <= 1e-12)
    assert np.all(np.diff(trajectory.mass) < 0)
    steps = trajectory.mass[1:] / trajectory.mass[:-1]
    assert np.allclose(steps, 0.95, atol=0.005)
    assert trajectory.mass[-1] >= 0.05
    assert trajectory.density[-1] > 3 * trajectory.density[0]


def test_first_peel_by_hand() -> None:
    """Ten points on a line, cases at the top: the first peel removes the lowest ``alpha`` slice.

    With ``alpha = 0.1`` one of ten points goes; removing the lowest non-case point raises the
    density from 3/10 to 3/9, removing the highest (a case) lowers it to 2/9.
    """
    x = np.arange(10, dtype=float)[:, None]
    y = x[:, 0] >= 7
    trajectory = peel(x, y, alpha=0.1, mass_min=0.3)
    assert trajectory.boxes[1].lower[0] == 1.0
    assert trajectory.density[1] == pytest.approx(3 / 9)
    # It peels from below until only the three cases and no more than mass_min remain.
    assert trajectory.boxes[-1].lower[0] == 7.0
    assert trajectory.density[-1] == 1.0


@pytest.mark.parametrize(("n", "dims"), [(5000, 3), (20_000, 12)])
def test_compiled_peel_gives_the_same_trajectory(n: int, dims: int) -> None:
    """The Numba loop and the NumPy loop take the same steps, ties included."""
    require_module("numba")
    x, y = _toy(n, dims, {0: (0.0, 0.3), 1: (0.4, 1.0)}, inside=0.6, outside=0.03, seed=n)
    x[:, 2] = np.round(x[:, 2], 1)  # ties: a bound may not split equal values
    compiled = peel(x, y, alpha=0.05, mass_min=0.01, compiled=True)
    plain = peel(x, y, alpha=0.05, mass_min=0.01, compiled=False)
    assert len(compiled.boxes) == len(plain.boxes) > 20
    for a, b in zip(compiled.boxes, plain.boxes, strict=True):
        assert np.array_equal(a.lower, b.lower)
        assert np.array_equal(a.upper, b.upper)
    assert np.array_equal(compiled.density, plain.density)
    assert np.array_equal(compiled.coverage, plain.coverage)


def test_pasting_widens_an_over_peeled_box() -> None:
    """A box cut inside the true one grows back to it, to within one paste step.

    Each paste adds ``alpha`` of the box's draws (about 0.025 of the input here); the step
    that would cross 0.5 would add non-cases, so pasting stops just short of it.
    """
    x, y = _toy(3000, 2, {0: (0.0, 0.5)}, seed=4)
    narrow = Box(np.array([x[:, 0].min(), x[:, 1].min()]), np.array([0.3, x[:, 1].max()]))
    widened = paste(x, y, narrow, alpha=0.05)
    assert 0.47 <= widened.upper[0] <= 0.5
    assert box_stats(x, y, widened).density == 1.0


def test_quasi_p_values_tell_what_matters() -> None:
    """A restriction on an input that matters has a tiny quasi-p; one that does not, a large one."""
    x, y = _toy(4000, 3, {0: (0.0, 0.4)}, inside=0.6, outside=0.05, seed=5)
    limits = data_limits(x)
    box = Box(limits.lower.copy(), limits.upper.copy())
    box.upper[0], box.upper[2] = 0.4, 0.9  # input 2 does not matter
    p_values = quasi_p_values(x, y, box, limits)
    assert set(p_values) == {0, 2}
    assert p_values[0] < 1e-20
    assert p_values[2] > 0.05


def test_choose_box_rules() -> None:
    """Density and coverage targets pick the stated box; an unreachable target picks none."""
    x, y = _toy(4000, 4, {0: (0.0, 0.3)}, inside=0.5, outside=0.05, seed=6)
    trajectory = peel(x, y, mass_min=0.05)
    picked = choose_box(trajectory, "density", 0.4)
    assert trajectory.density[picked] >= 0.4
    reaching = trajectory.density >= 0.4
    assert trajectory.coverage[picked] == pytest.approx(np.max(trajectory.coverage[reaching]))
    picked = choose_box(trajectory, "coverage", 0.8)
    assert trajectory.coverage[picked] >= 0.8
    assert choose_box(trajectory, "density", 0.99) == -1


# --- discovery on data sets -----------------------------------------------------------------


def test_discover_reports_the_issue_layout() -> None:
    """The JSON layout: outcome, draws, base rate and boxes with found and held-out numbers."""
    x, y = _toy(6000, 6, {1: (0.0, 0.35), 4: (0.55, 1.0)}, inside=0.7, outside=0.02, seed=7)
    result = discover(
        _dataset(x, y),
        "signal > 0.5",
        settings=Settings(bootstrap=20, seed=1),
        resolve=_resolve(y),
    )
    json.dumps(result)  # JSON-ready
    assert result["outcome"] == "signal > 0.5"
    assert result["draws"] == 6000
    assert result["base_rate"] == pytest.approx(y.mean())
    first = result["boxes"][0]
    assert {"coverage", "density", "mass", "restrictions", "trajectory"} <= set(first)
    for key in ("coverage", "density", "mass"):
        assert set(first[key]) == {"found", "held_out"}
    assert first["density"]["held_out"] > 0.5
    paths = {row["parameter"]: row for row in first["restrictions"]}
    assert set(paths) == {"p.x1", "p.x4"}
    assert paths["p.x1"]["lower"] is None
    assert paths["p.x1"]["upper"] == pytest.approx(0.35, abs=0.03)
    assert paths["p.x4"]["upper"] is None
    low, high = paths["p.x4"]["lower_ci95"]
    assert low <= paths["p.x4"]["lower"] <= high
    assert paths["p.x1"]["quasi_p"] < 1e-10
    assert "p x1 is below 0.3" in result["summary"]
    trajectory = first["trajectory"]
    assert len(trajectory["coverage"]) == len(trajectory["density"]) > 5
    assert 0 < trajectory["chosen"] < len(trajectory["coverage"])


@pytest.mark.slow
def test_bootstrap_intervals_cover_the_true_thresholds() -> None:
    """In repeated synthetic cases the 95% bootstrap intervals hold the true thresholds.

    The cases are noisy (the outcome holds in 80% of the box and 5% outside), so each case
    gives different bounds. Reported: the share of 2 × 24 intervals that hold the truth.
    PRIM's bounds sit on the grid of its alpha peels, so coverage a little under 95% is
    expected; below 80% the intervals would be misleading.
    """
    held, widths = [], []
    for case in range(24):
        x, y = _toy(2500, 3, {0: (0.0, 0.4), 1: (0.5, 1.0)}, inside=0.8, outside=0.05, seed=case)
        result = discover(
            _dataset(x, y),
            "signal > 0.5",
            settings=Settings(bootstrap=40, seed=case, max_boxes=1, holdout=0.2),
            resolve=_resolve(y),
        )
        rows = {row["parameter"]: row for row in result["boxes"][0]["restrictions"]}
        for path, side, truth in (("p.x0", "upper", 0.4), ("p.x1", "lower", 0.5)):
            interval = rows[path][f"{side}_ci95"] if path in rows else None
            held.append(interval is not None and interval[0] <= truth <= interval[1])
            if interval is not None:
                widths.append(interval[1] - interval[0])
    share = float(np.mean(held))
    width = float(np.median(widths))
    print(
        f"bootstrap 95% intervals holding the true threshold: {share:.0%} of {len(held)}; "
        f"median width {width:.3f} of the inputs' unit range"
    )
    assert share >= 0.8
    # Not by being uninformative: an interval is a small part of the range.
    assert width < 0.15


def test_cart_reports_rules_for_a_known_box() -> None:
    """The tree's densest leaf is the box, read back as bounds."""
    require_module("sklearn")
    x, y = _toy(4000, 4, {0: (0.0, 0.3), 2: (0.6, 1.0)}, seed=8)
    result = discover(
        _dataset(x, y), "signal > 0.5", settings=Settings(method="cart"), resolve=_resolve(y)
    )
    first = result["boxes"][0]
    rows = {row["parameter"]: row for row in first["restrictions"]}
    assert set(rows) == {"p.x0", "p.x2"}
    assert rows["p.x0"]["upper"] == pytest.approx(0.3, abs=0.02)
    assert rows["p.x2"]["lower"] == pytest.approx(0.6, abs=0.02)
    assert first["density"]["held_out"] > 0.95
    assert first["trajectory"] is None
    assert rows["p.x0"]["upper_ci95"] is None


@pytest.mark.parametrize(
    ("signal", "message"),
    [
        (np.zeros(500), "never holds (0 of 500 draws)"),
        (np.ones(500), "always holds (500 of 500 draws)"),
        (np.r_[np.ones(4), np.zeros(496)], "holds in only 4 of 500 draws (0.80%)"),
    ],
)
def test_outcomes_that_leave_nothing_to_find(signal: np.ndarray, message: str) -> None:
    x, _ = _toy(500, 3, {0: (0.0, 0.5)})
    with pytest.raises(InputError, match="--outcome") as raised:
        discover(_dataset(x, signal > 0), "signal > 0.5", resolve=_resolve(signal))
    assert message in str(raised.value)


def test_unreachable_density_names_the_option() -> None:
    x, y = _toy(3000, 3, {0: (0.0, 0.3)}, inside=0.5, outside=0.05)
    with pytest.raises(InputError, match="--density: no box on the peeling trajectory reaches"):
        discover(
            _dataset(x, y),
            "signal > 0.5",
            settings=Settings(rule="density", target=0.99, bootstrap=0),
            resolve=_resolve(y),
        )


def test_box_overlap() -> None:
    x = np.random.default_rng(0).uniform(size=(10_000, 2))
    a = Box(np.array([0.0, 0.0]), np.array([0.5, 1.0]))
    b = Box(np.array([0.25, 0.0]), np.array([0.75, 1.0]))
    assert box_overlap(a, a, x) == 1.0
    assert box_overlap(a, b, x) == pytest.approx(1 / 3, abs=0.02)


# --- the default scenario and the command ----------------------------------------------------


@pytest.mark.slow
def test_discovery_on_the_default_is_stable_across_seeds() -> None:
    """The default compared with itself: two seeds, the same outcome, overlapping boxes.

    The overlap (draws in both first boxes over draws in either, on a third ensemble) is
    printed; it must be well above what unrelated boxes of that size share.
    """
    from ceasefire.ensemble import simulate

    outcome = "months_to_crisis.russia <= 36"
    results, ensembles = [], []
    for seed in (1, 2):
        ensemble = simulate("russia-ukraine-2024-11", draws=20_000, seed=seed, save="summary")
        ensembles.append(ensemble)
        results.append(discover(ensemble, outcome, settings=Settings(bootstrap=0, seed=seed)))
    check = simulate("russia-ukraine-2024-11", draws=20_000, seed=3, save="summary")
    from ceasefire.analysis.discover import parameter_matrix

    paths, _, x = parameter_matrix(check)
    boxes = []
    for result in results:
        lower, upper = x.min(axis=0), x.max(axis=0)
        for row in result["boxes"][0]["restrictions"]:
            j = paths.index(row["parameter"])
            lower[j] = row["lower"] if row["lower"] is not None else lower[j]
            upper[j] = row["upper"] if row["upper"] is not None else upper[j]
        boxes.append(Box(lower, upper))
    overlap = box_overlap(boxes[0], boxes[1], x)
    shared = {r["parameter"] for r in results[0]["boxes"][0]["restrictions"]} & {
        r["parameter"] for r in results[1]["boxes"][0]["restrictions"]
    }
    print(
        f"first boxes of seeds 1 and 2: overlap {overlap:.2f}, shared parameters "
        f"{sorted(shared)}; densities {[r['boxes'][0]['density'] for r in results]}"
    )
    assert overlap > 0.4
    assert shared, "the two seeds' first boxes restrict no parameter in common"


def test_discover_command_json(tmp_path: Any) -> None:
    """`ceasefire discover --json` on the tiny preset, saved and printed alike."""
    target = tmp_path / "discovery.json"
    result = CliRunner().invoke(
        app,
        [
            "discover",
            "tiny",
            "--outcome",
            "months_to_crisis.blue <= 8",
            "--draws",
            "3000",
            "--bootstrap",
            "5",
            "--no-progress",
            "--json",
            "--save",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == json.loads(target.read_text(encoding="utf-8"))
    assert printed["outcome"] == "months_to_crisis.blue <= 8"
    assert printed["draws"] == 3000
    assert 0 < printed["base_rate"] < 1
    assert printed["boxes"]
    assert printed["summary"].startswith("A manpower crisis for ")


def test_discover_command_words_first() -> None:
    result = CliRunner().invoke(
        app,
        [
            "discover",
            "tiny",
            "--outcome",
            "months_to_crisis.blue <= 8",
            "--draws",
            "2000",
            "--bootstrap",
            "0",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("A manpower crisis for ")
    assert "Box 1: coverage" in result.stdout


# --- the report section -----------------------------------------------------------------------


def test_report_section_shows_the_summary_the_boxes_and_two_figures(tmp_path: Any) -> None:
    """`ceasefire report` reads discovery.json beside the ensemble into its own section."""
    import re

    folder = tmp_path / "run"
    runner = CliRunner()
    done = runner.invoke(
        app, ["run", "tiny", "--draws", "2000", "--no-progress", "-o", str(folder)]
    )
    assert done.exit_code == 0, done.output
    done = runner.invoke(
        app,
        [
            "discover",
            str(folder / "ensemble.nc"),
            "--outcome",
            "months_to_crisis.blue <= 8",
            "--bootstrap",
            "5",
            "--save",
            str(folder / "discovery.json"),
        ],
    )
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["report", str(folder / "ensemble.nc"), "--window-draws", "0"])
    assert done.exit_code == 0, done.output
    page = (folder / "report.html").read_text(encoding="utf-8")
    match = re.search(r'<section id="discovery".*?</section>', page, flags=re.S)
    assert match is not None
    section = match.group()
    assert 'data-available="true"' in section
    saved = json.loads((folder / "discovery.json").read_text(encoding="utf-8"))
    assert saved["summary"].split(".")[0] in section
    assert section.count("<svg") == 2
    assert "Peeling trajectory for" in section
    assert "95% bootstrap interval" in section
    assert "months_to_crisis.blue &lt;= 8" in section


def test_report_section_says_when_discovery_is_missing() -> None:
    from ceasefire.ensemble import simulate
    from ceasefire.report import build_report

    page = build_report(simulate("tiny", draws=50, seed=0, save="summary"))
    assert "no scenario discovery was given" in page


# --- the dashboard panel ----------------------------------------------------------------------


def _panel() -> Any:
    require_module("panel")
    from ceasefire.dashboard._discover import DiscoveryPanel
    from ceasefire.scenario import load_scenario

    tiny = load_scenario("tiny")
    return DiscoveryPanel(lambda: tiny, lambda change: change(), tiny)


def test_dashboard_panel_shows_the_box_for_the_picked_outcome() -> None:
    import asyncio

    panel = _panel()
    assert "Blue: manpower crisis within … months" in panel.choices
    panel.pick.value = "Blue: manpower crisis within … months"
    panel.threshold.value = 8
    panel.draws.value = 3000
    assert panel.outcome() == "months_to_crisis.blue <= 8"
    asyncio.run(panel.update())
    assert "A manpower crisis for Blue within 8 months holds in" in panel.text.object
    assert "quasi-p" in panel.text.object
    assert len(panel.points.data["x"]) > 100
    assert len(panel.box.data["left"]) == 1
    assert panel.plot.xaxis.axis_label


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"threshold": float("nan")}, "threshold: expected a finite number"),
        ({"threshold": -5.0}, "never holds"),
        ({"draws": 10}, "discovery draws"),
    ],
)
def test_dashboard_panel_refuses_bad_values(change: dict[str, Any], message: str) -> None:
    import asyncio

    panel = _panel()
    panel.pick.value = "Blue: manpower crisis within … months"
    panel.draws.value = 1000
    for name, value in change.items():
        getattr(panel, name).value = value
    asyncio.run(panel.update())
    assert "Refused" in panel.text.object
    assert message in panel.text.object
    assert panel.points.data["x"] == []


def test_discover_command_cart_prints_rules() -> None:
    require_module("sklearn")
    result = CliRunner().invoke(
        app,
        [
            "discover",
            "tiny",
            "--outcome",
            "months_to_crisis.blue <= 8",
            "--method",
            "cart",
            "--draws",
            "2000",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Rule 1: if " in result.stdout
    assert ", then it holds in " in result.stdout


def test_report_section_warns_about_a_discovery_of_another_scenario() -> None:
    from ceasefire.ensemble import simulate
    from ceasefire.report import build_report

    ensemble = simulate("tiny", draws=50, seed=0, save="summary")
    stale = {"scenario_sha256": "0" * 64, "outcome": "x > 1", "summary": "…", "boxes": []}
    page = build_report(ensemble, discovery=stale)
    assert "This discovery was made from another scenario" in page


def test_shares_and_bootstrap_bounds_are_written_once_for_the_cli_and_the_report() -> None:
    """One writer for both: shares with a decimal below 10%, bounds in either punctuation."""
    from ceasefire.analysis.discover import format_bounds, format_share

    assert [format_share(v) for v in (None, 0.0431, 0.1, 0.862)] == ["–", "4.3%", "10%", "86%"]
    row = {"lower_ci95": [0.41, 0.45], "upper_ci95": None}
    assert format_bounds(row) == "lower 0.41–0.45"
    assert format_bounds(row, ": ", " to ") == "lower: 0.41 to 0.45"
    both = {"lower_ci95": [1.0, 2.0], "upper_ci95": [3.0, 4.0]}
    assert format_bounds(both) == "lower 1–2; upper 3–4"
    assert format_bounds({"lower_ci95": None, "upper_ci95": None}) == "–"
