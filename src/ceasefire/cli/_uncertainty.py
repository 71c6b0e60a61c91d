"""``ceasefire sensitivity`` and ``ceasefire compare``: what drives the answer, what changes it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ceasefire._errors import InputError
from ceasefire.cli._app import (
    ScenarioArgument,
    SetOption,
    WithOption,
    _friendly,
    _load,
    _progress_bar,
    save_json,
    with_examples,
)

__all__ = ["register"]


SaveOption = Annotated[
    Path | None,
    typer.Option(
        help="Also write the JSON result to this file (atomically; the report reads it).",
        show_default=False,
    ),
]
EngineOption = Annotated[str, typer.Option(help="numpy, numba (compiled; extra fast) or auto.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
ProgressOption = Annotated[bool, typer.Option(help="Show a progress bar on stderr.")]


class MethodName(StrEnum):
    """Sensitivity method."""

    sobol = "sobol"
    morris = "morris"
    pawn = "pawn"


def _groups(specs: list[str] | None) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for spec in specs or []:
        name, sep, pattern = spec.partition("=")
        if not sep or not name.strip() or not pattern.strip():
            raise InputError(
                "expected NAME=GLOB, e.g. recruitment='*.recruitment.*'",
                where="--group",
                field=spec,
            )
        groups.setdefault(name.strip(), []).append(pattern.strip())
    return groups


def _check_include(scenario: Any, patterns: list[str]) -> None:
    """Refuse --include globs that match no uncertain parameter, before anything runs."""
    import fnmatch

    from ceasefire.ensemble import uncertain_parameters

    paths = [p.path for p in uncertain_parameters(scenario)]
    for pattern in patterns:
        if not any(fnmatch.fnmatchcase(path, pattern) for path in paths):
            raise InputError(
                f"matches no uncertain parameter of {scenario.name} (e.g. {paths[0]})"
                if paths
                else f"{scenario.name} has no uncertain parameters",
                where="--include",
                field=pattern,
            )


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _print_sensitivity(result: dict[str, Any], top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    from ceasefire.analysis import format_values, measure_unit

    indices = list(result["indices"])
    unit = measure_unit(str(result["output"]))
    # Morris effects are in the measure's own unit; Sobol and PAWN indices are shares in [0, 1].
    in_units = set(indices) if result["method"] == "morris" else set()
    shown = result["factors"][:top]
    columns = {
        name: (
            format_values([f[name] for f in shown])
            if name in in_units
            else [_fmt(f[name]) for f in shown]
        )
        for name in indices
    }
    table = Table(
        title=f"What drives {result['output']} ({result['method']}, "
        f"{result['evaluations']:,} runs of {result['scenario']})",
        caption=f"ranked by {result['rank_by']}; *_conf: half-width of the 95% interval",
    )
    table.add_column("#", justify="right")
    table.add_column("factor", justify="left")
    for name in indices:
        header = f"{name} ({unit})" if name in in_units and unit else name
        table.add_column(header, justify="right")
    for rank, factor in enumerate(shown, start=1):
        label = factor["factor"]
        if len(factor["parameters"]) > 1:
            label += f" ({len(factor['parameters'])} parameters)"
        table.add_row(str(rank), label, *(columns[name][rank - 1] for name in indices))
    console = Console(width=140)
    console.print(table)
    if str(result["output"]).startswith("force_margin."):
        console.print(
            f"{result['output']}: the active force at the horizon over the required minimum, "
            "minus one (0.25: a quarter above the minimum; below 0: a manpower crisis)",
            highlight=False,
        )
    for note in result["notes"]:
        if note.startswith("warning: "):
            typer.echo(f"ceasefire: {note}", err=True)
        else:
            console.print(f"note: {note}", highlight=False)


def _resolve_variant(
    base: str | None, variant: str, overrides: list[str], whatifs: list[str]
) -> Any:
    """Load a variant: a scenario file or preset, else what-ifs joined by ``+`` on the base."""
    from ceasefire.scenario import load_scenario, preset_names, whatif_names

    if Path(variant).is_file() or variant in preset_names():
        return load_scenario(variant, overrides=overrides, whatifs=whatifs)
    names = variant.split("+")
    known = whatif_names()
    unknown = [n for n in names if n not in known and not Path(n).is_file()]
    if unknown:
        raise InputError(
            "not a scenario file, a preset or a what-if (join what-ifs with +); presets: "
            + ", ".join(preset_names())
            + "; what-ifs: "
            + ", ".join(known),
            where=unknown[0],
        )
    return load_scenario(base, overrides=overrides, whatifs=[*whatifs, *names])


def _print_comparison(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=140)
    for comparison in result["comparisons"]:
        table = Table(
            title=f"{comparison['variant']} against {comparison['base']} "
            f"({result['draws']:,} paired draws, seed {result['seed']})",
            caption="means over the paired draws; difference: variant − base, draw by draw "
            "(common random numbers), with the 95% interval of its mean; probabilities as "
            "shares of draws, differences in percentage points",
        )
        for name, justify in (
            ("measure", "left"),
            ("base (mean)", "right"),
            ("variant (mean)", "right"),
            ("difference (mean)", "right"),
            ("95% interval", "right"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for name, entry in comparison["measures"].items():
            if entry["units"] == "probability":
                base, variant = f"{entry['base']:.1%}", f"{entry['variant']:.1%}"
                diff = _signed(entry["mean_difference"], percent=True)
                low, high = (_signed(v, percent=True) for v in entry["ci95"])
            else:
                base = _number(entry.get("base_mean"))
                variant = _number(entry.get("variant_mean"))
                scale = abs(entry.get("base_mean") or 0.0)
                diff = _signed(entry["mean_difference"], scale)
                low, high = (_signed(v, scale) for v in entry["ci95"])
            table.add_row(
                _measure_label(name, entry["units"]), base, variant, diff, f"{low} to {high}"
            )
        console.print(table)
        console.print(
            f"{comparison['shared_parameters']} parameters shared with the base keep their draws.",
            highlight=False,
        )


def _measure_label(name: str, units: str) -> str:
    """``territory_change.russia`` → ``territory_change.russia (km² gained; negative: lost)``."""
    if name.startswith("territory_change."):
        return f"{name} (km² gained; negative: lost)"
    shown = {"men/month": "men a month", "km2": "km²", "1": "", "probability": ""}.get(units, units)
    return f"{name} ({shown})" if shown else name


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _signed(value: float | None, scale: float = 1.0, *, percent: bool = False) -> str:
    """Format a difference; below 1e-9 of the measure's scale it is float noise: 0."""
    if value is None:
        return "–"
    if abs(value) <= 1e-9 * max(abs(scale), 1.0):
        return "0"
    if percent:
        return f"{value * 100:+.1f} pts"
    if abs(value) >= 1000:
        return f"{value:+,.0f}"
    return f"{value:+.3g}"


def _engine(name: str) -> str:
    if name not in ("numpy", "numba", "auto"):
        raise InputError("expected numpy, numba or auto", where="--engine")
    if name == "numba":
        from importlib.util import find_spec

        if find_spec("numba") is None:
            raise InputError("needs Numba: pip install 'ceasefire[fast]'", where="--engine")
    return name


def register(app: typer.Typer) -> None:
    """Add ``sensitivity`` and ``compare`` to the ``ceasefire`` app."""

    @app.command()
    @with_examples(
        "ceasefire sensitivity tiny -N 64",
        "ceasefire sensitivity --output active.ukraine@36 --method morris -N 8",
    )
    @_friendly
    def sensitivity(
        scenario: ScenarioArgument = None,
        output: Annotated[
            str | None,
            typer.Option(
                help="The measure to explain: measure.side or measure.side@month, e.g. "
                "months_to_crisis.russia, active.ukraine@36, territory_change.russia; "
                "default: months to crisis of the first side.",
                show_default=False,
            ),
        ] = None,
        method: Annotated[
            MethodName,
            typer.Option(
                help="sobol: first- and total-order indices; morris: elementary effects; "
                "pawn: moment-independent."
            ),
        ] = MethodName.sobol,
        n: Annotated[
            int | None,
            typer.Option(
                "-N",
                "--samples",
                min=2,
                help="Base sample size (runs: sobol N(D+2), morris N(D+1), pawn N); "
                "default 2048, 64, 4096.",
                show_default=False,
            ),
        ] = None,
        seed: Annotated[int, typer.Option(min=0, help="Seed of the design.")] = 0,
        group: Annotated[
            list[str] | None,
            typer.Option(
                help="Treat the parameters matching a glob as one factor: NAME=GLOB, e.g. "
                "recruitment='*.recruitment.*'. Repeatable.",
                show_default=False,
            ),
        ] = None,
        include: Annotated[
            list[str] | None,
            typer.Option(
                help="Only these parameters (globs) are factors; the others are held at "
                "their medians. Repeatable.",
                show_default=False,
            ),
        ] = None,
        top: Annotated[int, typer.Option(min=1, help="Rows shown in the table.")] = 12,
        overrides: SetOption = None,
        whatifs: WithOption = None,
        save: SaveOption = None,
        engine: EngineOption = "auto",
        as_json: JsonOption = False,
        progress: ProgressOption = True,
    ) -> None:
        """Rank the uncertain parameters by their influence on a measure (SALib)."""
        import ceasefire.bargaining  # noqa: F401  (registers the deal measures, deal_*@MONTH)
        from ceasefire.analysis import sensitivity as analyse

        loaded = _load(scenario, overrides, whatifs)
        if include:
            _check_include(loaded, include)
        with _progress_bar(progress, 1) as report:
            result = analyse(
                loaded,
                output=output,
                method=method.value,
                n=n,
                seed=seed,
                groups=_groups(group),
                include=include,
                progress=report,
                simulate_options={"engine": _engine(engine)},
            )
        payload = result.to_dict()
        save_json(save, payload)
        if as_json:
            typer.echo(json.dumps(payload, indent=2))
        else:
            _print_sensitivity(payload, top)

    @app.command()
    @with_examples(
        "ceasefire compare russia-ukraine-2024-11 bonus-cut belarus-joins+north-korea-surge "
        "--draws 2000",
    )
    @_friendly
    def compare(
        base: Annotated[
            str,
            typer.Argument(help="The base scenario (file or preset name)."),
        ],
        variants: Annotated[
            list[str],
            typer.Argument(
                help="Variants: scenario files or presets, or what-ifs applied to the base "
                "(belarus-joins, or belarus-joins+bonus-cut)."
            ),
        ],
        draws: Annotated[int, typer.Option("--draws", "-n", min=2, help="Paired draws.")] = 10_000,
        seed: Annotated[int, typer.Option(min=0, help="Root seed, shared by all.")] = 0,
        overrides: SetOption = None,
        whatifs: WithOption = None,
        save: SaveOption = None,
        engine: EngineOption = "auto",
        as_json: JsonOption = False,
        progress: ProgressOption = True,
    ) -> None:
        """Compare variants with a base scenario under common random numbers."""
        import ceasefire.bargaining  # noqa: F401  (registers the deal measures)
        from ceasefire.analysis import compare as run_compare

        base_scenario = _load(base, overrides, whatifs)
        variant_scenarios = [
            _resolve_variant(base, v, overrides or [], whatifs or []) for v in variants
        ]
        with _progress_bar(progress, draws * (1 + len(variants))) as report:
            result = run_compare(
                base_scenario,
                variant_scenarios,
                draws=draws,
                seed=seed,
                progress=report,
                simulate_options={"engine": _engine(engine)},
            )
        save_json(save, result)
        if as_json:
            typer.echo(json.dumps(result, indent=2))
        else:
            _print_comparison(result)
