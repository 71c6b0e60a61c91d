"""Write a fitted battle law into a scenario's ``combat:`` section, with its provenance.

Battle laws write side A's losses with ``a`` (square: ``dA/dt = −a·B``); the scenario's
laws write each side's casualties with the *opponent's* lethality (square:
``C_A = lethality_B · E_B``). So ``a`` becomes the lethality of the side that inflicts
A's losses, and so on for each law. A historical coefficient applied to another war is
an assumption, so each parameter is labelled as one, naming the data and fit it came
from; its uncertainty is kept as a normal distribution (mean ± standard error,
truncated at zero for rates).
"""

from __future__ import annotations

import math
from typing import Any

from ceasefire._errors import InputError
from ceasefire.battles._fit import FitResult

__all__ = ["combat_section"]


def _param(
    value: float, error: float, note: str, unit: str | None, low: float | None
) -> dict[str, Any]:
    out: dict[str, Any]
    if math.isfinite(error) and error > 0:
        out = {"dist": "normal", "mean": value, "sd": error}
        if low is not None:
            out["low"] = low
    else:
        out = {"value": value}
    if unit is not None:
        out["unit"] = unit
    out["assumption"] = note
    return out


def combat_section(
    fit: FitResult, law: str, sides: tuple[str, str], provenance: str
) -> dict[str, Any]:
    """Return a scenario ``combat:`` mapping for a fitted law; ``sides`` = (side A, side B).

    ``provenance`` says what was fitted to what (it goes into every assumption).
    """
    side_a, side_b = sides
    estimates = fit.to_dict()
    errors = dict(zip(fit.parameter_names, map(float, fit.standard_errors), strict=True))
    if "tactical" in estimates:
        raise InputError(
            "the scenario's combat laws have no tactical parameter: fit the general law "
            "without an attacker column to write it into a scenario",
            field="law",
        )

    def rate(name: str) -> dict[str, Any]:
        note = f"{name} of the {law} law fitted by ceasefire battles fit: {provenance}"
        return _param(estimates[name], errors[name], note, "per_day", 0.0)

    if law in ("square", "linear", "general"):
        # a scales A's losses, so it is what side B inflicts; b is what A inflicts.
        section: dict[str, Any] = {
            "law": law,
            "lethality": {side_a: rate("b"), side_b: rate("a")},
        }
        if law == "general":
            for exponent in ("p", "q"):
                note = f"exponent {exponent} fitted by ceasefire battles fit: {provenance}"
                section[exponent] = _param(estimates[exponent], errors[exponent], note, None, None)
        return section
    if law == "logarithmic":
        return {"law": "logarithmic", "loss_rate": {side_a: rate("a"), side_b: rate("b")}}
    raise InputError(
        f"the scenario engine has no {law} law; write square, linear, logarithmic or general",
        field="law",
    )
