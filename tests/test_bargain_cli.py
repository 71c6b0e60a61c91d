"""The bargaining calculator on the command line (examples from the issue)."""

import json

import pytest
from typer.testing import CliRunner

from ceasefire.bargaining import REGISTRY
from ceasefire.cli import app

runner = CliRunner()


def solve(model, *pairs):
    args = ["bargain", "solve", model, "--json"]
    for pair in pairs:
        args += ["--set", pair]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_fearon_example():
    """Fearon (1995): p = 0.6, c_A = 0.1, c_B = 0.15 gives the range [0.5, 0.75] (oracle O1)."""
    out = solve("fearon", "p=0.6", "cost_a=0.1", "cost_b=0.15")
    assert out["low"] == pytest.approx(0.5, abs=1e-9)
    assert out["high"] == pytest.approx(0.75, abs=1e-9)
    assert out["parameters"] == {"p": 0.6, "cost_a": 0.1, "cost_b": 0.15}


def test_rubinstein_example():
    """Rubinstein (1982): delta = (0.95, 0.9) gives player 1 0.689655 (oracle O5)."""
    out = solve("rubinstein", "delta_1=0.95", "delta_2=0.9")
    assert out["share_1"] == pytest.approx(0.689655, abs=1e-6)


def test_slantchev_example():
    """Slantchev (2003): N = 10, k = 5, pi = 0.6, c = 0.01 (oracle O17)."""
    out = solve("slantchev", "n=10", "k=5", "pi=0.6", "cost_a=0.01", "cost_b=0.01")
    assert out["p_win"] == pytest.approx(0.883636, abs=1e-6)
    assert out["expected_battles"] == pytest.approx(19.181818, abs=1e-6)
    assert out["low"] == pytest.approx(0.691818, abs=1e-6)
    assert out["high"] == pytest.approx(1.0, abs=1e-9)


def test_models_lists_every_model_with_its_parameters():
    result = runner.invoke(app, ["bargain", "models"])
    assert result.exit_code == 0
    for name, model in REGISTRY.items():
        assert f"{name}: " in result.output
        for parameter in model.parameters:
            assert f"--set {parameter.name}=" in result.output
    assert len(REGISTRY) >= 15


def test_every_model_solves_with_its_defaults_or_a_midpoint():
    """Each registered model answers with finite named results at admissible inputs."""
    import math

    for name, model in REGISTRY.items():
        values = {}
        for parameter in model.parameters:
            if parameter.default is not None:
                continue
            low = parameter.low if math.isfinite(parameter.low) else 0.0
            high = parameter.high if math.isfinite(parameter.high) else low + 2.0
            value = low + (high - low) / 2 if math.isfinite(high) else low + 1.0
            if parameter.integer:
                value = float(math.ceil(value))
            values[parameter.name] = value
        try:
            results = model.solve(**model.resolve(values))
        except ValueError:
            continue  # a midpoint may be inadmissible jointly (e.g. g_1 + g_2 >= 1)
        assert results, name
        for key, value in results.items():
            if isinstance(value, float):
                assert not math.isnan(value), (name, key)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bargain", "solve", "fearn"], "did you mean 'fearon'"),
        (["bargain", "solve", "fearon", "--set", "p=0.6", "--set", "cost_a=0.1"], "cost_b"),
        (
            [
                "bargain",
                "solve",
                "fearon",
                "--set",
                "p=1.6",
                "--set",
                "cost_a=0.1",
                "--set",
                "cost_b=0.1",
            ],
            "p: must lie in",
        ),
        (["bargain", "solve", "fearon", "--set", "p=lots"], "expected a number"),
        (["bargain", "solve", "fearon", "--set", "q=0.5"], "unknown parameter"),
        (["bargain", "solve", "rubinstein", "--set", "delta_1"], "expected name=value"),
    ],
)
def test_bad_calculator_input_is_a_clean_error(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
