"""The model's equations, each written once, for every engine and the Vensim export.

Per side ``s`` and slot ``k`` (a channel of that side), with rates per day::

    recruit_k   = schedule_k(t) · policy_k(t) · (bonus_k(t)/bonus0_k)^ε_k · (pool_s/pool0_s)^γ_s
    stage_j,k   = training[j, k] · order_k / τ_train,k            (first- or third-order delay)
    C_s         = min(intensity(t) · law(E_s, E_o) / ρ_s(t), active_s / min_loss_time)
                  (ρ_s: the exchange ratio's dated multiplier on the non-reference side, else 1)
                  E_s = Σ_k e_k active_k
    casualty_k  = C_s · active_k x_k / Σ_j active_j x_j           (x: exposure)
    killed_k    = κ_s casualty_k,   newly wounded_k = (1 − κ_s) casualty_k
    returned_k  = ρ_s wounded_k / τ_rec,s,   discharged_k = (1 − ρ_s) wounded_k / τ_rec,s
    deserted_k  = δ_s active_k
    d front/dt  = v · pace(t) · tanh((E_holder / E_other − θ) / w),  front ∈ [0, contested area]

and the outflow limiter ``f = min(1, stock / (dt · outflow))``, applied to every outflow of a
stock together, which keeps stocks non-negative while conserving people.

Every function here is elementwise and branch-free: it takes floats or NumPy arrays (or the
symbols of the Vensim export) and uses only arithmetic (``+ − × ÷``) and the primitives of
:mod:`ceasefire.model._ops` (``minimum``, ``maximum``, ``select``, ``tanh``, ``log``, ``exp``,
``power``). The
NumPy engine calls them on arrays as they are; the compiled engine compiles the same code
objects with scalar primitives into its lane loops (:func:`ceasefire.model._ops.rebind`); the
export calls them on symbols. So a change here changes every engine and the export.

Rules that keep that true: a function here calls no other function of this module (a
rebound clone would otherwise call the original), and uses no Python ``if``/``min``/``max``
on its arguments (``select``, ``minimum`` and ``maximum`` instead). Sums over a side's
channels and the choice of which stock a flow leaves are the engines' loop structure, not
equations.
"""

from __future__ import annotations

import math
from typing import Any

from ceasefire.model._ops import NUMPY, TINY

__all__ = [
    "EQUATIONS",
    "NO_LOSS_CAP",
    "crisis_fraction",
    "deserted",
    "discharged",
    "exposure_share",
    "front_flow",
    "front_moved",
    "incentive_factor",
    "killed",
    "limited_casualties",
    "limiter_factor",
    "newly_wounded",
    "pool_factor",
    "ratio_scaled",
    "recruitment",
    "returned",
    "stage_outflow",
]

minimum = NUMPY["minimum"]
maximum = NUMPY["maximum"]
select = NUMPY["select"]
tanh = NUMPY["tanh"]
power = NUMPY["power"]

NO_LOSS_CAP = math.inf
"""``max_loss_rate`` where a scenario sets no ``min_loss_time``."""

NO_OPPONENT_RATIO = 1e12
"""The force ratio used where the other side has no effective strength: tanh saturates."""


def incentive_factor(bonus: Any, reference: Any, elasticity: Any) -> Any:
    """Recruitment response to money: ``(bonus / bonus₀)^ε`` (1 where ε = 0)."""
    return power(bonus / reference, elasticity)


def pool_factor(pool: Any, inverse_initial_pool: Any, exponent: Any) -> Any:
    """Depletion of the eligible pool: ``(pool / pool₀)^γ``."""
    return power(pool * inverse_initial_pool, exponent)


def recruitment(scheduled: Any, policy: Any, incentive: Any, depletion: Any) -> Any:
    """Recruits per day: ``schedule · policy · incentive · depletion``."""
    return scheduled * policy * incentive * depletion


def stage_outflow(stage: Any, graduation_rate: Any) -> Any:
    """Outflow of one stage of a training delay: ``stock · order / τ_train`` per day."""
    return stage * graduation_rate


def ratio_scaled(casualties: Any, ratio_change: Any) -> Any:
    """Return the other side's law casualties under a changed exchange ratio: ``C / ρ(t)``.

    ``ρ(t)`` is the exchange ratio's dated multiplier (``r(t) = r · ρ(t)``), so with the
    reference side's rate given, the other side loses ``C_ref / (r ρ(t))``.
    """
    return casualties / ratio_change


def limited_casualties(law_casualties: Any, intensity: Any, held: Any, max_loss_rate: Any) -> Any:
    """Return a side's casualties per day: ``min(intensity · law, held · max_loss_rate)``.

    ``max_loss_rate`` is ``1 / min_loss_time`` (Vensim's cap: no side loses more than its
    whole force in ``min_loss_time``); :data:`NO_LOSS_CAP` where a scenario sets no cap, and
    then the law's casualties stand as they are (an absurd law still overflows, and the
    engines' guard names the draw).
    """
    casualties = law_casualties * intensity
    return select(
        max_loss_rate < NO_LOSS_CAP, minimum(casualties, held * max_loss_rate), casualties
    )


def exposure_share(active: Any, exposure: Any, exposed_total: Any) -> Any:
    """Return a channel's share of its side's casualties: ``active · x / Σ active · x``.

    0 where the side has no exposed force.
    """
    return active * exposure / maximum(exposed_total, TINY)


def killed(casualties: Any, killed_fraction: Any) -> Any:
    """Killed per day: ``κ · casualties``."""
    return casualties * killed_fraction


def newly_wounded(casualties: Any, killed_fraction: Any) -> Any:
    """Wounded per day: ``(1 − κ) · casualties`` (the killed are ``κ · casualties``)."""
    return casualties * (1.0 - killed_fraction)


def returned(wounded: Any, return_rate: Any) -> Any:
    """Wounded returning to duty per day: ``ρ · wounded / τ_rec`` (``return_rate = ρ/τ``)."""
    return wounded * return_rate


def discharged(wounded: Any, discharge_rate: Any) -> Any:
    """Wounded discharged per day: ``(1 − ρ) · wounded / τ_rec``."""
    return wounded * discharge_rate


def deserted(active: Any, desertion_rate: Any) -> Any:
    """Deserters per day: ``δ · active``."""
    return active * desertion_rate


def front_flow(holder: Any, other: Any, speed: Any, stall_ratio: Any, width: Any, pace: Any) -> Any:
    """Area gained by the holder per day: ``v · pace(t) · tanh((E_holder / E_other − θ) / w)``.

    With no opposing strength the ratio is "overwhelming" (tanh saturates at 1). ``pace`` is
    the front's dated multiplier (1 where a scenario has none, which leaves ``v`` exact).
    """
    ratio = select(other > 0.0, holder / maximum(other, TINY), NO_OPPONENT_RATIO)
    return tanh((ratio - stall_ratio) / width) * (speed * pace)


def front_moved(front: Any, flow: Any, dt: float, contested_area: Any) -> Any:
    """Return the front after one step, kept within ``[0, contested area]``."""
    return minimum(maximum(flow * dt + front, 0.0), contested_area)


def limiter_factor(stock: Any, need: Any) -> Any:
    """``min(1, stock / need)``: the share of a step's outflows ``need`` a stock can pay.

    Exactly 1 wherever the outflows fit (``stock / stock``) and 0 for an empty stock.
    """
    return minimum(1.0, stock / maximum(need, TINY))


def crisis_fraction(before: Any, after: Any, minimum_force: Any) -> Any:
    """Where within a step the active force crossed its required minimum, in ``[0, 1]``.

    Linear interpolation between the force before and after the step.
    """
    return minimum(maximum((before - minimum_force) / (before - after), 0.0), 1.0)


EQUATIONS = (
    incentive_factor,
    pool_factor,
    recruitment,
    stage_outflow,
    ratio_scaled,
    limited_casualties,
    exposure_share,
    killed,
    newly_wounded,
    returned,
    discharged,
    deserted,
    front_flow,
    front_moved,
    limiter_factor,
    crisis_fraction,
)
"""Every equation, for the engines that rebind them."""
