"""The cost of delay per side, split into casualties, territory, money and politics.

Each component is in the side's utility units (1 = everything on the table) through the
revealed-preference posterior's resolve ``R_s`` (casualties borne for utility 1)::

    casualties_s(t) = ΔC_s(t) / R_s
    territory_s(t)  = w_territory,s · max(0, −Δshare_s(t))
    money_s(t)      = M_s(t) / (R_s · p_s),   p_s = κ_s · death_payment + (1 − κ_s) · injury_payment
    politics_s(t)   = λ_s · φ_s · ΔK_s(t) / R_s

``M_s``: the side's money per month (:mod:`ceasefire.analysis.costs`); ``p_s``: what the side
itself pays per casualty, the price at which its own compensation schedule turns money into
casualties (an assumption of this conversion); ``λ_s``: the political weight of a death
(``political_weight_of_death``); ``φ_s``: the political weight of a death on the model's
regional mix; ``ΔK_s``: killed that month. Without ``costs:`` the money and politics
components are zero, and the total is the calculus's earlier cost of delay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.analysis.costs import money_per_month, parameter_values, political_factor

__all__ = [
    "DELAY_COMPONENTS",
    "NeedsMore",
    "decisive_component",
    "delay_components",
    "needs_more",
]

FloatArray = npt.NDArray[np.float64]

DELAY_COMPONENTS = ("casualties", "territory", "money", "politics")


def delay_components(
    world: Any,
    side: str,
    resolve: FloatArray,
    *,
    own_share: FloatArray,
    territory_weight: FloatArray | None,
) -> dict[str, FloatArray]:
    """Per component, ``(draw, month)`` cost of one month's delay in utility units."""
    ensemble, scenario = world.ensemble, world.scenario
    killed = np.asarray(ensemble["killed"].sel(side=side).values, dtype=np.float64)
    wounded = np.asarray(ensemble["wounded_total"].sel(side=side).values, dtype=np.float64)
    per_resolve = 1.0 / resolve[:, None]
    casualties = np.diff(killed + wounded, axis=1) * per_resolve
    lost = np.maximum(-np.diff(own_share, axis=1), 0.0)
    territory = (
        np.zeros_like(casualties) if territory_weight is None else territory_weight[:, None] * lost
    )
    money = np.zeros_like(casualties)
    politics = np.zeros_like(casualties)
    costs = scenario.costs.sides.get(side) if scenario.costs is not None else None
    if costs is not None:
        where = ("costs", "sides", side)
        fraction = parameter_values(
            ensemble, ("sides", side, "killed_fraction"), scenario.sides[side].killed_fraction
        )
        price = fraction * parameter_values(
            ensemble, (*where, "death_payment"), costs.death_payment
        ) + (1.0 - fraction) * parameter_values(
            ensemble, (*where, "injury_payment"), costs.injury_payment
        )
        money = money_per_month(ensemble, scenario, side).total * per_resolve / price[:, None]
        weight = parameter_values(
            ensemble, (*where, "political_weight_of_death"), costs.political_weight_of_death
        )
        phi = political_factor(ensemble, scenario, side)
        politics = (weight * phi)[:, None] * np.diff(killed, axis=1) * per_resolve
    return {"casualties": casualties, "territory": territory, "money": money, "politics": politics}


def decisive_component(
    components: dict[str, dict[str, FloatArray]], needier: str, other: str
) -> dict[str, Any]:
    """How much of the needier side's higher cost of delay each component carries.

    The difference of the two sides' mean monthly cost of delay, averaged over draws, is the
    sum of the components' differences; each component's share of it (negative: it pulls the
    other way), and the largest, which decides the verdict.
    """
    difference = {
        c: float(np.mean(components[needier][c].mean(axis=1) - components[other][c].mean(axis=1)))
        for c in DELAY_COMPONENTS
    }
    total = sum(difference.values())
    shares = {c: (d / total if total else None) for c, d in difference.items()}
    decider = max(difference, key=lambda c: difference[c])
    return {"difference": difference, "share": shares, "decides": decider}


@dataclass(frozen=True)
class NeedsMore:
    """Who needs the deal more, read from a deal window or calculus (for words and tables)."""

    side: str
    probability: float
    """Share of draws in which this side's cost of delay is the higher."""
    decides: str | None
    """The component carrying most of the difference; None where the window has no split."""
    shares: str | None
    """Each component's share of the difference in words: ``casualties 19%, money 81%, …``."""


def needs_more(window: Mapping[str, Any]) -> NeedsMore:
    """Return who needs the deal more in ``window`` (``deal_window`` or ``deal_calculus``)."""
    more = window["needs_deal_more"]
    first = window["sides"][0]
    p_first = more[f"p_{first}_cost_of_delay_higher"]
    decisive = more.get("components")
    shares = None
    if decisive:
        # round(…) + 0.0 writes a share that rounds to zero as 0%, never as -0%.
        shares = ", ".join(
            f"{c} {round(s, 2) + 0.0:.0%}" for c, s in decisive["share"].items() if s is not None
        )
    return NeedsMore(
        side=more["side"],
        probability=p_first if more["side"] == first else 1.0 - p_first,
        decides=decisive["decides"] if decisive else None,
        shares=shares,
    )
