"""Sobol designs, correlated parameters (Gaussian copula) and the range rule."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from ceasefire.ensemble import BLOCK, simulate, uncertain_parameters
from ceasefire.scenario import Range, load_scenario, scenario_from_dict
from ceasefire.scenario._load import ScenarioError
from tests.conftest import preset_data

PAIR = ["sides.russia.killed_fraction", "sides.ukraine.killed_fraction"]


def _with_correlations(groups: list[dict[str, Any]]) -> Any:
    data = preset_data("russia-ukraine-2024-11")
    data["correlations"] = groups
    return scenario_from_dict(data, where="<test>")


def test_sobol_is_reproducible_and_independent_of_chunks() -> None:
    one = simulate("tiny", draws=1500, seed=5, sampler="sobol", save="summary")
    many = simulate("tiny", draws=1500, seed=5, sampler="sobol", save="summary", chunk_size=333)
    for name in one.data_vars:
        np.testing.assert_array_equal(one[name].values, many[name].values)


def test_sobol_beats_monte_carlo_on_a_smooth_mean() -> None:
    """Randomised QMC: the error of a block's mean is far below Monte Carlo's."""
    scenario = load_scenario()
    uniform = [p for p in uncertain_parameters(scenario) if p.param.dist == "uniform"]
    errors: dict[str, list[float]] = {"mc": [], "sobol": []}
    for seed in range(4):
        for sampler, found in errors.items():
            ds = simulate(scenario, draws=BLOCK, seed=seed, sampler=sampler, save="summary")
            for param in uniform:
                lo, hi = param.param.support()
                found.append(abs(float(np.mean((ds[param.path].values - lo) / (hi - lo))) - 0.5))
    assert np.mean(errors["sobol"]) < np.mean(errors["mc"]) / 10


def test_sobol_marginals_follow_their_distributions() -> None:
    ds = simulate(draws=4 * BLOCK, seed=2, sampler="sobol", save="summary")
    checked = 0
    for param in uncertain_parameters(load_scenario()):
        if param.param.dist != "uniform":
            continue
        lo, hi = param.param.support()
        result = stats.kstest(ds[param.path].values, "uniform", args=(lo, hi - lo))
        assert result.pvalue > 0.01, param.path
        checked += 1
    assert checked > 20


def test_correlated_pair_gets_the_rank_correlation_and_keeps_its_marginals() -> None:
    scenario = _with_correlations([{"parameters": PAIR, "rank": 0.7, "assumption": "test"}])
    independent = simulate(_with_correlations([]), draws=10_000, seed=4, save="summary")
    correlated = simulate(scenario, draws=10_000, seed=4, save="summary")
    a, b = (correlated[p].values for p in PAIR)
    assert stats.spearmanr(a, b).statistic == pytest.approx(0.7, abs=0.02)
    # The first parameter keeps its draws bit for bit (common random numbers) ...
    np.testing.assert_array_equal(a, independent[PAIR[0]].values)
    # ... and the second keeps its distribution.
    assert stats.ks_2samp(b, independent[PAIR[1]].values, method="asymp").pvalue > 0.01
    assert stats.spearmanr(*(independent[p].values for p in PAIR)).statistic == pytest.approx(
        0.0, abs=0.03
    )


def test_the_default_correlates_the_two_sides_shares() -> None:
    ds = simulate(draws=8_000, seed=1, save="summary")
    for group in load_scenario().correlations:
        a, b = (ds[p].values for p in group.parameters)
        assert stats.spearmanr(a, b).statistic == pytest.approx(group.rank, abs=0.03)


def test_a_three_parameter_matrix() -> None:
    paths = [*PAIR, "sides.russia.wounded_return.fraction"]
    rank = [[1.0, 0.5, -0.3], [0.5, 1.0, 0.0], [-0.3, 0.0, 1.0]]
    scenario = _with_correlations([{"parameters": paths, "rank": rank, "assumption": "test"}])
    ds = simulate(scenario, draws=10_000, seed=9, sampler="lhs", save="summary")
    matrix = stats.spearmanr(np.stack([ds[p].values for p in paths], axis=1)).statistic
    np.testing.assert_allclose(matrix, rank, atol=0.03)


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ({"parameters": PAIR, "rank": 1.0, "assumption": "x"}, "strictly between"),
        ({"parameters": PAIR, "rank": 0.5}, "exactly one of"),
        ({"parameters": [PAIR[0], PAIR[0]], "rank": 0.5, "assumption": "x"}, "twice"),
        (
            {"parameters": [*PAIR, "sides.russia.desertion_rate"], "rank": 0.5, "assumption": "x"},
            "need a matrix",
        ),
        (
            {
                "parameters": [*PAIR, "sides.russia.desertion_rate"],
                "rank": [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]],
                "assumption": "x",
            },
            "positive definite",
        ),
        (
            {"parameters": [PAIR[0], "sides.russia.nope"], "rank": 0.5, "assumption": "x"},
            "not a parameter",
        ),
        (
            {"parameters": [PAIR[0], "front.initial"], "rank": 0.5, "assumption": "x"},
            "fixed number",
        ),
    ],
)
def test_bad_correlations_are_refused(group: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        _with_correlations([group])


def test_a_parameter_in_two_groups_is_refused() -> None:
    group = {"parameters": PAIR, "rank": 0.5, "assumption": "x"}
    with pytest.raises(ScenarioError, match="already in correlation group 0"):
        _with_correlations([group, group])


def test_the_range_rule_is_pert_at_the_midpoint_unless_told() -> None:
    claim = Range(dist="range", low=115_000, high=160_000, source="article")
    resolved = claim.resolved()
    assert resolved.dist == "pert"
    assert resolved.mode == pytest.approx(137_500)  # type: ignore[attr-defined]
    assert claim.ppf(np.array([0.5]))[0] == pytest.approx(137_500)
    skewed = Range(dist="range", low=20_000, high=40_000, mode=25_000, source="article")
    assert skewed.ppf(np.array([0.5]))[0] < 30_000
    flat = Range(dist="range", low=0.0, high=1.0, rule="uniform", assumption="x")
    np.testing.assert_allclose(flat.ppf(np.array([0.25, 0.75])), [0.25, 0.75])
    with pytest.raises(ValueError, match="takes no"):
        Range(dist="range", low=0.0, high=1.0, mode=0.5, rule="uniform", assumption="x")


def test_a_range_in_a_scenario_file() -> None:
    data = preset_data("russia-ukraine-2024-11")
    data["sides"]["russia"]["killed_fraction"] = {
        "dist": "range",
        "low": 0.187,
        "high": 0.242,
        "source": "article",
    }
    scenario = scenario_from_dict(data, where="<test>")
    ds = simulate(scenario, draws=4096, seed=0, save="summary")
    values = ds["sides.russia.killed_fraction"].values
    assert values.min() >= 0.187 and values.max() <= 0.242
    assert np.median(values) == pytest.approx((0.187 + 0.242) / 2, abs=0.002)
