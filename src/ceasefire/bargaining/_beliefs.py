"""Each side's beliefs from its own public claims (the belief overlays of the deal calculus)."""

from __future__ import annotations

from typing import Any

from ceasefire.bargaining._record_model import _find
from ceasefire.scenario import AnchoredCombat, Scenario, load_scenario

__all__ = ["claimed_beliefs"]


def claimed_beliefs(base: Scenario) -> tuple[list[str], list[str], dict[str, str]]:
    """Each side's beliefs from its own public claims, where the scenario supports them.

    The first side (Russia) believes its officials' recruitment claims: the shipped
    ``russia-official-recruitment`` overlay. The second side (Ukraine) believes its General
    Staff's count of Russian losses: the reference side's casualty rate and the loss-exchange
    ratio scaled by the central ``observations.general_staff_bias`` (claims over the true
    figure). A side whose claims the scenario cannot express keeps the scenario's beliefs.
    """
    import json

    from ceasefire._errors import InputError
    from ceasefire.scenario import load_overlay

    labels = {}
    overrides_a: list[str] = []
    try:
        overlay = load_overlay("russia-official-recruitment")
        load_scenario(base, overrides=list(overlay.overrides))
        overrides_a = list(overlay.overrides)
        labels[base.side_ids[0]] = "russia-official-recruitment (its officials' claims)"
    except InputError:
        labels[base.side_ids[0]] = "the scenario's"
    overrides_b: list[str] = []
    bias = _find(base, ("observations", "general_staff_bias"))
    combat: Any = base.combat
    if bias is not None and isinstance(combat, AnchoredCombat):
        factor = float(bias.central())
        scaled = []
        for path, param in (
            ("combat.casualties.0.value", combat.casualties[0].value),
            ("combat.exchange_ratio", combat.exchange_ratio),
        ):
            data = param.model_dump(exclude_none=True)
            for key in ("value", "low", "mode", "high"):
                if key in data:
                    data[key] = data[key] * factor
            data.pop("source", None)
            data.pop("says", None)
            data["assumption"] = (
                f"as the General Staff's claims put it: x{factor:.3f}, the central "
                "observations.general_staff_bias"
            )
            scaled.append(f"{path}={json.dumps(data)}")
        try:
            load_scenario(base, overrides=scaled)
            overrides_b = scaled
            labels[base.side_ids[1]] = (
                f"General Staff claims (Russian losses x{factor:.2f}, the claim bias)"
            )
        except InputError:
            labels[base.side_ids[1]] = "the scenario's"
    else:
        labels[base.side_ids[1]] = "the scenario's"
    return overrides_a, overrides_b, labels
