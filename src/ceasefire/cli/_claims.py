"""The ``claims`` command, registered on the main app by :func:`register`.

``ceasefire claims ARTICLE [--date D] [--json] [--scenario OUT] [--observed FILE]
[--references CSV]`` reads an article (a text or HTML file, or ``-`` for standard input),
lists its quantitative claims, checks them, and can draft a scenario overlay whose every
figure cites its sentence. ``--references`` adds reference values for comparisons ("the
size of X") to the shipped table.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ceasefire._errors import InputError

__all__ = ["register"]

_MAX_BYTES = 5_000_000


def _read(article: str) -> tuple[str, str]:
    """Return the article's text and a name for it (the file name or ``stdin``)."""
    if article == "-":
        raw = sys.stdin.buffer.read(_MAX_BYTES + 1)
        where = "stdin"
    else:
        path = Path(article)
        if path.is_dir():
            raise InputError("is a directory; expected a text or HTML file", where=article)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", where=article) from None
        where = article
    if len(raw) > _MAX_BYTES:
        raise InputError(f"larger than {_MAX_BYTES:,} bytes; expected an article", where=where)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 with a byte-order mark (Windows "Unicode" text): a text, not a binary file.
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"not UTF-16 text (byte {error.start})", where=where) from None
    if b"\x00" in raw:
        raise InputError("binary file; expected a text or HTML article", where=where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", where=where) from None
    if not text.strip():
        raise InputError("empty; expected an article", where=where)
    return text, where


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a date as YYYY-MM-DD, got {text!r}", where="--date") from None


def _value(claim: dict[str, Any]) -> str:
    low, high = claim["low"], claim["high"]

    def number(value: float) -> str:
        return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.4g}"

    if low is None and high is None:
        return "–"
    if low is None:
        text = f"up to {number(high)}"
    elif high is None:
        text = f"more than {number(low)}"
    else:
        text = number(low) if low == high else f"{number(low)}–{number(high)}"
        text = f"about {text}" if claim.get("qualifier") == "about" else text
    unit = claim["unit"]
    if unit == "percent":
        return f"{text}%"
    if unit == "times":
        return f"{text} times"
    return f"{text} {unit}" if unit and unit != "people" else text


def _note(claim: dict[str, Any]) -> str:
    """Say where a reference value came from, or why a claim is not checkable."""
    notes = []
    reference = claim.get("reference")
    if reference:
        source = reference["source"].split(", ")[0]  # the publisher; --json has the whole
        notes.append(f"{reference['name']}: {reference['stated']} ({source})")
    if claim.get("since"):
        notes.append(f"since {claim['since']}")
    if not claim.get("checkable", True):
        notes.append(f"not a checkable claim: {claim['not_checkable']}")
    return "; ".join(notes)


def _short(parameter: str | None) -> str:
    """Shorten a scenario path for the table: ``sides.`` and ``channels.`` dropped."""
    if not parameter:
        return ""
    return (
        parameter.replace("sides.", "", 1)
        .replace("channels.", "", 1)
        .removesuffix(".0.value")
        .removesuffix(".value")
    )


def _print(record: dict[str, Any], where: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(150, Console().width))
    title = record["title"] or where
    date = record["date"] or "no date (give --date to resolve relative dates)"
    table = Table(
        title=f"Claims of {title!r}, {date}",
        caption=f"{len(record['claims'])} claims; {len(record['dropped_lines'])} boilerplate "
        "lines dropped. Values as the article states them (counts of people without a unit); "
        "parameter: the default scenario's field, shortened (--json gives its full path).",
    )
    columns = ("#", "value", "counts", "period", "side", "date", "hedge", "parameter", "note")
    for name in columns:
        table.add_column(
            name,
            justify="right" if name in ("#", "value") else "left",
            min_width=12 if name in ("counts", "hedge") else None,
            no_wrap=name in ("value", "date", "period", "side", "parameter"),
        )
    for index, claim in enumerate(record["claims"], start=1):
        table.add_row(
            str(index),
            _value(claim),
            claim["counts"],
            (claim["period"] or "").replace("_", " "),
            claim["entity"] or "",
            claim["date"] or "",
            ", ".join(claim["hedge"]),
            _short(claim["parameter"]),
            _note(claim),
        )
    console.print(table)
    if record["mechanisms"]:
        console.print("[bold]Mechanisms[/bold] (candidate channels and policy events):")
        for mechanism in record["mechanisms"]:
            line = f"  {mechanism['kind']}: {mechanism['name']}"
            if mechanism["date"]:
                line += f", from {mechanism['date']}"
            if mechanism.get("regions"):
                line += f": {', '.join(mechanism['regions'])}"
            if mechanism["parameter"]:
                line += f" → {mechanism['parameter']}"
            console.print(line, highlight=False, markup=False)
    if record["checks"]:
        console.print("[bold]Checks[/bold]:")
        for check in record["checks"]:
            # Claims are numbered from 1 in the table; the JSON keeps 0-based indices.
            claims = ", ".join(f"#{index + 1}" for index in check["claims"])
            console.print(f"  {check['name']} ({claims}): {check['arithmetic']}", highlight=False)
            console.print(f"    → {check['verdict']}", highlight=False)
    if record["dropped_lines"]:
        console.print("[bold]Dropped[/bold] (boilerplate):")
        for line in record["dropped_lines"]:
            console.print(f"  {line}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``claims`` command to ``app``."""
    from ceasefire.cli._app import _friendly, with_examples

    @app.command("claims")
    @with_examples(
        "ceasefire claims ../shared/data/ukraine/article_fixture/article_paraphrase.html",
        "ceasefire claims ../shared/data/ukraine/article_fixture/article_paraphrase.txt "
        "--date 2024-11-25 --json",
    )
    @_friendly
    def claims(
        article: Annotated[
            str, typer.Argument(help="The article: a text or HTML file, or - for standard input.")
        ],
        date: Annotated[
            str | None,
            typer.Option(
                help="The article's date, YYYY-MM-DD (default: the HTML's metadata); relative "
                "dates such as 'November 1' resolve against it.",
                show_default=False,
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        scenario: Annotated[
            Path | None,
            typer.Option(
                help="Write a scenario overlay (YAML) of the default scenario with the "
                "article's figures, each citing its sentence and date.",
                show_default=False,
            ),
        ] = None,
        references: Annotated[
            Path | None,
            typer.Option(
                help="A CSV of reference values to add to the shipped ones (columns name, "
                "aliases, quantity, value, unit, source), for comparisons such as 'the size "
                "of Wales'.",
                show_default=False,
            ),
        ] = None,
        observed: Annotated[
            list[Path] | None,
            typer.Option(
                help="An observed series to check the claims against (General Staff JSON, "
                "Mediazona JSON, contract-claims CSV or a date,value CSV). Repeatable.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """List an article's quantitative claims, check them, and draft a sourced overlay."""
        from ceasefire.claims import analyse_article, draft_overlay, load_references

        text, where = _read(article)
        table = load_references(references) if references is not None else None
        series = []
        if observed:
            from ceasefire.observe import load_series

            series = [load_series(path) for path in observed]
        report = analyse_article(text, date=_date(date), series=series, references=table)
        record = {**report.to_dict(), "article": report.article.title or where}
        if scenario is not None:
            record["scenario"] = _write_overlay(report, where, scenario, draft_overlay)
        if as_json:
            typer.echo(json.dumps(record, indent=2, ensure_ascii=False))
            return
        _print(record, where)
        if scenario is not None:
            drafted = record["scenario"]
            typer.echo(
                f"wrote {scenario}: {len(drafted['overrides'])} parameters from the article"
                + (f"; not drafted: {'; '.join(drafted['skipped'])}" if drafted["skipped"] else "")
                + (
                    f"; regional recruitment listed for a future regional model: "
                    f"{', '.join(drafted['regions'])}"
                    if drafted["regions"]
                    else ""
                )
            )


def _write_overlay(report: Any, where: str, output: Path, draft_overlay: Any) -> dict[str, Any]:
    import yaml

    from ceasefire._atomic import atomic_outputs
    from ceasefire._errors import ScenarioError
    from ceasefire.scenario import DEFAULT_PRESET, load_scenario

    publisher = "article read by ceasefire claims" + (
        f" ({Path(where).name})" if where != "stdin" else ""
    )
    draft = draft_overlay(
        report.claims,
        date=report.article.date,
        title=report.article.title,
        publisher=publisher,
        name=output.stem,
    )
    if not draft.overrides:
        raise InputError(
            "no claim of the article maps to a parameter of the default scenario; nothing to draft",
            where="--scenario",
        )
    try:
        load_scenario(DEFAULT_PRESET, overrides=draft.override_strings())
    except ScenarioError as error:
        raise InputError(
            f"the drafted overlay does not validate against {DEFAULT_PRESET}: {error}",
            where=str(output),
        ) from None
    regional = [m for m in report.mechanisms if m.regions]
    header = "".join(
        f"# {m.name} (for a future regional model; the default scenario has no regions): "
        f"{', '.join(m.regions)}\n#   from: {m.sentence}\n"
        for m in regional
    )
    try:
        with atomic_outputs([output]) as (temporary,):
            temporary.write_text(
                header
                + yaml.safe_dump(
                    draft.to_yaml_data(), sort_keys=False, allow_unicode=True, width=100
                ),
                encoding="utf-8",
            )
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", where=str(output)) from None
    return {
        "path": str(output),
        "overrides": draft.overrides,
        "skipped": draft.skipped,
        "regions": [region for m in regional for region in m.regions],
    }
