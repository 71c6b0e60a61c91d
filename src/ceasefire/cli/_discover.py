"""``ceasefire discover``: the combinations of assumptions in which an outcome holds."""

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


class DiscoveryMethod(StrEnum):
    """Scenario-discovery method."""

    prim = "prim"
    cart = "cart"


def _resolver(ensemble: Any, text: str) -> Any:
    """Measures by name, with errors that name ``--outcome`` and the expression."""
    from ceasefire.analysis import select_measure

    def resolve(name: str) -> Any:
        try:
            return select_measure(ensemble, name).values
        except InputError as error:
            raise InputError(f"{name}: {error.message}", where="--outcome", field=text) from None

    return resolve


def _check_measures(scenario: Any, outcome: Any, engine: str) -> None:
    """Evaluate the outcome on a two-draw probe, so a typo fails before the long run."""
    from ceasefire.ensemble import simulate

    probe = simulate(scenario, draws=2, seed=0, save="summary", engine=engine)
    outcome.evaluate(_resolver(probe, outcome.text))


def _print(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ceasefire.analysis.discover import format_bounds, format_share

    console = Console(width=140)
    console.print(result["summary"], highlight=False)
    for box in result["boxes"]:
        coverage, density, mass = box["coverage"], box["density"], box["mass"]
        stability = (box.get("bootstrap") or {}).get("overlap_median")
        if result["method"] == "cart":
            conditions = " and ".join(row["words"] for row in box["restrictions"])
            console.print(
                f"Rule {box['number']}: if {conditions}, then it holds in "
                f"{format_share(density['found'])} of draws "
                f"({format_share(density['held_out'])} of held-out draws).",
                highlight=False,
            )
        title = (
            f"Box {box['number']}: coverage {format_share(coverage['found'])} "
            f"(held-out {format_share(coverage['held_out'])}), density "
            f"{format_share(density['found'])} ({format_share(density['held_out'])}), mass "
            f"{format_share(mass['found'])}"
        )
        if stability is not None:
            title += f", bootstrap overlap {stability:.2f}"
        table = Table(title=title, title_justify="left")
        table.add_column("parameter")
        table.add_column("restriction")
        table.add_column("95% bootstrap interval", justify="right")
        table.add_column("quasi-p", justify="right")
        for row in box["restrictions"]:
            quasi_p = row["quasi_p"]
            table.add_row(
                row["parameter"],
                row["words"],
                format_bounds(row),
                "–" if quasi_p is None else "< 1e-300" if quasi_p == 0 else f"{quasi_p:.2g}",
            )
        console.print(table)
    settings = result["settings"]
    console.print(
        f"{result['method'].upper()}; box rule: {result['rule']['description']}. Found on "
        f"{result['draws_found_on']:,} draws, checked on {result['draws_held_out']:,} held-out "
        f"draws; peel/paste alpha {settings['alpha']}, at most {settings['max_dims']} "
        f"parameters per box, restrictions with quasi-p above {settings['max_p']} relaxed; "
        f"{settings['bootstrap']} bootstrap replicates.",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``discover`` to the ``ceasefire`` app."""

    @app.command()
    @with_examples(
        "ceasefire discover --outcome 'months_to_crisis.russia <= 36' --draws 2000",
        "ceasefire discover --outcome 'territory_change.russia > 5000' --method cart --draws 2000",
    )
    @_friendly
    def discover(
        scenario: ScenarioArgument = None,
        outcome: Annotated[
            str,
            typer.Option(
                help="The outcome: a condition on measures, e.g. 'months_to_crisis.russia <= "
                "36' or 'territory_change.russia > 5000'; comparisons joined by and, or, not.",
            ),
        ] = "months_to_crisis.russia <= 36",
        label: Annotated[
            str | None,
            typer.Option(
                help="The outcome in words, for the summary (e.g. 'A Russian manpower "
                "crisis within 36 months').",
                show_default=False,
            ),
        ] = None,
        draws: Annotated[int, typer.Option("--draws", "-n", min=2, help="Ensemble size.")] = (
            100_000
        ),
        seed: Annotated[int, typer.Option(min=0, help="Root seed of the ensemble.")] = 0,
        method: Annotated[
            DiscoveryMethod,
            typer.Option(help="prim (boxes, default) or cart (a tree's leaves as rules)."),
        ] = DiscoveryMethod.prim,
        density: Annotated[
            float | None,
            typer.Option(
                help="Pick the box with the most coverage whose density is at least this.",
                show_default=False,
            ),
        ] = None,
        coverage: Annotated[
            float | None,
            typer.Option(
                help="Pick the densest box whose coverage is at least this.", show_default=False
            ),
        ] = None,
        boxes: Annotated[int, typer.Option(min=1, help="At most this many boxes.")] = 3,
        max_dims: Annotated[
            int, typer.Option(min=1, help="At most this many restricted parameters per box.")
        ] = 4,
        bootstrap: Annotated[
            int, typer.Option(min=0, help="Bootstrap replicates for the threshold intervals.")
        ] = 50,
        holdout: Annotated[
            float, typer.Option(help="Share of draws held out to check the boxes.")
        ] = 0.3,
        alpha: Annotated[float, typer.Option(help="Share of a box peeled or pasted per step.")] = (
            0.05
        ),
        max_p: Annotated[
            float, typer.Option(help="Relax restrictions whose quasi-p-value is above this.")
        ] = 0.05,
        overrides: SetOption = None,
        whatifs: WithOption = None,
        engine: Annotated[str, typer.Option(help="numpy, numba (compiled) or auto.")] = "auto",
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
        save: Annotated[
            Path | None,
            typer.Option(
                help="Also write the JSON result to this file (the report reads "
                "discovery.json beside the ensemble).",
                show_default=False,
            ),
        ] = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    ) -> None:
        """Find the ranges of assumptions where an outcome concentrates (PRIM or CART).

        SCENARIO may also be an ensemble file (.nc) written by `ceasefire run`.
        """
        from ceasefire.analysis.discover import Settings, parse_outcome
        from ceasefire.analysis.discover import discover as find

        parsed = parse_outcome(outcome)
        if density is not None and coverage is not None:
            raise InputError("give --density or --coverage, not both", where="--density")
        if engine not in ("numpy", "numba", "auto"):
            raise InputError("expected numpy, numba or auto", where="--engine")
        rule: Any = "density" if density is not None else "coverage" if coverage else "balance"
        settings = Settings(
            method=method.value,
            rule=rule,
            target=density if density is not None else coverage or 0.0,
            alpha=alpha,
            max_boxes=boxes,
            max_dims=max_dims,
            bootstrap=bootstrap,
            holdout=holdout,
            max_p=max_p,
            seed=seed,
        )
        settings.check()
        if scenario is not None and scenario.endswith(".nc"):
            ensemble, side_names = _open(scenario, overrides, whatifs)
        else:
            from ceasefire.ensemble import simulate

            loaded = _load(scenario, overrides, whatifs)
            side_names = {key: side.name for key, side in loaded.sides.items()}
            _check_measures(loaded, parsed, engine)
            with _progress_bar(progress, draws) as report:
                ensemble = simulate(
                    loaded,
                    draws=draws,
                    seed=seed,
                    save="summary",
                    progress=report,
                    engine=engine,
                )
        result = find(
            ensemble,
            parsed,
            settings=settings,
            label=label,
            side_names=side_names,
            resolve=_resolver(ensemble, parsed.text),
        )
        save_json(save, result)
        if as_json:
            typer.echo(json.dumps(result, indent=2))
        else:
            _print(result)


def _open(
    path_text: str, overrides: list[str] | None, whatifs: list[str] | None
) -> tuple[Any, dict[str, str]]:
    """Read a saved ensemble and the side names of its preset, where it is one."""
    from ceasefire.ensemble import open_ensemble

    if overrides or whatifs:
        raise InputError("--set and --with apply to a scenario, not to an ensemble", where="--set")
    path = Path(path_text)
    if not path.is_file():
        raise InputError("no such ensemble file", where=path_text)
    try:
        ensemble = open_ensemble(path)
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the ensemble: {error}", where=path_text) from None
    side_names: dict[str, str] = {}
    from ceasefire.scenario import load_scenario, preset_names

    name = str(ensemble.attrs.get("scenario", ""))
    if name in preset_names():
        side_names = {key: side.name for key, side in load_scenario(name).sides.items()}
    return ensemble, side_names
