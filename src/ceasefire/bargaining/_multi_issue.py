"""Multi-issue negotiation: the exact Pareto frontier by logrolling, and Nash and KS on it.

Each issue ``j`` has an outcome ``o_j``, side A's share of it: continuous issues take
``o_j ∈ [0, 1]``, binary issues ``o_j ∈ {0, 1}``. Utilities are linear-additive
(Raiffa 1982)::

    U_A(o) = Σ_j w_Aj · o_j          U_B(o) = Σ_j w_Bj · (1 − o_j)

with non-negative weights; the reference normalises each side's weights to sum to 1, which
the calculator model :class:`IssuesModel` insists on and these functions do not.

**Frontier.** Fix the binary issues. Every continuous issue then moves the two utilities
along a straight line with slope ``−w_Bj / w_Aj``, so the upper-right boundary of the
feasible utilities is reached by *logrolling*: start with every continuous issue at B
(``o_j = 0``) and concede them to A one by one in decreasing order of ``w_Aj / w_Bj``
(the issue A values most relative to B first). That gives a concave piecewise-linear
chain with one vertex per continuous issue. With ``b`` binary issues there are ``2**b``
such chains, one per assignment of the binary issues, and the frontier is their upper
envelope, computed exactly (chain by chain, splitting at every crossing); it may have
gaps where one chain ends and a better one starts further right. No discretisation is
involved, but the enumeration limits ``b`` to :data:`MAX_BINARY_ISSUES` (12, i.e. 4096
chains). An issue A does not value stays with B (``o_j = 0``). Two kinds of frontier
point are only weakly efficient: the last vertex of a piece before a gap, and points
inside a segment that costs B nothing (``w_Bj = 0``).

**Nash.** On a frontier segment ``U = P + τ (Q − P)``, ``τ ∈ [0, 1]``, the asymmetric Nash
objective ``α log(U_A − d_A) + (1 − α) log(U_B − d_B)`` is concave in ``τ`` and its
stationary point is the root of a linear equation,
``τ* = −(α Δ_A g_B + (1 − α) Δ_B g_A) / (Δ_A Δ_B)`` with ``g = P − d`` and ``Δ = Q − P``;
clipping ``τ*`` to the segment and to ``U ≥ d`` gives the segment's best point, and the
best over all segments of all chains is the Nash agreement (Nash 1950). With ``α = ½`` it
maximises ``(U_A − d_A)(U_B − d_B)``.

**Kalai–Smorodinsky.** The ideal point ``m_i = max{U_i : U feasible, U ≥ d}`` is found
chain by chain. Each chain's comprehensive hull (its feasible utilities with free
disposal) is the half-plane intersection ``U_A ≤ max U_A``, ``U_B ≤ max U_B`` and
``w_Bj U_A + w_Aj U_B ≤ w_Bj a_k + w_Aj b_k`` for each segment from vertex ``(a_k, b_k)``,
so the farthest point ``d + λ (m − d)`` of the ray inside it has a closed form; the chain
with the largest ``λ`` carries the KS point (Kalai & Smorodinsky 1975). When the ray
crosses the frontier in a gap (possible with binary issues only), the agreement is the
chain's first vertex, which dominates the crossing, and ``on_ray`` is ``False``; of
several chains that reach equally far, the one whose point no other dominates is taken.

The frontier itself is built in :mod:`ceasefire.bargaining._logroll`; this module solves on it.
Oracles O14 and O15 of the reference (§A6) are reproduced exactly.

Raiffa, H. (1982), *The Art and Science of Negotiation*, Harvard University Press.
Nash, J. F. (1950), "The Bargaining Problem", *Econometrica* 18(2), 155–162.
Kalai, E. & Smorodinsky, M. (1975), "Other Solutions to Nash's Bargaining Problem",
*Econometrica* 43(3), 513–518.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, final

from ceasefire.bargaining._logroll import (
    _EPS,
    MAX_BINARY_ISSUES,
    Agreement,
    Frontier,
    Issue,
    _agreement,
    _Chain,
    _chains,
    _check_issues,
    _frontier,
    pareto_frontier,
)
from ceasefire.bargaining._registry import BargainingModel, Parameter, Result, register

__all__ = [
    "MAX_BINARY_ISSUES",
    "Agreement",
    "Frontier",
    "Issue",
    "IssueSolution",
    "IssuesModel",
    "kalai_smorodinsky_agreement",
    "nash_agreement",
    "pareto_frontier",
    "solve_issues",
]


@dataclass(frozen=True)
class IssueSolution:
    """Nash and Kalai–Smorodinsky agreements, the ideal point and the frontier."""

    nash: Agreement
    kalai_smorodinsky: Agreement
    ideal_point: tuple[float, float]
    ks_on_ray: bool
    frontier: Frontier


def _check_disagreement(disagreement: tuple[float, float]) -> tuple[float, float]:
    d_a, d_b = (float(value) for value in disagreement)
    if not (math.isfinite(d_a) and math.isfinite(d_b)):
        raise ValueError(f"disagreement must be two finite numbers, got {disagreement}")
    return d_a, d_b


def _feasible(chain: _Chain, d_a: float, d_b: float) -> bool:
    return chain.high >= d_a - _EPS and chain.value(max(d_a, chain.low)) >= d_b - _EPS


def _nash(
    issues: Sequence[Issue], chains: list[_Chain], d_a: float, d_b: float, alpha: float
) -> Agreement:
    best: tuple[float, float, tuple[float, ...]] | None = None  # objective, U_A + U_B, outcome

    def consider(gain_a: float, gain_b: float, outcome: tuple[float, ...]) -> None:
        nonlocal best
        objective = max(gain_a, 0.0) ** alpha * max(gain_b, 0.0) ** (1.0 - alpha)
        total = gain_a + gain_b
        # Ties (α ∈ {0, 1}, or a zero product) go to the point no other dominates.
        if (
            best is None
            or objective > best[0] + _EPS
            or (objective >= best[0] - _EPS and total > best[1] + _EPS)
        ):
            best = objective, total, outcome

    for chain in chains:
        if not chain.moving:
            gain_a, gain_b = chain.points[0][0] - d_a, chain.points[0][1] - d_b
            if gain_a >= -_EPS and gain_b >= -_EPS:
                consider(gain_a, gain_b, chain.outcomes[0])
            continue
        for k in range(len(chain.moving)):
            (a0, b0), (a1, b1) = chain.points[k], chain.points[k + 1]
            gain_a, gain_b = a0 - d_a, b0 - d_b
            rise_a, rise_b = a1 - a0, b1 - b0  # rise_a > 0 ≥ rise_b
            low = max(0.0, -gain_a / rise_a)
            if rise_b < 0.0:
                high = min(1.0, -gain_b / rise_b)
                stationary = -(alpha * rise_a * gain_b + (1.0 - alpha) * rise_b * gain_a) / (
                    rise_a * rise_b
                )
            else:
                high = 1.0 if gain_b >= -_EPS else -1.0
                stationary = high
            if low > high + _EPS:
                continue
            tau = min(max(stationary, low), high)
            consider(
                gain_a + tau * rise_a,
                gain_b + tau * rise_b,
                chain.outcome_at(k, a0 + tau * rise_a),
            )
    if best is None:
        raise ValueError(
            f"empty feasible set: no agreement gives both sides their disagreement payoff "
            f"d = ({d_a:g}, {d_b:g})"
        )
    return _agreement(issues, best[2])


def _ideal_point(chains: list[_Chain], d_a: float, d_b: float) -> tuple[float, float]:
    ideal_a, ideal_b = -math.inf, -math.inf
    for chain in chains:
        if not _feasible(chain, d_a, d_b):
            continue
        ideal_b = max(ideal_b, chain.value(max(d_a, chain.low)))
        # A's best: the right end, or where the chain comes down to d_B.
        best_a = chain.high
        for k in range(len(chain.moving)):
            (a0, b0), (a1, b1) = chain.points[k], chain.points[k + 1]
            if b1 < d_b <= b0:
                best_a = a0 + (a1 - a0) * (b0 - d_b) / (b0 - b1)
                break
        ideal_a = max(ideal_a, best_a)
    if not math.isfinite(ideal_a):
        raise ValueError(
            f"empty feasible set: no agreement gives both sides their disagreement payoff "
            f"d = ({d_a:g}, {d_b:g})"
        )
    return ideal_a, ideal_b


def _ray_reach(
    issues: Sequence[Issue], chain: _Chain, d: tuple[float, float], step: tuple[float, float]
) -> float:
    """Return the largest ``λ ≤ 1`` with ``d + λ·step`` in the chain's comprehensive hull."""
    constraints = [((1.0, 0.0), chain.high), ((0.0, 1.0), chain.top)]
    for k, j in enumerate(chain.moving):
        normal = (issues[j].weight_b, issues[j].weight_a)
        a0, b0 = chain.points[k]
        constraints.append((normal, normal[0] * a0 + normal[1] * b0))
    reach = 1.0
    for (n_a, n_b), bound in constraints:
        toward = n_a * step[0] + n_b * step[1]
        if toward > 0.0:
            reach = min(reach, (bound - n_a * d[0] - n_b * d[1]) / toward)
    return reach


def _kalai_smorodinsky(
    issues: Sequence[Issue],
    chains: list[_Chain],
    d_a: float,
    d_b: float,
    ideal: tuple[float, float],
) -> tuple[Agreement, bool]:
    step = (max(ideal[0] - d_a, 0.0), max(ideal[1] - d_b, 0.0))
    reaches = [
        (_ray_reach(issues, chain, (d_a, d_b), step), index)
        for index, chain in enumerate(chains)
        if _feasible(chain, d_a, d_b)
    ]
    reach = max(r for r, _ in reaches)
    crossing = (d_a + reach * step[0], d_b + reach * step[1])
    # Chains that reach as far tie; of their points, keep one no other dominates (the largest
    # U_A + U_B), on the ray if that is a choice.
    best: tuple[Agreement, bool] | None = None
    for r, index in reaches:
        if r < reach - _EPS:
            continue
        chain = chains[index]
        if crossing[0] >= chain.low - _EPS:
            utility_a = min(max(crossing[0], chain.low), chain.high)
            k = chain.segment_at(utility_a)
            outcome = chain.outcome_at(k, utility_a)
            on_ray = abs(chain.segment_value(k, utility_a) - crossing[1]) <= 1e-9
        else:
            # The ray crosses the flat run left of this chain: its first vertex dominates the
            # crossing (past any segments that cost B nothing).
            k = 0
            while k < len(chain.moving) and chain.points[k + 1][1] >= chain.top - _EPS:
                k += 1
            outcome, on_ray = chain.outcomes[k], False
        candidate = _agreement(issues, outcome)
        total = candidate.utility_a + candidate.utility_b
        if best is None:
            best = candidate, on_ray
            continue
        best_total = best[0].utility_a + best[0].utility_b
        if total > best_total + _EPS or (total >= best_total - _EPS and on_ray and not best[1]):
            best = candidate, on_ray
    assert best is not None
    return best


def nash_agreement(
    issues: Sequence[Issue], disagreement: tuple[float, float] = (0.0, 0.0), alpha: float = 0.5
) -> Agreement:
    """Return the Nash agreement: the maximiser of ``(U_A − d_A)^α (U_B − d_B)^(1−α)``.

    Exact on each frontier segment (see the module docstring). Nash (1950).
    """
    issues = _check_issues(issues)
    d_a, d_b = _check_disagreement(disagreement)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
    return _nash(issues, _chains(issues), d_a, d_b, alpha)


def kalai_smorodinsky_agreement(
    issues: Sequence[Issue], disagreement: tuple[float, float] = (0.0, 0.0)
) -> Agreement:
    """Return the Kalai–Smorodinsky agreement (Kalai & Smorodinsky 1975).

    The frontier point on the ray from ``d`` towards the ideal point; see the module
    docstring for the exact per-chain computation and for gaps.
    """
    issues = _check_issues(issues)
    d_a, d_b = _check_disagreement(disagreement)
    chains = _chains(issues)
    ideal = _ideal_point(chains, d_a, d_b)
    return _kalai_smorodinsky(issues, chains, d_a, d_b, ideal)[0]


def solve_issues(
    issues: Sequence[Issue], disagreement: tuple[float, float] = (0.0, 0.0), alpha: float = 0.5
) -> IssueSolution:
    """Return the Nash and KS agreements, the ideal point and the exact Pareto frontier.

    ``alpha`` is A's bargaining power in the (asymmetric) Nash product; KS has none.
    Raises :class:`ValueError` if no agreement gives both sides at least ``disagreement``.
    """
    issues = _check_issues(issues)
    d_a, d_b = _check_disagreement(disagreement)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
    chains = _chains(issues)
    nash = _nash(issues, chains, d_a, d_b, alpha)
    ideal = _ideal_point(chains, d_a, d_b)
    kalai_smorodinsky, on_ray = _kalai_smorodinsky(issues, chains, d_a, d_b, ideal)
    return IssueSolution(nash, kalai_smorodinsky, ideal, on_ray, _frontier(issues, chains))


_ISSUES = (
    ("territory", False, 0.45, 0.55),
    ("neutrality", True, 0.40, 0.30),
    ("sanctions", False, 0.15, 0.15),
)


@final
@register
class IssuesModel(BargainingModel):
    """Territory, neutrality and sanctions with issue weights: Nash and KS agreements."""

    name: ClassVar[str] = "issues"
    summary: ClassVar[str] = (
        "Three-issue logroll (territory t ∈ [0,1] ceded to A, B's neutrality n ∈ {0,1}, "
        "sanctions relief s ∈ [0,1]) with U_A = Σ w_a·o, U_B = Σ w_b·(1−o): exact Nash and "
        "KS agreements. Default weights and d are the invented toy of oracle O15, not estimates"
    )
    reference: ClassVar[str] = (
        "Raiffa (1982), The Art and Science of Negotiation; Nash (1950) Econometrica 18(2); "
        "Kalai & Smorodinsky (1975) Econometrica 43(3); reference §A6, O14–O15"
    )
    parameters: ClassVar[tuple[Parameter, ...]] = (
        *(
            Parameter(f"w_a_{issue}", f"A's weight on {issue} (A's weights sum to 1)", w, 0, 1)
            for issue, _, w, _ in _ISSUES
        ),
        *(
            Parameter(f"w_b_{issue}", f"B's weight on {issue} (B's weights sum to 1)", w, 0, 1)
            for issue, _, _, w in _ISSUES
        ),
        Parameter("d_a", "A's utility without a deal (war continuation)", 0.30),
        Parameter("d_b", "B's utility without a deal (war continuation)", 0.35),
        Parameter("alpha", "A's bargaining power α in the Nash product (½ symmetric)", 0.5, 0, 1),
    )

    @classmethod
    def solve(cls, **values: float) -> Result:
        """Return the Nash and KS issue values and utilities, and the ideal point."""
        for side in ("a", "b"):
            names = [f"w_{side}_{issue}" for issue, *_ in _ISSUES]
            total = math.fsum(values[name] for name in names)
            if abs(total - 1.0) > 1e-9:
                raise ValueError(
                    f"side {side.upper()}'s issue weights {' + '.join(names)} must sum to 1, "
                    f"got {total:.6g}"
                )
        issues = [
            Issue(issue, values[f"w_a_{issue}"], values[f"w_b_{issue}"], binary)
            for issue, binary, *_ in _ISSUES
        ]
        disagreement = (values["d_a"], values["d_b"])
        solution = solve_issues(issues, disagreement, values["alpha"])
        results: dict[str, float | bool] = {}
        for prefix, agreement in (("nash", solution.nash), ("ks", solution.kalai_smorodinsky)):
            for issue, *_ in _ISSUES:
                results[f"{prefix}_{issue}"] = agreement.outcome[issue]
            results[f"{prefix}_utility_a"] = agreement.utility_a
            results[f"{prefix}_utility_b"] = agreement.utility_b
        results["nash_product"] = (solution.nash.utility_a - disagreement[0]) * (
            solution.nash.utility_b - disagreement[1]
        )
        results["ks_on_ray"] = solution.ks_on_ray
        results["ideal_a"], results["ideal_b"] = solution.ideal_point
        return results
