"""Seeds are arguments; results do not depend on how draws are chunked."""

import numpy as np
import pytest

from ceasefire.ensemble import BLOCK, simulate, uncertain_parameters
from ceasefire.ensemble._sampling import parameter_key
from ceasefire.scenario import load_scenario


def _same(a, b):
    assert list(a.data_vars) == list(b.data_vars)
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


@pytest.mark.parametrize("sampler", ["mc", "lhs"])
def test_results_are_bit_identical_for_any_chunk_size(sampler):
    scenario = load_scenario("tiny")
    draws = BLOCK + 300  # spans two seed blocks
    reference = simulate(scenario, draws=draws, seed=7, sampler=sampler, chunk_size=draws)
    for chunk in (333, 500, BLOCK, 4096):
        _same(reference, simulate(scenario, draws=draws, seed=7, sampler=sampler, chunk_size=chunk))


def test_one_draw_at_a_time_gives_the_same_draws():
    scenario = load_scenario("tiny")
    _same(
        simulate(scenario, draws=6, seed=2, chunk_size=6),
        simulate(scenario, draws=6, seed=2, chunk_size=1),
    )


def test_same_seed_same_result_other_seed_other_result():
    scenario = load_scenario("tiny")
    first = simulate(scenario, draws=200, seed=3)
    _same(first, simulate(scenario, draws=200, seed=3))
    other = simulate(scenario, draws=200, seed=4)
    assert not np.array_equal(first.active_final.values, other.active_final.values)


def test_seed_sequence_is_accepted():
    scenario = load_scenario("tiny")
    from_int = simulate(scenario, draws=50, seed=9)
    from_sequence = simulate(scenario, draws=50, seed=np.random.SeedSequence(9))
    _same(from_int, from_sequence)


def test_streams_come_from_the_seed_sequence_tree():
    """Parameter p in block b draws from the SeedSequence child with spawn key (b, key(p))."""
    scenario = load_scenario("tiny")
    params = uncertain_parameters(scenario)
    ds = simulate(scenario, draws=BLOCK + 10, seed=5, chunk_size=BLOCK + 10)
    for param in params[:3]:
        child = np.random.SeedSequence(5, spawn_key=(1, parameter_key(param.path)))
        # The same node as spawning from the block's child: spawn keys compose.
        block_child = np.random.SeedSequence(5).spawn(2)[1]
        assert child.spawn_key[:1] == block_child.spawn_key
        uniforms = np.random.default_rng(child).random(10)
        expected = param.param.ppf(uniforms)
        np.testing.assert_array_equal(ds[param.path].values[BLOCK:], expected)


def test_common_random_numbers_across_scenarios():
    """Fixing one parameter leaves every other parameter's draws unchanged."""
    base = simulate("tiny", draws=300, seed=8)
    fixed = simulate(
        load_scenario("tiny", overrides=["combat.lethality.red=0.06"]), draws=300, seed=8
    )
    assert "combat.lethality.red" not in fixed
    for name in ("combat.lethality.blue", "sides.red.killed_fraction"):
        np.testing.assert_array_equal(base[name].values, fixed[name].values)


def test_latin_hypercube_is_stratified():
    """Each uniform parameter has exactly one draw in each of n equal strata."""
    scenario = load_scenario("tiny")
    draws = 500
    ds = simulate(scenario, draws=draws, seed=1, sampler="lhs", save="summary")
    path = "combat.lethality.red"
    low, high = 0.05, 0.08
    strata = np.floor((ds[path].values - low) / (high - low) * draws).astype(int)
    assert sorted(strata.tolist()) == list(range(draws))


def test_sampled_parameters_are_recorded_with_provenance():
    ds = simulate(draws=20, seed=0)
    variable = ds["sides.russia.channels.contract.recruitment.0.value"]
    assert variable.dims == ("draw",)
    assert variable.attrs["distribution"] == "pert"
    assert variable.attrs["provenance"].startswith("source: article")
    assert float(variable.min()) >= 20000 and float(variable.max()) <= 40000
    assert ds.attrs["seed"] == "0"
    assert len(ds.attrs["scenario_sha256"]) == 64
    assert ds.attrs["ceasefire_version"]


def test_summary_mode_keeps_measures_only():
    ds = simulate("tiny", draws=100, save="summary")
    assert "active" not in ds and "time" not in ds.dims
    assert {"active_final", "months_to_crisis", "loss_to_recruitment"} <= set(ds.data_vars)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="draws"):
        simulate("tiny", draws=0)
    with pytest.raises(ValueError, match="sampler"):
        simulate("tiny", draws=5, sampler="halton")
    with pytest.raises(ValueError, match="save"):
        simulate("tiny", draws=5, save="everything")  # type: ignore[arg-type]


def test_given_values_replace_only_the_named_parameters() -> None:
    scenario = load_scenario("russia-ukraine-2024-11")
    path = uncertain_parameters(scenario)[0].path
    base = simulate(scenario, draws=64, seed=3, save="summary")
    column = np.linspace(float(base[path].min()), float(base[path].max()), 64)
    given = simulate(scenario, draws=64, seed=3, save="summary", values={path: column})
    np.testing.assert_array_equal(given[path].values, column)
    assert given[path].attrs["distribution"] == "given"
    others = [p.path for p in uncertain_parameters(scenario)[1:]]
    for other in others:
        np.testing.assert_array_equal(given[other].values, base[other].values)
    assert not np.array_equal(given["active_final"].values, base["active_final"].values)


def test_given_values_are_checked() -> None:
    with pytest.raises(ValueError, match="not an uncertain parameter"):
        simulate("tiny", draws=4, values={"no.such.path": np.ones(4)})
