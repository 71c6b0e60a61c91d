import json
import math

import numpy as np
import pytest
from scipy import stats

from ceasefire._errors import ScenarioError
from ceasefire.scenario import (
    DAYS_PER_MONTH,
    Fixed,
    Lognormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    iter_params,
    json_schema,
    load_scenario,
    preset_names,
    scenario_from_dict,
    scenario_hash,
)
from tests.conftest import duel, fixed, preset_data

U = np.linspace(0.0005, 0.9995, 201)


def test_presets_are_shipped_and_valid():
    assert {"russia-ukraine-2024-11", "tiny", "pysd-reference"} <= set(preset_names())
    for name in preset_names():
        scenario = load_scenario(name)
        assert scenario.name == name


def test_default_scenario_has_provenance_for_every_number():
    """Every parameter of the default carries a source or an assumption that says something."""
    scenario = load_scenario()
    assert scenario.name == "russia-ukraine-2024-11"
    params = list(iter_params(scenario))
    assert len(params) > 40
    for path, param in params:
        if param.source is None:
            assert param.assumption and len(param.assumption) > 10, path
    sourced = {p.source for _, p in params if isinstance(p.source, str)}
    assert sourced <= set(scenario.sources)
    # The article's figures are there, with their source.
    assert "article" in sourced and "uk_di_2024" in sourced


def test_default_scenario_uses_nothing_after_the_cutoff():
    scenario = load_scenario()
    assert scenario.information_cutoff is not None
    cutoff = scenario.information_cutoff.isoformat()
    for source in scenario.sources.values():
        assert source.date[: len(cutoff)] <= cutoff


def test_default_scenario_channels_match_the_article():
    scenario = load_scenario()
    russia = scenario.sides["russia"].channels
    assert {"contract", "mobilised", "prisoners", "north_korea"} <= set(russia)
    assert not russia["prisoners"].draws_on_pool
    assert not russia["north_korea"].draws_on_pool
    contract = russia["contract"].recruitment[0].value
    assert contract.support() == (20000, 40000)  # the contested 20-40k a month
    assert contract.unit == "per_month"
    killed = scenario.sides["russia"].killed_fraction
    # 115k/(115k+500k) and 160k/(160k+500k): the article's implied killed share.
    assert killed.support() == pytest.approx((115 / 615, 160 / 660), abs=5e-4)


def test_information_cutoff_rejects_later_sources():
    data = preset_data("tiny")
    data["information_cutoff"] = "2024-11-30"
    data["sources"] = {"later": {"title": "t", "publisher": "p", "date": "2025-01-01", "says": "s"}}
    data["front"]["initial"] = {"value": 1, "unit": "km2", "source": "later"}
    with pytest.raises(ScenarioError, match=r"sources\.later\.date.*after the information cutoff"):
        scenario_from_dict(data)


@pytest.mark.parametrize(
    ("param", "reference"),
    [
        (Uniform(dist="uniform", low=2, high=5, assumption="a"), stats.uniform(2, 3)),
        (
            Triangular(dist="triangular", low=1, mode=2, high=5, assumption="a"),
            stats.triang(0.25, loc=1, scale=4),
        ),
        (
            Pert(dist="pert", low=1, mode=2, high=5, assumption="a"),
            stats.beta(1 + 4 * 1 / 4, 1 + 4 * 3 / 4, loc=1, scale=4),
        ),
        (Normal(dist="normal", mean=3, sd=2, assumption="a"), stats.norm(3, 2)),
        (
            Lognormal(dist="lognormal", median=3, sigma=0.4, assumption="a"),
            stats.lognorm(0.4, scale=3),
        ),
    ],
)
def test_quantile_functions_match_scipy(param, reference):
    np.testing.assert_allclose(param.ppf(U), reference.ppf(U), rtol=1e-10, atol=1e-12)


def test_truncated_normal_matches_scipy():
    param = Normal(dist="normal", mean=0.25, sd=0.1, low=0.0, high=0.3, assumption="a")
    reference = stats.truncnorm(-2.5, 0.5, loc=0.25, scale=0.1)
    np.testing.assert_allclose(param.ppf(U), reference.ppf(U), rtol=1e-9)
    assert param.support() == (0.0, 0.3)


def test_fixed_parameter():
    param = Fixed(value=4.5, source="x")
    assert param.is_fixed and param.central() == 4.5
    assert np.all(param.ppf(U) == 4.5)


def test_provenance_is_required_and_exclusive():
    with pytest.raises(ValueError, match="exactly one of"):
        Fixed(value=1)
    with pytest.raises(ValueError, match="exactly one of"):
        Fixed(value=1, source="x", assumption="y")


def test_units_are_converted_to_days():
    """30.4375 men a month is one man a day; a month is 30.4375 days (DESIGN.md)."""
    assert DAYS_PER_MONTH == 30.4375
    data = preset_data("tiny")
    scenario = scenario_from_dict(data)
    assert scenario.time.horizon.days == pytest.approx(12 * 30.4375)


def test_set_overrides_a_parameter_and_labels_it():
    scenario = load_scenario("tiny", overrides=["sides.red.killed_fraction=0.25"])
    param = scenario.sides["red"].killed_fraction
    assert param.is_fixed and param.central() == 0.25
    assert "--set sides.red.killed_fraction=0.25" in (param.assumption or "")


def test_set_can_make_a_field_a_distribution():
    scenario = load_scenario(
        "pysd-reference",
        overrides=[
            "combat.lethality.a="
            "{dist: uniform, low: 0.03, high: 0.07, unit: per_month, assumption: b}"
        ],
    )
    assert scenario.combat.lethality["a"].support() == (0.03, 0.07)


def test_set_keeps_the_unit_of_a_parameter():
    scenario = load_scenario("tiny", overrides=["combat.lethality.red=0.2"])
    assert scenario.combat.lethality["red"].unit == "per_month"


def test_hash_ignores_layout_but_not_content():
    data = preset_data("tiny")
    first = scenario_hash(scenario_from_dict(data))
    assert scenario_hash(load_scenario("tiny")) == first
    data["sides"]["red"]["desertion_rate"]["value"] = 0.003
    assert scenario_hash(scenario_from_dict(data)) != first


def test_toml_scenario_written_by_hand(tmp_path):
    path = tmp_path / "duel.toml"
    lines = [
        'name = "duel"',
        'title = "a duel"',
        "[time]",
        "start = 2000-01-01",
        'horizon = { value = 1, unit = "months" }',
        "[sides.a]",
        'name = "A"',
        'killed_fraction = { value = 1, assumption = "test" }',
        'desertion_rate = { value = 0, unit = "per_month", assumption = "test" }',
        'wounded_return.fraction = { value = 0, assumption = "t" }',
        'wounded_return.delay = { value = 1, unit = "months", assumption = "t" }',
        "[sides.a.channels.line]",
        "draws_on_pool = false",
        'effectiveness = { value = 1, assumption = "t" }',
        'exposure = { value = 1, assumption = "t" }',
        'initial_active = { value = 100, unit = "men", assumption = "t" }',
        "[sides.b]",
        'name = "B"',
        'killed_fraction = { value = 1, assumption = "test" }',
        'desertion_rate = { value = 0, unit = "per_month", assumption = "test" }',
        'wounded_return.fraction = { value = 0, assumption = "t" }',
        'wounded_return.delay = { value = 1, unit = "months", assumption = "t" }',
        "[sides.b.channels.line]",
        "draws_on_pool = false",
        'effectiveness = { value = 1, assumption = "t" }',
        'exposure = { value = 1, assumption = "t" }',
        'initial_active = { value = 90, unit = "men", assumption = "t" }',
        "[combat]",
        'law = "square"',
        'lethality.a = { value = 0.1, unit = "per_month", assumption = "t" }',
        'lethality.b = { value = 0.1, unit = "per_month", assumption = "t" }',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.side_ids == ("a", "b")
    assert scenario.time.step.days == 1.0


def test_json_schema_describes_the_scenario():
    schema = json_schema()
    assert schema["title"] == "Scenario"
    assert {"time", "sides", "combat"} <= set(schema["required"])
    json.dumps(schema)


def test_combat_law_must_name_both_sides():
    data = duel()
    del data["combat"]["lethality"]["b"]
    with pytest.raises(ScenarioError, match=r"combat\.lethality: expected one entry per side"):
        scenario_from_dict(data)


def test_channel_that_draws_on_a_missing_pool_is_an_error():
    data = duel()
    data["sides"]["a"]["channels"]["line"]["draws_on_pool"] = True
    with pytest.raises(ScenarioError, match="has no `pool:`"):
        scenario_from_dict(data)


def test_recruiting_channel_needs_a_training_delay():
    data = duel()
    data["sides"]["a"]["channels"]["line"]["recruitment"] = [{"value": fixed(10, "per_day")}]
    with pytest.raises(ScenarioError, match="training_delay"):
        scenario_from_dict(data)


def test_horizon_is_bounded():
    data = duel(months=12 * 1000)
    with pytest.raises(ScenarioError, match="beyond 200"):
        scenario_from_dict(data)
    assert math.isfinite(scenario_from_dict(duel(months=12)).time.horizon.days)
