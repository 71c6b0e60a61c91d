"""The logroll frontier, its window, and the Nash and KS terms, vectorised over draws and months.

The same mathematics as :mod:`ceasefire.bargaining._logroll` and
:mod:`ceasefire.bargaining._multi_issue` (which stay the reference and are tested against
this module): for each assignment of the binary issues, a chain that concedes the
continuous issues to A in decreasing order of ``a_j / b_j`` (Raiffa 1982); a deal both
prefer exists iff some chain reaches ``U ≥ d``; Nash maximises ``(U_A − d_A)(U_B − d_B)``
segment by segment with the closed-form stationary point (Nash 1950); Kalai–Smorodinsky
takes the farthest point of the ray from ``d`` towards the ideal point inside the chains'
comprehensive hulls (Kalai & Smorodinsky 1975). Arrays are ``(draw, month)``; weights are
``(draw,)``. Every weight must be positive (a posterior on the simplex is), which keeps
each segment strictly sloped; the library functions handle the degenerate cases.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Chains", "chains", "kalai_smorodinsky_terms", "nash_terms", "window_open"]

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-12


@dataclass(frozen=True)
class Chains:
    """Every chain of every draw: vertices ``(chain, draw, vertex)`` and their outcomes."""

    a: FloatArray
    """A's utility at each vertex, ``(chain, draw, vertex)``."""
    b: FloatArray
    """B's utility at each vertex."""
    outcome: FloatArray
    """The outcome at each vertex, ``(chain, draw, vertex, issue)``."""
    moving: npt.NDArray[np.int64]
    """The issue that moves along segment k, ``(draw, segment)`` (the same in every chain)."""
    weight_a: FloatArray
    """``(draw, issue)``."""
    weight_b: FloatArray


def chains(weight_a: FloatArray, weight_b: FloatArray, binary: list[bool]) -> Chains:
    """Build every chain for every draw; ``weight_*`` are ``(draw, issue)``."""
    weight_a = np.asarray(weight_a, dtype=np.float64)
    weight_b = np.asarray(weight_b, dtype=np.float64)
    if np.any(weight_a <= 0.0) or np.any(weight_b <= 0.0):
        raise ValueError("the vectorised frontier needs positive weights")
    draws, n_issues = weight_a.shape
    continuous = [j for j in range(n_issues) if not binary[j]]
    if not continuous:
        raise ValueError("the vectorised frontier needs a continuous issue")
    ratio = weight_a[:, continuous] / weight_b[:, continuous]
    order = np.asarray(continuous)[np.argsort(-ratio, axis=1, kind="stable")]
    rows = np.arange(draws)
    discrete = [j for j in range(n_issues) if binary[j]]
    assignments = list(itertools.product((0.0, 1.0), repeat=len(discrete)))
    n_vertices = len(continuous) + 1
    a = np.empty((len(assignments), draws, n_vertices))
    b = np.empty_like(a)
    outcome = np.zeros((len(assignments), draws, n_vertices, n_issues))
    for c, assignment in enumerate(assignments):
        start = np.zeros((draws, n_issues))
        for j, value in zip(discrete, assignment, strict=True):
            start[:, j] = value
        outcome[c, :, 0] = start
        for k in range(1, n_vertices):
            outcome[c, :, k] = outcome[c, :, k - 1]
            outcome[c, rows, k, order[:, k - 1]] = 1.0
        a[c] = np.einsum("dki,di->dk", outcome[c], weight_a)
        b[c] = np.einsum("dki,di->dk", 1.0 - outcome[c], weight_b)
    return Chains(a, b, outcome, order, weight_a, weight_b)


def _b_at(ch: Chains, c: int, utility_a: FloatArray) -> FloatArray:
    """B's best utility on chain ``c`` with A getting ``utility_a`` (−inf beyond its end)."""
    a, b = ch.a[c][:, None, :], ch.b[c][:, None, :]
    value = np.broadcast_to(b[..., 0], utility_a.shape).copy()
    for k in range(a.shape[-1] - 1):
        a0, a1, b0, b1 = a[..., k], a[..., k + 1], b[..., k], b[..., k + 1]
        inside = (utility_a > a0) & (utility_a <= a1)
        value = np.where(inside, b0 + (utility_a - a0) * (b1 - b0) / (a1 - a0), value)
    return np.where(utility_a > a[..., -1], -np.inf, value)


def _feasible(ch: Chains, c: int, d_a: FloatArray, d_b: FloatArray) -> npt.NDArray[np.bool_]:
    low, high = ch.a[c][:, None, 0], ch.a[c][:, None, -1]
    reach = _b_at(ch, c, np.maximum(d_a, low))
    return np.asarray((high >= d_a - _EPS) & (reach >= d_b - _EPS))


def window_open(ch: Chains, d_a: FloatArray, d_b: FloatArray) -> npt.NDArray[np.bool_]:
    """Whether a deal both prefer to their disagreement values exists, ``(draw, month)``."""
    result = np.zeros(d_a.shape, dtype=bool)
    for c in range(ch.a.shape[0]):
        result |= _feasible(ch, c, d_a, d_b)
    return result


def _point(ch: Chains, c: FloatArray, k: FloatArray, tau: FloatArray) -> FloatArray:
    """Return the outcome at ``tau`` on segment ``k`` of chain ``c``, ``(draw, month, issue)``."""
    draws = np.arange(ch.a.shape[1])[:, None]
    chain = c.astype(np.int64)
    segment = k.astype(np.int64)
    start = ch.outcome[chain, draws, segment]
    moving = ch.moving[draws, np.minimum(segment, ch.moving.shape[1] - 1)]
    np.put_along_axis(start, moving[..., None], tau[..., None], axis=-1)
    return np.asarray(start)


def nash_terms(ch: Chains, d_a: FloatArray, d_b: FloatArray) -> FloatArray:
    """Return the Nash agreement, ``(draw, month, issue)``; NaN where no deal both prefer exists."""
    shape = d_a.shape
    best = np.full(shape, -np.inf)
    best_total = np.full(shape, -np.inf)
    best_c, best_k, best_tau = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for c in range(ch.a.shape[0]):
        for k in range(ch.a.shape[2] - 1):
            a0, a1 = ch.a[c][:, None, k], ch.a[c][:, None, k + 1]
            b0, b1 = ch.b[c][:, None, k], ch.b[c][:, None, k + 1]
            gain_a, gain_b = a0 - d_a, b0 - d_b
            rise_a, rise_b = a1 - a0, b1 - b0  # rise_a > 0 > rise_b
            low = np.maximum(0.0, -gain_a / rise_a)
            high = np.minimum(1.0, -gain_b / rise_b)
            stationary = -(rise_a * gain_b + rise_b * gain_a) / (2.0 * rise_a * rise_b)
            tau = np.clip(stationary, low, high)
            u_a, u_b = gain_a + tau * rise_a, gain_b + tau * rise_b
            objective = np.sqrt(np.maximum(u_a, 0.0) * np.maximum(u_b, 0.0))
            total = u_a + u_b
            better = (low <= high + _EPS) & (
                (objective > best + _EPS)
                | ((objective >= best - _EPS) & (total > best_total + _EPS))
            )
            best = np.where(better, objective, best)
            best_total = np.where(better, total, best_total)
            best_c = np.where(better, c, best_c)
            best_k = np.where(better, k, best_k)
            best_tau = np.where(better, tau, best_tau)
    terms = _point(ch, best_c, best_k, best_tau)
    terms[~np.isfinite(best)] = np.nan
    return terms


def _ideal(ch: Chains, d_a: FloatArray, d_b: FloatArray) -> tuple[FloatArray, FloatArray]:
    ideal_a = np.full(d_a.shape, -np.inf)
    ideal_b = np.full(d_a.shape, -np.inf)
    for c in range(ch.a.shape[0]):
        feasible = _feasible(ch, c, d_a, d_b)
        low = ch.a[c][:, None, 0]
        ideal_b = np.where(
            feasible, np.maximum(ideal_b, _b_at(ch, c, np.maximum(d_a, low))), ideal_b
        )
        best_a = np.broadcast_to(ch.a[c][:, None, -1], d_a.shape).copy()
        found = np.zeros(d_a.shape, dtype=bool)
        for k in range(ch.a.shape[2] - 1):
            a0, a1 = ch.a[c][:, None, k], ch.a[c][:, None, k + 1]
            b0, b1 = ch.b[c][:, None, k], ch.b[c][:, None, k + 1]
            crossing = ~found & (b1 < d_b) & (d_b <= b0)
            best_a = np.where(crossing, a0 + (a1 - a0) * (b0 - d_b) / (b0 - b1), best_a)
            found |= crossing
        ideal_a = np.where(feasible, np.maximum(ideal_a, best_a), ideal_a)
    return ideal_a, ideal_b


def kalai_smorodinsky_terms(ch: Chains, d_a: FloatArray, d_b: FloatArray) -> FloatArray:
    """Return the Kalai–Smorodinsky agreement, ``(draw, month, issue)``; NaN without a deal."""
    ideal_a, ideal_b = _ideal(ch, d_a, d_b)
    step_a = np.maximum(ideal_a - d_a, 0.0)
    step_b = np.maximum(ideal_b - d_b, 0.0)
    n_chains, draws, n_vertices = ch.a.shape
    reaches = np.full((n_chains, *d_a.shape), -np.inf)
    rows = np.arange(draws)
    for c in range(n_chains):
        reach = np.ones(d_a.shape)
        ones, zeros = np.ones(draws), np.zeros(draws)
        bounds = [(ones, zeros, ch.a[c][:, -1]), (zeros, ones, ch.b[c][:, 0])]
        for k in range(n_vertices - 1):
            j = ch.moving[:, k]
            n_a, n_b = ch.weight_b[rows, j], ch.weight_a[rows, j]
            bounds.append((n_a, n_b, n_a * ch.a[c][:, k] + n_b * ch.b[c][:, k]))
        for n_a, n_b, bound in bounds:
            n_a_, n_b_ = n_a[:, None], n_b[:, None]
            toward = n_a_ * step_a + n_b_ * step_b
            limit = (bound[:, None] - n_a_ * d_a - n_b_ * d_b) / np.where(toward > 0, toward, 1.0)
            reach = np.where(toward > 0.0, np.minimum(reach, limit), reach)
        reaches[c] = np.where(_feasible(ch, c, d_a, d_b), reach, -np.inf)
    reach = reaches.max(axis=0)
    cross_a = np.where(
        np.isfinite(reach), d_a + np.where(np.isfinite(reach), reach, 0.0) * step_a, np.nan
    )
    best_total = np.full(d_a.shape, -np.inf)
    terms = np.full((*d_a.shape, ch.outcome.shape[-1]), np.nan)
    for c in range(n_chains):
        tied = reaches[c] >= reach - _EPS
        low, high = ch.a[c][:, None, 0], ch.a[c][:, None, -1]
        utility_a = np.clip(cross_a, low, high)
        segment = np.zeros(d_a.shape)
        tau = np.zeros(d_a.shape)
        for k in range(n_vertices - 1):
            a0, a1 = ch.a[c][:, None, k], ch.a[c][:, None, k + 1]
            inside = (utility_a > a0) & (utility_a <= a1)
            segment = np.where(inside, k, segment)
            tau = np.where(inside, (utility_a - a0) / (a1 - a0), tau)
        # Left of the chain the ray meets its flat run: the first vertex dominates the crossing.
        tau = np.where(cross_a < low - _EPS, 0.0, tau)
        point = _point(ch, np.full(d_a.shape, float(c)), segment, tau)
        total = np.einsum("dmi,di->dm", point, ch.weight_a) + np.einsum(
            "dmi,di->dm", 1.0 - point, ch.weight_b
        )
        better = tied & np.isfinite(reach) & (total > best_total + _EPS)
        terms = np.where(better[..., None], point, terms)
        best_total = np.where(better, total, best_total)
    return terms
