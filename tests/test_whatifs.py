"""What-if overlays: shipped, sourced or labelled, composable, and they move the model."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire._errors import InputError
from ceasefire.cli import app
from ceasefire.ensemble import simulate
from ceasefire.scenario import (
    iter_params,
    load_scenario,
    load_whatif,
    scenario_hash,
    whatif_names,
)

EXPECTED = {
    "belarus-joins",
    "bonus-cut",
    "draft-evasion-high",
    "mobilisation-wave",
    "north-korea-surge",
}


def _body(scenario: object) -> dict[str, object]:
    data = scenario.model_dump(mode="json")  # type: ignore[attr-defined]
    # The name and the title record the what-ifs in the order they were applied.
    data.pop("name")
    data.pop("title")
    return data


def test_the_issue_s_what_ifs_are_shipped() -> None:
    assert set(whatif_names()) >= EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_what_if_changes_the_default_and_labels_every_new_number(name: str) -> None:
    base = load_scenario()
    varied = load_scenario(whatifs=[name])
    assert varied.name == f"{base.name}.{name}"
    assert _body(varied) != _body(base)
    overlay = load_whatif(name)
    assert overlay.description
    touched = [o.partition("=")[0] for o in overlay.overrides]
    for path, param in iter_params(varied):
        dotted = ".".join(str(p) for p in path)
        if any(dotted.startswith(t) for t in touched):
            assert param.source is not None or param.assumption, dotted


def test_disjoint_what_ifs_compose_in_any_order() -> None:
    names = sorted(EXPECTED)
    reference = _body(load_scenario(whatifs=names))
    for order in itertools.islice(itertools.permutations(names), 0, None, 17):
        assert _body(load_scenario(whatifs=list(order))) == reference
    for a, b in itertools.combinations(names, 2):
        assert _body(load_scenario(whatifs=[a, b])) == _body(load_scenario(whatifs=[b, a]))


def test_later_overrides_win_over_what_ifs() -> None:
    scenario = load_scenario(
        whatifs=["bonus-cut"],
        overrides=["sides.russia.channels.contract.incentive.bonus.1.value=300000"],
    )
    bonus = scenario.sides["russia"].channels["contract"].incentive
    assert bonus is not None
    assert bonus.bonus[1].value.support() == (300000.0, 300000.0)


def test_a_what_if_file_with_a_bad_path_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\noverrides:\n  sides.russia.chanels.contract.exposure: 2\n")
    with pytest.raises(InputError) as caught:
        load_scenario(whatifs=[bad])
    message = str(caught.value)
    assert str(bad) in message
    assert "did you mean 'channels'" in message


def test_an_unknown_what_if_lists_the_shipped_ones() -> None:
    with pytest.raises(InputError, match="no shipped what-if of that name; shipped: belarus"):
        load_scenario(whatifs=["belarus-joined"])


def _mean(ds: object, name: str, side: str) -> float:
    return float(ds[name].sel(side=side).mean())  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "measure", "sign"),
    [
        ("mobilisation-wave", "recruits_per_month", +1),
        ("north-korea-surge", "recruits_per_month", +1),
        ("belarus-joins", "recruits_per_month", +1),
        ("bonus-cut", "recruits_per_month", -1),
        ("draft-evasion-high", "recruits_per_month", -1),
    ],
)
def test_what_ifs_move_russian_recruitment_the_way_they_say(
    name: str, measure: str, sign: int
) -> None:
    base = simulate(draws=256, seed=1, save="summary")
    varied = simulate(load_scenario(whatifs=[name]), draws=256, seed=1, save="summary")
    change = _mean(varied, measure, "russia") - _mean(base, measure, "russia")
    assert np.sign(change) == sign


def test_run_and_validate_take_with() -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["validate", "russia-ukraine-2024-11", "--with", "belarus-joins", "--with", "bonus-cut"],
    )
    assert result.exit_code == 0, result.output
    assert "russia-ukraine-2024-11.belarus-joins.bonus-cut" in result.output
    result = runner.invoke(app, ["validate", "russia-ukraine-2024-11", "--with", "nope"])
    assert result.exit_code == 2
    assert "no shipped what-if" in result.output


def test_scenario_hash_differs_by_what_if() -> None:
    hashes = {scenario_hash(load_scenario(whatifs=[n])) for n in EXPECTED}
    assert len(hashes) == len(EXPECTED)
