"""Scenario discovery on an ensemble: the parameter ranges that make an outcome likely.

The ensemble's sampled parameters (its ``(draw,)`` variables with a dotted path) are the
inputs; a yes/no outcome (:mod:`~ceasefire.analysis.discover._expr`) is the output. The draws
are split at random into draws the boxes are *found on* and *held-out* draws on which their
coverage and density are measured again, so a box that only fits noise shows it.

PRIM (:mod:`~ceasefire.analysis.discover._prim`) finds one box; further boxes come from
*covering* (Friedman & Fisher 1999, section 7): the draws in the boxes found so far are set
aside and PRIM runs again on the rest. A box's coverage is always a share of all the draws
where the outcome holds, so the coverages of the boxes add up.

Threshold intervals come from the bootstrap (Efron & Tibshirani 1993, percentile intervals):
the draws a box was found on are resampled with replacement and PRIM is run again on the
box's restricted parameters, with the same rule; the 2.5% and 97.5% quantiles of each bound
over the replicates are its 95% interval. The intervals are conditional on which parameters
are restricted. The replicates' boxes also give the box's *stability*: their median overlap
(shared draws over draws in either, on the held-out draws) with the box.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.analysis.discover._describe import (
    outcome_words,
    parameter_label,
    restriction_words,
    summary_words,
)
from ceasefire.analysis.discover._expr import Outcome, parse_outcome
from ceasefire.analysis.discover._features import SHOCK, shock_summaries
from ceasefire.analysis.discover._prim import (
    Box,
    Rule,
    box_stats,
    choose_box,
    data_limits,
    drop_insignificant,
    paste,
    peel,
    quasi_p_values,
    resampled_orders,
)

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["DEFAULT_EXCLUDE", "Settings", "box_overlap", "discover", "parameter_matrix"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Method = Literal["prim", "cart"]

DEFAULT_EXCLUDE = ("observations.*",)
"""Parameters left out unless asked for: the observation models do not act on the model."""
MIN_CASES = 10
"""Fewer draws than this where the outcome holds, or where it fails, leave nothing to find."""
_SCATTER_POINTS = 1500
_RULE_WORDS = {
    "balance": "the box on the peeling trajectory with the largest harmonic mean of coverage "
    "and density (the knee of the trade-off)",
    "density": "of the boxes with density at least {target:.0%}, the one with the most coverage",
    "coverage": "of the boxes with coverage at least {target:.0%}, the densest",
}


@dataclass(frozen=True)
class Settings:
    """How discovery runs; the defaults are what ``ceasefire discover`` uses.

    ``alpha`` is the share of a box's draws one peel or paste moves (Friedman & Fisher's
    ``alpha``, 0.05 as in their paper and EMA Workbench); ``mass_min`` the smallest share of
    draws a box may keep (default ``max(0.01, 20 / draws)``); ``max_p`` the quasi-p-value
    above which a restriction is relaxed; ``bootstrap`` the replicates for the threshold
    intervals; ``holdout`` the share of draws held out.
    """

    method: Method = "prim"
    rule: Rule = "balance"
    target: float = 0.0
    alpha: float = 0.05
    mass_min: float | None = None
    max_boxes: int = 3
    bootstrap: int = 50
    holdout: float = 0.3
    max_p: float = 0.05
    max_depth: int = 4
    max_dims: int = 4
    seed: int = 0

    def check(self) -> None:
        """Refuse settings outside their ranges, naming the option."""
        checks = [
            (0 < self.alpha < 0.5, "--alpha", "expected a share between 0 and 0.5"),
            (0 <= self.holdout < 1, "--holdout", "expected a share from 0 to below 1"),
            (self.max_boxes >= 1, "--boxes", "expected at least 1"),
            (self.max_dims >= 1, "--max-dims", "expected at least 1"),
            (self.bootstrap >= 0, "--bootstrap", "expected 0 or more replicates"),
            (0 < self.max_p <= 1, "--max-p", "expected a p-value in (0, 1]"),
            (
                self.mass_min is None or 0 < self.mass_min < 1,
                "--mass-min",
                "expected a share between 0 and 1",
            ),
        ]
        if self.rule != "balance":
            checks.append((0 < self.target <= 1, f"--{self.rule}", "expected a share in (0, 1]"))
        for ok, where, message in checks:
            if not ok:
                raise InputError(message, where=where)


def parameter_matrix(
    ensemble: xr.Dataset, exclude: Sequence[str] = DEFAULT_EXCLUDE
) -> tuple[list[str], list[str], FloatArray]:
    """Return the sampled parameters of ``ensemble``: paths, units and a draws × parameters array.

    Parameters that do not vary (or are not finite in every draw) cannot bound a box and are
    left out, as are those matching ``exclude``.
    """
    paths, units, columns = [], [], []
    shocks: dict[str, dict[int, FloatArray]] = {}
    for name, variable in ensemble.data_vars.items():
        path = str(name)
        if "." not in path or variable.dims != ("draw",):
            continue
        if any(fnmatch.fnmatchcase(path, pattern) for pattern in exclude):
            continue
        values = np.asarray(variable.values, dtype=float)
        if not np.all(np.isfinite(values)) or np.ptp(values) == 0:
            continue
        shock = SHOCK.match(path)
        if shock is not None:
            shocks.setdefault(shock["process"], {})[int(shock["month"])] = values
            continue
        paths.append(path)
        units.append(str(variable.attrs.get("units", "")))
        columns.append(values)
    for process, by_month in shocks.items():
        for path, values in shock_summaries(process, by_month):
            paths.append(path)
            units.append("sd")
            columns.append(values)
    if not columns:
        raise InputError("the ensemble has no uncertain parameters to discover boxes in")
    return paths, units, np.column_stack(columns)


def box_overlap(first: Box, second: Box, x: FloatArray) -> float:
    """Return the draws of ``x`` in both boxes over the draws in either (Jaccard index)."""
    a, b = first.contains(x), second.contains(x)
    either = int((a | b).sum())
    return float((a & b).sum() / either) if either else 1.0


def discover(
    ensemble: xr.Dataset,
    outcome: str | Outcome,
    *,
    settings: Settings | None = None,
    label: str | None = None,
    side_names: Mapping[str, str] | None = None,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    resolve: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """Find the boxes of parameter ranges where ``outcome`` concentrates; return a JSON-ready dict.

    ``resolve`` maps a measure name to its per-draw values (default:
    :func:`~ceasefire.analysis.select_measure` on ``ensemble``), so new measures plug in
    without touching the outcome language.
    """
    from ceasefire.analysis._measures import select_measure
    from ceasefire.analysis._summary import wilson_interval

    settings = settings or Settings()
    settings.check()
    parsed = parse_outcome(outcome) if isinstance(outcome, str) else outcome
    lookup = resolve or (lambda name: select_measure(ensemble, name).values)
    y = parsed.evaluate(lookup)
    draws = len(y)
    cases = int(y.sum())
    _check_frequency(parsed.text, cases, draws)
    paths, units, x = parameter_matrix(ensemble, exclude)
    if len(y) != len(x):
        raise InputError("has a different number of draws than the parameters", where="--outcome")
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 21]))
    order = rng.permutation(draws)
    held = order[: round(settings.holdout * draws)]
    found = order[round(settings.holdout * draws) :]
    x_found, y_found = x[found], y[found]
    x_held, y_held = x[held], y[held]
    if int(y_found.sum()) < MIN_CASES // 2 or int((~y_found).sum()) < MIN_CASES // 2:
        raise InputError(
            f"too few draws where it holds (or fails) are left to search after holding out "
            f"{settings.holdout:.0%}; raise --draws or lower --holdout",
            where="--outcome",
            field=parsed.text,
        )
    mass_min = settings.mass_min if settings.mass_min is not None else max(0.01, 20 / len(found))
    if settings.method == "prim":
        raw = _prim_boxes(x_found, y_found, settings, mass_min)
    else:
        from ceasefire.analysis.discover._cart import cart_boxes

        leaves = cart_boxes(
            x_found,
            y_found,
            max_depth=settings.max_depth,
            min_leaf=max(20, int(mass_min * len(found))),
            seed=settings.seed,
        )
        raw = [_Found(box, None, -1, {}) for box in leaves[: settings.max_boxes]]
    limits = data_limits(x)
    boxes = []
    taken_found = np.zeros(len(found), dtype=bool)
    taken_held = np.zeros(len(held), dtype=bool)
    for number, item in enumerate(raw):
        context = _BoxContext(paths, units, side_names, limits, x_held)
        entry = _describe_box(item, x_found, y_found, x_held, y_held, taken_found, taken_held)
        entry["restrictions"] = _restrictions(
            item, x_found[~taken_found], y_found[~taken_found], context
        )
        if settings.method == "prim" and settings.bootstrap > 0:
            _bootstrap(
                entry,
                item,
                x_found[~taken_found],
                y_found[~taken_found],
                settings,
                mass_min,
                rng,
                context,
            )
        entry["scatter"] = _scatter(
            item.box,
            entry,
            x_held if len(held) else x_found,
            y_held if len(held) else y_found,
            context,
            rng,
        )
        entry["number"] = number + 1
        for row in entry["restrictions"]:
            del row["_dim"]
        boxes.append(entry)
        taken_found |= item.box.contains(x_found)
        if len(held):
            taken_held |= item.box.contains(x_held)
    low, high = wilson_interval(cases, draws)
    result: dict[str, Any] = {
        "scenario": str(ensemble.attrs.get("scenario", "")),
        "scenario_sha256": str(ensemble.attrs.get("scenario_sha256", "")),
        "ensemble_seed": _int_or_none(ensemble.attrs.get("seed")),
        "seed": settings.seed,
        "outcome": parsed.text,
        "label": label or outcome_words(parsed.text, side_names),
        "measures": list(parsed.measures),
        "method": settings.method,
        "rule": {
            "name": settings.rule if settings.method == "prim" else "densest leaves",
            "target": settings.target if settings.rule != "balance" else None,
            "description": _RULE_WORDS[settings.rule].format(target=settings.target)
            if settings.method == "prim"
            else "the tree's leaves where the outcome is most frequent, densest first",
        },
        "draws": draws,
        "cases": cases,
        "base_rate": cases / draws,
        "base_rate_ci95": [low, high],
        "draws_found_on": len(found),
        "draws_held_out": len(held),
        "parameters": len(paths),
        "excluded": list(exclude),
        "settings": {
            "alpha": settings.alpha,
            "mass_min": mass_min,
            "max_boxes": settings.max_boxes,
            "bootstrap": settings.bootstrap if settings.method == "prim" else 0,
            "holdout": settings.holdout,
            "max_p": settings.max_p,
            "max_dims": settings.max_dims,
            **({"max_depth": settings.max_depth} if settings.method == "cart" else {}),
        },
        "boxes": boxes,
    }
    result["summary"] = summary_words(result)
    return result


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_frequency(text: str, cases: int, draws: int) -> None:
    if cases == 0:
        raise InputError(
            f"never holds (0 of {draws:,} draws); there is nothing to discover",
            where="--outcome",
            field=text,
        )
    if cases == draws:
        raise InputError(
            f"always holds ({draws:,} of {draws:,} draws); there is nothing to discover",
            where="--outcome",
            field=text,
        )
    rare = min(cases, draws - cases)
    if rare < MIN_CASES:
        word = "holds" if cases < draws - cases else "fails"
        raise InputError(
            f"{word} in only {rare} of {draws:,} draws ({rare / draws:.2%}); discovery needs "
            f"at least {MIN_CASES}: raise --draws",
            where="--outcome",
            field=text,
        )


@dataclass(frozen=True)
class _Found:
    """A box as found: the box, its peeling trajectory and chosen position, dropped limits."""

    box: Box
    trajectory: Any
    chosen: int
    dropped: dict[int, float]


@dataclass(frozen=True)
class _BoxContext:
    paths: list[str]
    units: list[str]
    side_names: Mapping[str, str] | None
    limits: Box
    x_held: FloatArray


def _prim_boxes(x: FloatArray, y: BoolArray, settings: Settings, mass_min: float) -> list[_Found]:
    """PRIM with covering: peel, choose, paste, drop insignificant limits; repeat on the rest."""
    found: list[_Found] = []
    rest = np.ones(len(y), dtype=bool)
    total = int(y.sum())
    base_rate = total / len(y)
    for number in range(settings.max_boxes):
        x_rest, y_rest = x[rest], y[rest]
        if int(y_rest.sum()) < MIN_CASES // 2:
            break
        limits = data_limits(x_rest)
        dims = _screen(x_rest, y_rest, settings, mass_min)
        if dims is None:
            if number == 0:
                _no_box(peel(x_rest, y_rest, alpha=settings.alpha, mass_min=mass_min), settings)
            break
        # Second stage: PRIM again on the screened parameters only.
        sub = x_rest[:, dims]
        trajectory = peel(sub, y_rest, alpha=settings.alpha, mass_min=mass_min)
        chosen = choose_box(trajectory, settings.rule, settings.target)
        if chosen < 0:
            if number == 0:
                _no_box(trajectory, settings)
            break
        pasted = paste(sub, y_rest, trajectory.boxes[chosen], alpha=settings.alpha)
        box = Box(limits.lower.copy(), limits.upper.copy())
        box.lower[dims], box.upper[dims] = pasted.lower, pasted.upper
        box, dropped = drop_insignificant(x_rest, y_rest, box, limits, max_p=settings.max_p)
        stats = box_stats(x_rest, y_rest, box, total)
        if not box.restricted(limits):
            break
        if number > 0 and (stats.density < 2 * base_rate or stats.coverage < 0.05):
            break
        found.append(_Found(box, trajectory, chosen, dropped))
        rest &= ~box.contains(x)
    return found


def _screen(x: FloatArray, y: BoolArray, settings: Settings, mass_min: float) -> list[int] | None:
    """First stage: PRIM on every parameter; keep the most significant restrictions.

    Peeling on dozens of parameters trims slivers off many that do not matter, and with a
    few hundred cases some pass a 0.05 test by chance. The restricted parameters are ranked
    by quasi-p-value and at most ``max_dims`` of those below ``max_p`` are kept (Bryant &
    Lempert 2010 count restricted dimensions as the cost in interpretability).
    """
    trajectory = peel(x, y, alpha=settings.alpha, mass_min=mass_min)
    chosen = choose_box(trajectory, settings.rule, settings.target)
    if chosen < 0:
        return None
    box = paste(x, y, trajectory.boxes[chosen], alpha=settings.alpha)
    p_values = quasi_p_values(x, y, box, data_limits(x))
    ranked = sorted(p_values, key=lambda dim: p_values[dim])
    kept = [dim for dim in ranked if p_values[dim] <= settings.max_p][: settings.max_dims]
    return kept or ranked[:1] or None


def _no_box(trajectory: Any, settings: Settings) -> None:
    if settings.rule == "density":
        best = float(np.max(trajectory.density))
        raise InputError(
            f"no box on the peeling trajectory reaches density {settings.target:.0%}; "
            f"the densest has {best:.1%}",
            where="--density",
        )
    best = float(np.max(trajectory.coverage[1:])) if len(trajectory.coverage) > 1 else 0.0
    raise InputError(
        f"no box on the peeling trajectory keeps coverage {settings.target:.0%}; "
        f"the widest peeled box has {best:.1%}",
        where="--coverage",
    )


def _describe_box(
    item: _Found,
    x_found: FloatArray,
    y_found: BoolArray,
    x_held: FloatArray,
    y_held: BoolArray,
    taken_found: BoolArray,
    taken_held: BoolArray,
) -> dict[str, Any]:
    """Coverage, density and mass on the found and held-out draws (earlier boxes set aside)."""
    entry: dict[str, Any] = {}
    found = box_stats(x_found[~taken_found], y_found[~taken_found], item.box, int(y_found.sum()))
    mass_found = found.draws_in_box / len(y_found)
    held: Any = None
    if len(y_held):
        held = box_stats(x_held[~taken_held], y_held[~taken_held], item.box, int(y_held.sum()))
    entry["coverage"] = {"found": found.coverage, "held_out": held.coverage if held else None}
    entry["density"] = {"found": found.density, "held_out": held.density if held else None}
    entry["mass"] = {
        "found": mass_found,
        "held_out": held.draws_in_box / len(y_held) if held else None,
    }
    entry["draws_in_box"] = {
        "found": found.draws_in_box,
        "held_out": held.draws_in_box if held else None,
    }
    entry["cases_in_box"] = {
        "found": found.cases_in_box,
        "held_out": held.cases_in_box if held else None,
    }
    if item.trajectory is not None:
        t = item.trajectory
        entry["trajectory"] = {
            "coverage": [round(float(v), 5) for v in t.coverage],
            "density": [round(float(v), 5) for v in t.density],
            "mass": [round(float(v), 5) for v in t.mass],
            "restricted": [int(v) for v in t.restricted],
            "chosen": item.chosen,
        }
    else:
        entry["trajectory"] = None
    return entry


def _restrictions(
    item: _Found, x: FloatArray, y: BoolArray, context: _BoxContext
) -> list[dict[str, Any]]:
    """Return the box's restricted parameters: bounds in their units, quasi-p-values."""
    limits = data_limits(x)
    p_values = quasi_p_values(x, y, item.box, limits)
    rows: list[dict[str, Any]] = []
    for dim in item.box.restricted(limits):
        lower = float(item.box.lower[dim]) if item.box.lower[dim] > limits.lower[dim] else None
        upper = float(item.box.upper[dim]) if item.box.upper[dim] < limits.upper[dim] else None
        label = parameter_label(context.paths[dim], context.side_names)
        # The share of draws this restriction alone excludes: how restrictive it is.
        alone = Box(context.limits.lower.copy(), context.limits.upper.copy())
        alone.lower[dim], alone.upper[dim] = item.box.lower[dim], item.box.upper[dim]
        sample = context.x_held if len(context.x_held) else x
        rows.append(
            {
                "parameter": context.paths[dim],
                "label": label,
                "units": context.units[dim],
                "lower": lower,
                "upper": upper,
                "lower_ci95": None,
                "upper_ci95": None,
                "quasi_p": p_values.get(dim),
                "excluded_share": float(1.0 - alone.contains(sample).mean()),
                "words": restriction_words(label, context.units[dim], lower, upper),
                "_dim": dim,
            }
        )
    rows.sort(key=lambda row: -float(row["excluded_share"]))
    return rows


def _bootstrap(
    entry: dict[str, Any],
    item: _Found,
    x: FloatArray,
    y: BoolArray,
    settings: Settings,
    mass_min: float,
    rng: np.random.Generator,
    context: _BoxContext,
) -> None:
    """Percentile intervals of the bounds over PRIM rerun on resampled draws, and stability."""
    dims = [row["_dim"] for row in entry["restrictions"]]
    if not dims:
        return
    limits = data_limits(x)
    sub = x[:, dims]
    lowers = np.full((settings.bootstrap, len(dims)), np.nan)
    uppers = np.full((settings.bootstrap, len(dims)), np.nan)
    overlaps = []
    sample = context.x_held if len(context.x_held) else x
    orders = [np.argsort(sub[:, j], kind="stable") for j in range(len(dims))]
    for replicate in range(settings.bootstrap):
        pick = np.sort(rng.integers(0, len(y), len(y)))
        xs, ys = sub[pick], y[pick]
        if not ys.any() or ys.all():
            continue
        trajectory = peel(
            xs,
            ys,
            alpha=settings.alpha,
            mass_min=mass_min,
            orders=resampled_orders(orders, pick, len(y)),
        )
        chosen = choose_box(trajectory, settings.rule, settings.target)
        if chosen < 0:
            continue
        box = paste(xs, ys, trajectory.boxes[chosen], alpha=settings.alpha)
        own = data_limits(xs)
        # A bound the replicate did not move is no bound: the whole range's end.
        low = np.where(box.lower > own.lower, box.lower, limits.lower[dims])
        high = np.where(box.upper < own.upper, box.upper, limits.upper[dims])
        lowers[replicate], uppers[replicate] = low, high
        full = Box(limits.lower.copy(), limits.upper.copy())
        full.lower[dims], full.upper[dims] = low, high
        overlaps.append(box_overlap(full, item.box, sample))
    done = ~np.isnan(lowers[:, 0])
    for column, row in enumerate(entry["restrictions"]):
        for side, values, edge in (
            ("lower", lowers[done, column], limits.lower[row["_dim"]]),
            ("upper", uppers[done, column], limits.upper[row["_dim"]]),
        ):
            if row[side] is None or len(values) == 0:
                continue
            low, high = np.quantile(values, [0.025, 0.975])
            row[f"{side}_ci95"] = [float(low), float(high)]
            row[f"{side}_restricted_share"] = float(np.mean(values != edge))
    entry["bootstrap"] = {
        "replicates": int(done.sum()),
        "overlap_median": float(np.median(overlaps)) if overlaps else None,
        "overlap_5_95": [float(v) for v in np.quantile(overlaps, [0.05, 0.95])]
        if overlaps
        else None,
    }


def _scatter(
    box: Box,
    entry: dict[str, Any],
    x: FloatArray,
    y: BoolArray,
    context: _BoxContext,
    rng: np.random.Generator,
) -> dict[str, Any] | None:
    """Return a sample of draws on the box's two most restrictive parameters (the figure)."""
    dims = [row["_dim"] for row in entry["restrictions"][:2]]
    if not dims:
        return None
    if len(dims) == 1:
        dims.append(next(j for j in range(x.shape[1]) if j != dims[0]))
    cases = np.flatnonzero(y)
    others = np.flatnonzero(~y)
    keep_cases = rng.permutation(cases)[: _SCATTER_POINTS // 3]
    keep_others = rng.permutation(others)[: _SCATTER_POINTS - len(keep_cases)]
    pick = np.sort(np.concatenate([keep_cases, keep_others]))
    return {
        "parameters": [context.paths[j] for j in dims],
        "labels": [parameter_label(context.paths[j], context.side_names) for j in dims],
        "units": [context.units[j] for j in dims],
        "box": [[float(box.lower[j]), float(box.upper[j])] for j in dims],
        "x": [float(f"{v:.5g}") for v in x[pick, dims[0]]],
        "y": [float(f"{v:.5g}") for v in x[pick, dims[1]]],
        "outcome": [bool(v) for v in y[pick]],
        "sampled": "all draws"
        if len(pick) == len(y)
        else (
            f"{len(keep_cases)} draws where it holds and {len(keep_others)} where it fails, "
            "at random"
        ),
    }
