"""The exact Pareto frontier of a multi-issue negotiation, by logrolling.

Each issue ``j`` has an outcome ``o_j``, side A's share of it: continuous issues take
``o_j ∈ [0, 1]``, binary issues ``o_j ∈ {0, 1}``. Utilities are linear-additive
(Raiffa 1982)::

    U_A(o) = Σ_j w_Aj · o_j          U_B(o) = Σ_j w_Bj · (1 − o_j)

Fix the binary issues. Every continuous issue then moves the two utilities along a straight
line with slope ``−w_Bj / w_Aj``, so the upper-right boundary of the feasible utilities is
reached by *logrolling*: start with every continuous issue at B (``o_j = 0``) and concede
them to A one by one in decreasing order of ``w_Aj / w_Bj``. That gives a concave
piecewise-linear chain with one vertex per continuous issue. With ``b`` binary issues there
are ``2**b`` such chains, one per assignment of the binary issues, and the frontier is their
upper envelope, computed exactly (chain by chain, splitting at every crossing); it may have
gaps where one chain ends and a better one starts further right.

Split out of :mod:`ceasefire.bargaining._multi_issue` (the Nash and KS solutions on the
frontier, which re-exports these names) so that each module stays short.

Raiffa, H. (1982), *The Art and Science of Negotiation*, Harvard University Press.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "MAX_BINARY_ISSUES",
    "Agreement",
    "Frontier",
    "Issue",
    "pareto_frontier",
]

MAX_BINARY_ISSUES = 12
"""The most binary issues :func:`pareto_frontier` enumerates (``2**12`` assignments)."""

_EPS = 1e-12


@dataclass(frozen=True)
class Issue:
    """One issue on the table: A's and B's weights, and whether it is all-or-nothing.

    The outcome ``o`` is A's share of the issue; B values ``1 − o``.
    """

    name: str
    weight_a: float
    weight_b: float
    binary: bool = False


@dataclass(frozen=True)
class Agreement:
    """An outcome on every issue (A's share, by issue name) and both sides' utilities."""

    outcome: dict[str, float]
    utility_a: float
    utility_b: float


@dataclass(frozen=True)
class Frontier:
    """The exact Pareto frontier: polylines in utility space, ordered by A's utility.

    Within a piece, both utilities *and* the outcomes interpolate linearly between
    consecutive vertices. Between pieces there is either a switch to another assignment of
    the binary issues (the pieces touch) or a gap of dominated points.
    """

    pieces: tuple[tuple[Agreement, ...], ...]

    @property
    def vertices(self) -> tuple[Agreement, ...]:
        """Every vertex of every piece, in order of A's utility."""
        return tuple(vertex for piece in self.pieces for vertex in piece)

    def utility_b_at(self, utility_a: float) -> float:
        """Return the most B can get while A gets at least ``utility_a`` (``-inf`` if A can't)."""
        for piece in self.pieces:
            if piece[-1].utility_a < utility_a - _EPS:
                continue
            if utility_a <= piece[0].utility_a:
                return piece[0].utility_b
            for start, end in itertools.pairwise(piece):
                if utility_a <= end.utility_a:
                    span = end.utility_a - start.utility_a
                    tau = 1.0 if span <= 0.0 else (utility_a - start.utility_a) / span
                    return start.utility_b + min(tau, 1.0) * (end.utility_b - start.utility_b)
            return piece[-1].utility_b
        return -math.inf


@dataclass(frozen=True)
class _Chain:
    """The logroll frontier of one assignment of the binary issues.

    ``points[k]`` is the k-th vertex in utility space, ``outcomes[k]`` its outcome vector;
    segment ``k`` runs from vertex ``k`` to ``k + 1`` by moving issue ``moving[k]`` from 0
    to 1. Every segment has ``Δ U_A > 0`` and ``Δ U_B ≤ 0``, with slopes falling.
    """

    points: tuple[tuple[float, float], ...]
    outcomes: tuple[tuple[float, ...], ...]
    moving: tuple[int, ...]

    @property
    def low(self) -> float:
        return self.points[0][0]

    @property
    def high(self) -> float:
        return self.points[-1][0]

    @property
    def top(self) -> float:
        return self.points[0][1]

    def segment_value(self, k: int, utility_a: float) -> float:
        """B's utility on the line of segment ``k`` (``k = −1``: the flat run left of it)."""
        if k < 0:
            return self.top
        (a0, b0), (a1, b1) = self.points[k], self.points[k + 1]
        return b0 + (utility_a - a0) * (b1 - b0) / (a1 - a0)

    def segment_at(self, utility_a: float) -> int:
        """Return the segment covering ``utility_a`` (−1 left of the chain or if it has none)."""
        if not self.moving or utility_a <= self.low:
            return -1
        lefts = [point[0] for point in self.points[1:-1]]
        return bisect.bisect_left(lefts, utility_a)

    def value(self, utility_a: float) -> float:
        """Return B's best utility on this chain with A getting ``utility_a`` or more."""
        if utility_a > self.high:
            return -math.inf
        return self.segment_value(self.segment_at(utility_a), utility_a)

    def outcome_at(self, k: int, utility_a: float) -> tuple[float, ...]:
        """Return the outcome vector of the point of segment ``k`` at ``utility_a``."""
        if k < 0:
            return self.outcomes[0]
        (a0, _), (a1, _) = self.points[k], self.points[k + 1]
        tau = min(1.0, max(0.0, (utility_a - a0) / (a1 - a0)))
        outcome = list(self.outcomes[k])
        outcome[self.moving[k]] = tau
        return tuple(outcome)


def _check_issues(issues: Sequence[Issue]) -> tuple[Issue, ...]:
    issues = tuple(issues)
    if not issues:
        raise ValueError("issues: give at least one issue")
    names = [issue.name for issue in issues]
    if len(set(names)) != len(names):
        raise ValueError(f"issues: names must be unique, got {names}")
    for issue in issues:
        for side, weight in (("A", issue.weight_a), ("B", issue.weight_b)):
            if not (math.isfinite(weight) and weight >= 0.0):
                raise ValueError(
                    f"issue {issue.name!r}: side {side}'s weight must be finite and ≥ 0, "
                    f"got {weight}"
                )
    for side, total in (
        ("A", sum(issue.weight_a for issue in issues)),
        ("B", sum(issue.weight_b for issue in issues)),
    ):
        if total <= 0.0:
            raise ValueError(f"side {side} values no issue: its weights sum to {total}")
    binary = sum(issue.binary for issue in issues)
    if binary > MAX_BINARY_ISSUES:
        raise ValueError(
            f"{binary} binary issues: the exact frontier enumerates 2**b assignments, so "
            f"b is limited to {MAX_BINARY_ISSUES}"
        )
    return issues


def _utilities(issues: Sequence[Issue], outcome: Sequence[float]) -> tuple[float, float]:
    utility_a = math.fsum(issue.weight_a * o for issue, o in zip(issues, outcome, strict=True))
    utility_b = math.fsum(
        issue.weight_b * (1.0 - o) for issue, o in zip(issues, outcome, strict=True)
    )
    return utility_a, utility_b


def _logroll_order(issues: Sequence[Issue]) -> list[int]:
    """Return the continuous issues A values, by decreasing ``w_A / w_B`` (ties: given order)."""

    def a_first(i: int, j: int) -> int:
        # w_Ai / w_Bi > w_Aj / w_Bj, cross-multiplied so that w_B = 0 (ratio ∞) needs no care.
        left = issues[i].weight_a * issues[j].weight_b
        right = issues[j].weight_a * issues[i].weight_b
        return -1 if left > right else 1 if left < right else 0

    movable = [j for j, issue in enumerate(issues) if not issue.binary and issue.weight_a > 0]
    return sorted(movable, key=functools.cmp_to_key(a_first))


def _chains(issues: Sequence[Issue]) -> list[_Chain]:
    order = _logroll_order(issues)
    binary = [j for j, issue in enumerate(issues) if issue.binary]
    chains = []
    for assignment in itertools.product((0.0, 1.0), repeat=len(binary)):
        outcome = [0.0] * len(issues)
        for j, value in zip(binary, assignment, strict=True):
            outcome[j] = value
        outcomes = [tuple(outcome)]
        for j in order:
            outcome[j] = 1.0
            outcomes.append(tuple(outcome))
        points = tuple(_utilities(issues, o) for o in outcomes)
        chains.append(_Chain(points, tuple(outcomes), tuple(order)))
    return chains


def _agreement(issues: Sequence[Issue], outcome: Sequence[float]) -> Agreement:
    utility_a, utility_b = _utilities(issues, outcome)
    return Agreement(
        {issue.name: float(o) for issue, o in zip(issues, outcome, strict=True)},
        utility_a,
        utility_b,
    )


# The upper envelope: intervals of A's utility, each owned by one line (chain, segment).
_Source = tuple[int, int]
_Interval = tuple[float, float, _Source]


def _chain_intervals(index: int, chain: _Chain, left: float) -> list[_Interval]:
    intervals: list[_Interval] = [(left, chain.low, (index, -1))]
    intervals += [
        (chain.points[k][0], chain.points[k + 1][0], (index, k)) for k in range(len(chain.moving))
    ]
    return intervals


def _covering(intervals: list[_Interval], lefts: list[float], point: float) -> _Source | None:
    position = bisect.bisect_right(lefts, point) - 1
    if position < 0 or intervals[position][1] < point:
        return None
    return intervals[position][2]


def _merge(chains: list[_Chain], old: list[_Interval], new: list[_Interval]) -> list[_Interval]:
    """Return the upper envelope of two envelopes, splitting intervals where they cross."""

    def value(source: _Source, utility_a: float) -> float:
        return chains[source[0]].segment_value(source[1], utility_a)

    cuts = sorted({x for left, right, _ in old + new for x in (left, right)})
    old_lefts, new_lefts = [i[0] for i in old], [i[0] for i in new]
    merged: list[_Interval] = []
    for left, right in itertools.pairwise(cuts):
        middle = 0.5 * (left + right)
        mine = _covering(old, old_lefts, middle)
        theirs = _covering(new, new_lefts, middle)
        if theirs is None or mine is None:
            owner = mine if theirs is None else theirs
            if owner is not None:
                merged.append((left, right, owner))
            continue
        gain_left = value(theirs, left) - value(mine, left)
        gain_right = value(theirs, right) - value(mine, right)
        if gain_left <= _EPS and gain_right <= _EPS:
            tie = gain_left >= -_EPS and gain_right >= -_EPS
            # On a tie a real segment beats a flat run (which is only dominated points).
            owner = theirs if tie and mine[1] < 0 <= theirs[1] else mine
            merged.append((left, right, owner))
        elif gain_left >= -_EPS and gain_right >= -_EPS:
            merged.append((left, right, theirs))
        else:
            crossing = left + (right - left) * gain_left / (gain_left - gain_right)
            first, second = (mine, theirs) if gain_left < 0 else (theirs, mine)
            merged += [(left, crossing, first), (crossing, right, second)]
    coalesced: list[_Interval] = []
    for interval in merged:
        if coalesced and coalesced[-1][2] == interval[2]:
            coalesced[-1] = (coalesced[-1][0], interval[1], interval[2])
        else:
            coalesced.append(interval)
    return coalesced


def _frontier(issues: Sequence[Issue], chains: list[_Chain]) -> Frontier:
    left = min(chain.low for chain in chains) - 1.0
    envelope = _chain_intervals(0, chains[0], left)
    for index in range(1, len(chains)):
        envelope = _merge(chains, envelope, _chain_intervals(index, chains[index], left))
    pieces: list[list[Agreement]] = []
    owner: int | None = None
    for position, (start, end, (index, k)) in enumerate(envelope):
        chain = chains[index]
        if k < 0:
            owner = None
            following = envelope[position + 1][2] if position + 1 < len(envelope) else None
            if abs(end - chain.low) <= _EPS and following != (index, 0):
                # A chain's first vertex ends a flat run and no segment of it follows.
                pieces.append([_agreement(issues, chain.outcomes[0])])
            continue
        head = _agreement(issues, chain.outcome_at(k, start))
        tail = _agreement(issues, chain.outcome_at(k, end))
        if owner == index and pieces and abs(pieces[-1][-1].utility_a - start) <= _EPS:
            pieces[-1].append(tail)
        else:
            pieces.append([head, tail])
        owner = index
    # A lone vertex that coincides with the end of its neighbour adds nothing.
    kept: list[list[Agreement]] = []
    for position, piece in enumerate(pieces):
        neighbours = [pieces[i] for i in (position - 1, position + 1) if 0 <= i < len(pieces)]
        lone = piece[0]
        if len(piece) == 1 and any(
            abs(vertex.utility_a - lone.utility_a) <= _EPS
            and abs(vertex.utility_b - lone.utility_b) <= _EPS
            for other in neighbours
            for vertex in (other[0], other[-1])
        ):
            continue
        kept.append(piece)
    return Frontier(tuple(tuple(piece) for piece in kept))


def pareto_frontier(issues: Sequence[Issue]) -> Frontier:
    """Return the exact Pareto frontier of the issues (logrolling; see the module docstring).

    Points of it may be only weakly efficient where an issue is worthless to B.
    """
    issues = _check_issues(issues)
    return _frontier(issues, _chains(issues))
