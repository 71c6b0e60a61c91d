"""Bad input to the command line gets a clear error and loses nothing.

The project standard: a message naming the field or file and what was expected,
exit code 2, no traceback, no partial output file left behind. Errors print as
``ceasefire: error: <file>[:<line>]: <dotted.field.path>: <message>`` on stderr.

Bad scenarios are variants of the ``tiny`` preset: its data is loaded, one thing
is broken, and the result is dumped to a temporary file.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from ceasefire.cli import app
from ceasefire.scenario import preset_path
from tests.conftest import preset_data

BAD_NAME = "tiny-bad.yaml"


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command from a scratch folder, so a default ``out/`` never lands in the repo."""
    monkeypatch.chdir(tmp_path)


# --- helpers -------------------------------------------------------------------------------


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


def run_args(scenario: str, out: Path, *extra: str) -> list[str]:
    """Arguments of a small, quiet ``ceasefire run`` writing to ``out``."""
    return ["run", scenario, "--draws", "2", "--no-progress", "-o", str(out), *extra]


def command_args(command: str, scenario: str, out: Path, *extra: str) -> list[str]:
    if command == "run":
        return run_args(scenario, out, *extra)
    return ["validate", scenario, *extra]


def assert_input_error(result: Result) -> str:
    """Check the common shape of a bad-input failure; return the stderr text."""
    assert result.exit_code == 2, f"{result.exception!r}\n{result.output}"
    # A caught InputError ends with SystemExit(2); anything else would be an unhandled crash.
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == "", result.stdout
    stderr = result.stderr
    assert stderr.startswith("ceasefire: error: "), stderr
    assert stderr.count("\n") == 1, f"expected one line of error, got {stderr!r}"
    return stderr


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())


def write_yaml(tmp_path: Path, data: dict[str, Any], name: str = BAD_NAME) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _toml_value(value: Any) -> str:
    """Write ``value`` as TOML (inline tables and arrays only: enough for scenario data)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def write_toml(tmp_path: Path, data: dict[str, Any], name: str = "tiny-bad.toml") -> Path:
    path = tmp_path / name
    lines = [f"{json.dumps(key)} = {_toml_value(value)}" for key, value in data.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tiny() -> dict[str, Any]:
    return preset_data("tiny")


# --- the base variant is good: so each bad variant fails for the reason we put in ---------


@pytest.mark.parametrize("writer", [write_yaml, write_toml], ids=["yaml", "toml"])
def test_unbroken_tiny_written_back_validates(tmp_path: Path, writer: Callable[..., Path]):
    path = writer(tmp_path, tiny())
    result = invoke(["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid scenario 'tiny'" in result.stdout


# --- files that are not scenarios --------------------------------------------------------


@dataclass(frozen=True)
class FileCase:
    """A scenario argument that is not a readable scenario file."""

    make: Callable[[Path], Path]
    phrase: str
    line: bool = False  # whether the error gives a line number


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "no-such-scenario.yaml"


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "a-folder.yaml"
    path.mkdir()
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    path.write_text("  \n\n", encoding="utf-8")
    return path


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return path


def _not_utf8(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    path.write_bytes("name: tiny\ntitle: caf\u00e9\n".encode("latin-1"))
    return path


def _bad_yaml_syntax(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    text = preset_path("tiny").read_text(encoding="utf-8")
    broken = text.replace("horizon: {value: 12, unit: months}", "horizon: {value: 12, unit: months")
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    return path


def _top_level_list(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    path.write_text("- name: tiny\n- title: a list, not a mapping\n", encoding="utf-8")
    return path


def _bad_toml_syntax(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-bad.toml"
    path.write_text('name = "tiny"\ntitle = \n', encoding="utf-8")
    return path


FILE_CASES = {
    "missing-file": FileCase(_missing, "no such file"),
    "directory": FileCase(_directory, "is a directory"),
    "empty-file": FileCase(_empty, "empty file"),
    "binary-file": FileCase(_binary, "binary file"),
    "not-utf8": FileCase(_not_utf8, "not UTF-8"),
    "invalid-yaml-syntax": FileCase(_bad_yaml_syntax, "not valid YAML", line=True),
    "top-level-list": FileCase(_top_level_list, "expected a mapping"),
    "invalid-toml-syntax": FileCase(_bad_toml_syntax, "not valid TOML"),
}


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("case", FILE_CASES.values(), ids=FILE_CASES.keys())
def test_unreadable_scenario_file_is_named(tmp_path: Path, case: FileCase, command: str):
    path = case.make(tmp_path)
    out = tmp_path / "out"
    stderr = assert_input_error(invoke(command_args(command, str(path), out)))
    located = re.escape(str(path)) + (r":\d+: " if case.line else ": ")
    assert re.search(located, stderr), stderr
    assert case.phrase in stderr
    assert_nothing_written(out)


# --- scenario fields that do not validate -----------------------------------------------


@dataclass(frozen=True)
class FieldCase:
    """A one-thing-broken variant of ``tiny``: where the error must point and what it says."""

    mutate: Callable[[dict[str, Any]], object]
    field: str
    phrase: str


def _rename(mapping: dict[str, Any], old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


def _red(data: dict[str, Any]) -> dict[str, Any]:
    red: dict[str, Any] = data["sides"]["red"]
    return red


def _cutoff(data: dict[str, Any]) -> None:
    data["information_cutoff"] = dt.date(2024, 11, 30)
    data["sources"] = {
        "late": {
            "title": "A report from the future",
            "publisher": "Test Press",
            "date": dt.date(2025, 1, 1),
            "says": "whatever the test needs",
        }
    }
    _red(data)["desertion_rate"] = {"value": 0.002, "unit": "per_month", "source": "late"}


def _both_provenances(data: dict[str, Any]) -> None:
    data["sources"] = {
        "report": {"title": "A report", "publisher": "Test Press", "date": 2024, "says": "0.2%"}
    }
    _red(data)["desertion_rate"]["source"] = "report"


def _three_sides(data: dict[str, Any]) -> None:
    data["sides"]["green"] = copy.deepcopy(data["sides"]["blue"])


def _untruncated_normal(data: dict[str, Any]) -> None:
    killed = data["sides"]["blue"]["killed_fraction"]
    del killed["low"], killed["high"]


def _overlapping_segments(data: dict[str, Any]) -> None:
    # Segment 0 runs to 2025-07-01; segment 1 now starts three months before that.
    _red(data)["channels"]["volunteers"]["recruitment"][1]["start"] = dt.date(2025, 4, 1)


def _reversed_segment(data: dict[str, Any]) -> None:
    segment = data["combat"]["intensity"][1]
    segment["start"], segment["end"] = dt.date(2026, 1, 1), dt.date(2025, 6, 1)


FIELD_CASES = {
    "unknown-key-optional-field-typo": FieldCase(
        lambda d: _rename(_red(d), "required_minimum_force", "required_minimum_forse"),
        "sides.red.required_minimum_forse",
        "did you mean 'required_minimum_force'?",
    ),
    "unknown-key-unlike-any-field": FieldCase(
        lambda d: _red(d).__setitem__("colour", "red"),
        "sides.red.colour",
        "unknown key 'colour'",
    ),
    "unknown-key-required-field-typo": pytest.param(
        FieldCase(
            lambda d: _rename(_red(d), "killed_fraction", "killed_fracton"),
            "sides.red.killed_fracton",
            "unknown key 'killed_fracton' (did you mean 'killed_fraction'?)",
        ),
    ),
    "wrong-type-string-for-number": FieldCase(
        lambda d: _red(d)["desertion_rate"].__setitem__("value", "lots"),
        "sides.red.desertion_rate.value",
        "valid number",
    ),
    "bare-number-no-provenance": FieldCase(
        lambda d: _red(d).__setitem__("desertion_rate", 0.002),
        "sides.red.desertion_rate",
        "carries no provenance",
    ),
    "both-source-and-assumption": FieldCase(
        _both_provenances,
        "sides.red.desertion_rate",
        "exactly one of `source:`",
    ),
    "neither-value-nor-dist": FieldCase(
        lambda d: _red(d).__setitem__("desertion_rate", {"unit": "per_month", "assumption": "x"}),
        "sides.red.desertion_rate",
        "expected `value:`",
    ),
    "unknown-unit": FieldCase(
        lambda d: _red(d)["desertion_rate"].__setitem__("unit", "per_week"),
        "sides.red.desertion_rate",
        "unknown unit 'per_week': expected one of per_day, per_month",
    ),
    "missing-unit-on-rate": FieldCase(
        lambda d: _red(d)["desertion_rate"].pop("unit"),
        "sides.red.desertion_rate",
        "`unit:` is required, one of per_day, per_month",
    ),
    "unit-on-dimensionless-field": FieldCase(
        lambda d: _red(d)["wounded_return"]["fraction"].__setitem__("unit", "men"),
        "sides.red.wounded_return.fraction",
        "unit 'men' not expected",
    ),
    "negative-rate": FieldCase(
        lambda d: _red(d)["desertion_rate"].__setitem__("value", -0.1),
        "sides.red.desertion_rate",
        "values must lie in [0, inf] (a rate)",
    ),
    "fraction-above-one": FieldCase(
        lambda d: _red(d)["wounded_return"]["fraction"].__setitem__("value", 1.5),
        "sides.red.wounded_return.fraction",
        "values must lie in [0, 1] (a fraction)",
    ),
    "normal-fraction-without-truncation": FieldCase(
        _untruncated_normal,
        "sides.blue.killed_fraction",
        "truncate it with `low:`/`high:`",
    ),
    "uniform-low-above-high": FieldCase(
        lambda d: _red(d)["killed_fraction"].update(low=0.3, high=0.2),
        "sides.red.killed_fraction",
        "low (0.3) must be below high (0.2)",
    ),
    "zero-duration": FieldCase(
        lambda d: _red(d)["wounded_return"]["delay"].__setitem__("value", 0),
        "sides.red.wounded_return.delay",
        "values must be above 0",
    ),
    "reversed-segment-dates": FieldCase(
        _reversed_segment,
        "combat.intensity.1",
        "end (2025-06-01) must be after start (2026-01-01)",
    ),
    "overlapping-segments": FieldCase(
        _overlapping_segments,
        "sides.red.channels.volunteers.recruitment",
        "segment 1 starts (2025-04-01) before segment 0 ends (2025-07-01)",
    ),
    "unknown-dist": FieldCase(
        lambda d: _red(d)["killed_fraction"].__setitem__("dist", "beta"),
        "sides.red.killed_fraction.dist",
        "unknown `dist:`; expected one of fixed, uniform",
    ),
    "unknown-combat-law": FieldCase(
        lambda d: d["combat"].__setitem__("law", "parabolic"),
        "combat.law",
        "'square'",
    ),
    "unknown-source-key": FieldCase(
        lambda d: _red(d)["desertion_rate"].update(source="nowhere", assumption=None),
        "sides.red.desertion_rate.source",
        "unknown source 'nowhere'",
    ),
    "source-after-information-cutoff": FieldCase(
        _cutoff,
        "sources.late.date",
        "published 2025-01-01, after the information cutoff 2024-11-30",
    ),
    "three-sides": FieldCase(
        _three_sides,
        "sides",
        "expected exactly two sides, got 3",
    ),
    "front-holder-not-a-side": FieldCase(
        lambda d: d["front"].__setitem__("holder", "green"),
        "front.holder",
        "unknown side 'green': expected one of red, blue",
    ),
    "missing-required-field": FieldCase(
        lambda d: _red(d).pop("wounded_return"),
        "sides.red.wounded_return",
        "missing required field",
    ),
    "lethality-missing-a-side": FieldCase(
        lambda d: d["combat"]["lethality"].pop("blue"),
        "combat.lethality",
        "expected one entry per side (red, blue), got red",
    ),
    "bad-scenario-name": FieldCase(
        lambda d: d.__setitem__("name", "Tiny War"),
        "name",
        "should match pattern",
    ),
    "unknown-integration-method": FieldCase(
        lambda d: d["time"].__setitem__("method", "rk5"),
        "time.method",
        "'euler' or 'rk4'",
    ),
    "step-longer-than-saveper": FieldCase(
        lambda d: d["time"]["step"].update(value=2, unit="months"),
        "time",
        "step must not be longer than saveper",
    ),
}


def _drop_none(data: Any) -> Any:
    """Remove keys set to None (a mutation's way of deleting a key inline)."""
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_drop_none(v) for v in data]
    return data


def _line_points_at(text: str, line: int, field: str) -> bool:
    """Whether ``line`` of ``text`` holds one of the keys of ``field`` (or a list item)."""
    content = text.splitlines()[line - 1]
    keys = [part for part in field.split(".") if not part.isdigit()]
    return content.lstrip().startswith("- ") or any(f"{key}:" in content for key in keys)


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("case", FIELD_CASES.values(), ids=FIELD_CASES.keys())
def test_bad_field_in_yaml_names_file_line_and_field(tmp_path: Path, case: FieldCase, command: str):
    data = tiny()
    case.mutate(data)
    path = write_yaml(tmp_path, _drop_none(data))
    out = tmp_path / "out"
    stderr = assert_input_error(invoke(command_args(command, str(path), out)))
    match = re.search(re.escape(f"{path}:") + r"(\d+): " + re.escape(f"{case.field}: "), stderr)
    assert match, stderr
    assert _line_points_at(path.read_text(encoding="utf-8"), int(match.group(1)), case.field), (
        f"line {match.group(1)} does not hold {case.field}"
    )
    assert case.phrase in stderr
    assert_nothing_written(out)


@pytest.mark.parametrize(
    "case_id",
    ["bare-number-no-provenance", "unknown-unit", "three-sides", "source-after-information-cutoff"],
)
def test_bad_field_in_toml_names_file_and_field(tmp_path: Path, case_id: str):
    case = FIELD_CASES[case_id]
    assert isinstance(case, FieldCase)
    data = tiny()
    case.mutate(data)
    path = write_toml(tmp_path, _drop_none(data))
    out = tmp_path / "out"
    stderr = assert_input_error(invoke(run_args(str(path), out)))
    assert f"{path}: {case.field}: " in stderr
    assert case.phrase in stderr
    assert_nothing_written(out)


# --- command-line arguments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "where", "phrase"),
    [
        pytest.param(
            "sides.rde.killed_fraction=0.2",
            "--set: sides.rde: ",
            "no field 'sides.rde' in the scenario (did you mean 'red'?)",
            id="set-path-does-not-exist",
        ),
        pytest.param(
            "sides.red.killed_fraction",
            "--set: ",
            "expected path=value, got 'sides.red.killed_fraction'",
            id="set-without-equals",
        ),
        pytest.param(
            "sides.red.killed_fraction=",
            "--set: ",
            "no value given for 'sides.red.killed_fraction'",
            id="set-without-value",
        ),
        pytest.param("=0.2", "--set: ", "empty path", id="set-empty-path"),
        pytest.param(
            "combat.intensity.7.value=1",
            "--set: combat.intensity.7: ",
            "expected an index below 2",
            id="set-index-out-of-range",
        ),
        pytest.param(
            "name.first=x",
            "--set: name.first: ",
            "is not a table of fields",
            id="set-below-a-scalar",
        ),
    ],
)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_set_override_is_named(
    tmp_path: Path, command: str, override: str, where: str, phrase: str
):
    out = tmp_path / "out"
    stderr = assert_input_error(invoke(command_args(command, "tiny", out, "--set", override)))
    assert stderr.startswith(f"ceasefire: error: {where}"), stderr
    assert phrase in stderr
    assert_nothing_written(out)


@pytest.mark.parametrize("command", ["run", "validate"])
def test_set_value_out_of_range_names_the_set_argument_and_field(tmp_path: Path, command: str):
    out = tmp_path / "out"
    args = command_args(command, "tiny", out, "--set", "sides.red.killed_fraction=1.5")
    stderr = assert_input_error(invoke(args))
    # The error names the --set argument and the path --set takes (issue 22, point 4), not
    # a line of the packaged preset that the user never wrote.
    assert "--set sides.red.killed_fraction=1.5: sides.red.killed_fraction: " in stderr, stderr
    assert "values must lie in [0, 1]" in stderr
    assert_nothing_written(out)


@pytest.mark.parametrize("command", ["run", "validate"])
def test_unknown_preset_suggests_a_near_one(tmp_path: Path, command: str):
    out = tmp_path / "out"
    stderr = assert_input_error(invoke(command_args(command, "tinny", out)))
    assert stderr.startswith("ceasefire: error: tinny: "), stderr
    assert "did you mean preset 'tiny'?" in stderr
    assert "russia-ukraine-2024-11" in stderr  # and lists what there is
    assert_nothing_written(out)


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        pytest.param(["--draws", "0"], "--draws", id="draws-zero"),
        pytest.param(["--draws", "many"], "--draws", id="draws-not-a-number"),
        pytest.param(["--seed", "-1"], "--seed", id="seed-negative"),
        pytest.param(["--save", "everything"], "--save", id="save-unknown-choice"),
        pytest.param(["--chunk-size", "0"], "--chunk-size", id="chunk-size-zero"),
        pytest.param(["--frobnicate"], "--frobnicate", id="unknown-option"),
    ],
)
def test_bad_option_is_a_usage_error(tmp_path: Path, extra: list[str], option: str):
    out = tmp_path / "out"
    result = invoke(["run", "tiny", "-o", str(out), "--no-progress", *extra])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert option in result.stderr
    assert result.stdout == ""
    assert_nothing_written(out)


def test_validate_without_a_file_is_a_usage_error():
    result = invoke(["validate"])
    assert result.exit_code == 2, result.output
    assert "Missing argument" in result.stderr
    assert "Traceback" not in result.output


# --- output folders: a failed run keeps what was there ---------------------------------------


def test_failed_run_keeps_existing_outputs(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("keep", encoding="utf-8")
    (out / "ensemble.nc").write_bytes(b"keep")
    result = invoke(run_args("tiny", out, "--set", "sides.red.killed_fraction=2"))
    assert_input_error(result)
    assert (out / "summary.json").read_text(encoding="utf-8") == "keep"
    assert (out / "ensemble.nc").read_bytes() == b"keep"
    assert sorted(p.name for p in out.iterdir()) == ["ensemble.nc", "summary.json"]


def test_output_path_that_is_a_file_is_refused(tmp_path: Path):
    out = tmp_path / "results"
    out.write_text("keep", encoding="utf-8")
    stderr = assert_input_error(invoke(run_args("tiny", out)))
    assert f"{out}: " in stderr
    assert "not a folder" in stderr
    assert out.read_text(encoding="utf-8") == "keep"


def test_output_folder_inside_a_file_fails_after_simulating_and_leaves_nothing(tmp_path: Path):
    """The write itself fails (the parent is a file): still exit 2, and no stray temp files."""
    blocker = tmp_path / "results"
    blocker.write_text("keep", encoding="utf-8")
    out = blocker / "run1"
    stderr = assert_input_error(invoke(run_args("tiny", out)))
    assert str(out) in stderr
    assert "cannot write outputs" in stderr
    assert blocker.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


# --- known bugs: bad input that still ends in a traceback (exit 1) ---------------------------


def _impossible_date(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    text = preset_path("tiny").read_text(encoding="utf-8")
    path.write_text(text.replace("start: 2025-01-01", "start: 2025-13-01"), encoding="utf-8")
    return path


def _recursive_alias(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    path.write_text("name: tiny\ntitle: &loop [*loop]\n", encoding="utf-8")
    return path


def _deep_yaml(tmp_path: Path) -> Path:
    path = tmp_path / BAD_NAME
    path.write_text("name: tiny\ntitle: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return path


def _alias_bomb(tmp_path: Path) -> Path:
    """The "billion laughs" pattern: under 1 KB that aliases expand to 10^9 strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        prev, this = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{this}: &{this} [" + ",".join([f"*{prev}"] * 10) + "]")
    lines.append("name: tiny")
    path = tmp_path / "tiny-bad.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _deep_toml(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-bad.toml"
    path.write_text('name = "tiny"\ntitle = ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "line"),
    [
        pytest.param(
            _impossible_date,
            True,
            id="impossible-calendar-date",
        ),
        pytest.param(
            _recursive_alias,
            False,
            id="recursive-yaml-alias",
        ),
        pytest.param(
            _deep_yaml,
            False,
            id="deeply-nested-yaml",
        ),
        pytest.param(_alias_bomb, False, id="yaml-alias-bomb"),
        pytest.param(
            _deep_toml,
            False,
            id="deeply-nested-toml",
        ),
    ],
)
def test_pathological_file_is_a_clean_error(
    tmp_path: Path, make: Callable[[Path], Path], line: bool
):
    path = make(tmp_path)
    out = tmp_path / "out"
    stderr = assert_input_error(invoke(run_args(str(path), out)))
    located = re.escape(str(path)) + (r":\d+: " if line else r"(:\d+)?: ")
    assert re.search(located, stderr), stderr
    assert_nothing_written(out)


def test_set_impossible_date_is_a_clean_error(tmp_path: Path):
    out = tmp_path / "out"
    stderr = assert_input_error(invoke(run_args("tiny", out, "--set", "time.start=2025-02-30")))
    assert "time.start" in stderr
    assert_nothing_written(out)


# --- through a real process: no traceback reaches stderr --------------------------------------


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ceasefire.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def _assert_clean_failure(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert "Traceback" not in done.stdout
    assert done.stdout == ""
    assert done.stderr.startswith("ceasefire: error: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def test_subprocess_invalid_yaml_is_one_line_on_stderr(tmp_path: Path):
    path = _bad_yaml_syntax(tmp_path)
    out = tmp_path / "out"
    stderr = _assert_clean_failure(_cli(tmp_path, *run_args(str(path), out)))
    assert re.search(re.escape(str(path)) + r":\d+: not valid YAML", stderr), stderr
    assert_nothing_written(out)


def test_subprocess_bad_field_is_one_line_on_stderr(tmp_path: Path):
    data = tiny()
    _red(data)["desertion_rate"]["unit"] = "per_week"
    path = write_yaml(tmp_path, data)
    out = tmp_path / "out"
    stderr = _assert_clean_failure(_cli(tmp_path, *run_args(str(path), out)))
    assert re.search(re.escape(str(path)) + r":\d+: sides\.red\.desertion_rate: ", stderr), stderr
    assert "unknown unit 'per_week'" in stderr
    assert_nothing_written(out)


def test_subprocess_bad_set_keeps_existing_outputs(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("keep", encoding="utf-8")
    stderr = _assert_clean_failure(_cli(tmp_path, *run_args("tiny", out, "--set", "nope")))
    assert "--set: expected path=value" in stderr
    assert (out / "summary.json").read_text(encoding="utf-8") == "keep"
    assert [p.name for p in out.iterdir()] == ["summary.json"]


def test_subprocess_draws_zero_is_a_usage_error_without_traceback(tmp_path: Path):
    out = tmp_path / "out"
    done = _cli(tmp_path, *run_args("tiny", out), "--draws", "0")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "--draws" in done.stderr
    assert not out.exists()
