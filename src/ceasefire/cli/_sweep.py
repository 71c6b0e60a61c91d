"""The ``sweep`` command: an ensemble at every point of a grid or sample, resumable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register", "sweep"]


def sweep(
    spec: Annotated[
        Path, typer.Argument(help="Sweep file (YAML): base, draws, seed, grid or sample.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder (resumable).")],
    engine: Annotated[
        str, typer.Option(help="numpy, numba (compiled; extra fast) or auto.")
    ] = "auto",
    executor: Annotated[
        str | None, typer.Option(help="inprocess (default), processes or dask.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes for --executor processes.")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address; default DASK_SCHEDULER_ADDRESS.", show_default=False
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
) -> None:
    """Run a sweep into a folder; run it again after an interruption to resume it.

    Finished chunks are kept (DIR/chunks/*.nc, written atomically) and never recomputed;
    the result, DIR/sweep.nc (dims point, draw, side), is identical to an uninterrupted run.
    A sweep file: base: tiny, draws: 400, seed: 1, grid: {combat.lethality.blue: [0.05, 0.2]}.
    """
    from ceasefire._errors import InputError
    from ceasefire.cli._app import check_dask, require_extra
    from ceasefire.sweep import load_sweep, run_sweep

    if engine not in ("numpy", "numba", "auto"):
        raise InputError("expected numpy, numba or auto", where="--engine")
    if engine == "numba":
        require_extra("fast", "--engine numba")
    if executor not in (None, "inprocess", "processes", "dask"):
        raise InputError("expected inprocess, processes or dask", where="--executor")
    check_dask(executor, scheduler)
    if output.exists() and not output.is_dir():
        raise InputError("exists and is not a folder", where=str(output))
    loaded = load_sweep(spec)
    try:
        status = run_sweep(
            loaded, output, engine=engine, executor=executor, workers=workers, scheduler=scheduler
        )
    except ValueError as error:  # an engine or executor that is not available here
        raise InputError(str(error), where="sweep") from None
    record = {
        "points": status.points,
        "chunks": status.chunks_total,
        "reused": status.chunks_reused,
        "computed": status.chunks_computed,
        "output": str(status.output),
    }
    if as_json:
        typer.echo(json.dumps(record, indent=2))
    else:
        typer.echo(
            f"{status.points} points, {status.chunks_total} chunks "
            f"({status.chunks_reused} reused, {status.chunks_computed} computed); "
            f"wrote {status.output}"
        )


def register(app: typer.Typer) -> None:
    """Add the ``sweep`` command to the main app."""
    from ceasefire.cli._app import _friendly, with_examples

    app.command("sweep")(with_examples("ceasefire sweep sweep.yaml -o out/sweep")(_friendly(sweep)))
