"""The Typer app and what its command modules share (options, the error wrapper, loading).

Heavy imports (numpy, xarray, pydantic models) happen inside the commands, so
``ceasefire --help`` stays instant. Bad input of any kind ends with one message
on stderr naming the file and field, exit code 2, and no output file written.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer

from ceasefire._errors import InputError

__all__ = ["app", "main"]

app = typer.Typer(
    name="ceasefire",
    help="A workbench for wars of attrition and the peace deals that end them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Typer's rich help imports rich and markdown-it (0.15 s of a 0.45 s --help).
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(command: F) -> F:
    """Turn bad input into one clear message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            # One line, always: a message that quotes a parser's multi-line report (YAML
            # marks, carets) is folded, so scripts can read the first line of stderr.
            message = " ".join(part.strip() for part in str(error).splitlines() if part.strip())
            typer.echo(f"ceasefire: error: {message}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("ceasefire: interrupted; no output written", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


class SaveMode(StrEnum):
    """What ``run`` keeps."""

    trajectories = "trajectories"
    summary = "summary"


class SamplerName(StrEnum):
    """Sampling design."""

    mc = "mc"
    lhs = "lhs"
    sobol = "sobol"


ScenarioArgument = Annotated[
    str | None,
    typer.Argument(
        help="Scenario file (YAML or TOML) or preset name; default: russia-ukraine-2024-11.",
        show_default=False,
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a field: path=value (e.g. sides.russia.killed_fraction=0.2). Repeatable.",
        show_default=False,
    ),
]


WithOption = Annotated[
    list[str] | None,
    typer.Option(
        "--with",
        help="Apply a what-if overlay (a shipped name, see `ceasefire presets`, or a YAML "
        "file); repeatable, applied in order before --set.",
        show_default=False,
    ),
]


def _load(
    scenario: str | None, overrides: list[str] | None, whatifs: list[str] | None = None
) -> Any:
    from ceasefire.scenario import load_scenario

    notes: list[str] = []
    loaded = load_scenario(scenario, overrides=overrides or [], whatifs=whatifs or [], notes=notes)
    for note in notes:
        typer.echo(f"ceasefire: note: {note}", err=True)
    return loaded


class _progress_bar:  # noqa: N801 - used as a context manager, reads like a function
    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total = total
        self._progress: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("simulating"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} draws"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        task = self._progress.add_task("simulate", total=self.total)

        def report(done: int, total: int) -> None:
            self._progress.update(task, completed=done, total=total)

        return report

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def main() -> None:
    """Entry point of the ``ceasefire`` console script."""
    app()
