"""The Typer app: ``run``, ``validate``, ``schema``.

Heavy imports (numpy, xarray, pydantic models) happen inside the commands, so
``ceasefire --help`` stays instant. Bad input of any kind ends with one message
on stderr naming the file and field, exit code 2, and no output file written.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

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

    return load_scenario(scenario, overrides=overrides or [], whatifs=whatifs or [])


@app.command()
@_friendly
def run(
    scenario: ScenarioArgument = None,
    draws: Annotated[int, typer.Option("--draws", "-n", min=1, help="Ensemble size.")] = 10_000,
    seed: Annotated[int, typer.Option(min=0, help="Root seed (results are reproducible).")] = 0,
    overrides: SetOption = None,
    whatifs: WithOption = None,
    save: Annotated[
        SaveMode | None,
        typer.Option(
            help="trajectories: keep monthly trajectories (default up to 10⁴ draws); "
            "summary: keep per-draw headline measures only.",
            show_default=False,
        ),
    ] = None,
    sampler: Annotated[SamplerName, typer.Option(help="Sampling design.")] = SamplerName.mc,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output folder; default: out/<scenario name>."),
    ] = None,
    chunk_size: Annotated[
        int | None, typer.Option(min=1, help="Draws integrated at once (results do not change).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    engine: Annotated[
        str,
        typer.Option(help="numpy, numba (compiled; extra fast) or auto (numba when installed)."),
    ] = "auto",
    executor: Annotated[
        str | None,
        typer.Option(help="inprocess (default), processes (local cores) or dask."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes for --executor processes.")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address (tcp://host:8786); default DASK_SCHEDULER_ADDRESS.",
            show_default=False,
        ),
    ] = None,
    posterior: Annotated[
        Path | None,
        typer.Option(
            help="Run forward from a posterior written by `ceasefire calibrate`: its "
            "parameters are resampled jointly, the others drawn from their priors. The "
            "posterior conditions what the data inform (rates, biases); initial stocks "
            "stay close to their priors.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Simulate an ensemble and summarise it; write ensemble.nc and summary.json.

    With --save summary the ensemble is reduced while it streams: summary.json comes from
    the streamed quantiles and counts, and ensemble.nc (per-draw headline measures) is
    written chunk by chunk, so memory does not grow with --draws.
    """
    from ceasefire._atomic import atomic_outputs
    from ceasefire.analysis import summarize
    from ceasefire.simulate import TRAJECTORY_LIMIT, simulate
    from ceasefire.simulate._io import save_ensemble

    loaded = _load(scenario, overrides, whatifs)
    folder = output if output is not None else Path("out") / loaded.name
    if folder.exists() and not folder.is_dir():
        raise InputError("exists and is not a folder", where=str(folder))

    if engine not in ("numpy", "numba", "auto"):
        raise InputError("expected numpy, numba or auto", where="--engine")
    if executor not in (None, "inprocess", "processes", "dask"):
        raise InputError("expected inprocess, processes or dask", where="--executor")
    run_options: dict[str, Any] = {
        "draws": draws,
        "seed": seed,
        "sampler": sampler.value,
        "chunk_size": chunk_size,
        "engine": engine,
        "executor": executor,
        "workers": workers,
        "scheduler": scheduler,
    }
    if posterior is not None:
        run_options["values"] = _posterior_values(posterior, loaded, draws, seed)
    targets = [folder / "ensemble.nc", folder / "summary.json"]
    streaming = save == SaveMode.summary or (save is None and draws > TRAJECTORY_LIMIT)
    try:
        with atomic_outputs(targets) as (ensemble_tmp, summary_tmp):
            with _progress_bar(progress, draws) as report:
                if streaming:
                    from ceasefire.analysis._summary import summarize_streamed
                    from ceasefire.simulate._streaming import stream_to_file

                    streamed = stream_to_file(loaded, ensemble_tmp, progress=report, **run_options)
                    summary = summarize_streamed(streamed)
                else:
                    ensemble = simulate(loaded, save="trajectories", progress=report, **run_options)
                    summary = summarize(ensemble)
                    save_ensemble(ensemble, ensemble_tmp)
            summary_tmp.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write outputs: {error.strerror}", where=str(folder)) from None
    except ValueError as error:  # an engine or executor that is not available here
        raise InputError(str(error), where="run") from None

    # A stiff step is a warning, not an error: the limiter kept the stocks non-negative and
    # the outputs are written, but the user must see that some flow outran the step.
    run_attrs = streamed.attrs if streaming else ensemble.attrs
    stiff = str(run_attrs.get("stiffness_warning", ""))
    if stiff:
        typer.echo(f"ceasefire: warning: {stiff}", err=True)
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        _print_table(summary)
        typer.echo(f"wrote {targets[0]} and {targets[1]}")


def _posterior_values(path: Path, scenario: Any, draws: int, seed: int) -> dict[str, Any]:
    """Resample a posterior for ``scenario``; refuse one whose parameters it lacks."""
    from ceasefire.calibrate import posterior_values
    from ceasefire.simulate import uncertain_parameters

    values = posterior_values(path, draws, seed)
    known = {p.path for p in uncertain_parameters(scenario)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InputError(
            f"the posterior holds {len(unknown)} parameters that are not uncertain "
            f"parameters of {scenario.name} (first: {unknown[0]}); calibrate this scenario",
            where=str(path),
        )
    return values


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


def _print_table(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ceasefire.analysis import summary_rows

    header, rows = summary_rows(summary)
    title = (
        f"{summary['title']}\n{summary['draws']:,} draws, seed {summary['seed']}, "
        f"{summary['horizon_months']:g} months from {summary['start']}"
    )
    table = Table(
        title=title,
        caption="median (5% to 95%); probabilities worded on the UK Defence Intelligence yardstick",
    )
    for name in header:
        if name:
            table.add_column(name, justify="right")
        else:
            table.add_column(name, justify="left", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    Console(width=max(110, 40 + len(header) * 28)).print(table)


@app.command()
@_friendly
def validate(
    scenario: Annotated[str, typer.Argument(help="Scenario file (YAML or TOML) or preset name.")],
    overrides: SetOption = None,
    whatifs: WithOption = None,
) -> None:
    """Check a scenario file; print what it holds, or the first problem."""
    from ceasefire.scenario import iter_params, scenario_hash

    loaded = _load(scenario, overrides, whatifs)
    params = list(iter_params(loaded))
    uncertain = sum(not p.is_fixed for _, p in params)
    sourced = sum(p.source is not None for _, p in params)
    channels = sum(len(side.channels) for side in loaded.sides.values())
    typer.echo(
        f"{scenario}: valid scenario {loaded.name!r}: {len(loaded.sides)} sides, {channels} "
        f"channels, {len(params)} parameters ({uncertain} uncertain; {sourced} sourced, "
        f"{len(params) - sourced} assumptions); sha256 {scenario_hash(loaded)[:12]}"
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from ceasefire.scenario import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@app.command()
def presets() -> None:
    """List the scenarios and the what-if overlays shipped with ceasefire."""
    from ceasefire.scenario import load_scenario, load_whatif, preset_names, whatif_names

    typer.echo("scenarios:")
    for name in preset_names():
        typer.echo(f"  {name}: {load_scenario(name).title}")
    typer.echo("what-ifs (--with NAME, on the default scenario):")
    for name in whatif_names():
        typer.echo(f"  {name}: {' '.join(load_whatif(name).description.split())}")


class _BargainGroup(TyperGroup):
    """Route ``ceasefire bargain [SCENARIO] …`` to ``window``.

    ``models`` and ``solve`` stay subcommands; anything else starts the window command.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["window", *args]
        return super().parse_args(ctx, args)


bargain_app = typer.Typer(
    rich_markup_mode=None,
    cls=_BargainGroup,
    help="The deal window of a scenario (`ceasefire bargain [SCENARIO]`), and the closed-form "
    "models of the literature (`bargain models`, `bargain solve`).",
)
app.add_typer(bargain_app, name="bargain")


@bargain_app.command("window")
@_friendly
def bargain_window(
    scenario: ScenarioArgument = None,
    deal: Annotated[
        str | None,
        typer.Option(
            help="A proposed deal (YAML file or shipped name); default for scenarios with "
            "territory, neutrality and sanctions: current-line-neutrality.",
            show_default=False,
        ),
    ] = None,
    beliefs_a: Annotated[
        str | None,
        typer.Option(
            help="The first side's belief overlay (YAML file or shipped name).", show_default=False
        ),
    ] = None,
    beliefs_b: Annotated[
        str | None,
        typer.Option(help="The second side's belief overlay.", show_default=False),
    ] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", min=1, help="Ensemble size.")] = 1000,
    seed: Annotated[int, typer.Option(min=0, help="Root seed.")] = 0,
    overrides: SetOption = None,
    whatifs: WithOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """When a deal both sides prefer to fighting on exists, on what terms, who needs it more."""
    from ceasefire.bargaining import deal_window
    from ceasefire.scenario import load_deal, load_overlay

    loaded = _load(scenario, overrides, whatifs)
    if loaded.bargaining is None:
        raise InputError(
            "the scenario has no `bargaining:` section (resolve and issues)", where=loaded.name
        )
    kinds = {name: issue.kind for name, issue in loaded.bargaining.issues.items()}
    if deal is None and set(kinds) == {"territory", "neutrality", "sanctions"}:
        deal = "current-line-neutrality"
    proposal = load_deal(deal, kinds) if deal is not None else None
    overlay_a = load_overlay(beliefs_a) if beliefs_a is not None else None
    overlay_b = load_overlay(beliefs_b) if beliefs_b is not None else None
    for overlay in (overlay_a, overlay_b):
        if overlay is not None:
            _check_overlay(loaded, overlay)
    result = deal_window(
        loaded,
        draws=draws,
        seed=seed,
        beliefs_a=None if overlay_a is None else overlay_a.overrides,
        beliefs_b=None if overlay_b is None else overlay_b.overrides,
        deal=None if proposal is None else proposal.issues,
    )
    result["beliefs"] = {
        loaded.side_ids[0]: overlay_a.name if overlay_a else "the scenario's",
        loaded.side_ids[1]: overlay_b.name if overlay_b else "the scenario's",
    }
    if proposal is not None:
        result["deal"]["name"] = proposal.name
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    _print_window(result)


def _check_overlay(scenario: Any, overlay: Any) -> None:
    """Apply a belief overlay once before any run, so that its mistakes name its file."""
    from ceasefire._errors import ScenarioError
    from ceasefire.scenario import load_scenario

    try:
        load_scenario(scenario, overrides=overlay.overrides)
    except ScenarioError as error:
        raise ScenarioError(error.message, where=overlay.path, field=error.field) from None


def _print_window(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ceasefire.analysis import probability_words

    side_a, side_b = result["sides"]
    months = result["months"]
    shown = sorted({0, *range(6, len(months), 6), len(months) - 1})
    table = Table(
        title=f"Deal window: {result['scenario']}, {result['draws']:,} draws, seed "
        f"{result['seed']}\nbeliefs: {side_a} {result['beliefs'][side_a]}, "
        f"{side_b} {result['beliefs'][side_b]}",
        caption=f"shares are {result['share_of']}'s; terms are medians over draws with a deal",
    )
    table.add_column("decision month", justify="left", no_wrap=True)
    for index in shown:
        table.add_column(f"{months[index]:g}", justify="right")

    def row(label: str, values: list[str]) -> None:
        table.add_row(label, *values)

    row("P(a deal both prefer)", [f"{result['p_window_open'][i]:.0%}" for i in shown])
    for solution, label in (("nash", "Nash"), ("kalai_smorodinsky", "KS")):
        for issue, series in result["terms"][solution].items():
            row(
                f"{label} terms: {issue}",
                ["–" if series[i]["p50"] is None else f"{series[i]['p50']:.2f}" for i in shown],
            )
    if "deal" in result:
        deal = result["deal"]
        for side in (side_a, side_b):
            row(f"{side} prefers '{deal['name']}'", [f"{deal[side][i]:.0%}" for i in shown])
        row("both prefer it", [f"{deal['both'][i]:.0%}" for i in shown])
    Console(width=max(110, 40 + 10 * len(shown))).print(table)
    opening = result["opening_month"]
    if opening["p_never"] >= 1.0:
        typer.echo("The window does not open within the horizon in any draw.")
    else:
        typer.echo(
            f"The window opens at month {opening['p50']:g} (median; 5–95%: {opening['p05']:g}–"
            f"{opening['p95']:g}); it never opens in {opening['p_never']:.0%} of draws."
        )
    delay = result["cost_of_delay"]
    more = result["needs_deal_more"]
    p_more = more[f"p_{side_a}_cost_of_delay_higher"]
    p_side = p_more if more["side"] == side_a else 1.0 - p_more
    typer.echo(
        f"Cost of delay (utility per month, median): {side_a} "
        f"{delay[side_a]['average']['p50']:.4f}, {side_b} {delay[side_b]['average']['p50']:.4f}. "
        f"{more['side']} needs the deal more in {p_side:.0%} of draws "
        f"({probability_words(p_side)})."
    )


@bargain_app.command("models")
def bargain_models() -> None:
    """List the calculator's models with their parameters."""
    from ceasefire.bargaining import REGISTRY

    for name, model in REGISTRY.items():
        typer.echo(f"{name}: {model.summary}")
        typer.echo(f"    {model.reference}")
        for parameter in model.parameters:
            default = "" if parameter.default is None else f" (default {parameter.default:g})"
            typer.echo(f"    --set {parameter.name}=…  {parameter.description}{default}")


@bargain_app.command("solve")
@_friendly
def bargain_solve(
    model: Annotated[str, typer.Argument(help="Model name; see `ceasefire bargain models`.")],
    values: Annotated[
        list[str] | None,
        typer.Option("--set", help="A parameter: name=value. Repeatable.", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Solve one closed-form bargaining model and print its named results."""
    import difflib

    from ceasefire.bargaining import REGISTRY

    if model not in REGISTRY:
        near = difflib.get_close_matches(model, list(REGISTRY), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise InputError(f"unknown model{hint}; see `ceasefire bargain models`", where=model)
    parsed: dict[str, float] = {}
    for item in values or []:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"expected name=value, got {item!r}", where="--set")
        try:
            parsed[name.strip()] = float(text)
        except ValueError:
            raise InputError(
                f"expected a number, got {text!r}", where="--set", field=name.strip()
            ) from None
    chosen = REGISTRY[model]
    resolved = chosen.resolve(parsed)
    try:
        results = dict(chosen.solve(**resolved))
    except ValueError as error:
        raise InputError(str(error), where=f"bargain solve {model}") from None
    if as_json:
        typer.echo(json.dumps({"model": model, "parameters": resolved, **results}, indent=2))
        return
    typer.echo(f"{model}: {chosen.summary}")
    for name, value in results.items():
        shown = f"{value:.6g}" if isinstance(value, float) else str(value)
        typer.echo(f"  {name} = {shown}")


battles_app = typer.Typer(
    help="Combat laws fitted to real battles.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(battles_app, name="battles")


class LawName(StrEnum):
    """Attrition laws the fitter knows."""

    square = "square"
    linear = "linear"
    logarithmic = "logarithmic"
    general = "general"
    fatigue = "fatigue"


class Objective(StrEnum):
    """What least squares compares."""

    strengths = "strengths"
    casualties = "casualties"
    endpoints = "endpoints"


@battles_app.command("fit")
@_friendly
def battles_fit(
    data: Annotated[
        Path,
        typer.Argument(
            help="A daily series CSV (day, a_forces, a_casualties, b_forces, b_casualties; "
            "optional a_reinforcements, b_reinforcements, attacker), or the WPY Ardennes file."
        ),
    ],
    law: Annotated[LawName, typer.Option(help="Attrition law.")] = LawName.square,
    objective: Annotated[
        Objective,
        typer.Option(
            help="strengths: simulated vs observed strengths; casualties: predicted vs "
            "observed daily casualties from observed strengths; endpoints: first and last day."
        ),
    ] = Objective.casualties,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    into: Annotated[
        str | None,
        typer.Option(
            help="Write the fitted law into this scenario's combat section (file or preset); "
            "needs --sides and --output.",
            show_default=False,
        ),
    ] = None,
    sides: Annotated[
        str | None,
        typer.Option(
            help="Scenario side ids for the data's sides A and B, e.g. a,b.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write the new scenario (YAML)."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(help="Save observed against fitted (.svg, .png or .pdf).", show_default=False),
    ] = None,
) -> None:
    """Fit an attrition law to a daily battle series by nonlinear least squares."""
    if into is not None and (sides is None or output is None):
        raise InputError("--into needs --sides A,B and --output FILE", where="battles fit")
    import warnings

    from ceasefire.analysis.battles._cli_support import read_series, starting_law
    from ceasefire.analysis.battles._fit import fit_series

    series = read_series(data)
    start = starting_law(law.value, series)
    # Casualties are predicted from the observed strengths day by day; strengths and end
    # points come from integrating the law (RK4, a tenth of a day).
    daily = objective is Objective.casualties
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # identification problems are reported below
        result = fit_series(
            start,
            series,
            objective=objective.value,
            method="daily" if daily else "rk4",
            dt=1.0 if daily else 0.1,
        )
    errors = dict(zip(result.parameter_names, map(float, result.standard_errors), strict=True))
    record: dict[str, Any] = {
        "data": str(data),
        "law": law.value,
        "objective": objective.value,
        "parameters": result.to_dict(),
        "standard_errors": errors,
        "ssr": result.ssr,
        "r_squared": result.r_squared,
        "aic": result.aic,
        "identified": result.identified,
        "warnings": list(result.warnings),
    }
    if plot is not None:
        from ceasefire._atomic import atomic_outputs
        from ceasefire.analysis.battles._plot import plot_fit

        if plot.suffix.lower() not in (".svg", ".png", ".pdf"):
            raise InputError("expected a .svg, .png or .pdf file", where=str(plot))
        with atomic_outputs([plot]) as (temporary,):
            plot_fit(result, series, temporary, f"{law.value} law")
        record["plot"] = str(plot)
    if into is not None and sides is not None and output is not None:
        _write_fitted_scenario(into, sides, output, result, law.value, record)
        record["scenario_written"] = str(output)
    if as_json:
        typer.echo(json.dumps(record, indent=2))
        return
    if "scenario_written" in record:
        typer.echo(f"wrote {output} with the fitted {law.value} law")
    typer.echo(
        f"{law.value} law fitted to {data} ({len(series)} days, objective {objective.value})"
    )
    for name, value in record["parameters"].items():
        typer.echo(f"  {name} = {value:.6g} ± {record['standard_errors'][name]:.2g}")
    typer.echo(f"  SSR {result.ssr:.6g}, R² {result.r_squared:.4f}, AIC {result.aic:.2f}")
    for warning in result.warnings:
        typer.echo(f"  warning: {warning}")


class Procedure(StrEnum):
    """How a simulated battle ends in ABC model choice."""

    end_strength = "end_strength"
    duration = "duration"


@battles_app.command("select")
@_friendly
def battles_select(
    table: Annotated[
        Path,
        typer.Argument(
            help="A battle table CSV (a0, ac, b0, bc; optional year, name, duration), or a "
            "CDB90 folder (battles.csv, belligerents.csv, battle_durations.csv)."
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            help="year-bins: one choice per period (1600-1699, …, 1946-1973), or explicit "
            "bins as first-last,first-last,…",
            show_default=False,
        ),
    ] = None,
    simulations: Annotated[int, typer.Option(min=4, help="Simulations per table or bin.")] = 20_000,
    quantile: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of simulations accepted.")
    ] = 0.01,
    seed: Annotated[int, typer.Option(min=0, help="Root seed.")] = 0,
    procedure: Annotated[
        Procedure,
        typer.Option(
            help="end_strength: fight until a side is down to its historical end strength "
            "(Rubio-Campillo); duration: fight for the recorded days."
        ),
    ] = Procedure.end_strength,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Posterior probabilities of the attrition laws for a table of battles (ABC rejection)."""
    from ceasefire.analysis.battles._abc import DEFAULT_PERIODS, select_by_period, select_law
    from ceasefire.analysis.battles._data import load_battle_table, load_cdb90

    if table.is_dir():
        durations = table / "battle_durations.csv"
        battles = load_cdb90(
            table / "battles.csv",
            table / "belligerents.csv",
            durations if durations.is_file() else None,
        )
    else:
        battles = load_battle_table(table)
    settings = {
        "n_simulations": simulations,
        "quantile": quantile,
        "seed": seed,
        "drop_excess_casualties": True,
        "stop": procedure.value,
    }
    if by is None:
        choice = select_law(battles, **settings)  # type: ignore[arg-type]
        periods = [{"start": None, "end": None, **choice.to_dict()}]
    else:
        bins = DEFAULT_PERIODS if by == "year-bins" else _parse_bins(by)
        periods = select_by_period(battles, bins=bins, **settings).to_dict()["periods"]  # type: ignore[arg-type]
    record = {
        "table": str(table),
        "battles": len(battles.a0),
        "procedure": procedure.value,
        "periods": _finite(periods),
    }
    if as_json:
        typer.echo(json.dumps(record, indent=2, allow_nan=False))
        return
    laws = list(periods[0]["probabilities"])
    typer.echo(
        f"{record['battles']} battles in {table}; ABC rejection ({procedure.value}), "
        f"{simulations:,} simulations"
    )
    typer.echo("period        battles  " + "  ".join(f"{law:>11}" for law in laws) + "  favoured")
    for period in periods:
        span = "all" if period["start"] is None else f"{period['start']:g}-{period['end']:g}"
        cells = "  ".join(f"{period['probabilities'][law]:>11.3f}" for law in laws)
        typer.echo(f"{span:<13} {period['n_battles']:>7}  {cells}  {period['best']}")


def _parse_bins(text: str) -> tuple[tuple[float, float], ...]:
    bins = []
    for part in text.split(","):
        first, sep, last = part.strip().partition("-")
        try:
            if not sep:
                raise ValueError
            bins.append((float(first), float(last)))
        except ValueError:
            raise InputError(
                f"expected year-bins or first-last,first-last,…; got {part!r}", where="--by"
            ) from None
    return tuple(bins)


def _finite(value: Any) -> Any:
    """Replace infinite and NaN numbers (Bayes factors over zero) by None, for strict JSON."""
    import math

    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def _write_fitted_scenario(
    into: str, sides: str, output: Path, result: Any, law: str, record: dict[str, Any]
) -> None:
    import yaml

    from ceasefire._atomic import atomic_outputs
    from ceasefire.analysis.battles._bridge import combat_section
    from ceasefire.scenario import load_scenario, scenario_from_dict

    base = load_scenario(into)
    pair = tuple(part.strip() for part in sides.split(","))
    if len(pair) != 2 or set(pair) != set(base.side_ids):
        raise InputError(
            f"expected the scenario's two side ids, e.g. {','.join(base.side_ids)}",
            where="--sides",
        )
    provenance = (
        f"{record['data']}, objective {record['objective']}, SSR {record['ssr']:.4g}, "
        f"R² {record['r_squared']:.3f}"
    )
    data = base.model_dump(mode="json", exclude_none=True)
    data["combat"] = {
        **{k: v for k, v in data["combat"].items() if k in ("intensity", "min_loss_time")},
        **combat_section(result, law, (pair[0], pair[1]), provenance),
    }
    scenario_from_dict(data, where=str(output))  # refuse to write a scenario that does not load
    with atomic_outputs([output]) as (temporary,):
        temporary.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def main() -> None:
    """Entry point of the ``ceasefire`` console script."""
    app()
