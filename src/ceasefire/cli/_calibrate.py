"""``ceasefire calibrate`` and ``ceasefire backtest``: posteriors from data, scored forecasts.

Wire them into the main app with :func:`register`. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ceasefire._errors import InputError

__all__ = ["register"]

ScenarioArgument = Annotated[
    str | None,
    typer.Argument(
        help="Scenario file or preset name; default: russia-ukraine-2024-11.",
        show_default=False,
    ),
]
OverridesOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a scenario field: path=value.", show_default=False),
]
ProgressOption = Annotated[bool, typer.Option(help="Show SMC progress on stderr.")]
ObservedOption = Annotated[
    list[str],
    typer.Option(
        "--observed",
        help="An observed series: NAME=PATH, NAME one of general_staff, mediazona, contracts, "
        "territory (a DeepState date,occupied_km2 CSV), or MEASURE[.SIDE] for a generic "
        "date,value CSV (e.g. killed.russia). Repeatable.",
        show_default=False,
    ),
]
WindowOption = Annotated[
    int, typer.Option(min=1, help="Calendar months before the cutoff that are fitted.")
]
ParticlesOption = Annotated[int, typer.Option(min=10, help="SMC particles per run.")]
RunsOption = Annotated[
    int, typer.Option(min=1, help="Independent SMC runs (ArviZ chains; R-hat needs 2 or more).")
]
SeedOption = Annotated[int, typer.Option(min=0, help="Root seed (results are reproducible).")]
AsJsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date the Mediazona file was compiled (its vintage), YYYY-MM-DD: recent months "
        "are incomplete by then. Default: a date in the file's name (daily_2025-11-08.json), "
        "else the file is taken as complete.",
        show_default=False,
    ),
]
_VINTAGE = r"(?<!to-)(\d{4}-\d{2}-\d{2})"


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {text!r}", field=option) from None


def _observed(pairs: list[str]) -> dict[str, Any]:
    from ceasefire.observe import load_series

    if not pairs:
        raise InputError("give at least one --observed NAME=PATH", field="--observed")
    series: dict[str, Any] = {}
    for pair in pairs:
        name, sep, path = pair.partition("=")
        name = name.strip()
        if not sep or not name or not path:
            raise InputError(f"expected NAME=PATH, got {pair!r}", field="--observed")
        if name in series:
            raise InputError(f"series {name!r} given twice", field="--observed")
        series[name] = load_series(Path(path), name=name)
    return series


def _vintages(series: dict[str, Any], as_of: str | None) -> dict[str, dt.date]:
    """Return the date each series' file was compiled: ``--as-of`` or a date in its file name."""
    import re

    given = None if as_of is None else _date(as_of, "--as-of")
    out: dict[str, dt.date] = {}
    for name, one in series.items():
        if given is not None:
            out[name] = given
            continue
        found = re.search(_VINTAGE, Path(one.path).name) if one.path else None
        if found:
            try:
                out[name] = dt.date.fromisoformat(found.group(1))
            except ValueError:
                raise InputError(
                    f"the file name holds {found.group(1)!r}, not a calendar date: rename it "
                    "or give --as-of",
                    where=one.path,
                ) from None
    return out


def _progress(enabled: bool) -> Any:
    import sys

    if not (enabled and sys.stderr.isatty()):
        return None

    def report(run: int, beta: float) -> None:
        typer.echo(f"\rSMC run {run + 1}: temperature {beta:.3f}", err=True, nl=beta >= 1.0)

    return report


def _fit_inputs(
    scenario: str | None,
    overrides: list[str] | None,
    observed: list[str],
    cutoff: tuple[str, str],
    as_of: str | None,
    progress: bool,
) -> tuple[Any, dict[str, Any], dt.date, dict[str, Any]]:
    """Read what ``calibrate`` and ``backtest`` both fit: the scenario, the series, the cutoff.

    ``cutoff`` is the option's text and its name (``--until``, ``--cutoff``). Returns them
    with the options both pass on: each series' vintage and the progress callback.
    """
    from ceasefire.scenario import load_scenario

    loaded = load_scenario(scenario, overrides=overrides or [])
    series = _observed(observed)
    date = _date(*cutoff)
    options = {"as_of": _vintages(series, as_of), "progress": _progress(progress)}
    return loaded, series, date, options


def calibrate_command(
    scenario: ScenarioArgument = None,
    observed: ObservedOption = [],  # noqa: B006 - typer needs a literal default
    until: Annotated[
        str, typer.Option(help="Information cutoff (a month's last day); later data are ignored.")
    ] = "2024-11-30",
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Posterior file (ArviZ netCDF).")
    ] = Path("posterior.nc"),
    window: WindowOption = 3,
    particles: ParticlesOption = 1000,
    runs: RunsOption = 2,
    seed: SeedOption = 0,
    overrides: OverridesOption = None,
    as_of: AsOfOption = None,
    as_json: AsJsonOption = False,
    progress: ProgressOption = True,
) -> None:
    """Calibrate a scenario to observed series (tempered SMC); write the posterior.

    Needs the `calibrate` extra. The example reads the shared data beside a clone.
    """
    from ceasefire.cli._app import require_extra

    require_extra("calibrate", "calibrate")
    from ceasefire.calibrate import calibrate

    loaded, series, cutoff, options = _fit_inputs(
        scenario, overrides, observed, (until, "--until"), as_of, progress
    )
    result = calibrate(
        loaded,
        series,
        until=cutoff,
        window=window,
        particles=particles,
        runs=runs,
        seed=seed,
        **options,
    )
    try:
        result.save(output)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", where=str(output)) from None
    diagnostics = result.diagnostics()
    values = result.values()
    record = {
        "scenario": loaded.name,
        "until": result.until.isoformat(),
        "window_start": result.window_start.isoformat(),
        "output": str(output),
        "max_rhat": diagnostics["max_rhat"],
        "min_ess_bulk": diagnostics["min_ess_bulk"],
        "smc": diagnostics["runs"],
        "ppc": result.ppc(),
        "notes": result.notes,
        "posterior": {
            path: {f"{q:g}": float(v) for q, v in zip((0.05, 0.5, 0.95), _q(column), strict=True)}
            for path, column in values.items()
        },
    }
    if as_json:
        typer.echo(json.dumps(record, indent=2))
        return
    _print_calibration(record, result)


def _q(column: Any) -> Any:
    import numpy as np

    return np.quantile(column, [0.05, 0.5, 0.95])


def _print_calibration(record: dict[str, Any], result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    informed = _informed(result)
    table = Table(title=f"Posterior given data {record['window_start']} … {record['until']}")
    table.add_column("parameter")
    table.add_column("5%", justify="right")
    table.add_column("median", justify="right")
    table.add_column("95%", justify="right")
    table.add_column("R-hat", justify="right")
    rhat = result.diagnostics()["rhat"]
    for path in informed:
        q = record["posterior"][path]
        table.add_row(
            path,
            f"{q['0.05']:.4g}",
            f"{q['0.5']:.4g}",
            f"{q['0.95']:.4g}",
            f"{rhat[path]:.3f}" if path in rhat else "–",
        )
    console.print(table)
    console.print(
        f"Parameters whose 90% interval the data narrowed by a third or more are shown "
        f"({len(informed)} of {len(record['posterior'])}); all are in {record['output']}."
    )
    checks = Table(title="Posterior-predictive check (calibration window)")
    for column in ("series", "months", "in 50% interval", "in 90% interval", "p (total)"):
        checks.add_column(column, justify="right" if column != "series" else "left")
    for name, ppc in record["ppc"].items():
        checks.add_row(
            name,
            f"{ppc['periods']:.0f}",
            f"{ppc['coverage_50']:.0%}",
            f"{ppc['coverage_90']:.0%}",
            f"{ppc['p_value_total']:.2f}",
        )
    console.print(checks)
    rhat_text = "–" if record["max_rhat"] is None else f"{record['max_rhat']:.3f}"
    console.print(f"max R-hat {rhat_text}; min bulk ESS {record['min_ess_bulk']:.0f}")
    for note in record["notes"]:
        console.print(f"note: {note}")


def _informed(result: Any) -> list[str]:
    """Parameters whose posterior 90% interval is at most 2/3 of the prior's."""
    import numpy as np

    from ceasefire.ensemble import uncertain_parameters

    out = []
    for p in uncertain_parameters(result.scenario):
        if p.latent:  # a month's innovation, not a parameter an analyst reads
            continue
        if p.path not in result.samples:  # not calibrated (money does not act on the data)
            continue
        prior = p.param.ppf(np.array([0.05, 0.95]))
        post = _q(result.samples[p.path].reshape(-1))
        width = float(prior[1] - prior[0])
        if width > 0 and float(post[2] - post[0]) <= width * 2.0 / 3.0:
            out.append(p.path)
    return out


def backtest_command(
    scenario: ScenarioArgument = None,
    cutoff: Annotated[
        str, typer.Option(help="Information cutoff (a month's last day).")
    ] = "2024-11-30",
    horizon: Annotated[int, typer.Option(min=1, help="Months forecast after the cutoff.")] = 13,
    observed: ObservedOption = [],  # noqa: B006 - typer needs a literal default
    window: WindowOption = 3,
    particles: ParticlesOption = 1000,
    runs: RunsOption = 2,
    seed: SeedOption = 0,
    overrides: OverridesOption = None,
    as_of: AsOfOption = None,
    as_json: AsJsonOption = False,
    progress: ProgressOption = True,
) -> None:
    """Calibrate at a cutoff, forecast each series monthly, score against later data.

    Needs the `calibrate` extra. The example reads the shared data beside a clone.
    """
    from ceasefire.cli._app import require_extra

    require_extra("calibrate", "backtest")
    from ceasefire.calibrate import backtest

    loaded, series, date, options = _fit_inputs(
        scenario, overrides, observed, (cutoff, "--cutoff"), as_of, progress
    )
    result = backtest(
        loaded,
        series,
        cutoff=date,
        horizon=horizon,
        window=window,
        particles=particles,
        runs=runs,
        seed=seed,
        **options,
    )
    record = result.to_json()
    _add_verdicts(record, runs)
    if as_json:
        typer.echo(json.dumps(record, indent=2))
        return
    _print_backtest(record)


def _print_backtest(record: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for name, entry in record["series"].items():
        table = Table(title=f"{name}: {entry['label']}, forecast from {record['cutoff']}")
        for column in ("month", "5%", "25%", "median", "75%", "95%", "observed"):
            table.add_column(column, justify="right")
        q = entry["quantiles"]
        for i, month in enumerate(entry["months"]):
            seen = entry["observed"][i]
            table.add_row(
                month,
                *(f"{q[k][i]:,.0f}" for k in ("0.05", "0.25", "0.5", "0.75", "0.95")),
                "–" if seen is None else f"{seen:,.0f}",
            )
        console.print(table)
        if entry["crps"] is None:
            console.print("  no observation after the cutoff in the file: nothing to score")
            continue
        line = (
            f"  CRPS {entry['crps']:,.0f}; in 50% interval {entry['coverage_50']:.0%}, "
            f"in 90% interval {entry['coverage_90']:.0%}; mean 90% width "
            f"{entry['width_90']:,.0f}; PIT histogram (10 bins) {entry['pit_histogram']}"
        )
        console.print(line, highlight=False)
        for name_b, base in entry.get("baselines", {}).items():
            better = "better" if entry["crps"] <= base["crps"] else "worse"
            console.print(
                f"  baseline {name_b} ({base['description']}): CRPS {base['crps']:,.0f} "
                f"(the model is {better}), in 90% interval {base['coverage_90']:.0%}, "
                f"mean 90% width {base['width_90']:,.0f}",
                highlight=False,
            )
        console.print(f"  verdict: {entry['verdict']}", highlight=False)
    calibration = record["calibration"]
    rhat = calibration["max_rhat"]
    console.print(
        f"calibrated on {record['window_start']} … {record['cutoff']}; "
        f"max R-hat {'–' if rhat is None else f'{rhat:.3f}'}, "
        f"min bulk ESS {calibration['min_ess_bulk']:.0f}"
    )
    if calibration["convergence_warning"]:
        typer.echo(f"ceasefire: warning: {calibration['convergence_warning']}", err=True)
    for note in calibration["notes"]:
        console.print(f"note: {note}")


_RHAT_MAX = 1.01
_ESS_PER_RUN = 100
_COVERAGE_P = 0.05


def _convergence_warning(calibration: dict[str, Any], runs: int) -> str | None:
    """Say why a posterior cannot be trusted yet, or None.

    Thresholds of Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021, "Rank-normalization,
    folding, and localization: an improved R-hat"): R-hat below 1.01 and a bulk ESS of at
    least 100 per chain (here, per independent SMC run).
    """
    problems = []
    rhat = calibration.get("max_rhat")
    if rhat is not None and rhat > _RHAT_MAX:
        problems.append(f"max R-hat {rhat:.3f} > {_RHAT_MAX}")
    if rhat is None:
        problems.append("R-hat needs 2 or more --runs")
    ess = calibration.get("min_ess_bulk")
    if ess is not None and ess < _ESS_PER_RUN * runs:
        problems.append(f"min bulk ESS {ess:.0f} < {_ESS_PER_RUN * runs} ({_ESS_PER_RUN} a run)")
    if not problems:
        return None
    return (
        "the calibration has not converged ("
        + "; ".join(problems)
        + "): the forecasts and scores rest on it; raise --particles or --runs"
    )


def _under_covered(hits: int, months: int, level: float) -> bool:
    """Return True when too few months fall in the ``level`` interval to be chance.

    One-sided binomial test: P(X ≤ hits) < 5% for X ~ Binomial(months, level).
    """
    from scipy.stats import binom

    return bool(binom.cdf(hits, months, level) < _COVERAGE_P)


def _add_verdicts(record: dict[str, Any], runs: int) -> None:
    """Add a verdict per series that rests on the scores, the coverage and convergence.

    "Better" needs a lower CRPS than the naive baseline *and* intervals that cover the data
    as stated (neither interval misses more months than chance allows), from a posterior
    that converged; otherwise the verdict says what is missing.
    """
    calibration = record["calibration"]
    warning = _convergence_warning(calibration, runs)
    calibration["convergence_warning"] = warning
    for entry in record["series"].values():
        if entry.get("crps") is None:
            entry["verdict"] = "nothing to score (no observation after the cutoff)"
            continue
        observed = [v for v in entry["observed"] if v is not None]
        months = len(observed)
        q = entry["quantiles"]
        pairs = [
            (seen, low, high)
            for seen, low, high in zip(entry["observed"], q["0.05"], q["0.95"], strict=True)
            if seen is not None
        ]
        above = sum(seen > high for seen, _, high in pairs)
        below = sum(seen < low for seen, low, _ in pairs)
        hit50 = round(entry["coverage_50"] * months)
        hit90 = round(entry["coverage_90"] * months)
        misses = []
        if _under_covered(hit50, months, 0.5):
            misses.append(f"{hit50} of {months} months in the 50% interval")
        if _under_covered(hit90, months, 0.9):
            misses.append(f"{hit90} of {months} months in the 90% interval")
        if above or below:
            misses.append(f"{above} above and {below} below the 5–95% band")
        covered = not (_under_covered(hit50, months, 0.5) or _under_covered(hit90, months, 0.9))
        # The strongest naive baseline is the one to beat.
        baselines = [b["crps"] for b in entry.get("baselines", {}).values() if b.get("crps")]
        baseline = min(baselines) if baselines else entry.get("baseline_crps")
        lower = baseline is not None and entry["crps"] < baseline
        if warning:
            verdict = "no verdict: the calibration has not converged (see the warning)"
        elif baseline is None:
            verdict = "no baseline to compare with; the intervals " + (
                "cover the data as stated" if covered else "miss the data"
            )
        elif lower and covered:
            verdict = (
                "the model is better than the naive baselines: lower CRPS, and its intervals "
                "cover the data as stated"
            )
        elif lower:
            verdict = (
                "no evidence of skill: the CRPS is lower than the baseline's, but the "
                "intervals miss the data"
            )
        else:
            verdict = "the model is worse than the best naive baseline (higher CRPS)"
        if misses and not covered:
            verdict += f" ({'; '.join(misses)})"
        entry["verdict"] = verdict


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` and ``backtest`` to the main app."""
    from ceasefire.cli._app import _friendly, with_examples

    staff = "general_staff=../shared/data/ukraine/petroivaniuk/russia_losses_personnel.json"
    app.command("calibrate")(
        with_examples(f"ceasefire calibrate --observed {staff} --until 2024-11-30 -o posterior.nc")(
            _friendly(calibrate_command)
        )
    )
    app.command("backtest")(
        with_examples(f"ceasefire backtest --cutoff 2023-11-30 --horizon 12 --observed {staff}")(
            _friendly(backtest_command)
        )
    )
