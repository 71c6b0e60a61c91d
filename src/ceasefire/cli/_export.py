"""``ceasefire export``: a scenario's deterministic model as a Vensim file that PySD runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire._errors import InputError
from ceasefire.cli._app import (
    ScenarioArgument,
    SetOption,
    WithOption,
    _friendly,
    _load,
    with_examples,
)

__all__ = ["export", "register"]

FORMATS = ("mdl",)


@_friendly
def export(
    scenario: ScenarioArgument = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The file to write (e.g. model.mdl).")
    ] = Path("model.mdl"),
    format_name: Annotated[
        str, typer.Option("--format", help="mdl (Vensim; PySD reads it).")
    ] = "mdl",
    overrides: SetOption = None,
    whatifs: WithOption = None,
) -> None:
    """Write the scenario's deterministic model: every uncertain parameter at its median.

    The file has the engines' stocks, flows and outflow limiter, written by the same
    equations, with units and each number's source or assumption in its comment; PySD runs
    it and gives what `ceasefire run SCENARIO --deterministic` gives.
    """
    from ceasefire._atomic import atomic_outputs
    from ceasefire.ensemble import median_values
    from ceasefire.model import export_vensim

    if format_name not in FORMATS:
        raise InputError(
            f"unknown format {format_name!r}: expected {', '.join(FORMATS)}", where="--format"
        )
    loaded = _load(scenario, overrides, whatifs)
    if loaded.time.method != "euler":
        raise InputError(
            f"the scenario integrates with {loaded.time.method}; Vensim and PySD step with "
            "Euler: add --set time.method=euler",
            where="time.method",
        )
    text = export_vensim(loaded, median_values(loaded))
    if output.is_dir():
        raise InputError("is a folder: give a file name such as model.mdl", where=str(output))
    try:
        with atomic_outputs([output]) as (temporary,):
            temporary.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", where=str(output)) from None
    typer.echo(f"wrote {output}")


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.command()(
        with_examples(
            "ceasefire export russia-ukraine-2024-11 --format mdl -o model.mdl",
            "ceasefire run russia-ukraine-2024-11 --deterministic",
        )(export)
    )
