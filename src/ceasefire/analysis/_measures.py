"""Headline measures addressed by name: ``measure.side`` and ``measure.side@month``.

The names are the ones every command uses (``months_to_crisis.russia``,
``active.ukraine@36``, ``front@24``), so a user learns them once. One measure is derived:
``force_margin.side``, the margin of the side's active force at the horizon over its
required minimum, as a share of that minimum, ``(A(H) − A_min) / A_min``: negative when the
side ends the horizon in a manpower crisis, continuous where months to crisis is censored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ceasefire._errors import InputError
from ceasefire.ensemble import MEASURES, SIDE_TRAJECTORIES

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "FORCE_MARGIN",
    "add_registered_measures",
    "measure_names",
    "measure_unit",
    "register_ensemble_measures",
    "select_measure",
]

FORCE_MARGIN = "force_margin"
"""The derived measure: active force at the horizon over the required minimum, minus one."""

_AUGMENTERS: list[Callable[[xr.Dataset, Any], xr.Dataset]] = []


def register_ensemble_measures(function: Callable[[xr.Dataset, Any], xr.Dataset]) -> None:
    """Let a higher layer add per-draw measures to ensembles (the deal calculus does).

    ``function(ensemble, scenario)`` returns the ensemble with its variables added (or
    unchanged when it does not apply); :func:`add_registered_measures` calls each, so
    ``sensitivity`` and ``compare`` can take those measures by name without importing the
    layer that defines them.
    """
    if function not in _AUGMENTERS:
        _AUGMENTERS.append(function)


def add_registered_measures(ensemble: xr.Dataset, scenario: Any) -> xr.Dataset:
    """Return ``ensemble`` with the measures added after a run: money, and registered layers'.

    Money per month (``money_per_month``, an entry of the registry) where the scenario has
    ``costs:`` and the ensemble its trajectories; then each registered layer's measures.
    """
    from ceasefire.analysis.costs import add_money_measure

    ensemble = add_money_measure(ensemble, scenario)
    for function in _AUGMENTERS:
        ensemble = function(ensemble, scenario)
    return ensemble


_NAME = re.compile(
    r"^(?P<var>[a-z_][a-z0-9_]*)(?:\.(?P<side>[a-z][a-z0-9_]*))?(?:@(?P<month>\d+(?:\.\d+)?))?$"
)


def measure_names(ensemble: xr.Dataset) -> list[str]:
    """List the measures of ``ensemble`` that :func:`select_measure` accepts (``@`` forms aside)."""
    sides = [str(s) for s in ensemble["side"].values]
    names: list[str] = []
    for name, variable in ensemble.data_vars.items():
        dims = set(variable.dims)
        if "." in str(name) or "draw" not in dims:
            continue
        if dims == {"draw", "side"}:
            names.extend(f"{name}.{side}" for side in sides)
        elif "time" in dims and "side" in dims:
            names.extend(f"{name}.{side}@MONTH" for side in sides)
        elif dims == {"draw", "time"}:
            names.append(f"{name}@MONTH")
    if "active_final" in ensemble:
        names.extend(f"{FORCE_MARGIN}.{side}" for side in sides)
    return names


# Units in words of what is not a headline measure (those are in the registry, MEASURES):
# the trajectories (people, summed over channels), the front, and the derived margin.
_OTHER_UNITS = {
    FORCE_MARGIN: "share of the required minimum",
    "active": "men",
    **dict.fromkeys(SIDE_TRAJECTORIES, "men"),
    "front": "km² held by the front's holder",
}


def measure_unit(name: str) -> str:
    """Return the unit of a measure name in words (``active.ukraine@36`` → ``men``)."""
    match = _NAME.match(name)
    if match is None:
        return ""
    var = match["var"]
    return MEASURES[var].unit_words if var in MEASURES else _OTHER_UNITS.get(var, "")


def select_measure(ensemble: xr.Dataset, name: str, *, scenario: Any = None) -> xr.DataArray:
    """Return the per-draw values of the measure ``name``, a ``(draw,)`` array.

    ``measure.side`` picks a per-draw measure of a side (``months_to_crisis.russia``);
    ``stock.side@M`` a trajectory at month ``M``, summed over channels
    (``active.ukraine@36``); ``front@M`` the front at month ``M``; ``force_margin.side``
    the margin over the required minimum at the horizon (the minimum from the ensemble's
    sampled parameters, else from ``scenario`` where it is a fixed number).
    """
    match = _NAME.match(name)
    if match is None:
        raise InputError(
            "expected measure.side or measure.side@month, e.g. months_to_crisis.russia",
            where=name,
        )
    var, side, month = match["var"], match["side"], match["month"]
    if var == FORCE_MARGIN:
        return _force_margin(ensemble, name, side, month, scenario)
    if var not in ensemble.data_vars or "." in var:
        near = difflib.get_close_matches(name, measure_names(ensemble), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise InputError(f"no such measure in this ensemble{hint}", where=name)
    values = ensemble[var]
    if "side" in values.dims:
        sides = [str(s) for s in ensemble["side"].values]
        if side not in sides:
            raise InputError(f"expected a side: {', '.join(sides)}", where=name)
        values = values.sel(side=side)
    elif side is not None:
        raise InputError(f"{var} is not per side", where=name)
    if "channel" in values.dims:
        values = values.sum("channel")
    if "time" in values.dims:
        if month is None:
            raise InputError(f"{var} is a trajectory: add @month, e.g. {name}@12", where=name)
        months = ensemble["time"].values
        index = int(np.argmin(np.abs(months - float(month))))
        if abs(months[index] - float(month)) > 1e-9:
            raise InputError(
                f"month {month} is not saved; saved months run {months[0]:g} to {months[-1]:g}",
                where=name,
            )
        values = values.isel(time=index, drop=True)
    elif month is not None:
        raise InputError(f"{var} is not a trajectory: drop @{month}", where=name)
    return values.rename(name)


def _force_margin(
    ensemble: xr.Dataset, name: str, side: str | None, month: str | None, scenario: Any
) -> xr.DataArray:
    """``(A(H) − A_min) / A_min`` per draw, for one side."""
    sides = [str(s) for s in ensemble["side"].values]
    if side not in sides:
        raise InputError(f"expected a side: {', '.join(sides)}", where=name)
    if month is not None:
        raise InputError(f"{FORCE_MARGIN} is taken at the horizon: drop @{month}", where=name)
    if "active_final" not in ensemble:
        raise InputError("this ensemble has no active force at the horizon", where=name)
    minimum: Any = None
    share_path = f"sides.{side}.required_minimum_share"
    path = f"sides.{side}.required_minimum_force"
    if path in ensemble:
        minimum = ensemble[path]
    elif share_path in ensemble and "active_initial" in ensemble:
        # A threshold set as a share of the starting force (no draw starts in crisis).
        minimum = ensemble[share_path] * ensemble["active_initial"].sel(side=side, drop=True)
    elif scenario is not None and side in scenario.sides:
        entry = scenario.sides[side]
        if entry.required_minimum_force is not None:
            minimum = float(entry.required_minimum_force.central())
        elif entry.required_minimum_share is not None and "active_initial" in ensemble:
            share = float(entry.required_minimum_share.central())
            minimum = share * ensemble["active_initial"].sel(side=side, drop=True)
    if minimum is None:
        raise InputError(
            f"{side} has no required minimum force (required_minimum_force or "
            f"required_minimum_share) here; try active_final.{side}",
            where=name,
        )
    active = ensemble["active_final"].sel(side=side, drop=True)
    margin = (active - minimum) / minimum
    margin.attrs = {
        "units": "1",
        "long_name": "active force at the horizon over the required minimum, minus one",
    }
    return margin.rename(name)
