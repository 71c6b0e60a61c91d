"""Which field of the default scenario a claim bears on, from what it counts, how often and whose.

``sides.russia.channels.contract.recruitment.0.value`` for Russian recruits per month,
``combat.casualties.0.value`` for Russian casualties per day or month, and so on; ``None``
where the default scenario has no field for the claim.
"""

from __future__ import annotations

__all__ = ["parameter_of"]


def parameter_of(
    counts: str | None, period: str | None, entity: str | None, unit: str | None
) -> str | None:
    side = {"Russia": "russia", "Ukraine": "ukraine"}.get(entity or "")
    rate = period in ("per_day", "per_month", "per_week")
    if entity == "North Korea" and counts == "troops":
        return "sides.russia.channels.north_korea.initial_active"
    if side is None:
        return None
    if side == "russia":
        if counts == "recruits" and rate:
            return "sides.russia.channels.contract.recruitment.0.value"
        if counts == "prisoners" and rate:
            return "sides.russia.channels.prisoners.recruitment.0.value"
        if counts == "mobilised" and period == "cumulative":
            return "sides.russia.channels.mobilised.initial_active"
        if counts in ("bonus", "change in bonus") and unit in ("rub", "times"):
            return "sides.russia.channels.contract.incentive.bonus.0.value"
        if counts == "casualties" and rate:
            return "combat.casualties.0.value"
        if counts == "area" and period == "stock":
            return "front.initial"
        if counts == "exchange ratio":
            return "combat.exchange_ratio"
    if side == "ukraine" and counts in ("mobilised", "recruits") and rate:
        return "sides.ukraine.channels.mobilised.recruitment.0.value"
    if counts in ("killed", "wounded") and period == "cumulative":
        return f"sides.{side}.killed_fraction"
    if counts == "training":
        channel = "contract" if side == "russia" else "mobilised"
        return f"sides.{side}.channels.{channel}.training_delay"
    return None
