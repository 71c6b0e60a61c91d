"""The core commands: ``run``, ``validate``, ``schema`` and ``presets``."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ceasefire._errors import InputError
from ceasefire.cli._app import (
    SamplerName,
    SaveMode,
    ScenarioArgument,
    SetOption,
    WithOption,
    _friendly,
    _load,
    _progress_bar,
    check_dask,
    default_folder,
    file_sha256,
    require_extra,
    with_examples,
)

if TYPE_CHECKING:
    from ceasefire.analysis import Summary

__all__ = ["register"]


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
        typer.Option(
            "--output",
            "-o",
            help="Output folder; default: out/<what ran>, e.g. out/russia-ukraine-2024-11 "
            "for the default, out/russia-ukraine-2024-11.n2000 for --draws 2000.",
        ),
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
    deterministic: Annotated[
        bool,
        typer.Option(
            "--deterministic",
            help="Run the single point that `ceasefire export` writes: one draw, every "
            "uncertain parameter at its median (after --with and --set).",
        ),
    ] = False,
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
    from ceasefire.analysis import summary_of
    from ceasefire.analysis.costs import summary_with_money
    from ceasefire.ensemble import TRAJECTORY_LIMIT, save_ensemble, simulate

    # Everything that can be refused is refused before any work starts.
    if deterministic and posterior is not None:
        raise InputError("give --deterministic or --posterior, not both", where="--deterministic")
    if engine not in ("numpy", "numba", "auto"):
        raise InputError("expected numpy, numba or auto", where="--engine")
    if engine == "numba":
        require_extra("fast", "--engine numba")
    if executor not in (None, "inprocess", "processes", "dask"):
        raise InputError("expected inprocess, processes or dask", where="--executor")
    if workers is not None and executor != "processes":
        raise InputError("applies only with --executor processes", where="--workers")
    check_dask(executor, scheduler)
    loaded = _load(scenario, overrides, whatifs)
    folder = (
        output
        if output is not None
        else default_folder(
            loaded,
            source=scenario,
            overrides=overrides,
            draws=draws,
            seed=seed,
            posterior=posterior,
            sampler=sampler.value,
            deterministic=deterministic,
        )
    )
    if folder.exists() and not folder.is_dir():
        raise InputError("exists and is not a folder", where=str(folder))
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
    record = run_record(whatifs, overrides, posterior, deterministic=deterministic)
    if posterior is not None:
        run_options["values"] = _posterior_values(posterior, loaded, draws, seed)
    if deterministic:
        from ceasefire.ensemble import median_values

        draws = 1
        run_options.update(draws=1, values=median_values(loaded))
    targets = [folder / "ensemble.nc", folder / "summary.json"]
    stale = _stale_outputs(folder, loaded, draws, seed, record)
    streaming = save == SaveMode.summary or (save is None and draws > TRAJECTORY_LIMIT)
    try:
        with atomic_outputs(targets) as (ensemble_tmp, summary_tmp):
            with _progress_bar(progress, draws) as report:
                if streaming:
                    from ceasefire.ensemble import stream_to_file

                    streamed = stream_to_file(loaded, ensemble_tmp, progress=report, **run_options)
                    _append_attrs(ensemble_tmp, record)
                    summary = summary_of(streamed)
                else:
                    ensemble = simulate(loaded, save="trajectories", progress=report, **run_options)
                    ensemble.attrs.update(record)
                    ensemble, summary = summary_with_money(ensemble, loaded)
                    save_ensemble(ensemble, ensemble_tmp)
            summary = dataclasses.replace(
                summary, run={key: json.loads(value) for key, value in record.items()}
            )
            payload = summary.to_json()
            summary_tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise InputError(f"cannot write outputs: {reason}", where=str(folder)) from None
    except ValueError as error:  # an engine or executor that is not available here
        raise InputError(str(error), where="run") from None

    # A stiff step is a warning, not an error: the limiter kept the stocks non-negative and
    # the outputs are written, but the user must see that some flow outran the step.
    run_attrs = streamed.attrs if streaming else ensemble.attrs
    stiff = str(run_attrs.get("stiffness_warning", ""))
    if stiff:
        typer.echo(f"ceasefire: warning: {stiff}", err=True)
    if stale:
        typer.echo(
            f"ceasefire: warning: {folder} held the outputs of another run; "
            f"{', '.join(stale)} there still describe that run: write them again",
            err=True,
        )
    if as_json:
        typer.echo(json.dumps(payload, indent=2))
    else:
        _print_table(summary)
        if summary.money:
            from ceasefire.analysis.costs import money_lines

            typer.echo("\n".join(money_lines(summary.money)))
        typer.echo(f"wrote {targets[0]} and {targets[1]}")


def run_record(
    whatifs: list[str] | None,
    overrides: list[str] | None,
    posterior: Path | None,
    *,
    deterministic: bool = False,
) -> dict[str, str]:
    """Return what ran besides the scenario, as ensemble attributes (JSON text)."""
    return {
        "deterministic": json.dumps(deterministic),
        "whatifs": json.dumps(list(whatifs or [])),
        "overrides": json.dumps(list(overrides or [])),
        "posterior": json.dumps(
            None
            if posterior is None
            else {"file": str(posterior), "sha256": file_sha256(posterior)}
        ),
    }


def _append_attrs(path: Path, attrs: dict[str, str]) -> None:
    """Add attributes to an ensemble file the streaming writer has closed."""
    import h5netcdf

    with h5netcdf.File(path, "a") as handle:
        handle.attrs.update(attrs)


_SIDECARS = ("report.html", "sensitivity.json", "claims.json", "calibration.json")


def _stale_outputs(
    folder: Path, scenario: Any, draws: int, seed: int, record: dict[str, str]
) -> list[str]:
    """Files beside an ensemble that another run (scenario, draws, seed, …) wrote."""
    previous = folder / "ensemble.nc"
    if not previous.is_file():
        return []
    from ceasefire.scenario import scenario_hash

    try:
        import h5netcdf

        with h5netcdf.File(previous, "r") as handle:
            attrs = dict(handle.attrs)
    except (OSError, ValueError):
        attrs = {}
    same = (
        str(attrs.get("scenario_sha256", "")) == scenario_hash(scenario)
        and int(attrs.get("draws", -1)) == draws
        and str(attrs.get("seed", "")) == str(seed)
        and all(str(attrs.get(key, "")) == value for key, value in record.items())
    )
    if same:
        return []
    return [name for name in _SIDECARS if (folder / name).is_file()]


def _posterior_values(path: Path, scenario: Any, draws: int, seed: int) -> dict[str, Any]:
    """Resample a posterior for ``scenario``; refuse one whose parameters it lacks."""
    from ceasefire.calibrate import posterior_values
    from ceasefire.ensemble import uncertain_parameters

    values = posterior_values(path, draws, seed, scenario=scenario)
    known = {p.path for p in uncertain_parameters(scenario)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InputError(
            f"the posterior holds {len(unknown)} parameters that are not uncertain "
            f"parameters of {scenario.name} (first: {unknown[0]}); calibrate this scenario",
            where=str(path),
        )
    return values


def _print_table(summary: Summary) -> None:
    from rich.console import Console
    from rich.table import Table

    from ceasefire.analysis import summary_question, summary_rows, yardstick_legend

    header, rows = summary_rows(summary)
    title = (
        f"{summary.title}\n{summary.draws:,} draws, seed {summary.seed}, "
        f"{summary.horizon_months:g} months from {summary.start}"
    )
    posterior = (summary.run or {}).get("posterior")
    if posterior:
        title += f", forward from the posterior {posterior['file']}"
    table = Table(
        title=title,
        caption=f"median (5% to 95%) over the draws; {yardstick_legend()}",
    )
    for name in header:
        if name:
            table.add_column(name, justify="right")
        else:
            table.add_column(name, justify="left", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    console = Console(width=max(110, 40 + len(header) * 28))
    console.print(f"Question: {summary_question(summary)}", highlight=False)
    console.print(table)


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


def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from ceasefire.scenario import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


def presets() -> None:
    """List the scenarios, what-ifs, belief overlays and deals shipped with ceasefire."""
    from ceasefire.scenario import (
        deal_names,
        load_deal,
        load_overlay,
        load_scenario,
        load_whatif,
        overlay_names,
        preset_names,
        record_names,
        whatif_names,
    )

    def words(text: str) -> str:
        return " ".join(text.split())

    typer.echo("scenarios (ceasefire run NAME):")
    for name in preset_names():
        typer.echo(f"  {name}: {load_scenario(name).title}")
    typer.echo("what-ifs (--with NAME, on the default scenario):")
    for name in whatif_names():
        typer.echo(f"  {name}: {words(load_whatif(name).description)}")
    typer.echo("beliefs (bargain --beliefs-a/--beliefs-b NAME):")
    for name in overlay_names():
        typer.echo(f"  {name}: {words(load_overlay(name).description)}")
    typer.echo("deals (bargain --deal NAME, report --deal NAME):")
    default = load_scenario()
    kinds: dict[str, str] = (
        {issue: str(spec.kind) for issue, spec in default.bargaining.issues.items()}
        if default.bargaining is not None
        else {}
    )
    for name in deal_names():
        deal = load_deal(name, kinds)
        terms = ", ".join(f"{issue}: {share}" for issue, share in deal.issues.items())
        typer.echo(f"  {name}: {deal.name} ({terms}; the first side's share of each issue)")
    typer.echo("negotiation records (bargain --offers NAME):")
    for name in record_names():
        typer.echo(
            f"  {name}: the offers, demands and refusals up to the information cutoff, "
            "each with its source (the deal calculus infers preferences from them)"
        )


def register(app: typer.Typer) -> None:
    """Add ``run``, ``validate``, ``schema`` and ``presets`` to ``app``."""
    examples: list[tuple[Callable[..., Any], tuple[str, ...]]] = [
        (
            run,
            (
                "ceasefire run tiny --draws 2000 --seed 1 -o out/tiny",
                "ceasefire run --set sides.russia.killed_fraction=0.2 "
                "--set combat.exchange_ratio=2",
                "ceasefire run --with bonus-cut --draws 2000",
            ),
        ),
        (
            validate,
            (
                "ceasefire validate tiny",
                "ceasefire validate russia-ukraine-2024-11 --with belarus-joins",
            ),
        ),
        (schema, ("ceasefire schema > scenario.schema.json",)),
        (presets, ("ceasefire presets",)),
    ]
    for command, lines in examples:
        app.command()(with_examples(*lines)(command))
