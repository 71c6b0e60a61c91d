"""``ceasefire battles``: combat laws fitted to real battles."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ceasefire._errors import InputError
from ceasefire.cli._app import (
    _friendly,
    with_examples,
)

__all__ = ["battles_app", "register"]


battles_app = typer.Typer(
    help="Combat laws fitted to real battles.", no_args_is_help=True, rich_markup_mode=None
)


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
@with_examples(
    "ceasefire battles fit ../shared/data/battles/ardennes/ardennes_wpy2000.csv --law square",
)
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
    # A law that explains little of the variance is a poor description of this battle,
    # whether or not its parameters are identified.
    if not result.r_squared >= _POOR_FIT_R2:
        record["warnings"].append(
            f"poor fit: R² {result.r_squared:.3f} (the {law.value} law explains "
            f"{max(result.r_squared, 0.0):.0%} of the variance); compare other laws (AIC)"
        )
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
    for warning in record["warnings"]:
        typer.echo(f"  warning: {warning}")


_POOR_FIT_R2 = 0.5
"""Below this R² a fitted law is reported as a poor fit."""


class Procedure(StrEnum):
    """How a simulated battle ends in ABC model choice."""

    end_strength = "end_strength"
    duration = "duration"


@battles_app.command("select")
@with_examples(
    "ceasefire battles select ../shared/data/battles/cdb90/ --by year-bins --simulations 2000",
)
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


def register(app: typer.Typer) -> None:
    """Add the ``battles`` group to ``app``."""
    app.add_typer(battles_app, name="battles")
