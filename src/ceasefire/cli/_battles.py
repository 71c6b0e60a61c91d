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

    from ceasefire.battles import fit_series
    from ceasefire.cli._battles_support import read_series, starting_law

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
        from ceasefire.battles import plot_fit

        if plot.suffix.lower() not in (".svg", ".png", ".pdf"):
            raise InputError("expected a .svg, .png or .pdf file", where=str(plot))
        with atomic_outputs([plot]) as (temporary,):
            plot_fit(result, series, temporary, f"{law.value} law")
        record["plot"] = str(plot)
    if into is not None and sides is not None and output is not None:
        _write_fitted_scenario(into, sides, output, result, record)
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
    rubio2016 = "rubio2016"


class Sampler(StrEnum):
    """How rubio2016 samples: the paper's rejection, or ABC-SMC with pyabc."""

    rejection = "rejection"
    smc = "smc"


class Rounding(StrEnum):
    """What rubio2016 does to the strengths after each step."""

    truncate = "truncate"
    none = "none"


class Time(StrEnum):
    """Discrete steps (the paper's) or the same laws in continuous time."""

    steps = "steps"
    continuous = "continuous"


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
    simulations: Annotated[
        int, typer.Option(min=4, help="Simulations per table or bin (end_strength, duration).")
    ] = 20_000,
    quantile: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of simulations accepted (end_strength, duration)."
        ),
    ] = 0.01,
    seed: Annotated[int, typer.Option(min=0, help="Root seed.")] = 0,
    procedure: Annotated[
        Procedure,
        typer.Option(
            help="end_strength: fight until a side is down to its historical end strength; "
            "duration: fight for the recorded days; rubio2016: Rubio-Campillo's published "
            "procedure exactly (per-battle gamma power ratios, ~100 men a step, truncation)."
        ),
    ] = Procedure.end_strength,
    runs: Annotated[
        int | None,
        typer.Option(min=1, help="rubio2016: runs per table or bin [default: 1000, the paper's]."),
    ] = None,
    tolerance: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="rubio2016: share of the closest runs kept [default: 0.1, the paper's].",
        ),
    ] = None,
    sampler: Annotated[
        Sampler,
        typer.Option(help="rubio2016: rejection (the paper's) or smc (ABC-SMC with pyabc)."),
    ] = Sampler.rejection,
    repeats: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="rubio2016: independent seeds; the probabilities are their mean, with the "
            "Monte-Carlo error (sd over seeds). Default 1 (rejection), 3 (smc).",
            show_default=False,
        ),
    ] = None,
    population: Annotated[int, typer.Option(min=10, help="smc: particles a generation.")] = 500,
    generations: Annotated[int, typer.Option(min=1, help="smc: most generations.")] = 8,
    men_per_step: Annotated[
        float, typer.Option(min=0.0, help="rubio2016: men falling a step (the paper's 100).")
    ] = 100.0,
    rounding: Annotated[
        Rounding, typer.Option(help="rubio2016: truncate strengths each step (the paper's).")
    ] = Rounding.truncate,
    time: Annotated[
        Time, typer.Option(help="rubio2016: discrete steps (the paper's) or continuous time.")
    ] = Time.steps,
    robustness: Annotated[
        bool,
        typer.Option(
            "--robustness",
            help="rubio2016: also run 10 and 1,000 men a step, no rounding and continuous "
            "time, and say whether the verdict belongs to the battles or the discretisation.",
        ),
    ] = False,
    engine: Annotated[
        str, typer.Option(help="rubio2016: numpy, numba (compiled; extra fast) or auto.")
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Posterior probabilities of the attrition laws for a table of battles (ABC)."""
    from ceasefire.battles import (
        DEFAULT_PERIODS,
        load_battle_table,
        load_cdb90,
        select_by_period,
        select_law,
    )

    if table.is_dir():
        durations = table / "battle_durations.csv"
        battles = load_cdb90(
            table / "battles.csv",
            table / "belligerents.csv",
            durations if durations.is_file() else None,
        )
    else:
        battles = load_battle_table(table)
    bins = None if by is None else DEFAULT_PERIODS if by == "year-bins" else _parse_bins(by)
    rubio_only = {
        "--runs": runs is not None,
        "--tolerance": tolerance is not None,
        "--sampler": sampler is not Sampler.rejection,
        "--repeats": repeats is not None,
        "--men-per-step": men_per_step != 100.0,
        "--rounding": rounding is not Rounding.truncate,
        "--time": time is not Time.steps,
        "--robustness": robustness,
    }
    if procedure is not Procedure.rubio2016 and any(rubio_only.values()):
        given = ", ".join(name for name, used in rubio_only.items() if used)
        raise InputError(f"{given}: only with --procedure rubio2016", where="battles select")
    smc_only = {"--population": population != 500, "--generations": generations != 8}
    if sampler is not Sampler.smc and any(smc_only.values()):
        given = ", ".join(name for name, used in smc_only.items() if used)
        raise InputError(f"{given}: only with --sampler smc", where="battles select")
    record: dict[str, Any] = {"table": str(table), "battles": len(battles.a0)}
    if procedure is Procedure.rubio2016:
        from ceasefire.cli._battles_rubio import rubio_periods

        settings = {
            "runs": 1_000 if runs is None else runs,
            "tolerance": 0.1 if tolerance is None else tolerance,
            "sampler": sampler.value,
            "repeats": repeats,
            "population": population,
            "generations": generations,
            "men_per_step": men_per_step,
            "rounding": rounding is Rounding.truncate,
            "continuous": time is Time.continuous,
            "robustness": robustness,
            "engine": engine,
            "seed": seed,
        }
        periods, header = rubio_periods(battles, bins, settings, where=str(table))
        record.update(procedure=procedure.value, sampler=sampler.value, periods=_finite(periods))
    else:
        settings = {
            "n_simulations": simulations,
            "quantile": quantile,
            "seed": seed,
            "drop_excess_casualties": True,
            "stop": procedure.value,
        }
        if bins is None:
            choice = select_law(battles, **settings)  # type: ignore[arg-type]
            periods = [{"start": None, "end": None, **choice.to_dict()}]
        else:
            periods = select_by_period(battles, bins=bins, **settings).to_dict()["periods"]  # type: ignore[arg-type]
        record.update(procedure=procedure.value, periods=_finite(periods))
        header = f"ABC rejection ({procedure.value}), {simulations:,} simulations"
    if as_json:
        typer.echo(json.dumps(record, indent=2, allow_nan=False))
        return
    laws = list(periods[0]["probabilities"])
    typer.echo(f"{record['battles']} battles in {table}; {header}")
    typer.echo("period        battles  " + "  ".join(f"{law:>11}" for law in laws) + "  favoured")
    for period in periods:
        span = "all" if period["start"] is None else f"{period['start']:g}-{period['end']:g}"
        cells = "  ".join(f"{period['probabilities'][law]:>11.3f}" for law in laws)
        typer.echo(f"{span:<13} {period['n_battles']:>7}  {cells}  {period['best']}")
        for line in period.get("notes", ()):
            typer.echo(f"  {line}")


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
    into: str, sides: str, output: Path, result: Any, record: dict[str, Any]
) -> None:
    import yaml

    from ceasefire._atomic import atomic_outputs
    from ceasefire.battles import combat_section
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
        **combat_section(result.law, record["standard_errors"], (pair[0], pair[1]), provenance),
    }
    scenario_from_dict(data, where=str(output))  # refuse to write a scenario that does not load
    with atomic_outputs([output]) as (temporary,):
        temporary.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def register(app: typer.Typer) -> None:
    """Add the ``battles`` group to ``app``."""
    app.add_typer(battles_app, name="battles")
