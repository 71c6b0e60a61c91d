"""Resumable sweeps: an ensemble at every point of a grid or sample over scenario fields.

A sweep file (YAML) names a base scenario, the fields that vary (the ``--set`` paths of
:func:`ceasefire.scenario.load_scenario`) and the ensemble at each point::

    base: russia-ukraine-2024-11     # a preset or a scenario file (relative to the sweep file)
    draws: 10000                     # draws per point
    seed: 1
    chunk_size: 2000                 # draws per chunk file (the unit of resumption)
    sampler: mc                      # optional: mc or lhs
    grid:                            # every combination, in this order
      combat.exchange_ratio: [1.5, 2, 3]
      sides.russia.killed_fraction: [0.19, 0.24]
    # or, instead of grid:
    # sample: {points: 20, seed: 7, fields: {combat.exchange_ratio: {low: 1.5, high: 3}}}

Each finished chunk is written atomically to ``DIR/chunks/pPPPP-cCCCCC.nc`` (its draws'
headline measures), and ``DIR/manifest.json`` records the sweep. Run the same command
again after an interruption (Ctrl-C, kill -9, a lost machine): chunks whose files exist
are not recomputed, and because every chunk is seeded by its index, the result
``DIR/sweep.nc`` is identical to that of an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ceasefire._atomic import atomic_outputs
from ceasefire._errors import InputError
from ceasefire.ensemble import DEFAULT_CHUNK, Executor, executor_named, plan_run, run_plans
from ceasefire.scenario import load_scenario, read_document
from ceasefire.sweep._chunks import ChunkFiles, chunk_path

__all__ = ["SweepSpec", "SweepStatus", "load_sweep", "run_sweep"]

_KEYS = {"base", "draws", "seed", "chunk_size", "sampler", "grid", "sample"}


@dataclass(frozen=True)
class SweepSpec:
    """A parsed sweep file: the base scenario, the points and the ensemble per point."""

    base: str
    draws: int
    seed: int
    chunk_size: int
    sampler: str
    fields: tuple[str, ...]
    points: tuple[tuple[Any, ...], ...]  # one value per field, per point
    text_sha256: str

    def overrides(self, point: int) -> list[str]:
        """Return the ``--set`` strings of a point."""
        return [
            f"{path}={json.dumps(value)}"
            for path, value in zip(self.fields, self.points[point], strict=True)
        ]

    @property
    def chunks(self) -> int:
        """Chunks per point."""
        return -(-self.draws // self.chunk_size)


@dataclass(frozen=True)
class SweepStatus:
    """What a run of :func:`run_sweep` did."""

    points: int
    chunks_total: int
    chunks_reused: int
    chunks_computed: int
    output: Path


def _positive(data: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError("expected a positive integer", where=where, field=key)
    return value


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and check a sweep file."""
    path = Path(path)
    # The scenario reader: UTF-8 text, no binary, no alias bombs or deep nesting, no
    # duplicate keys, YAML errors at their line; and the line of every key.
    data, lines = read_document(path)
    text = path.read_text(encoding="utf-8")
    where = str(path)
    if not isinstance(data, dict):
        raise InputError(
            "expected a mapping with base, draws, seed and grid or sample", where=where
        )
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(
            f"unknown key (expected {', '.join(sorted(_KEYS))})", where=where, field=unknown[0]
        )
    base = data.get("base")
    if not isinstance(base, str) or not base:
        raise InputError("expected a preset name or a scenario file", where=where, field="base")
    if (path.parent / base).is_file():
        base = str((path.parent / base).resolve())
    draws = _positive(data, "draws", where)
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("expected a non-negative integer", where=where, field="seed")
    chunk_size = _positive(data, "chunk_size", where, DEFAULT_CHUNK)
    sampler = data.get("sampler", "mc")
    if sampler not in ("mc", "lhs"):
        raise InputError("expected mc or lhs", where=where, field="sampler")
    if ("grid" in data) == ("sample" in data):
        raise InputError("give exactly one of grid and sample", where=where)
    fields: list[str]
    points: list[tuple[Any, ...]]
    if "grid" in data:
        grid = data["grid"]
        if not isinstance(grid, dict) or not grid:
            raise InputError("expected field: [values, ...]", where=where, field="grid")
        for name, values in grid.items():
            if not isinstance(values, list) or not values:
                raise InputError("expected a list of values", where=where, field=f"grid.{name}")
        fields = [str(name) for name in grid]
        points = list(itertools.product(*grid.values()))
    else:
        sample = data["sample"]
        if not isinstance(sample, dict) or not isinstance(sample.get("fields"), dict):
            raise InputError(
                "expected {points: N, seed: S, fields: {field: {low: L, high: H}}}",
                where=where,
                field="sample",
            )
        count = _positive(sample, "points", where)
        rng = np.random.default_rng(sample.get("seed", 0))
        fields = [str(name) for name in sample["fields"]]
        bounds = []
        for name, spec in sample["fields"].items():
            try:
                low, high = float(spec["low"]), float(spec["high"])
            except (TypeError, KeyError, ValueError):
                raise InputError(
                    "expected {low: L, high: H}", where=where, field=f"sample.fields.{name}"
                ) from None
            if not (np.isfinite(low) and np.isfinite(high) and low < high):
                raise InputError(
                    f"expected finite numbers with low below high, got low {low:g} and "
                    f"high {high:g}",
                    where=_at(where, lines, ("sample", "fields", name)),
                    field=str(name),
                )
            bounds.append((low, high))
        # Uniform over the box; a point's values are fixed by the sample's seed.
        unit = rng.random((count, len(fields)))
        points = [
            tuple(float(lo + u * (hi - lo)) for u, (lo, hi) in zip(row, bounds, strict=True))
            for row in unit
        ]
    spec = SweepSpec(
        base=base,
        draws=draws,
        seed=seed,
        chunk_size=chunk_size,
        sampler=sampler,
        fields=tuple(fields),
        points=tuple(points),
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    section = "grid" if "grid" in data else "sample"
    for point in range(len(spec.points)):  # every point must load before anything runs
        try:
            load_scenario(spec.base, overrides=spec.overrides(point))
        except InputError as error:
            culprit = _sweep_field(spec.fields, error.field)
            if culprit is None:  # the base scenario's own problem: it names its file
                raise
            key = (section, culprit) if section == "grid" else (section, "fields", culprit)
            values = ", ".join(
                f"{f}={v!r}" for f, v in zip(spec.fields, spec.points[point], strict=True)
            )
            raise InputError(
                f"{error.message} (point {point}: {values})",
                where=_at(where, lines, key),
                field=error.field,
            ) from None
    return spec


def _sweep_field(fields: tuple[str, ...], named: str | None) -> str | None:
    """Return the sweep field that an error's field path belongs to, if any."""
    if not named:
        return None
    for field in fields:
        if named == field or named.startswith(field + ".") or field.startswith(named + "."):
            return field
    return None


def _at(where: str, lines: dict[tuple[str | int, ...], int], key: tuple[str | int, ...]) -> str:
    line = lines.get(key)
    return f"{where}:{line}" if line else where


def _chunk_is_whole(path: Path, spec: SweepSpec, chunk: int) -> bool:
    """Whether ``path`` holds a readable chunk with the draws that chunk should have."""
    if not path.is_file():
        return False
    import xarray as xr

    expected = min(spec.chunk_size, spec.draws - chunk * spec.chunk_size)
    try:
        with xr.open_dataset(path, engine="h5netcdf") as part:
            return int(part.sizes.get("draw", -1)) == expected
    except (OSError, ValueError, KeyError):
        return False


def _manifest(spec: SweepSpec) -> dict[str, Any]:
    return {
        "sweep_sha256": spec.text_sha256,
        "base": spec.base,
        "draws": spec.draws,
        "seed": spec.seed,
        "chunk_size": spec.chunk_size,
        "sampler": spec.sampler,
        "fields": list(spec.fields),
        "points": [list(point) for point in spec.points],
        "chunks_per_point": spec.chunks,
    }


def run_sweep(
    spec: SweepSpec,
    folder: str | Path,
    *,
    engine: str = "auto",
    executor: str | Executor | None = None,
    workers: int | None = None,
    scheduler: str | Any | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepStatus:
    """Run (or resume) a sweep into ``folder``; return what was reused and computed."""
    import xarray as xr

    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    manifest = _manifest(spec)
    if manifest_path.exists():
        try:
            previous = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if not isinstance(previous, dict) or previous.get("sweep_sha256") != spec.text_sha256:
            raise InputError(
                "holds a different sweep (its manifest.json does not match); choose another -o",
                where=str(folder),
            )
    else:
        with atomic_outputs([manifest_path]) as (temporary,):
            temporary.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    # A run killed while writing leaves its temporary file behind (never a partial chunk).
    for leftover in (folder / "chunks").glob(".p*.tmp.nc"):
        leftover.unlink(missing_ok=True)
    scenarios = [
        load_scenario(spec.base, overrides=spec.overrides(point))
        for point in range(len(spec.points))
    ]
    total = len(scenarios) * spec.chunks
    # A chunk file counts as finished only if it reads back whole; anything else at its
    # path (a file damaged or replaced after the run) is computed again.
    finished = {
        (point, chunk)
        for point in range(len(scenarios))
        for chunk in range(spec.chunks)
        if _chunk_is_whole(chunk_path(folder, point, chunk), spec, chunk)
    }
    reused = len(finished)

    done = reused

    def written() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    # The chunks of every point go to one executor as one stream (workers stay busy across
    # points); each point's sink writes its chunk files and declines those already done.
    runs = [
        (
            plan_run(
                scenario,
                draws=spec.draws,
                seed=spec.seed,
                sampler=spec.sampler,
                chunk_size=spec.chunk_size,
                values=None,
                engine=engine,
                keep_trajectories=False,
            ),
            [
                ChunkFiles(
                    folder,
                    point,
                    spec.chunk_size,
                    {chunk for p, chunk in finished if p == point},
                    on_written=written,
                )
            ],
        )
        for point, scenario in enumerate(scenarios)
    ]
    runner = executor_named(executor, workers=workers, scheduler=scheduler)
    try:
        run_plans(runs, runner)
    finally:
        if not isinstance(executor, Executor):
            runner.close()

    per_point = []
    for point in range(len(scenarios)):
        files = [chunk_path(folder, point, chunk) for chunk in range(spec.chunks)]
        parts = []
        for file in files:
            with xr.open_dataset(file, engine="h5netcdf") as part:
                parts.append(part.load())
        per_point.append(xr.concat(parts, dim="draw"))
    swept = xr.concat(per_point, dim="point")
    coords: dict[str, Any] = {"point": np.arange(len(scenarios))}
    for i, name in enumerate(spec.fields):
        values = [point[i] for point in spec.points]
        kind = "f8" if all(isinstance(v, int | float) for v in values) else object
        coords[name] = ("point", np.array(values, dtype=kind))
    swept = swept.assign_coords(coords)
    swept.attrs.update(
        {
            "sweep_sha256": spec.text_sha256,
            "base": Path(spec.base).name,
            "draws": spec.draws,
            "seed": spec.seed,
            "chunk_size": spec.chunk_size,
            "sampler": spec.sampler,
            "fields": ",".join(spec.fields),
        }
    )
    result = folder / "sweep.nc"
    with atomic_outputs([result]) as (temporary,):
        swept.to_netcdf(temporary, engine="h5netcdf")
    return SweepStatus(len(scenarios), total, reused, total - reused, result)
