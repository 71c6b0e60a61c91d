"""Every command of the README, and every example of every command's --help, run as written.

A new user copies commands from the README and from ``--help``; none may fail. The commands
run in README order in one working folder (a later one may read what an earlier one wrote:
``run --posterior posterior.nc`` after ``calibrate … -o posterior.nc``), beside a link to
``../shared`` so the README's data paths resolve as they do in a clone. Files a user brings
(``my-scenario.yaml``, ``article.html``, ``my-battle.csv``, ``my-regions.csv`` …) are made
from shipped or shared files, and ensemble sizes with a large default are made small
(``SMALL``); nothing else is changed. Commands that need a network, a browser or the test
suite itself are listed in ``SKIPPED`` with the reason.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ceasefire.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"
PRESETS = ROOT / "src" / "ceasefire" / "scenario" / "presets"

SKIPPED = {
    "make run": "sets up .venv (needs the package index) and takes minutes; its three "
    "commands (run, sensitivity, report) are the README's own, run here",
    "make test": "runs this test suite",
    "ceasefire dashboard --port 5006": "serves until stopped and needs a browser "
    "(tests/test_dashboard.py and tests/test_browser.py drive the dashboard)",
    "ceasefire dashboard tiny --port 0 --show": "serves until stopped and opens a browser",
    "ceasefire run --scheduler tcp://host:8786": "needs a Dask scheduler on the network "
    "(tests/test_first_hour.py checks that an unreachable one is named within seconds)",
}

# Sizes for commands whose default is large: option -> value, added when the command does
# not give the option itself.
SMALL: dict[tuple[str, ...], list[str]] = {
    ("sensitivity",): ["-N", "8"],
    ("compare",): ["--draws", "300"],
    ("report",): ["--window-draws", "100"],
    ("bargain",): ["--draws", "200"],
    ("regions",): ["--draws", "200"],
    ("bargain", "window"): ["--draws", "200"],
    ("calibrate",): ["--particles", "60", "--no-progress"],
    ("backtest",): ["--particles", "60", "--no-progress"],
    ("battles", "select"): ["--simulations", "2000"],
}
_MAX_RUN_DRAWS = 20_000  # `run pysd-reference --draws 1000000` runs with 2,000


def _shell_blocks(text: str) -> Iterator[str]:
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        yield from block.replace("\\\n", " ").splitlines()


def readme_commands() -> list[str]:
    """The README's shell commands, comments dropped, continuation lines joined."""
    commands = []
    for line in _shell_blocks(README.read_text(encoding="utf-8")):
        words = shlex.split(line, comments=True)
        if words:
            commands.append(shlex.join(words))
    return commands


def help_examples() -> dict[str, list[str]]:
    """Every leaf command's examples, from its --help, by command path."""
    found: dict[str, list[str]] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        # Typer ships its own copy of click: a group is whatever has subcommands.
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
            return
        text = command.help or ""
        _, _, tail = text.partition("Examples:")
        found[" ".join(path)] = [
            line.strip() for line in tail.splitlines() if line.strip().startswith("ceasefire ")
        ]

    walk(typer.main.get_command(app), ())
    return found


def _prepare(work: Path) -> None:
    """Make the files a user brings, and the link that makes ../shared resolve."""
    work.mkdir()
    if SHARED.is_dir():
        (work.parent / "shared").symlink_to(SHARED, target_is_directory=True)
    shutil.copyfile(PRESETS / "tiny.yaml", work / "my-scenario.yaml")
    shutil.copyfile(PRESETS / "deals" / "current-line-neutrality.yaml", work / "my-deal.yaml")
    shutil.copyfile(PRESETS / "records" / "recorded-offers.yaml", work / "my-offers.yaml")
    shipped = PRESETS.parent.parent / "analysis" / "costs" / "data" / "regions.csv"
    shutil.copyfile(shipped, work / "my-regions.csv")
    # A user's own "size of X" references for `claims --references` (the shipped table's columns).
    (work / "mine.csv").write_text(
        "name,aliases,quantity,value,unit,source\nMy Oblast,,area,12345,km2,my atlas\n",
        encoding="utf-8",
    )
    sweep = re.search(r"`sweep.yaml`:\n\n```yaml\n(.*?)```", README.read_text("utf-8"), re.S)
    assert sweep, "the README shows an example sweep.yaml"
    (work / "sweep.yaml").write_text(sweep.group(1), encoding="utf-8")
    fixture = SHARED / "data" / "ukraine" / "article_fixture"
    battles = SHARED / "data" / "battles"
    for source, name in (
        (fixture / "article_paraphrase.html", "article.html"),
        (fixture / "article_paraphrase.txt", "article.txt"),
        (battles / "ardennes" / "ardennes_wpy2000.csv", "ardennes_wpy2000.csv"),
        (battles / "ardennes" / "ardennes_wpy2000.csv", "my-battle.csv"),
    ):
        if source.is_file():
            shutil.copyfile(source, work / name)
    if (battles / "cdb90").is_dir():
        (work / "cdb90").symlink_to(battles / "cdb90", target_is_directory=True)


_FROM_SHARED = ("article.html", "article.txt", "ardennes_wpy2000.csv", "my-battle.csv", "cdb90/")


def _needs_shared(words: list[str], work: Path) -> str | None:
    """Name a file of ../shared (or made from it) the command reads that is absent, or None."""
    for word in words:
        for part in word.split("="):
            if ("shared/" in part or part in _FROM_SHARED) and not (work / part).exists():
                return part
    return None


def _small(words: list[str]) -> list[str]:
    path = tuple(w for w in words[1:3] if not w.startswith("-"))
    args = list(words[1:])
    if words[1] == "run" and "--draws" in args:
        at = args.index("--draws") + 1
        if int(args[at]) > _MAX_RUN_DRAWS:
            args[at] = "2000"
    if path[:2] == ("battles", "select") and "rubio2016" in args:
        # The paper's procedure on CDB90: fewer runs, seeds and ABC-SMC particles (its
        # verdicts at full size are in benchmarks/BATTLES.md).
        for option, cap in (("--runs", 300), ("--repeats", 2)):
            if option in args:
                at = args.index(option) + 1
                args[at] = str(min(int(args[at]), cap))
            elif option == "--runs":
                args += [option, str(cap)]
        if "smc" in args and "--population" not in args:
            args += ["--population", "40", "--generations", "2"]
        return args
    if path[:1] == ("discover",) and not any(w.endswith(".nc") for w in args):
        if "--draws" not in args:
            args += ["--draws", "5000"]
        return args
    for key in (path[:2], path[:1]):
        extra = SMALL.get(key)
        if extra is not None:
            if extra[0] not in args and not (extra[0] == "--draws" and "-n" in args):
                if key == ("bargain",) and len(path) > 1 and path[1] in ("models", "solve"):
                    break
                args += extra
            break
    return args


def run_line(line: str, work: Path) -> None:
    """Run one command line as a user would type it in ``work``."""
    words = shlex.split(line)
    stdin = stdout = None
    if "<" in words:
        at = words.index("<")
        stdin, words = (work / words[at + 1]).read_text("utf-8"), words[:at] + words[at + 2 :]
    if ">" in words:
        at = words.index(">")
        stdout, words = work / words[at + 1], words[:at] + words[at + 2 :]
    if words[0] == "python":
        assert words[1:3] == ["-m", "ceasefire"], line
        words = ["ceasefire", *words[3:]]
    assert words[0] == "ceasefire", line
    result = CliRunner().invoke(app, _small(words), input=stdin)
    assert result.exit_code == 0, f"{line}\nexit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output, line
    if stdout is not None:
        stdout.write_text(result.stdout, encoding="utf-8")


def test_the_readme_has_commands_and_every_skip_is_in_it() -> None:
    commands = readme_commands()
    assert len(commands) > 30
    assert set(SKIPPED) - {*commands, *(e for v in help_examples().values() for e in v)} == set()


@pytest.mark.slow
def test_every_readme_command_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    _prepare(work)
    monkeypatch.chdir(work)
    missing = []
    for line in readme_commands():
        if line in SKIPPED:
            continue
        absent = _needs_shared(shlex.split(line), work)
        if absent is not None:
            missing.append(f"{line} (needs {absent})")
            continue
        run_line(line, work)
    # The bare `run` and `make run` share a folder; the report command of the README reads it.
    assert (work / "out" / "russia-ukraine-2024-11" / "ensemble.nc").is_file()
    if missing:
        pytest.skip("the shared data folder is absent for: " + "; ".join(missing))


@pytest.mark.slow
def test_the_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    code = re.search(r"```python\n(.*?)```", README.read_text("utf-8"), re.S)
    assert code
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # our own README's example
    assert namespace["summary"]["sides"]  # type: ignore[index]


def test_every_command_has_an_example_in_its_help() -> None:
    examples = help_examples()
    assert {"run", "report", "bargain solve", "battles fit"} <= set(examples)
    assert [name for name, lines in examples.items() if not lines] == []


@pytest.mark.slow
def test_every_help_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    _prepare(work)
    monkeypatch.chdir(work)
    missing = []
    for name, lines in help_examples().items():
        for line in lines:
            if line in SKIPPED:
                continue
            absent = _needs_shared(shlex.split(line), work)
            if absent is not None:
                missing.append(f"{name}: {line}")
                continue
            run_line(line, work)
    if missing:
        pytest.skip("the shared data folder is absent for: " + "; ".join(missing))
