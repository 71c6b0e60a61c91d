"""The Typer app and what its command modules share (options, the error wrapper, loading).

Heavy imports (numpy, xarray, pydantic models) happen inside the commands, so
``ceasefire --help`` stays instant. Bad input of any kind ends with one message
on stderr naming the file and field, exit code 2, and no output file written.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
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


def with_examples(*examples: str) -> Callable[[F], F]:
    """Append an ``Examples:`` block to a command's help, one command line per example.

    Click keeps a paragraph that starts with a backspace character as written, so each
    example stays on its own line; ``tests/test_readme.py`` runs every example of every command.
    """
    block = "\n\n    Examples:\n\n    \b\n" + "\n".join(f"      {line}" for line in examples)

    def decorate(command: F) -> F:
        command.__doc__ = (command.__doc__ or "").rstrip() + block
        return command

    return decorate


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


EXTRAS: dict[str, tuple[str, str]] = {
    "fast": ("numba", "--engine numba"),
    "dask": ("distributed", "--executor dask and --scheduler (run, sweep)"),
    "calibrate": ("arviz", "calibrate and backtest"),
    "dashboard": ("panel", "dashboard"),
}
"""Optional extra -> (the module it installs, what needs it)."""


def require_extra(extra: str, where: str) -> None:
    """Refuse, before any work starts, a command whose optional extra is not installed."""
    from importlib.util import find_spec

    module, _ = EXTRAS[extra]
    if find_spec(module) is None:
        raise InputError(
            f"needs the `{extra}` extra ({module} is not installed): "
            f"pip install 'ceasefire[{extra}]'",
            where=where,
        )


_CONNECT_TIMEOUT_S = 3.0


def check_dask(executor: str | None, scheduler: str | None) -> None:
    """Check the extra and reach the scheduler before any work starts, when Dask is used.

    A scheduler that cannot be reached otherwise surfaces only after distributed's own
    connection timeout (30 s), as an error about writing the outputs.
    """
    import socket
    from urllib.parse import urlsplit

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    where = "--scheduler" if scheduler else "DASK_SCHEDULER_ADDRESS"
    if executor not in (None, "dask") or (executor is None and not address):
        return
    require_extra("dask", "--executor dask" if executor == "dask" and not address else where)
    if not address:
        raise InputError(
            "the dask executor needs a scheduler address: --scheduler tcp://host:8786 or "
            "DASK_SCHEDULER_ADDRESS",
            where="--executor",
        )
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp":
        return  # tls://, ucx://, inproc://: distributed connects and reports for itself
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or port is None:
        raise InputError(f"expected tcp://HOST:PORT, got {address!r}", where=where)
    try:
        with socket.create_connection((host, port), timeout=_CONNECT_TIMEOUT_S):
            pass
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise InputError(
            f"cannot connect to the Dask scheduler at {host}:{port} ({reason}); is it "
            "running, and is the address right?",
            where=where,
        ) from None


def default_folder(
    loaded: Any,
    *,
    source: str | None,
    overrides: Sequence[str] | None,
    draws: int,
    seed: int,
    posterior: Path | None = None,
    sampler: str = "mc",
    deterministic: bool = False,
) -> Path:
    """Return ``out/<what ran>``: a folder that no other run's default shares.

    The scenario's name carries its what-ifs (``russia-ukraine-2024-11.bonus-cut``); a file
    that keeps a preset's name (``battles fit --into``) adds its hash; ``--set`` values, a
    posterior, a sampler other than ``mc``, draws other than 10,000 and a seed other than 0
    each add a part; ``--deterministic`` (one draw at the medians) adds ``.deterministic``
    instead of draws and seed. The default run keeps the plain name,
    ``out/russia-ukraine-2024-11``.
    """
    from ceasefire.scenario import preset_names, scenario_hash

    parts = [str(loaded.name)]
    if (
        source is not None
        and Path(source).is_file()
        and loaded.name.split(".")[0] in set(preset_names())
    ):
        parts.append(f"file-{scenario_hash(loaded)[:8]}")
    if overrides:
        text = "\n".join(item.strip() for item in overrides)
        parts.append(f"set-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}")
    if posterior is not None:
        parts.append(f"posterior-{file_sha256(posterior)[:8]}")
    if deterministic:  # one draw at the medians: neither draws, seed nor sampler matter
        parts.append("deterministic")
        return Path("out") / ".".join(parts)
    if sampler != "mc":
        parts.append(sampler)
    if draws != 10_000:
        parts.append(f"n{draws}")
    if seed != 0:
        parts.append(f"seed{seed}")
    return Path("out") / ".".join(parts)


def file_sha256(path: Path) -> str:
    """Return the sha256 of a file's bytes (InputError when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", where=str(path)) from None
    return digest.hexdigest()


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


def save_json(path: Path | None, payload: dict[str, Any]) -> None:
    """Write ``payload`` as JSON to ``path`` (``--save``) through a temporary file; None: skip."""
    if path is None:
        return
    import json

    from ceasefire._atomic import atomic_outputs

    if path.is_dir():
        raise InputError("is a folder; expected a file name for the JSON result", where=str(path))
    try:
        with atomic_outputs([path]) as (temporary,):
            temporary.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", where=str(path)) from None


def main() -> None:
    """Entry point of the ``ceasefire`` console script."""
    app()
