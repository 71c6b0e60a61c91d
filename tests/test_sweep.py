"""Resumable sweeps: a sweep killed mid-way resumes without recomputing finished chunks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
import xarray as xr
from typer.testing import CliRunner

from ceasefire.cli._sweep import register
from ceasefire.sweep import load_sweep, run_sweep

SWEEP = """\
base: tiny
draws: 400
seed: 5
chunk_size: 50
grid:
  combat.lethality.blue: [0.05, 0.2]
  sides.red.desertion_rate: [0.001, 0.004]
"""

# The CLI app with only the sweep command registered (the main app wires it in _app.py).
LAUNCH = (
    "import typer\n"
    "from ceasefire.cli._sweep import register\n"
    "app = typer.Typer()\n"
    "app.callback()(lambda: None)\n"
    "register(app)\n"
    "app()\n"
)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return app


def _chunk_files(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted((folder / "chunks").glob("p*.nc"))
    }


@pytest.mark.slow
def test_killed_sweep_resumes_to_the_uninterrupted_result(tmp_path):
    spec_file = tmp_path / "sweep.yaml"
    spec_file.write_text(SWEEP, encoding="utf-8")
    spec = load_sweep(spec_file)
    total = len(spec.points) * spec.chunks
    assert total == 32

    # Uninterrupted, in this process.
    reference = run_sweep(spec, tmp_path / "whole", engine="numpy")
    assert reference.chunks_computed == total

    # The same sweep in a subprocess, killed with SIGKILL once a few chunks are written.
    folder = tmp_path / "killed"
    command = [sys.executable, "-c", LAUNCH, "sweep", str(spec_file), "-o", str(folder)]
    command += ["--engine", "numpy"]
    process = subprocess.Popen(command, env={**os.environ, "CEASEFIRE_THREADS": "1"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if len(_chunk_files(folder) if (folder / "chunks").exists() else {}) >= 3:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished = _chunk_files(folder)
    assert 3 <= len(finished) < total, "the kill came too late to interrupt the sweep"
    assert not (folder / "sweep.nc").exists()

    result = CliRunner().invoke(
        _app(), ["sweep", str(spec_file), "-o", str(folder), "--engine", "numpy", "--json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["reused"] == len(finished)
    assert record["computed"] == total - len(finished)
    after = _chunk_files(folder)
    # Finished chunks were not recomputed: same files, untouched.
    assert {name: after[name] for name in finished} == finished
    assert len(after) == total
    # Temporary files of the killed run are gone.
    assert sorted(p.name for p in (folder / "chunks").iterdir()) == sorted(after)
    xr.testing.assert_identical(
        xr.load_dataset(folder / "sweep.nc"), xr.load_dataset(tmp_path / "whole" / "sweep.nc")
    )


def test_sweep_grid_points_carry_their_overrides(tmp_path):
    spec_file = tmp_path / "sweep.yaml"
    spec_file.write_text(
        "base: tiny\ndraws: 40\nseed: 1\nchunk_size: 25\n"
        "grid:\n  combat.lethality.blue: [0.05, 0.2]\n",
        encoding="utf-8",
    )
    status = run_sweep(load_sweep(spec_file), tmp_path / "out", engine="numpy")
    ds = xr.load_dataset(status.output)
    assert dict(ds.sizes) == {"point": 2, "draw": 40, "side": 2}
    assert ds["combat.lethality.blue"].values.tolist() == [0.05, 0.2]
    red = ds.killed_total.sel(side="red").median("draw").values
    assert red[1] > red[0]  # blue's deadlier fire kills more of red
    # A second run reuses everything.
    again = run_sweep(load_sweep(spec_file), tmp_path / "out", engine="numpy")
    assert (again.chunks_reused, again.chunks_computed) == (4, 0)


def test_sweep_refuses_a_folder_of_another_sweep(tmp_path):
    first = tmp_path / "a.yaml"
    first.write_text("base: tiny\ndraws: 10\ngrid: {combat.lethality.blue: [0.1]}\n")
    second = tmp_path / "b.yaml"
    second.write_text("base: tiny\ndraws: 10\ngrid: {combat.lethality.blue: [0.2]}\n")
    run_sweep(load_sweep(first), tmp_path / "out", engine="numpy")
    result = CliRunner().invoke(_app(), ["sweep", str(second), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "holds a different sweep" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("base: tiny\ndraws: 10\n", "exactly one of grid and sample"),
        ("base: tiny\ndraws: 0\ngrid: {combat.lethality.blue: [0.1]}\n", "positive integer"),
        ("base: tiny\ndraws: 5\nspeed: 3\ngrid: {combat.lethality.blue: [1]}\n", "unknown key"),
    ],
)
def test_bad_sweep_files_are_one_line_errors(tmp_path, text, message):
    spec_file = tmp_path / "s.yaml"
    spec_file.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(_app(), ["sweep", str(spec_file), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "o").exists()


def test_sample_sweeps_draw_points_in_the_box(tmp_path):
    spec_file = tmp_path / "s.yaml"
    spec_file.write_text(
        "base: tiny\ndraws: 8\nsample:\n  points: 3\n  seed: 2\n"
        "  fields: {combat.lethality.blue: {low: 0.1, high: 0.3}}\n",
        encoding="utf-8",
    )
    spec = load_sweep(spec_file)
    values = [point[0] for point in spec.points]
    assert len(values) == 3
    assert all(0.1 <= v <= 0.3 for v in values)
    assert load_sweep(spec_file).points == spec.points


def test_a_damaged_chunk_is_computed_again(tmp_path):
    spec_file = tmp_path / "sweep.yaml"
    spec_file.write_text(
        "base: tiny\ndraws: 40\nseed: 1\nchunk_size: 25\n"
        "grid:\n  combat.lethality.blue: [0.05, 0.2]\n",
        encoding="utf-8",
    )
    first = run_sweep(load_sweep(spec_file), tmp_path / "out", engine="numpy")
    reference = xr.load_dataset(first.output)
    chunks = sorted((tmp_path / "out" / "chunks").glob("p*.nc"))
    chunks[0].write_bytes(b"not a netCDF file")
    chunks[1].unlink()
    again = run_sweep(load_sweep(spec_file), tmp_path / "out", engine="numpy")
    assert (again.chunks_reused, again.chunks_computed) == (2, 2)
    xr.testing.assert_identical(xr.load_dataset(again.output), reference)
