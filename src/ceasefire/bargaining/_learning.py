"""War as a process: bargaining while the battlefield teaches each side about the other.

Three models of learning during war, each reduced to its closed-form core:

* **Filson & Werner (2002)**, as the two-type toy reduction of
  ``reference/bargaining-oracles.md`` §A7.1. That reduction is the oracle file's,
  *not* the paper's equilibrium: A updates its belief that B is strong from the
  battle record alone and then picks a safe or a risky demand.
* **Slantchev (2003)**: the front is a gambler's-ruin random walk; fighting on is
  worth the chance of total victory less the expected cost of the battles it takes.
* **Smith & Stam (2004)**: each side holds its own Beta belief about A's per-battle
  win probability; public battles move both beliefs towards each other until the
  mutual-optimism gap is smaller than the costs of war.

Conventions shared by the three: A's share of the stake is ``x``; one battle is
one period; costs are in units of the stake and charged per battle; nothing is
discounted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire._errors import InputError
from ceasefire.bargaining._checks import check_nonnegative, check_probability
from ceasefire.bargaining._random_walk import (
    SlantchevRange,
    WalkSample,
    _check_walk,
    expected_battles,
    ruin_win_probability,
    simulate_walk,
    slantchev_range,
)
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "BetaBelief",
    "DemandChoice",
    "FilsonWernerModel",
    "FilsonWernerRound",
    "MutualOptimism",
    "SlantchevModel",
    "SlantchevRange",
    "SmithStamModel",
    "WalkSample",
    "belief_averaged_win_probability",
    "demand_choice",
    "expected_battles",
    "filson_werner_round",
    "mutual_optimism",
    "posterior_strong",
    "risky_demand_threshold",
    "ruin_win_probability",
    "simulate_walk",
    "slantchev_range",
]

FILSON_WERNER = (
    "Filson, D. & Werner, S. (2002). A Bargaining Model of War and Peace: Anticipating the "
    "Onset, Duration, and Outcome of War. American Journal of Political Science 46(4), 819-837."
)
SLANTCHEV = (
    "Slantchev, B. L. (2003). The Principle of Convergence in Wartime Negotiations. "
    "American Political Science Review 97(4), 621-632."
)
SMITH_STAM = (
    "Smith, A. & Stam, A. C. (2004). Bargaining and the Nature of War. "
    "Journal of Conflict Resolution 48(6), 783-813."
)


def _check_count(name: str, value: int) -> None:
    if value < 0 or value != int(value):
        raise ValueError(f"{name} must be a whole number >= 0, got {value}")


def _expit(log_odds: float) -> float:
    # Written both ways round so that exp never overflows.
    if log_odds >= 0.0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


# --- Filson & Werner (2002): the oracle file's two-type toy -------------------------------


def posterior_strong(
    prior_strong: float,
    a_wins: int,
    a_losses: int,
    *,
    win_vs_strong: float,
    win_vs_weak: float,
) -> float:
    """Return A's posterior that B is strong after ``a_wins`` A-wins and ``a_losses`` A-losses.

    Bayes' rule with independent battles, in log-odds form::

        logit q' = logit q + w ln(s / v) + l ln((1 − s) / (1 − v)),

    where ``q`` is the prior, ``s = win_vs_strong`` and ``v = win_vs_weak`` are A's
    per-battle win probabilities against a strong and a weak B, and ``w``, ``l`` count
    A's wins and losses. The order of the battles does not matter. A prior of exactly
    0 or 1 is never revised.

    Reference: the toy reduction of ``reference/bargaining-oracles.md`` §A7.1 (oracle
    O16), after Filson & Werner (2002), *American Journal of Political Science* 46(4).
    It updates on battles only; see :func:`filson_werner_round`.
    """
    check_probability("prior_strong", prior_strong)
    _check_count("a_wins", a_wins)
    _check_count("a_losses", a_losses)
    check_probability("win_vs_strong", win_vs_strong, open_interval=True)
    check_probability("win_vs_weak", win_vs_weak, open_interval=True)
    if prior_strong in (0.0, 1.0):
        return prior_strong
    log_likelihood_ratio = a_wins * (math.log(win_vs_strong) - math.log(win_vs_weak)) + a_losses * (
        math.log1p(-win_vs_strong) - math.log1p(-win_vs_weak)
    )
    prior_log_odds = math.log(prior_strong) - math.log1p(-prior_strong)
    return _expit(prior_log_odds + log_likelihood_ratio)


@dataclass(frozen=True)
class DemandChoice:
    """A's best demand given its belief that B is strong (the §A7.1 toy)."""

    demand: float
    """A's demand: the risky one when ``risky``, else the safe one."""
    risky: bool
    """Whether A makes the risky demand, which only a weak B accepts."""
    expected_utility_risky: float
    expected_utility_safe: float
    threshold: float
    """The belief at and above which the safe demand is (weakly) better."""
    war_probability: float
    """Probability that B rejects and the fighting goes on: the belief if risky, else 0."""


def risky_demand_threshold(p_strong: float, p_weak: float, cost_a: float, cost_b: float) -> float:
    """Return the belief ``q*`` below which A's risky demand beats its safe demand.

    With demands capped at the whole stake, safe ``x_s = min(1, p_s + c_B)`` (every type
    of B accepts) and risky ``x_r = min(1, p_w + c_B)`` (only a weak B accepts; a strong
    B fights, worth ``p_s − c_A`` to A)::

        EU_risky = (1 − q) x_r + q (p_s − c_A),   EU_safe = x_s,
        q* = (x_r − x_s) / (x_r − p_s + c_A),

    which is ``(p_w − p_s) / (p_w − p_s + c_A + c_B)`` when neither demand is capped:
    2/3 for the oracle's ``p = (0.3, 0.7)`` and ``c = 0.1``.

    Reference: ``reference/bargaining-oracles.md`` §A7.1 (oracle O16), the file's own
    reduction of Filson & Werner (2002), *American Journal of Political Science* 46(4).
    """
    check_probability("p_strong", p_strong)
    check_probability("p_weak", p_weak)
    check_nonnegative("cost_a", cost_a)
    check_nonnegative("cost_b", cost_b)
    if not p_weak > p_strong:
        raise ValueError(f"p_weak must exceed p_strong, got p_weak={p_weak}, p_strong={p_strong}")
    safe = min(1.0, p_strong + cost_b)
    risky = min(1.0, p_weak + cost_b)
    return (risky - safe) / (risky - p_strong + cost_a)


def demand_choice(
    belief_strong: float, p_strong: float, p_weak: float, cost_a: float, cost_b: float
) -> DemandChoice:
    """Return A's demand when it believes B is strong with probability ``belief_strong``.

    Risky is optimal iff ``q < q*`` (:func:`risky_demand_threshold`); at ``q = q*`` A is
    indifferent and the safe demand is chosen, which settles the war. ``p_strong`` and
    ``p_weak`` are A's war-to-the-end values against a strong and a weak B.

    Reference: ``reference/bargaining-oracles.md`` §A7.1 (oracle O16: ``q = 0.5`` gives
    EU 0.50 risky vs 0.40 safe), after Filson & Werner (2002), *American Journal of
    Political Science* 46(4).
    """
    check_probability("belief_strong", belief_strong)
    threshold = risky_demand_threshold(p_strong, p_weak, cost_a, cost_b)
    safe = min(1.0, p_strong + cost_b)
    risky = min(1.0, p_weak + cost_b)
    eu_risky = (1.0 - belief_strong) * risky + belief_strong * (p_strong - cost_a)
    is_risky = belief_strong < threshold
    return DemandChoice(
        demand=risky if is_risky else safe,
        risky=is_risky,
        expected_utility_risky=eu_risky,
        expected_utility_safe=safe,
        threshold=threshold,
        war_probability=belief_strong if is_risky else 0.0,
    )


@dataclass(frozen=True)
class FilsonWernerRound:
    """A's belief and demand after a battle record (the §A7.1 toy)."""

    posterior_strong: float
    choice: DemandChoice
    settles: bool
    """Whether the posterior has reached the threshold, so A's safe demand ends the war."""


def filson_werner_round(
    prior_strong: float,
    a_wins: int,
    a_losses: int,
    *,
    p_strong: float = 0.3,
    p_weak: float = 0.7,
    cost_a: float = 0.1,
    cost_b: float = 0.1,
) -> FilsonWernerRound:
    """Return A's posterior and next demand after ``a_wins`` wins and ``a_losses`` losses.

    Timing: before each round A holds a belief, makes a demand, and if it is refused one
    battle is fought; A then updates on the battle's outcome (:func:`posterior_strong`)
    and demands again. In this toy the per-battle win probabilities equal the
    war-to-the-end values ``p_strong`` and ``p_weak``. The war settles in the first round
    whose posterior reaches the threshold ``q*``, at the safe demand ``p_s + c_B``.

    Oracle O16: from ``q = 0.5`` one A loss gives ``q = 0.7 > 2/3``, so A settles at 0.4.

    This is the reduction of ``reference/bargaining-oracles.md`` §A7.1, not Filson &
    Werner's equilibrium: it ignores what B's refusal itself reveals (in the toy only
    a strong B refuses the risky demand). Filson, D. & Werner, S. (2002), *American
    Journal of Political Science* 46(4), 819-837.
    """
    posterior = posterior_strong(
        prior_strong, a_wins, a_losses, win_vs_strong=p_strong, win_vs_weak=p_weak
    )
    choice = demand_choice(posterior, p_strong, p_weak, cost_a, cost_b)
    return FilsonWernerRound(posterior_strong=posterior, choice=choice, settles=not choice.risky)


# --- Smith & Stam (2004): different priors, converging beliefs ----------------------------


@dataclass(frozen=True)
class BetaBelief:
    """A Beta(alpha, beta) belief about A's per-battle win probability ``π``.

    Conjugate updating: after ``w`` A-wins and ``l`` A-losses the belief is
    ``Beta(alpha + w, beta + l)``; its mean ``alpha / (alpha + beta)`` is the believer's
    probability that A wins the next battle.

    Reference: the minimal conjugate implementation of ``reference/bargaining-oracles.md``
    §A7.4, after Smith, A. & Stam, A. C. (2004), "Bargaining and the Nature of War",
    *Journal of Conflict Resolution* 48(6), 783-813.
    """

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        for name, value in (("alpha", self.alpha), ("beta", self.beta)):
            if not (math.isfinite(value) and value > 0.0):
                raise ValueError(f"{name} must be a finite number > 0, got {value}")

    @property
    def mean(self) -> float:
        """The believed probability that A wins the next battle, ``alpha / (alpha + beta)``."""
        return self.alpha / (self.alpha + self.beta)

    def updated(self, a_wins: int, a_losses: int) -> BetaBelief:
        """Return the posterior after ``a_wins`` A-wins and ``a_losses`` A-losses."""
        _check_count("a_wins", a_wins)
        _check_count("a_losses", a_losses)
        return BetaBelief(self.alpha + a_wins, self.beta + a_losses)

    def density(self, pi: float) -> float:
        """Return the Beta density ``π^(α−1) (1 − π)^(β−1) / B(α, β)`` at ``pi``."""
        check_probability("pi", pi, open_interval=True)
        log_norm = math.lgamma(self.alpha + self.beta) - math.lgamma(self.alpha)
        log_norm -= math.lgamma(self.beta)
        return math.exp(
            log_norm + (self.alpha - 1.0) * math.log(pi) + (self.beta - 1.0) * math.log1p(-pi)
        )


@dataclass(frozen=True)
class MutualOptimism:
    """The heterogeneous-beliefs Fearon check of §A7.4."""

    gap: float
    """``p_A^(A) − p_A^(B)``: how much more A believes in A's victory than B does."""
    total_cost: float
    deal_exists: bool


def mutual_optimism(
    p_a_by_a: float, p_a_by_b: float, cost_a: float, cost_b: float
) -> MutualOptimism:
    """Return whether a deal survives the two sides' different beliefs that A wins.

    A accepts ``x ≥ p_A^(A) − c_A``; B accepts ``x ≤ p_A^(B) + c_B``. A deal exists iff::

        p_A^(A) − p_A^(B) ≤ c_A + c_B.

    Oracle O18: priors Beta(6,4) and Beta(3,7) give a gap of 0.30 > 0.2 (no deal); after
    5 A-wins in 10 battles the gap is 0.15 (a deal exists).

    Reference: one-shot Fearon bargaining with heterogeneous priors, as in Smith, A. &
    Stam, A. C. (2004), "Bargaining and the Nature of War", *Journal of Conflict
    Resolution* 48(6), 783-813.
    """
    check_probability("p_a_by_a", p_a_by_a)
    check_probability("p_a_by_b", p_a_by_b)
    check_nonnegative("cost_a", cost_a)
    check_nonnegative("cost_b", cost_b)
    gap = p_a_by_a - p_a_by_b
    total = cost_a + cost_b
    return MutualOptimism(gap=gap, total_cost=total, deal_exists=gap <= total)


def belief_averaged_win_probability(k: int, n: int, belief: BetaBelief) -> float:
    """Return a side's expected chance that A wins the war outright, under its belief.

    The gambler's-ruin probability averaged over the Beta belief about ``π``::

        E[P_win(k; N, π)] = ∫₀¹ P_win(k; N, π) Beta(π; α, β) dπ,

    by adaptive quadrature (``scipy.integrate.quad``). Oracle O18: ``k = 5, N = 10``
    gives 0.720498 under Beta(6,4) and 0.117896 under Beta(3,7).

    Reference: Smith, A. & Stam, A. C. (2004), *Journal of Conflict Resolution* 48(6),
    783-813, with the walk of Slantchev (2003), *American Political Science Review* 97(4).
    """
    _check_walk(k, n, 0.5)
    from scipy import integrate

    value, _ = integrate.quad(
        lambda pi: ruin_win_probability(k, n, pi) * belief.density(pi),
        0.0,
        1.0,
        epsabs=1e-12,
        epsrel=1e-10,
        limit=200,
    )
    return float(value)


# --- The calculator's models ---------------------------------------------------------------


def _count(values: dict[str, float], name: str) -> int:
    return int(values[name])


@final
@register
class FilsonWernerModel(BargainingModel):
    """Filson & Werner (2002), as the two-type toy reduction of the oracle file (§A7.1)."""

    name: ClassVar[str] = "filson_werner"
    summary: ClassVar[str] = (
        "Two-type learning toy: A's posterior that B is strong after a battle record, "
        "and its safe or risky demand (settle once the posterior reaches the threshold)."
    )
    reference: ClassVar[str] = FILSON_WERNER + " Toy reduction: bargaining-oracles.md §A7.1."
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("prior_strong", "A's prior that B is strong", low=0.0, high=1.0),
        Parameter("a_wins", "battles A has won", default=0.0, low=0.0, integer=True),
        Parameter("a_losses", "battles A has lost", default=0.0, low=0.0, integer=True),
        Parameter(
            "p_strong",
            "A's per-battle and war-to-the-end win probability against a strong B",
            default=0.3,
            low=0.0,
            high=1.0,
            low_open=True,
            high_open=True,
        ),
        Parameter(
            "p_weak",
            "A's per-battle and war-to-the-end win probability against a weak B",
            default=0.7,
            low=0.0,
            high=1.0,
            low_open=True,
            high_open=True,
        ),
        Parameter("cost_a", "A's cost of war, in units of the stake", default=0.1, low=0.0),
        Parameter("cost_b", "B's cost of war, in units of the stake", default=0.1, low=0.0),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return A's posterior, threshold, demand and whether the war settles."""
        if not values["p_weak"] > values["p_strong"]:
            raise InputError(
                "must exceed p_strong", where=f"bargain solve {cls.name}", field="p_weak"
            )
        result = filson_werner_round(
            values["prior_strong"],
            _count(values, "a_wins"),
            _count(values, "a_losses"),
            p_strong=values["p_strong"],
            p_weak=values["p_weak"],
            cost_a=values["cost_a"],
            cost_b=values["cost_b"],
        )
        choice = result.choice
        return {
            "posterior_strong": result.posterior_strong,
            "threshold": choice.threshold,
            "risky": choice.risky,
            "demand": choice.demand,
            "expected_utility_risky": choice.expected_utility_risky,
            "expected_utility_safe": choice.expected_utility_safe,
            "war_probability": choice.war_probability,
            "settles": result.settles,
        }


@final
@register
class SlantchevModel(BargainingModel):
    """Slantchev (2003): the bargaining range on a gambler's-ruin front."""

    name: ClassVar[str] = "slantchev"
    summary: ClassVar[str] = (
        "Front as a random walk on 0..n: A's chance of total victory, the expected "
        "number of battles, and the range of deals both prefer to fighting on."
    )
    reference: ClassVar[str] = SLANTCHEV
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("n", "number of front positions; the war ends at 0 or n", low=1.0, integer=True),
        Parameter("k", "current front position (0 <= k <= n)", low=0.0, integer=True),
        Parameter("pi", "probability that A wins a battle", low=0.0, high=1.0),
        Parameter("cost_a", "A's cost per battle, in units of the stake", low=0.0),
        Parameter("cost_b", "B's cost per battle, in units of the stake", low=0.0),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return P_win, expected battles, both war values and the bargaining range."""
        n, k = _count(values, "n"), _count(values, "k")
        if k > n:
            raise InputError(
                f"must not exceed n={n}, got {k}", where=f"bargain solve {cls.name}", field="k"
            )
        result = slantchev_range(k, n, values["pi"], values["cost_a"], values["cost_b"])
        return {
            "p_win": result.p_win,
            "expected_battles": result.expected_battles,
            "value_a": result.value_a,
            "value_b": result.value_b,
            "low": result.low,
            "high": result.high,
            "nonempty": result.nonempty,
        }


@final
@register
class SmithStamModel(BargainingModel):
    """Smith & Stam (2004): Beta beliefs that converge as battles are observed."""

    name: ClassVar[str] = "smith_stam"
    summary: ClassVar[str] = (
        "Different Beta priors about A's battle-win probability, updated on a public "
        "battle record; mutual-optimism check and belief-averaged chances of total victory."
    )
    reference: ClassVar[str] = SMITH_STAM + " Minimal conjugate form: bargaining-oracles.md §A7.4."
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("alpha_a", "A's Beta prior on pi: alpha", low=0.0, low_open=True),
        Parameter("beta_a", "A's Beta prior on pi: beta", low=0.0, low_open=True),
        Parameter("alpha_b", "B's Beta prior on pi: alpha", low=0.0, low_open=True),
        Parameter("beta_b", "B's Beta prior on pi: beta", low=0.0, low_open=True),
        Parameter("a_wins", "battles A has won", default=0.0, low=0.0, integer=True),
        Parameter("a_losses", "battles A has lost", default=0.0, low=0.0, integer=True),
        Parameter("cost_a", "A's cost of war, in units of the stake", low=0.0),
        Parameter("cost_b", "B's cost of war, in units of the stake", low=0.0),
        Parameter("n", "front positions of the walk", default=10.0, low=1.0, integer=True),
        Parameter("k", "current front position (0 <= k <= n)", default=5.0, low=0.0, integer=True),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return both posterior means, the optimism gap, whether a deal exists, walk odds."""
        n, k = _count(values, "n"), _count(values, "k")
        if k > n:
            raise InputError(
                f"must not exceed n={n}, got {k}", where=f"bargain solve {cls.name}", field="k"
            )
        wins, losses = _count(values, "a_wins"), _count(values, "a_losses")
        belief_a = BetaBelief(values["alpha_a"], values["beta_a"]).updated(wins, losses)
        belief_b = BetaBelief(values["alpha_b"], values["beta_b"]).updated(wins, losses)
        check = mutual_optimism(belief_a.mean, belief_b.mean, values["cost_a"], values["cost_b"])
        return {
            "p_a_by_a": belief_a.mean,
            "p_a_by_b": belief_b.mean,
            "gap": check.gap,
            "total_cost": check.total_cost,
            "deal_exists": check.deal_exists,
            "walk_p_win_by_a": belief_averaged_win_probability(k, n, belief_a),
            "walk_p_win_by_b": belief_averaged_win_probability(k, n, belief_b),
        }
