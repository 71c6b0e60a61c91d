"""Global sensitivity: which uncertain parameters drive a headline measure.

A thin adapter over SALib (Herman & Usher 2017; Iwanaga, Usher & Herman 2022):
SALib builds the designs and computes the indices; ceasefire supplies the factors
and runs the model on the designs. Three methods:

- ``sobol``: first-order (S1) and total-order (ST) Sobol' indices with bootstrap
  confidence intervals (Saltelli 2002; Saltelli et al. 2010 estimators; Sobol'
  sequence design of ``N (D + 2)`` runs);
- ``morris``: elementary effects screening, ``mu_star`` and ``sigma`` (Morris 1991;
  Campolongo et al. 2007), ``N (D + 1)`` runs;
- ``pawn``: a moment-independent, CDF-based index (Pianosi & Wagener 2015, 2018)
  on a plain Monte Carlo sample of ``N`` runs; the median KS statistic over
  conditioning slices is reported.

Factors live on the *quantile scale*: SALib samples each factor's level ``u`` in
``[0, 1]`` and the model gets ``ppf(u)`` of the parameter's own distribution, so
indices are for the distributions the scenario states. A group of parameters
(``--group recruitment='*.recruitment.*'``) is one factor: its parameters move
together on the quantile scale (Sobol and Morris; SALib's ``groups``); PAWN takes
no groups. Uncertain parameters that are not factors (the observation models by
default, which do not act on the model) are held at their medians.

Correlations between parameters (the scenario's ``correlations:``) are ignored
here: these indices assume independent factors, and the result says so.
"""

from __future__ import annotations

import fnmatch
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError

if TYPE_CHECKING:
    from ceasefire.scenario import Scenario

__all__ = [
    "DEFAULT_EXCLUDE",
    "DEFAULT_N",
    "METHODS",
    "Factor",
    "SensitivityResult",
    "analyse_factors",
    "default_exclude",
    "default_output",
    "scenario_factors",
    "sensitivity",
]

FloatArray = npt.NDArray[np.float64]
Method = Literal["sobol", "morris", "pawn"]
METHODS: tuple[Method, ...] = ("sobol", "morris", "pawn")
DEFAULT_N: dict[Method, int] = {"sobol": 2048, "morris": 64, "pawn": 4096}
"""Default base sample sizes (runs: sobol N(D+2), morris N(D+1), pawn N)."""
DEFAULT_EXCLUDE = ("observations.*", "costs.*")
"""Parameters that are not factors unless asked for: they do not act on the model."""

_MONEY_OUTPUTS = ("money_per_month",)
"""Outputs the ``costs:`` parameters act on: for these they are factors by default."""


def default_exclude(output: str) -> tuple[str, ...]:
    """Return the parameters held at their medians by default when ranking ``output``.

    The observation model's never act on an output; the money parameters (``costs.*``) act
    on the money measures only, so they are factors there and held everywhere else.
    """
    if output.split("@")[0].split(".")[0] in _MONEY_OUTPUTS:
        return ("observations.*",)
    return DEFAULT_EXCLUDE


_EDGE = 1e-9
_BATCH = 8192


@dataclass(frozen=True)
class Factor:
    """One factor of the analysis: a parameter, or a group moving together."""

    name: str
    parameters: tuple[str, ...]
    ppfs: tuple[Callable[[FloatArray], FloatArray], ...] = field(repr=False)


@dataclass(frozen=True)
class SensitivityResult:
    """Indices per factor, ranked, with what it took to compute them."""

    method: Method
    output: str
    n: int
    evaluations: int
    seed: int
    factors: tuple[Factor, ...]
    indices: dict[str, FloatArray]
    rank_by: str
    notes: tuple[str, ...] = ()
    scenario: str = ""
    scenario_sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def ranking(self) -> list[int]:
        """Factor positions, most influential first (by :attr:`rank_by`; NaN last)."""
        key = np.nan_to_num(self.indices[self.rank_by], nan=-np.inf)
        return [int(i) for i in np.argsort(-key, kind="stable")]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: factors ranked, each with its indices."""
        ranked = []
        for position in self.ranking():
            factor = self.factors[position]
            ranked.append(
                {
                    "factor": factor.name,
                    "parameters": list(factor.parameters),
                    **{name: _finite(values[position]) for name, values in self.indices.items()},
                }
            )
        return {
            "scenario": self.scenario,
            "scenario_sha256": self.scenario_sha256,
            "output": self.output,
            "method": self.method,
            "n": self.n,
            "evaluations": self.evaluations,
            "seed": self.seed,
            "rank_by": self.rank_by,
            "indices": list(self.indices),
            "factors": ranked,
            "notes": list(self.notes),
            **self.extra,
        }


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _problem(factors: Sequence[Factor]) -> dict[str, Any]:
    names = [p for f in factors for p in f.parameters]
    groups = [f.name for f in factors for _ in f.parameters]
    problem: dict[str, Any] = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[0.0, 1.0]] * len(names),
    }
    if any(len(f.parameters) > 1 for f in factors):
        problem["groups"] = groups
    return problem


def analyse_factors(
    factors: Sequence[Factor],
    evaluate: Callable[[dict[str, FloatArray]], FloatArray],
    *,
    method: Method = "sobol",
    n: int | None = None,
    seed: int = 0,
    output: str = "y",
    conf_level: float = 0.95,
) -> SensitivityResult:
    """Run SALib's ``method`` on ``factors`` with the model ``evaluate``.

    ``evaluate`` takes parameter values by path (each an array of runs) and returns
    the output per run. The design is on the quantile scale; ``evaluate`` receives
    values already mapped through each parameter's ``ppf``.
    """
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}: expected one of {', '.join(METHODS)}")
    if not factors:
        raise InputError("no uncertain parameters to analyse", where="factors")
    n = DEFAULT_N[method] if n is None else int(n)
    if n < 2:
        raise InputError(f"expected N of at least 2, got {n}", field="N")
    if method == "pawn" and any(len(f.parameters) > 1 for f in factors):
        raise InputError("PAWN takes no groups: use sobol or morris to group parameters")
    problem = _problem(factors)
    with warnings.catch_warnings():
        # SALib warns when N is not a power of 2 (Sobol') and on convergence notes; the
        # result's notes carry what matters.
        warnings.simplefilter("ignore", UserWarning)
        design = _design(problem, method, n, seed)
        columns = np.clip(design, _EDGE, 1.0 - _EDGE)
        values: dict[str, FloatArray] = {}
        column = 0
        for factor in factors:
            for path, ppf in zip(factor.parameters, factor.ppfs, strict=True):
                values[path] = np.asarray(ppf(columns[:, column]), dtype=np.float64)
                column += 1
        y = np.asarray(evaluate(values), dtype=np.float64)
        if y.shape != (design.shape[0],):
            raise ValueError(f"evaluate returned shape {y.shape}, expected ({design.shape[0]},)")
        notes: list[str] = []
        if not np.all(np.isfinite(y)):
            raise InputError(
                f"the output {output} is not finite for {int(np.sum(~np.isfinite(y)))} runs",
                where=output,
            )
        extra: dict[str, Any] = {}
        if np.ptp(y) == 0.0:
            notes.append(
                f"warning: {output} does not vary over the design, so every index is zero; "
                "prefer a continuous measure (the default, force_margin.SIDE, is one)"
            )
            indices = {k: np.zeros(len(factors)) for k in _INDEX_NAMES[method]}
        else:
            notes.extend(_flat_output_notes(y, output))
            indices = _analyse(problem, method, design, y, seed, conf_level)
            if method == "sobol":
                notes.extend(_sobol_notes(indices, factors, n, extra))
    return SensitivityResult(
        method=method,
        output=output,
        n=n,
        evaluations=int(design.shape[0]),
        seed=seed,
        factors=tuple(factors),
        indices=indices,
        rank_by=_RANK_BY[method],
        notes=tuple(notes),
        extra=extra,
    )


_FLAT_SHARE = 0.5
"""An output that takes one value in this share of runs or more says little (censoring)."""
_WIDE_CONF = 0.1
"""A 95% half-width above this on an index in [0, 1] is too wide to rank factors by."""


def _flat_output_notes(y: FloatArray, output: str) -> list[str]:
    """Warn when the output has almost no variance: the indices then explain almost nothing.

    Months to crisis censored at the horizon is the case in point: when most runs have no
    crisis, most outputs are the horizon itself and the indices describe the few others.
    """
    values, counts = np.unique(y, return_counts=True)
    top = int(np.argmax(counts))
    share = counts[top] / y.size
    notes = []
    if share >= _FLAT_SHARE:
        notes.append(
            f"warning: {output} takes one value ({values[top]:.6g}) in {share:.0%} of the "
            f"runs, so the indices describe only the other {1 - share:.0%}; prefer a "
            "continuous measure (the default, force_margin.SIDE, is one)"
        )
    elif float(np.std(y)) <= 1e-9 * max(float(np.abs(np.mean(y))), 1e-300):
        notes.append(f"warning: {output} hardly varies over the design (sd {np.std(y):.3g})")
    return notes


def _sobol_notes(
    indices: dict[str, FloatArray], factors: Sequence[Factor], n: int, extra: dict[str, Any]
) -> list[str]:
    """Warn on intervals too wide to rank by, and clip estimates outside [0, 1].

    Sobol' indices are shares of variance, so they lie in [0, 1]; the Saltelli/Jansen
    estimators can leave that range when N is small (their sampling error exceeds the
    index). The raw estimates are kept in ``unclipped``; the indices are clipped.
    """
    notes = []
    widest = max(
        float(np.nanmax(indices["S1_conf"], initial=0.0)),
        float(np.nanmax(indices["ST_conf"], initial=0.0)),
    )
    if widest > _WIDE_CONF:
        notes.append(
            f"warning: N = {n} is too small for these intervals (the widest 95% half-width "
            f"is {widest:.2f}, on indices that lie in [0, 1]); raise -N (runs grow as "
            "N(D+2)) before ranking by them"
        )
    outside: dict[str, dict[str, float]] = {}
    for name in ("S1", "ST"):
        raw = indices[name]
        for factor, value in zip(factors, raw, strict=True):
            if np.isfinite(value) and not 0.0 <= value <= 1.0:
                outside.setdefault(factor.name, {})[name] = float(value)
        indices[name] = np.clip(raw, 0.0, 1.0)
    if outside:
        first, values = next(iter(outside.items()))
        shown = ", ".join(f"{k} = {v:.3g}" for k, v in values.items())
        notes.append(
            f"{sum(len(v) for v in outside.values())} estimates fell outside [0, 1] (e.g. "
            f"{first}: {shown}) and are shown clipped to [0, 1]: sampling error of N = {n}; "
            "the raw values are in `unclipped`"
        )
        extra["unclipped"] = outside
    return notes


_INDEX_NAMES: dict[Method, tuple[str, ...]] = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "sigma", "mu"),
    "pawn": ("median", "minimum", "maximum", "CV"),
}
_RANK_BY: dict[Method, str] = {"sobol": "ST", "morris": "mu_star", "pawn": "median"}


def _salib_seed(seed: int) -> int:
    """Return a seed SALib honours: it treats 0 as "no seed" (``if seed:``) and draws unseeded.

    Derived from ``SeedSequence(seed)``, so every seed, 0 included, gives reproducible
    designs and bootstrap intervals.
    """
    return int(np.random.SeedSequence(seed).generate_state(1)[0]) or 1


def _design(problem: dict[str, Any], method: Method, n: int, seed: int) -> FloatArray:
    seed = _salib_seed(seed)
    if method == "sobol":
        from SALib.sample import sobol

        return np.asarray(sobol.sample(problem, n, calc_second_order=False, seed=seed))
    if method == "morris":
        from SALib.sample import morris

        return np.asarray(morris.sample(problem, n, num_levels=4, seed=seed))
    rng = np.random.default_rng(seed)
    return rng.random((n, problem["num_vars"]))


def _analyse(
    problem: dict[str, Any],
    method: Method,
    design: FloatArray,
    y: FloatArray,
    seed: int,
    conf_level: float,
) -> dict[str, FloatArray]:
    seed = _salib_seed(seed)
    if method == "sobol":
        from SALib.analyze import sobol

        result = sobol.analyze(
            problem, y, calc_second_order=False, conf_level=conf_level, seed=seed
        )
    elif method == "morris":
        from SALib.analyze import morris

        result = morris.analyze(problem, design, y, conf_level=conf_level, seed=seed)
    else:
        from SALib.analyze import pawn

        result = pawn.analyze(problem, design, y, S=10, seed=seed)
    return {
        name: np.asarray(result[name], dtype=np.float64).reshape(-1)
        for name in _INDEX_NAMES[method]
    }


def _parse_groups(groups: Mapping[str, str | Sequence[str]] | None) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for name, patterns in (groups or {}).items():
        parsed[name] = [patterns] if isinstance(patterns, str) else list(patterns)
    return parsed


def scenario_factors(
    scenario: Scenario,
    *,
    groups: Mapping[str, str | Sequence[str]] | None = None,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    include: Sequence[str] | None = None,
) -> tuple[list[Factor], dict[str, float]]:
    """Build the factors of ``scenario``; return them and the medians of the others.

    ``groups`` maps a factor name to glob patterns over dotted paths; a parameter
    joins the first group it matches. ``include`` (globs) restricts the factors;
    ``exclude`` (globs) holds parameters at their medians.
    """
    from ceasefire.ensemble import uncertain_parameters

    parameters = uncertain_parameters(scenario)
    group_patterns = _parse_groups(groups)
    held: dict[str, float] = {}
    grouped: dict[str, list[Any]] = {name: [] for name in group_patterns}
    singles: list[Factor] = []
    order: list[str] = []
    for parameter in parameters:
        path = parameter.path
        excluded = any(fnmatch.fnmatchcase(path, p) for p in exclude)
        if include is not None:
            excluded = excluded or not any(fnmatch.fnmatchcase(path, p) for p in include)
        group = next(
            (
                name
                for name, patterns in group_patterns.items()
                if any(fnmatch.fnmatchcase(path, p) for p in patterns)
            ),
            None,
        )
        if excluded and group is None:
            held[path] = parameter.param.central()
            continue
        if group is None and parameter.latent:
            # A process's monthly innovations are one factor: "the shocks of this schedule".
            group = path.rsplit(".shock.", 1)[0] + ".shocks"
            grouped.setdefault(group, [])
        if group is not None:
            if not grouped[group]:
                order.append(f"group:{group}")
            grouped[group].append(parameter)
        else:
            order.append(path)
            singles.append(Factor(path, (path,), (parameter.param.ppf,)))
    for name, members in grouped.items():
        if not members:
            raise InputError(
                f"group {name!r} matches no uncertain parameter of the scenario",
                field=f"--group {name}",
            )
    by_name = {f.name: f for f in singles}
    factors: list[Factor] = []
    for entry in order:
        if entry.startswith("group:"):
            name = entry[len("group:") :]
            members = grouped[name]
            factors.append(
                Factor(
                    name,
                    tuple(m.path for m in members),
                    tuple(m.param.ppf for m in members),
                )
            )
        else:
            factors.append(by_name[entry])
    return factors, held


def default_output(scenario: Scenario) -> str:
    """Return the measure explained by default: ``force_margin`` of the first side with a minimum.

    It carries the question (does the side stay above the force it needs?) and, unlike
    months to crisis censored at the horizon, varies in every draw. A scenario without
    any required minimum falls back to the first side's active force at the horizon.
    """
    for side in scenario.side_ids:
        if scenario.sides[side].has_required_minimum:
            return f"force_margin.{side}"
    return f"active_final.{scenario.side_ids[0]}"


def _measure_needs_trajectories(output: str) -> bool:
    # A month (``@``), or a measure added after the run from the trajectories (money).
    from ceasefire.ensemble import MEASURES

    measure = MEASURES.get(output.partition("@")[0].partition(".")[0])
    return "@" in output or (measure is not None and not measure.from_chunks)


def sensitivity(
    scenario: Scenario | str | None = None,
    *,
    output: str | None = None,
    method: Method = "sobol",
    n: int | None = None,
    seed: int = 0,
    groups: Mapping[str, str | Sequence[str]] | None = None,
    exclude: Sequence[str] | None = None,
    include: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    simulate_options: Mapping[str, Any] | None = None,
) -> SensitivityResult:
    """Rank the scenario's uncertain parameters by their influence on ``output``.

    ``output`` is a measure name as every command takes it
    (``months_to_crisis.russia``, ``active.ukraine@36``, ``front@24``; default:
    :func:`default_output`, the force margin of the first side with a required minimum).
    Months to crisis are censored at the horizon (a draw without a crisis counts as the
    horizon), so the index measures what moves the crisis date within it; the result
    warns when one value dominates the output.
    ``exclude`` (globs) holds parameters at their medians; by default
    :func:`default_exclude` of the output (the observation model always, the money
    parameters unless the output is money). ``simulate_options`` go to
    :func:`ceasefire.ensemble.simulate` (an ``engine``, say).
    """
    from ceasefire.analysis._measures import add_registered_measures, select_measure
    from ceasefire.ensemble import simulate
    from ceasefire.scenario import Scenario, load_scenario, scenario_hash

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if output is None:
        output = default_output(scenario)
    if exclude is None:
        exclude = default_exclude(output)
    factors, held = scenario_factors(scenario, groups=groups, exclude=exclude, include=include)
    keep = _measure_needs_trajectories(output)
    options = dict(simulate_options or {})

    # Check the name against a tiny ensemble first, so a typo costs nothing.
    probe = simulate(
        scenario, draws=1, seed=seed, save="trajectories" if keep else "summary", **options
    )
    select_measure(add_registered_measures(probe, scenario), output, scenario=scenario)
    horizon_months = float(probe.attrs["horizon_months"])

    def evaluate(values: dict[str, FloatArray]) -> FloatArray:
        runs = len(next(iter(values.values())))
        out = np.empty(runs)
        for start in range(0, runs, _BATCH):
            stop = min(start + _BATCH, runs)
            batch = {path: column[start:stop] for path, column in values.items()}
            batch.update({path: np.full(stop - start, value) for path, value in held.items()})
            ensemble = simulate(
                scenario,
                draws=stop - start,
                seed=seed,
                save="trajectories" if keep else "summary",
                values=batch,
                **options,
            )
            ensemble = add_registered_measures(ensemble, scenario)
            measure = select_measure(ensemble, output, scenario=scenario).values
            if output.startswith("months_to_crisis"):
                measure = np.where(np.isnan(measure), horizon_months, measure)
            out[start:stop] = measure
            if progress is not None:
                progress(stop, runs)
        return out

    result = analyse_factors(factors, evaluate, method=method, n=n, seed=seed, output=output)
    notes = list(result.notes)
    if held:
        notes.append(
            f"{len(held)} uncertain parameters held at their medians: " + ", ".join(sorted(held))
        )
    if scenario.correlations:
        notes.append(
            "the scenario's correlations are ignored: the indices assume independent factors"
        )
    if output.startswith("months_to_crisis"):
        notes.append(f"no crisis within the horizon counts as {horizon_months:g} months")
    return SensitivityResult(
        method=result.method,
        output=output,
        n=result.n,
        evaluations=result.evaluations,
        seed=seed,
        factors=result.factors,
        indices=result.indices,
        rank_by=result.rank_by,
        notes=tuple(notes),
        scenario=scenario.name,
        scenario_sha256=scenario_hash(scenario),
        extra={**result.extra, "held_at_median": sorted(held)},
    )
