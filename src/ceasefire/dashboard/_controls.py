"""Dashboard controls generated from the scenario schema, and the server-side checks of them.

A control scales one or more of the scenario's parameters together (every dated segment of
a channel's recruitment, say): the slider shows the median in the parameter's units, and
moving it scales the whole distribution, so the uncertainty is kept. Each control's range
is 0.1× to 3× the scenario's median (a UI choice), cut to the field's own constraint
(a fraction stays within [0, 1]).
"""

from __future__ import annotations

import asyncio
import logging
import math
import numbers
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ceasefire._errors import InputError
from ceasefire.scenario import AnchoredCombat, Scenario, scenario_from_dict

__all__ = [
    "DRAWS_RANGE",
    "HORIZON_RANGE",
    "Control",
    "apply_controls",
    "check_integer",
    "check_switch",
    "check_value",
    "controls_for",
    "in_worker",
]

DRAWS_RANGE = (100, 100_000)
"""Ensemble sizes the dashboard accepts (a UI limit that keeps one session's CPU bounded)."""
HORIZON_RANGE = (1, 120)
"""Horizons (months) the dashboard accepts."""

_SCALED_KEYS = ("value", "end_value", "low", "mode", "high", "mean", "sd", "median")
_UI_RANGE = (0.1, 3.0)


@dataclass(frozen=True)
class Control:
    """A slider over one or more parameters, scaled together."""

    key: str
    label: str
    paths: tuple[tuple[str | int, ...], ...]
    default: float
    low: float
    high: float
    unit: str
    provenance: str

    @property
    def step(self) -> float:
        """A round step of about a hundredth of the range."""
        span = self.high - self.low
        return float(10 ** math.floor(math.log10(span / 100))) if span > 0 else 1.0


def _node(root: Any, path: Sequence[str | int]) -> Any:
    node = root
    for part in path:
        if isinstance(node, dict):
            node = node[part]
        elif isinstance(node, list):
            node = node[int(part)]
        else:
            node = getattr(node, str(part))
    return node


def _constraint(root: Scenario, path: Sequence[str | int]) -> tuple[float, float]:
    """Read the ``[low, high]`` that the schema's ``constrained(...)`` check puts on a field."""
    parent = _node(root, path[:-1])
    last = path[-1]
    metadata: Iterable[Any] = ()
    if hasattr(type(parent), "model_fields") and isinstance(last, str):
        metadata = type(parent).model_fields[last].metadata
    elif isinstance(parent, dict) and len(path) >= 2:
        owner = _node(root, path[:-2])
        annotation = type(owner).model_fields[str(path[-2])].annotation
        args = typing.get_args(annotation)
        if len(args) == 2:
            metadata = getattr(args[1], "__metadata__", ())
    for item in metadata:
        func: Any = getattr(item, "func", None)
        code = getattr(func, "__code__", None)
        if code is None or not str(func.__qualname__).startswith("constrained."):
            continue
        cells = dict(zip(code.co_freevars, func.__closure__ or (), strict=True))
        return float(cells["low"].cell_contents), float(cells["high"].cell_contents)
    return 0.0, math.inf


def _control(
    scenario: Scenario, key: str, label: str, paths: Sequence[tuple[str | int, ...]]
) -> Control | None:
    if not paths:
        return None
    first = _node(scenario, paths[0])
    default = first.central()
    if not default > 0:
        return None
    lowest = min(_node(scenario, p).support()[0] for p in paths)
    highest = max(_node(scenario, p).support()[1] for p in paths)
    floor, ceiling = _constraint(scenario, paths[0])
    low = default * _UI_RANGE[0]
    if lowest > 0 and floor > 0:
        low = max(low, default * floor / lowest)
    high = default * _UI_RANGE[1]
    if math.isfinite(ceiling) and highest > 0:
        high = min(high, default * ceiling / highest)
    return Control(
        key=key,
        label=label,
        paths=tuple(paths),
        default=float(default),
        low=float(low),
        high=float(high),
        unit=first.unit or "",
        provenance=first.provenance(),
    )


def controls_for(scenario: Scenario) -> list[Control]:
    """Return the controls for the parameters that matter, read from the scenario's schema.

    Recruitment per channel, the size of contingents that do not recruit (a foreign
    contingent), the sign-on bonus, the combat law's loss rates and each side's desertion.
    """
    found: list[Control | None] = []
    for side_id, side in scenario.sides.items():
        for name, channel in side.channels.items():
            where = ("sides", side_id, "channels", name)
            if channel.recruitment:
                paths: list[tuple[str | int, ...]] = []
                for index, segment in enumerate(channel.recruitment):
                    paths.append((*where, "recruitment", index, "value"))
                    if segment.end_value is not None:
                        paths.append((*where, "recruitment", index, "end_value"))
                found.append(
                    _control(
                        scenario,
                        f"{side_id}.{name}.recruitment",
                        f"{side.name} recruitment: {name.replace('_', ' ')}",
                        paths,
                    )
                )
            elif not channel.draws_on_pool:
                found.append(
                    _control(
                        scenario,
                        f"{side_id}.{name}.initial_active",
                        f"{side.name} contingent: {name.replace('_', ' ')}",
                        [(*where, "initial_active")],
                    )
                )
            if channel.incentive is not None:
                bonus = [
                    (*where, "incentive", "bonus", i, "value")
                    for i in range(len(channel.incentive.bonus))
                ]
                found.append(
                    _control(
                        scenario,
                        f"{side_id}.{name}.bonus",
                        f"{side.name} sign-on bonus: {name.replace('_', ' ')}",
                        bonus[-1:],
                    )
                )
        found.append(
            _control(
                scenario,
                f"{side_id}.desertion_rate",
                f"{side.name} desertion rate",
                [("sides", side_id, "desertion_rate")],
            )
        )
    combat = scenario.combat
    if isinstance(combat, AnchoredCombat):
        found.append(
            _control(
                scenario,
                "combat.casualties",
                f"{scenario.sides[combat.reference_side].name} casualties",
                [("combat", "casualties", i, "value") for i in range(len(combat.casualties))],
            )
        )
        found.append(
            _control(
                scenario, "combat.exchange_ratio", "Exchange ratio", [("combat", "exchange_ratio")]
            )
        )
    else:
        rates = getattr(combat, "lethality", None) or getattr(combat, "loss_rate", None) or {}
        field = "lethality" if hasattr(combat, "lethality") else "loss_rate"
        for side_id in rates:
            found.append(
                _control(
                    scenario,
                    f"combat.{field}.{side_id}",
                    f"{scenario.sides[side_id].name} {field.replace('_', ' ')}",
                    [("combat", field, side_id)],
                )
            )
    return [c for c in found if c is not None]


def _as_float(value: Any, where: str, what: str) -> float:
    """Return ``value`` as a float: a real number or a numeric string, nothing else.

    A browser can send any JSON value; booleans, bytes, lists, None and text that is not a
    number are refused here rather than coerced.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real | str):
        raise InputError(f"expected {what}, got {_shown(value)}", where=where)
    try:
        return float(value)
    except (ValueError, OverflowError):
        raise InputError(f"expected {what}, got {_shown(value)}", where=where) from None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def check_value(control: Control, value: Any) -> float:
    """Return ``value`` as a float if it lies in the control's range, else raise InputError."""
    number = _as_float(value, control.label, "a number")
    if not math.isfinite(number) or not control.low <= number <= control.high:
        raise InputError(
            f"{number:,.6g} is out of range: enter {control.low:,.6g} to {control.high:,.6g}"
            f"{' ' + control.unit if control.unit else ''}",
            where=control.label,
        )
    return number


def check_integer(value: Any, bounds: tuple[int, int], what: str) -> int:
    """Return ``value`` as an int within ``bounds``, else raise InputError naming ``what``."""
    number = _as_float(value, what, "a whole number")
    if not math.isfinite(number) or number != int(number):
        raise InputError(f"expected a whole number, got {_shown(value)}", where=what)
    if not bounds[0] <= number <= bounds[1]:
        raise InputError(
            f"{int(number):,} is out of range: enter {bounds[0]:,} to {bounds[1]:,}", where=what
        )
    return int(number)


def check_switch(value: Any, what: str) -> bool:
    """Return ``value`` if it is a boolean (a checkbox), else raise InputError naming ``what``."""
    if not isinstance(value, bool):
        raise InputError(f"expected on or off, got {_shown(value)}", where=what)
    return value


def _scale(param: dict[str, Any], factor: float, note: str) -> dict[str, Any]:
    scaled = dict(param)
    for key in _SCALED_KEYS:
        if isinstance(scaled.get(key), int | float) and not isinstance(scaled.get(key), bool):
            scaled[key] = scaled[key] * factor
    scaled.pop("source", None)
    scaled.pop("says", None)
    scaled["assumption"] = note
    return scaled


def apply_controls(
    scenario: Scenario,
    controls: Sequence[Control],
    values: Mapping[str, float],
    *,
    horizon_months: int | None = None,
) -> Scenario:
    """Return ``scenario`` with each control's parameters scaled to its value (checked again).

    A scaled parameter becomes an assumption that says what was scaled from what, so the
    scenario downloaded from the dashboard keeps its provenance honest.
    """
    data = scenario.model_dump(mode="json", exclude_none=True)
    for control in controls:
        if control.key not in values:
            continue
        value = check_value(control, values[control.key])
        if abs(value - control.default) <= 1e-12 * max(1.0, abs(control.default)):
            continue
        factor = value / control.default
        for path in control.paths:
            parent = _node(data, path[:-1])
            original = parent[path[-1]]
            note = (
                f"scaled ×{factor:.4g} in the dashboard (median {control.default:,.6g} → "
                f"{value:,.6g}) from: {_node(scenario, path).provenance()}"
            )
            parent[path[-1]] = _scale(original, factor, note)
    if horizon_months is not None:
        data["time"]["horizon"] = {"value": horizon_months, "unit": "months"}
    return scenario_from_dict(data, where="dashboard")


async def in_worker(
    function: Callable[..., Any],
    *args: Any,
    show: Callable[[str], None],
    failure: str,
    log: logging.Logger,
    logged: str,
) -> Any:
    """Run ``function(*args)`` in a worker thread, keeping the page alive whatever happens.

    Bad input (an :class:`InputError`) is shown as ``Refused: …``; any other error is logged
    to ``log`` as ``logged`` with its traceback and shown as ``{failure}: {type}: {message}``,
    so one failed computation never blanks the page. Returns the result, or None after an
    error.
    """
    try:
        return await asyncio.to_thread(function, *args)
    except InputError as error:
        show(f"Refused: {error}")
    except Exception as error:
        log.exception(logged)
        show(f"{failure}: {type(error).__name__}: {error}")
    return None
