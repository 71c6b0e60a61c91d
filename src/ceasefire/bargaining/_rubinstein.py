"""Rubinstein's alternating offers, and the variants that matter for war termination.

Rubinstein, A. (1982), "Perfect Equilibrium in a Bargaining Model", *Econometrica* 50(1):
97–109. Timing, shared by every function here: players 1 and 2 divide a pie of 1. Player 1
proposes at period 0; the responder accepts (the game ends) or rejects, and after a
rejection the roles swap and the next proposal comes one period later. The first
counter-offer is thus discounted once (factor ``δ_i``) or costs one period (cost ``c_i``).
All results are the unique subgame-perfect equilibrium, in which the first offer is
accepted at once; ``share_1`` is what player 1, the first proposer, gets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire.bargaining._checks import check_positive
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "OutsideOptionShares",
    "RubinsteinBreakdownModel",
    "RubinsteinContinuousModel",
    "RubinsteinFixedCostsModel",
    "RubinsteinInsideOptionsModel",
    "RubinsteinModel",
    "RubinsteinOutsideOptionModel",
    "RubinsteinShares",
    "rubinstein_breakdown",
    "rubinstein_continuous",
    "rubinstein_fixed_costs",
    "rubinstein_inside_options",
    "rubinstein_outside_option",
    "rubinstein_patient_limit",
    "rubinstein_shares",
]


@dataclass(frozen=True)
class RubinsteinShares:
    """The equilibrium division: player 1 (the first proposer) and player 2's shares."""

    share_1: float
    share_2: float


@dataclass(frozen=True)
class OutsideOptionShares:
    """The equilibrium division when player 2 may walk away, and whether it matters."""

    share_1: float
    share_2: float
    option_binds: bool


def rubinstein_shares(delta_1: float, delta_2: float) -> RubinsteinShares:
    """Return the alternating-offers division with discount factors ``δ_1, δ_2``.

    ``x_1 = (1 − δ_2)/(1 − δ_1 δ_2)`` and ``x_2 = δ_2(1 − δ_1)/(1 − δ_1 δ_2)``.
    Rubinstein (1982), *Econometrica* 50(1): 97–109, the discounting case. Timing: player 1
    proposes at period 0; each rejection delays the next offer by one period.
    """
    _check_discount("delta_1", delta_1)
    _check_discount("delta_2", delta_2)
    denominator = 1.0 - delta_1 * delta_2
    return RubinsteinShares(
        share_1=(1.0 - delta_2) / denominator,
        share_2=delta_2 * (1.0 - delta_1) / denominator,
    )


def rubinstein_continuous(rate_1: float, rate_2: float, period: float) -> RubinsteinShares:
    """Return the division when offers are ``Δ`` apart and player i discounts at rate ``r_i``.

    With ``δ_i = exp(−r_i Δ)``, ``x_1 = (1 − e^{−r_2 Δ})/(1 − e^{−(r_1 + r_2)Δ})``, which
    tends to :func:`rubinstein_patient_limit` ``r_2/(r_1 + r_2)`` as ``Δ → 0`` with an error
    of first order in ``Δ``. Rubinstein (1982), *Econometrica* 50(1): 97–109; Binmore, K.,
    Rubinstein, A. & Wolinsky, A. (1986), "The Nash Bargaining Solution in Economic
    Modelling", *RAND Journal of Economics* 17(2): 176–188. Timing: player 1 proposes at
    time 0 and a rejection delays the next offer by ``Δ`` (the rates are per that time unit).
    """
    check_positive("rate_1", rate_1)
    check_positive("rate_2", rate_2)
    check_positive("period", period)
    # 1 − exp(−y) through expm1 keeps full precision as the period shrinks.
    one_minus_delta_1 = -math.expm1(-rate_1 * period)
    one_minus_delta_2 = -math.expm1(-rate_2 * period)
    one_minus_both = -math.expm1(-(rate_1 + rate_2) * period)
    return RubinsteinShares(
        share_1=one_minus_delta_2 / one_minus_both,
        share_2=(1.0 - one_minus_delta_2) * one_minus_delta_1 / one_minus_both,
    )


def rubinstein_patient_limit(rate_1: float, rate_2: float) -> RubinsteinShares:
    """Return the frictionless limit ``x_1 = r_2/(r_1 + r_2)`` of :func:`rubinstein_continuous`.

    The more patient side (lower rate) gets more, and the first-mover advantage vanishes:
    this is the asymmetric Nash solution with weights ``(r_2, r_1)/(r_1 + r_2)``.
    Binmore, Rubinstein & Wolinsky (1986), *RAND Journal of Economics* 17(2): 176–188.
    Timing: the limit of period ``Δ → 0``; who proposes first no longer matters.
    """
    check_positive("rate_1", rate_1)
    check_positive("rate_2", rate_2)
    total = rate_1 + rate_2
    return RubinsteinShares(share_1=rate_2 / total, share_2=rate_1 / total)


def rubinstein_fixed_costs(cost_1: float, cost_2: float) -> RubinsteinShares:
    """Return the division when each period of disagreement costs player i a fixed ``c_i``.

    Payoffs are ``x_i − c_i t`` for agreement at period ``t``. If ``c_1 < c_2`` player 1
    gets everything (``x_1 = 1``); if ``c_1 > c_2`` player 1 gets ``c_2``. The side with
    the lower cost of continuing captures the surplus. Equal costs raise ``ValueError``:
    the equilibria are then multiple (by stationarity every ``x_1`` in ``[c, 1]`` is
    self-enforcing), so there is no single share to report. Rubinstein (1982),
    *Econometrica* 50(1): 97–109, the fixed-bargaining-cost case. Timing: player 1 proposes
    at period 0; each rejection costs both sides one period's cost.
    """
    for name, cost in (("cost_1", cost_1), ("cost_2", cost_2)):
        if not 0.0 < cost < 1.0:  # also refuses NaN
            raise ValueError(
                f"{name} must lie in (0, 1) (per period, in stake units), got {cost!r}"
            )
    if cost_1 == cost_2:
        raise ValueError(
            f"cost_1 and cost_2 are equal ({cost_1!r}): the equilibria are multiple "
            "(Rubinstein 1982), so no single share exists; make the costs differ"
        )
    share_1 = 1.0 if cost_1 < cost_2 else cost_2
    return RubinsteinShares(share_1=share_1, share_2=1.0 - share_1)


def rubinstein_outside_option(
    delta_1: float, delta_2: float, outside_option_2: float
) -> OutsideOptionShares:
    """Return the division when player 2 may opt out and take ``b`` instead of responding.

    Player 2's share is ``max(b, δ_2(1 − δ_1)/(1 − δ_1 δ_2))``: the outside option binds
    only if it beats the Rubinstein share, and otherwise changes nothing (the outside option
    principle). Binmore, K., Shaked, A. & Sutton, J. (1989), "An Outside Option Experiment",
    *Quarterly Journal of Economics* 104(4): 753–770; Osborne, M. J. & Rubinstein, A. (1990),
    *Bargaining and Markets*, Academic Press, ch. 3. Timing: player 1 proposes at period 0;
    on receiving an offer player 2 accepts, rejects and counters one period later, or opts
    out at once and gets ``b`` (player 1 then gets 0).
    """
    if not 0.0 <= outside_option_2 <= 1.0:  # also refuses NaN
        raise ValueError(f"outside_option_2 must lie in [0, 1], got {outside_option_2!r}")
    inside = rubinstein_shares(delta_1, delta_2)
    option_binds = outside_option_2 > inside.share_2
    if option_binds:
        return OutsideOptionShares(1.0 - outside_option_2, outside_option_2, option_binds=True)
    return OutsideOptionShares(inside.share_1, inside.share_2, option_binds=False)


def rubinstein_inside_options(
    delta_1: float, delta_2: float, inside_option_1: float, inside_option_2: float
) -> RubinsteinShares:
    """Return the division when the sides fight while they talk (inside options ``g_i``).

    Each period of disagreement pays player i the flow ``(1 − δ_i) g_i``, where ``g_i`` is
    its value of fighting forever. Then ``x_1 = g_1 + (1 − δ_2)/(1 − δ_1 δ_2)·(1 − g_1 − g_2)``:
    each side keeps its war value and the surplus ``1 − g_1 − g_2`` is split as in
    :func:`rubinstein_shares`. As ``δ_1 = δ_2 → 1`` it tends to the Nash point
    ``g_1 + (1 − g_1 − g_2)/2``. Needs ``g_1 + g_2 < 1``. Muthoo, A. (1999), *Bargaining
    Theory with Applications*, Cambridge University Press (inside options). Timing: player 1
    proposes at period 0; a rejected period pays the flows, then the roles swap.
    """
    _check_share("inside_option_1", inside_option_1)
    _check_share("inside_option_2", inside_option_2)
    surplus = 1.0 - inside_option_1 - inside_option_2
    if surplus <= 0.0:
        raise ValueError(
            f"inside_option_1 + inside_option_2 must be below 1 (no gain from a deal otherwise),"
            f" got {inside_option_1!r} + {inside_option_2!r}"
        )
    split = rubinstein_shares(delta_1, delta_2)
    return RubinsteinShares(
        share_1=inside_option_1 + split.share_1 * surplus,
        share_2=inside_option_2 + split.share_2 * surplus,
    )


def rubinstein_breakdown(
    breakdown_probability: float, breakdown_payoff_1: float, breakdown_payoff_2: float
) -> RubinsteinShares:
    """Return the division when talks may collapse after each rejection.

    No discounting; after each rejected offer the talks end with probability ``q`` and the
    sides get ``(b_1, b_2)``. Then ``x_1 = b_1 + (1 − b_1 − b_2)/(2 − q)``, the same as
    :func:`rubinstein_inside_options` with ``δ = 1 − q``, tending to the Nash point as
    ``q → 0``. Needs ``b_1 + b_2 < 1``. Binmore, Rubinstein & Wolinsky (1986), *RAND Journal
    of Economics* 17(2): 176–188. Timing: player 1 proposes at round 0; after a rejection
    the talks break down with probability ``q`` before player 2's counter-offer.
    """
    q = breakdown_probability
    if not 0.0 < q <= 1.0:  # also refuses NaN
        raise ValueError(f"breakdown_probability must lie in (0, 1], got {q!r}")
    _check_share("breakdown_payoff_1", breakdown_payoff_1)
    _check_share("breakdown_payoff_2", breakdown_payoff_2)
    surplus = 1.0 - breakdown_payoff_1 - breakdown_payoff_2
    if surplus <= 0.0:
        raise ValueError(
            "breakdown_payoff_1 + breakdown_payoff_2 must be below 1 (no gain from a deal "
            f"otherwise), got {breakdown_payoff_1!r} + {breakdown_payoff_2!r}"
        )
    share_1 = breakdown_payoff_1 + surplus / (2.0 - q)
    return RubinsteinShares(share_1=share_1, share_2=1.0 - share_1)


def _check_discount(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:  # also refuses NaN
        raise ValueError(f"{name} must lie in (0, 1), got {value!r}")


def _check_share(name: str, value: float) -> None:
    if not 0.0 <= value < 1.0:  # also refuses NaN
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")


_RUBINSTEIN_1982 = (
    "Rubinstein, A. (1982), Perfect Equilibrium in a Bargaining Model, Econometrica 50(1): 97-109"
)
_BRW_1986 = (
    "Binmore, K., Rubinstein, A. & Wolinsky, A. (1986), The Nash Bargaining Solution in "
    "Economic Modelling, RAND Journal of Economics 17(2): 176-188"
)


def _discount(name: str, who: str) -> Parameter:
    return Parameter(
        name,
        f"{who}'s discount factor per period",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
    )


def _shares(shares: RubinsteinShares) -> dict[str, float]:
    return {"share_1": shares.share_1, "share_2": shares.share_2}


@final
@register
class RubinsteinModel(BargainingModel):
    """Rubinstein's alternating offers with discounting."""

    name: ClassVar[str] = "rubinstein"
    summary: ClassVar[str] = "Alternating offers, 1 first: share_1 = (1 - d2)/(1 - d1 d2)"
    reference: ClassVar[str] = _RUBINSTEIN_1982
    parameters: ClassVar[tuple[Parameter, ...]] = (
        _discount("delta_1", "player 1 (the first proposer)"),
        _discount("delta_2", "player 2"),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both players' shares."""
        return _shares(rubinstein_shares(values["delta_1"], values["delta_2"]))


@final
@register
class RubinsteinContinuousModel(BargainingModel):
    """Rubinstein's game with discount rates and a period length, and its limit."""

    name: ClassVar[str] = "rubinstein_continuous"
    summary: ClassVar[str] = (
        "Offers `period` apart, delta_i = exp(-rate_i period); limit share_1 = r2/(r1 + r2)"
    )
    reference: ClassVar[str] = f"{_RUBINSTEIN_1982}; {_BRW_1986}"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("rate_1", "player 1's discount rate per time unit", low=0.0, low_open=True),
        Parameter("rate_2", "player 2's discount rate per time unit", low=0.0, low_open=True),
        Parameter("period", "time between offers, in the rates' unit", low=0.0, low_open=True),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the shares at this period, the discount factors, and the limit share."""
        rate_1, rate_2, period = values["rate_1"], values["rate_2"], values["period"]
        return {
            **_shares(rubinstein_continuous(rate_1, rate_2, period)),
            "delta_1": math.exp(-rate_1 * period),
            "delta_2": math.exp(-rate_2 * period),
            "limit_share_1": rubinstein_patient_limit(rate_1, rate_2).share_1,
        }


@final
@register
class RubinsteinFixedCostsModel(BargainingModel):
    """Rubinstein's game with fixed per-period costs of disagreement."""

    name: ClassVar[str] = "rubinstein_fixed_costs"
    summary: ClassVar[str] = (
        "Fixed costs per period: share_1 = 1 if cost_1 < cost_2, cost_2 if cost_1 > cost_2"
    )
    reference: ClassVar[str] = _RUBINSTEIN_1982
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter(
            "cost_1",
            "player 1's cost per period of disagreement",
            low=0,
            high=1,
            low_open=True,
            high_open=True,
        ),
        Parameter(
            "cost_2",
            "player 2's cost per period of disagreement",
            low=0,
            high=1,
            low_open=True,
            high_open=True,
        ),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both players' shares (equal costs raise: the equilibria are multiple)."""
        return _shares(rubinstein_fixed_costs(values["cost_1"], values["cost_2"]))


@final
@register
class RubinsteinOutsideOptionModel(BargainingModel):
    """Rubinstein's game where player 2 may opt out when responding."""

    name: ClassVar[str] = "rubinstein_outside_option"
    summary: ClassVar[str] = (
        "Player 2 may walk away with outside_option_2: share_2 = max(b, Rubinstein share)"
    )
    reference: ClassVar[str] = (
        "Binmore, K., Shaked, A. & Sutton, J. (1989), An Outside Option Experiment, Quarterly "
        "Journal of Economics 104(4): 753-770; Osborne & Rubinstein (1990), Bargaining and "
        "Markets, ch. 3"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = (
        _discount("delta_1", "player 1 (the first proposer)"),
        _discount("delta_2", "player 2"),
        Parameter("outside_option_2", "what player 2 gets by walking away", low=0, high=1),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both shares and whether the outside option binds."""
        outcome = rubinstein_outside_option(
            values["delta_1"], values["delta_2"], values["outside_option_2"]
        )
        return {
            "share_1": outcome.share_1,
            "share_2": outcome.share_2,
            "option_binds": outcome.option_binds,
        }


@final
@register
class RubinsteinInsideOptionsModel(BargainingModel):
    """Rubinstein's game where the sides fight while they talk."""

    name: ClassVar[str] = "rubinstein_inside_options"
    summary: ClassVar[str] = (
        "Fighting while talking: share_1 = g1 + (1 - d2)/(1 - d1 d2) (1 - g1 - g2)"
    )
    reference: ClassVar[str] = (
        "Muthoo, A. (1999), Bargaining Theory with Applications, Cambridge University Press"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = (
        _discount("delta_1", "player 1 (the first proposer)"),
        _discount("delta_2", "player 2"),
        Parameter(
            "inside_option_1", "player 1's value of fighting forever", low=0, high=1, high_open=True
        ),
        Parameter(
            "inside_option_2", "player 2's value of fighting forever", low=0, high=1, high_open=True
        ),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both players' shares."""
        return _shares(
            rubinstein_inside_options(
                values["delta_1"],
                values["delta_2"],
                values["inside_option_1"],
                values["inside_option_2"],
            )
        )


@final
@register
class RubinsteinBreakdownModel(BargainingModel):
    """Alternating offers without discounting but with a risk that talks collapse."""

    name: ClassVar[str] = "rubinstein_breakdown"
    summary: ClassVar[str] = "Risk of breakdown q per round: share_1 = b1 + (1 - b1 - b2)/(2 - q)"
    reference: ClassVar[str] = _BRW_1986
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter(
            "breakdown_probability",
            "probability that talks end after a rejected offer",
            low=0,
            high=1,
            low_open=True,
        ),
        Parameter(
            "breakdown_payoff_1",
            "player 1's payoff if talks break down",
            low=0,
            high=1,
            high_open=True,
        ),
        Parameter(
            "breakdown_payoff_2",
            "player 2's payoff if talks break down",
            low=0,
            high=1,
            high_open=True,
        ),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both players' shares."""
        return _shares(
            rubinstein_breakdown(
                values["breakdown_probability"],
                values["breakdown_payoff_1"],
                values["breakdown_payoff_2"],
            )
        )
