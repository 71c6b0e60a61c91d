"""One verb, small strategies: sinks for ``save``, executors, and early errors.

Errors name the argument, as ``diffrax``'s ``test_nice_errors`` asks of its own.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import ceasefire as cf
import ceasefire.ensemble
from ceasefire.analysis import summarize
from ceasefire.ensemble import (
    WRITERS,
    ChunkOutput,
    EachChunk,
    Executor,
    File,
    InMemory,
    LatinHypercube,
    Sink,
    StreamedSummary,
    open_ensemble,
    simulate,
)
from tests.conftest import require_module

DRAWS, SEED = 300, 5


def _reference() -> xr.Dataset:
    return simulate("tiny", DRAWS, SEED, engine="numpy", save="summary", chunk_size=64)


def test_draws_and_seed_are_positional_and_the_old_keywords_still_work() -> None:
    positional = simulate("tiny", DRAWS, SEED, engine="numpy", save=InMemory(trajectories=False))
    keywords = simulate("tiny", draws=DRAWS, seed=SEED, engine="numpy", save="summary")
    xr.testing.assert_identical(positional, keywords)
    assert cf.simulate is simulate


def test_several_sinks_in_one_run_agree_with_separate_runs(tmp_path: Path) -> None:
    """Summary, in-memory ensemble and a netCDF file from one pass over the chunks."""
    chunks: list[tuple[int, int]] = []
    memory, streamed, path, _ = simulate(
        "tiny",
        DRAWS,
        SEED,
        engine="numpy",
        chunk_size=64,
        save=[
            InMemory(trajectories=False),
            StreamedSummary(),
            File(tmp_path / "run.nc"),
            EachChunk(lambda c: chunks.append((c.start, c.stop))),
        ],
    )
    reference = _reference()
    xr.testing.assert_identical(memory, reference)
    assert summarize(streamed) == summarize(reference)
    on_disk = open_ensemble(path)
    for name in reference.data_vars:
        np.testing.assert_array_equal(on_disk[name].values, reference[name].values)
    assert chunks == [(s, min(s + 64, DRAWS)) for s in range(0, DRAWS, 64)]


def test_zarr_file_sink_round_trips(tmp_path: Path) -> None:
    require_module("zarr")
    path = simulate(
        "tiny", DRAWS, SEED, engine="numpy", chunk_size=64, save=File(tmp_path / "run.zarr")
    )
    reference = _reference()
    with xr.open_zarr(path) as stored:
        assert list(stored["side"].values) == list(reference["side"].values)
        for name in reference.data_vars:
            np.testing.assert_array_equal(stored[name].values, reference[name].values)
            assert stored[name].attrs == reference[name].attrs
        assert stored.attrs["scenario_sha256"] == reference.attrs["scenario_sha256"]
        assert int(stored.attrs["draws"]) == DRAWS


class _CsvWriter:
    """A new output format in a few lines: the writer protocol, written as CSV rows."""

    def __init__(self, path, *, draws, sides, channels, measures, parameters):
        self.path = Path(path)
        self.sides, self.measures, self.parameters = sides, list(measures), list(parameters)
        self.rows: dict[int, list[float]] = {}

    def write(self, start, stop, columns):
        for i, draw in enumerate(range(start, stop)):
            per_side = [
                float(columns[m][i, k]) for m in self.measures for k in range(len(self.sides))
            ]
            self.rows[draw] = per_side + [float(columns[p][i]) for p in self.parameters]

    def close(self, attrs):
        header = [f"{m}.{s}" for m in self.measures for s in self.sides] + self.parameters
        with self.path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["draw", *header])
            writer.writerows([draw, *row] for draw, row in sorted(self.rows.items()))

    def abort(self):
        self.path.unlink(missing_ok=True)


def test_a_new_output_format_is_one_writer_and_one_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(WRITERS, ".csv", (_CsvWriter, None))
    path = simulate("tiny", DRAWS, SEED, engine="numpy", save=File(tmp_path / "run.csv"))
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    reference = _reference()
    assert len(rows) == DRAWS
    side = str(reference["side"].values[1])
    np.testing.assert_allclose(
        [float(r[f"active_final.{side}"]) for r in rows],
        reference["active_final"].sel(side=side).values,
    )


class _Reversed(Executor):
    """A new executor in a few lines: computes chunks last to first, yields them in order."""

    name = "reversed"

    def map(self, function, tasks):
        done = [function(task) for task in reversed(list(tasks))]
        yield from reversed(done)


def test_a_new_executor_is_one_small_class_and_changes_nothing() -> None:
    result = simulate(
        "tiny", DRAWS, SEED, engine="numpy", save="summary", chunk_size=64, executor=_Reversed()
    )
    xr.testing.assert_identical(result, _reference())


def test_the_engine_is_a_strategy_object() -> None:
    by_object = simulate("tiny", 64, 1, engine=cf.ensemble.NumPy(), save="summary")
    by_name = simulate("tiny", 64, 1, engine="numpy", save="summary")
    xr.testing.assert_identical(by_object, by_name)


def test_the_sampler_is_a_strategy_object() -> None:
    by_object = simulate("tiny", 64, 1, engine="numpy", save="summary", sampler=LatinHypercube())
    by_name = simulate("tiny", 64, 1, engine="numpy", save="summary", sampler="lhs")
    xr.testing.assert_identical(by_object, by_name)
    assert by_object.attrs["sampler"] == "lhs"


class _Boom(Sink):
    def absorb(self, chunk: ChunkOutput) -> None:
        if chunk.start > 0:
            raise RuntimeError("disk full")

    def finish(self, tally):
        return None


def test_a_failed_run_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "run.nc"
    with pytest.raises(RuntimeError, match="disk full"):
        simulate("tiny", DRAWS, SEED, engine="numpy", chunk_size=64, save=[_Boom(), File(target)])
    # netCDF is closed (the CLI writes to a temporary and renames); Zarr is removed.
    zarr_target = tmp_path / "run.zarr"
    if "zarr" in {w[1] for w in WRITERS.values()}:
        require_module("zarr")
        with pytest.raises(RuntimeError, match="disk full"):
            simulate(
                "tiny",
                DRAWS,
                SEED,
                engine="numpy",
                chunk_size=64,
                save=[_Boom(), File(zarr_target)],
            )
        assert not zarr_target.exists()


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"save": "everything"}, "save"),
        ({"save": []}, "save"),
        ({"save": [InMemory(), 3]}, "save"),
        ({"executor": "threads"}, "executor"),
        ({"workers": 2}, "workers"),
        ({"executor": "inprocess", "workers": 2}, "workers"),
        ({"executor": "processes", "workers": 0}, "workers"),
        ({"executor": "processes", "scheduler": "tcp://127.0.0.1:1"}, "scheduler"),
        ({"executor": _Reversed(), "workers": 2}, "workers"),
        ({"sampler": "sobolish"}, "sampler"),
        ({"engine": "cuda"}, "engine"),
        ({"chunk_size": 0}, "chunk_size"),
        ({"draws": 0}, "draws"),
        ({"seed": "zero"}, "seed"),
    ],
)
def test_invalid_combinations_fail_early_naming_the_argument(options, argument) -> None:
    calls: list[int] = []
    options = {"draws": 10, **options}
    with pytest.raises(ValueError, match=argument):
        simulate(
            "tiny",
            engine=options.pop("engine", "numpy"),
            progress=lambda d, t: calls.append(d),
            **options,
        )
    assert calls == []  # nothing ran


@pytest.mark.parametrize("name", ["run.csv", "run", "run.nc4"])
def test_a_file_sink_with_an_unknown_extension_fails_when_made(name: str) -> None:
    with pytest.raises(ValueError, match=r"save: File\(.*expected one of \.nc, \.zarr"):
        File(name)
