"""Headline measures addressed by name: ``measure.side`` and ``measure.side@month``.

The names are the ones every command uses (``months_to_crisis.russia``,
``active.ukraine@36``, ``front@24``), so a user learns them once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ceasefire._errors import InputError

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "add_registered_measures",
    "measure_names",
    "register_ensemble_measures",
    "select_measure",
]

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
    """Return ``ensemble`` with every registered layer's measures added."""
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
    return names


def select_measure(ensemble: xr.Dataset, name: str) -> xr.DataArray:
    """Return the per-draw values of the measure ``name``, a ``(draw,)`` array.

    ``measure.side`` picks a per-draw measure of a side (``months_to_crisis.russia``);
    ``stock.side@M`` a trajectory at month ``M``, summed over channels
    (``active.ukraine@36``); ``front@M`` the front at month ``M``.
    """
    match = _NAME.match(name)
    if match is None:
        raise InputError(
            "expected measure.side or measure.side@month, e.g. months_to_crisis.russia",
            where=name,
        )
    var, side, month = match["var"], match["side"], match["month"]
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
