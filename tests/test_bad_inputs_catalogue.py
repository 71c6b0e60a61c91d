"""The catalogue of bad inputs (``tests/bad_inputs/catalogue.yaml``), one test per entry.

Every entry is a real file (or a missing file or a folder made at test time) given to a real
command line. Each must end the same way: exit code 2, exactly one line on stderr that starts
``ceasefire: error: `` and names the input (with its line and the field path where the entry
gives them), no traceback, nothing on stdout, and no output or temporary file left behind.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ceasefire.cli import app

HERE = Path(__file__).parent / "bad_inputs"
CATALOGUE = HERE / "catalogue.yaml"
KEYS = {
    "id",
    "surface",
    "why",
    "input",
    "also",
    "make",
    "args",
    "message",
    "names",
    "line",
    "field",
    "output",
    "xfail",
}


def _entries() -> list[dict[str, Any]]:
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = data["cases"]
    return entries


ENTRIES = _entries()


def _params() -> list[Any]:
    params = []
    for entry in ENTRIES:
        marks = [pytest.mark.xfail(reason=entry["xfail"], strict=True)] if "xfail" in entry else []
        params.append(pytest.param(entry, id=entry["id"], marks=marks))
    return params


def _prepare(entry: dict[str, Any], tmp: Path) -> dict[str, str]:
    """Copy or make the entry's input in ``tmp``; return the placeholder values."""
    values = {"tmp": str(tmp), "out": str(tmp / "out"), "input": ""}
    for extra in entry.get("also", []):
        shutil.copyfile(HERE / extra, tmp / Path(extra).name)
    if "input" in entry:
        target = tmp / Path(entry["input"]).name
        make = entry.get("make")
        if make == "directory":
            target.mkdir()
        elif make == "missing":
            pass
        else:
            assert make is None, f"unknown make: {make}"
            shutil.copyfile(HERE / entry["input"], target)
        values["input"] = str(target)
    return values


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


def test_catalogue_is_well_formed() -> None:
    """At least 40 entries, unique ids, known keys, and every named file exists."""
    assert len(ENTRIES) >= 40
    ids = [entry["id"] for entry in ENTRIES]
    assert len(ids) == len(set(ids))
    for entry in ENTRIES:
        assert set(entry) <= KEYS, entry["id"]
        assert {"id", "surface", "args", "message"} <= set(entry), entry["id"]
        if "input" in entry and "make" not in entry:
            assert (HERE / entry["input"]).is_file(), entry["input"]
        for extra in entry.get("also", []):
            assert (HERE / extra).is_file(), extra
    files = {str(p.relative_to(HERE)) for p in HERE.rglob("*") if p.is_file()} - {"catalogue.yaml"}
    used = {e["input"] for e in ENTRIES if "make" not in e and "input" in e}
    used |= {extra for e in ENTRIES for extra in e.get("also", [])}
    assert files <= used, f"files no entry uses: {sorted(files - used)}"


def test_catalogue_covers_every_surface() -> None:
    surfaces = {entry["surface"] for entry in ENTRIES}
    expected = {"scenario", "--set", "overlay", "observations", "article", "battles"}
    assert expected <= surfaces, expected - surfaces
    assert {"arguments", "sweep", "report"} <= surfaces


@pytest.mark.parametrize("entry", _params())
def test_bad_input(entry: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # a default output (out/…) would land here, not in the repository
    values = _prepare(entry, work)
    args = [arg.format(**values) for arg in entry["args"]]
    before = _snapshot(work)

    result = CliRunner().invoke(app, args)

    stderr = result.stderr
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.exception!r}\n{result.output}"
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == "", result.stdout
    assert stderr.startswith("ceasefire: error: "), stderr
    assert stderr.count("\n") == 1, f"expected one line, got {stderr!r}"
    names = entry.get("names", "{input}").format(**values)
    assert names in stderr, f"the error does not name {names!r}: {stderr}"
    if "line" in entry:
        assert f"{names}:{entry['line']}: " in stderr, stderr
    if "field" in entry:
        assert f"{entry['field']}: " in stderr, stderr
    assert entry["message"] in stderr, stderr
    if entry.get("output", "{out}") is not None:
        output = Path(entry.get("output", "{out}").format(**values))
        assert not output.exists(), f"{output} was written"
    assert _snapshot(work) == before, "the command left or changed files"


# One entry per surface through a real process: what a user sees is what the tests see.
_BY_SURFACE: dict[str, dict[str, Any]] = {}
for _entry in ENTRIES:
    if "xfail" not in _entry and _entry["args"][0] != "sweep":
        _BY_SURFACE.setdefault(_entry["surface"], _entry)


@pytest.mark.slow
@pytest.mark.parametrize("entry", list(_BY_SURFACE.values()), ids=list(_BY_SURFACE))
def test_bad_input_in_a_real_process(entry: dict[str, Any], tmp_path: Path) -> None:
    values = _prepare(entry, tmp_path)
    args = [arg.format(**values) for arg in entry["args"]]
    done = subprocess.run(
        [sys.executable, "-m", "ceasefire.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("ceasefire: error: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert entry["message"] in done.stderr


# --- the fixes the catalogue led to, from the side that must keep working ----------------------


def test_utf16_article_with_a_byte_order_mark_reads_like_utf8(tmp_path: Path) -> None:
    """Windows "Unicode" text is UTF-16 with a BOM: read it, do not call it binary."""
    from ceasefire.cli import app

    text = "Russia recruits about 30,000 soldiers a month, officials said on 20 November 2024.\n"
    utf8, utf16 = tmp_path / "utf8.txt", tmp_path / "utf16.txt"
    utf8.write_text(text, encoding="utf-8")
    utf16.write_bytes(text.encode("utf-16"))
    runs = [CliRunner().invoke(app, ["claims", str(path), "--json"]) for path in (utf8, utf16)]
    assert [run.exit_code for run in runs] == [0, 0], runs[1].output
    claims = [yaml.safe_load(run.stdout)["claims"] for run in runs]
    assert claims[0] and claims[0] == claims[1]


def test_a_set_after_an_overlay_is_blamed_on_the_set_not_the_overlay(tmp_path: Path) -> None:
    """An overlay is named only for values it put in; a later --set on the field is the --set's."""
    from ceasefire.cli import app

    overlay = tmp_path / "fine.yaml"
    overlay.write_text(
        "name: fine\noverrides:\n  sides.red.killed_fraction: {value: 0.2, assumption: t}\n",
        encoding="utf-8",
    )
    args = ["validate", "tiny", "--with", str(overlay)]
    assert CliRunner().invoke(app, args).exit_code == 0
    result = CliRunner().invoke(app, [*args, "--set", "sides.red.killed_fraction=1.5"])
    assert result.exit_code == 2
    assert "--set sides.red.killed_fraction=1.5: sides.red.killed_fraction: " in result.stderr
    assert str(overlay) not in result.stderr
