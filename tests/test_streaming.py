"""Streaming summaries: exact while the data fit, a proven bound beyond; flat memory."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.analysis import summarize
from ceasefire.analysis._summary import summarize_streamed
from ceasefire.cli._app import app
from ceasefire.ensemble import QuantileSketch, simulate, simulate_streaming
from ceasefire.ensemble._io import open_ensemble


@pytest.mark.parametrize("name", ["tiny", "russia-ukraine-2024-11"])
def test_streamed_summary_equals_the_in_memory_summary(name):
    """While every value fits, the streamed summary is exactly ``summarize``'s."""
    ensemble = simulate(name, draws=900, seed=3, save="summary", chunk_size=256)
    streamed = simulate_streaming(name, draws=900, seed=3, chunk_size=200)
    assert streamed.exact
    assert summarize_streamed(streamed) == summarize(ensemble)


def test_streamed_trajectory_bands_equal_exact_quantiles():
    ensemble = simulate("tiny", draws=500, seed=2, save="trajectories")
    streamed = simulate_streaming(
        "tiny", draws=500, seed=2, chunk_size=128, trajectories=("active", "killed")
    )
    for name in ("active", "killed"):
        per_side = ensemble[name].sum("channel") if name == "active" else ensemble[name]
        exact = per_side.quantile([0.05, 0.5, 0.95], dim="draw").values  # (q, time, side)
        np.testing.assert_array_equal(streamed.trajectory_bands[name], exact)


def test_sketch_equals_numpy_until_capacity_then_keeps_its_bound():
    rng = np.random.default_rng(7)
    values = rng.lognormal(size=(60_000, 2))
    values[::97, 1] = np.nan  # missing values are left out, as quantile_bands does
    levels = [0.05, 0.5, 0.95]
    sketch = QuantileSketch(2, capacity=60_000)
    for start in range(0, len(values), 7_000):
        sketch.add(values[start : start + 7_000])
    assert sketch.exact
    for s in range(2):
        column = values[:, s]
        np.testing.assert_array_equal(
            sketch.quantiles(levels)[:, s], np.quantile(column[np.isfinite(column)], levels)
        )

    small = QuantileSketch(2, capacity=2_048)
    for start in range(0, len(values), 7_000):
        small.add(values[start : start + 7_000])
    assert not small.exact
    assert 0 < small.rank_error < 0.02
    for s in range(2):
        column = np.sort(values[:, s][np.isfinite(values[:, s])])
        for level, estimate in zip(levels, small.quantiles(levels)[:, s], strict=True):
            rank = np.searchsorted(column, estimate) / len(column)
            # the bound is in ranks of all values; the missing ones (1%) widen it slightly
            assert abs(rank - level) <= small.rank_error * 1.02 + 1 / len(column)


def test_sketch_memory_does_not_grow_with_the_values():
    sketch = QuantileSketch(4, capacity=1_024)
    sizes = []
    rng = np.random.default_rng(1)
    for _ in range(400):
        sketch.add(rng.random((1_000, 4)))
        sizes.append(sum(sum(b.size for b in level) for level in sketch._levels))
    # 400,000 values per series, held in O(capacity · log(count / capacity)) numbers
    assert max(sizes) <= 1_024 * 4 * 11


def test_run_save_summary_streams_and_writes_per_draw_measures(tmp_path):
    out = tmp_path / "s"
    result = CliRunner().invoke(
        app,
        [
            "run",
            "tiny",
            "--draws",
            "700",
            "--save",
            "summary",
            "-o",
            str(out),
            "--chunk-size",
            "128",
            "--engine",
            "numpy",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    in_memory = simulate("tiny", draws=700, seed=0, save="summary", engine="numpy")
    # The command also records what ran (issue 22); the rest is the in-memory summary.
    assert summary.pop("run") == {
        "deterministic": False,
        "overrides": [],
        "posterior": None,
        "whatifs": [],
    }
    assert summary == summarize(in_memory)
    on_disk = open_ensemble(out / "ensemble.nc")
    for name in ("active_final", "months_to_crisis", "sides.red.killed_fraction"):
        np.testing.assert_array_equal(on_disk[name].values, in_memory[name].values)


def test_run_rejects_an_unknown_engine(tmp_path):
    result = CliRunner().invoke(app, ["run", "tiny", "--engine", "gpu", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "--engine" in result.output


def test_the_writer_buffers_chunks_in_and_out_of_order(tmp_path, monkeypatch) -> None:
    """Buffered writes (flushed when full, on a gap, at close) give every draw its row."""
    from ceasefire.ensemble._io import EnsembleWriter, open_ensemble

    monkeypatch.setattr(EnsembleWriter, "BUFFER_DRAWS", 5)
    draws = 23
    values = np.arange(draws * 2, dtype=float).reshape(draws, 2)
    writer = EnsembleWriter(
        tmp_path / "e.nc",
        draws=draws,
        sides=["a", "b"],
        channels=["c"],
        measures={"m": {"units": "men"}},
        parameters={"p": {"units": "1"}},
    )
    # Chunks of 3 in order, then one out of order (a gap), then the rest.
    bounds = [(0, 3), (3, 6), (6, 9), (15, 18), (9, 12), (12, 15), (18, 21), (21, 23)]
    for start, stop in bounds:
        writer.write(start, stop, {"m": values[start:stop], "p": values[start:stop, 0] * 10})
    writer.close({"draws": draws})
    ensemble = open_ensemble(tmp_path / "e.nc")
    np.testing.assert_array_equal(ensemble["m"].values, values)
    np.testing.assert_array_equal(ensemble["p"].values, values[:, 0] * 10)
    assert ensemble.attrs["draws"] == draws
