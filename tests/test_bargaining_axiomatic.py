"""Axiomatic bargaining solutions and multi-issue logrolling against the reference oracles.

The oracles O10–O15 are those of ``reference/bargaining-oracles.md`` (§A5, §A6, table
§A9); the property tests are the ones its §A9 recommends, plus a brute-force grid
cross-check of the exact multi-issue frontier.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ceasefire._errors import InputError
from ceasefire.bargaining._axiomatic import (
    PowerUtility,
    egalitarian_solution,
    ideal_point,
    kalai_smorodinsky_solution,
    nash_linear,
    nash_solution,
)
from ceasefire.bargaining._multi_issue import (
    MAX_BINARY_ISSUES,
    Agreement,
    Issue,
    IssueSolution,
    pareto_frontier,
    solve_issues,
)
from ceasefire.bargaining._registry import REGISTRY

TOLERANCE = 1e-6  # the reference's suggested tolerance for closed-form oracles

SQRT = PowerUtility(1.0, 0.5)
LINEAR = PowerUtility(1.0, 1.0)
HALF_LINEAR = PowerUtility(0.5, 1.0)

O14 = (Issue("x1", 0.7, 0.4), Issue("x2", 0.3, 0.6))
O15 = (
    Issue("territory", 0.45, 0.55),
    Issue("neutrality", 0.40, 0.30, binary=True),
    Issue("sanctions", 0.15, 0.15),
)
O15_D = (0.30, 0.35)


def _division(division: object) -> dict[str, float]:
    return {
        name: getattr(division, name) for name in ("share_a", "share_b", "utility_a", "utility_b")
    }


def _agreement(prefix: str, agreement: Agreement) -> dict[str, float]:
    values = {f"{prefix}_{name}": value for name, value in agreement.outcome.items()}
    return {
        **values,
        f"{prefix}_utility_a": agreement.utility_a,
        f"{prefix}_utility_b": agreement.utility_b,
    }


def _solution(solution: IssueSolution, d: tuple[float, float]) -> dict[str, float]:
    nash = solution.nash
    return {
        **_agreement("nash", nash),
        **_agreement("ks", solution.kalai_smorodinsky),
        "nash_product": (nash.utility_a - d[0]) * (nash.utility_b - d[1]),
        "ideal_a": solution.ideal_point[0],
        "ideal_b": solution.ideal_point[1],
    }


ORACLES: list[tuple[str, Callable[[], dict[str, float]], dict[str, float]]] = [
    # O10, §A5: p = 0.6, c = (0.1, 0.2), so d = (0.5, 0.2); x_N = d_A + α(1 − d_A − d_B).
    ("O10 α=½", lambda: _division(nash_linear(0.5, 0.2)), {"share_a": 0.65}),
    ("O10 α=0.7", lambda: _division(nash_linear(0.5, 0.2, 0.7)), {"share_a": 0.71}),
    ("O10 O1 costs", lambda: _division(nash_linear(0.5, 0.25)), {"share_a": 0.625}),
    (
        "O10 general solver",
        lambda: _division(nash_solution(lambda x: x, lambda y: y, (0.5, 0.2), 0.7)),
        {"share_a": 0.71, "utility_b": 0.29},
    ),
    # O11, §A5: u_A = √x, u_B = 1 − x, d = 0: x_N = 1/3 whatever the scale of u_B.
    (
        "O11",
        lambda: _division(nash_solution(SQRT, LINEAR)),
        {"share_a": 1 / 3, "utility_a": 0.577350, "utility_b": 0.666667},
    ),
    (
        "O11 u_B scaled ½",
        lambda: _division(nash_solution(SQRT, HALF_LINEAR)),
        {"share_a": 1 / 3, "utility_a": 0.577350, "utility_b": 1 / 3},
    ),
    (
        "O11 plain callables",
        lambda: _division(nash_solution(math.sqrt, lambda y: 3.0 * y)),
        {"share_a": 1 / 3},
    ),
    # O12, §A5: √x = 1 − x gives x_KS = ((√5 − 1)/2)²; unchanged when u_B is halved.
    (
        "O12",
        lambda: _division(kalai_smorodinsky_solution(SQRT, LINEAR)),
        {"share_a": 0.381966, "utility_a": 0.618034, "utility_b": 0.618034},
    ),
    (
        "O12 u_B scaled ½",
        lambda: _division(kalai_smorodinsky_solution(SQRT, HALF_LINEAR)),
        {"share_a": 0.381966, "utility_a": 0.618034, "utility_b": 0.309017},
    ),
    (
        "O12 ideal point",
        lambda: dict(zip(("ideal_a", "ideal_b"), ideal_point(SQRT, LINEAR), strict=True)),
        {"ideal_a": 1.0, "ideal_b": 1.0},
    ),
    # O13, §A5: √x = ½(1 − x) gives x_E = (√2 − 1)²; unscaled it coincides with KS.
    (
        "O13",
        lambda: _division(egalitarian_solution(SQRT, HALF_LINEAR)),
        {"share_a": 0.171573, "utility_a": 0.414214, "utility_b": 0.414214},
    ),
    (
        "O13 unscaled",
        lambda: _division(egalitarian_solution(SQRT, LINEAR)),
        {"share_a": 0.381966},
    ),
    # O14, §A6: two issues, d = 0: trading issues, (1, 0) with U = (0.7, 0.6), product 0.42.
    (
        "O14",
        lambda: _solution(solve_issues(O14), (0.0, 0.0)),
        {
            "nash_x1": 1.0,
            "nash_x2": 0.0,
            "nash_utility_a": 0.7,
            "nash_utility_b": 0.6,
            "nash_product": 0.42,
        },
    ),
    # O15, §A6: the illustrative three-issue toy, d = (0.30, 0.35).
    (
        "O15",
        lambda: _solution(solve_issues(O15, O15_D), O15_D),
        {
            "nash_territory": 0.0,
            "nash_neutrality": 1.0,
            "nash_sanctions": 5 / 6,
            "nash_utility_a": 21 / 40,
            "nash_utility_b": 23 / 40,
            "nash_product": 81 / 1600,
            "ks_territory": 0.0,
            "ks_neutrality": 1.0,
            "ks_sanctions": 23 / 24,
            "ks_utility_a": 87 / 160,
            "ks_utility_b": 89 / 160,
            "ideal_a": 157 / 220,
            "ideal_b": 0.70,
        },
    ),
]


@pytest.mark.parametrize(
    ("compute", "expected"), [o[1:] for o in ORACLES], ids=[o[0] for o in ORACLES]
)
def test_oracle(compute: Callable[[], dict[str, float]], expected: dict[str, float]) -> None:
    """Oracles O10–O15 of reference §A9, each to the reference's tolerance of 1e-6.

    Sources: Nash (1950), Kalai & Smorodinsky (1975), Kalai (1977), Raiffa (1982).
    """
    got = compute()
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, abs=TOLERANCE), name


def test_o10_is_p_plus_half_the_cost_difference() -> None:
    """O10: with α = ½ the Nash share is p + (c_B − c_A)/2 (reference §A5)."""
    p, cost_a, cost_b = 0.6, 0.1, 0.2
    share = nash_linear(p - cost_a, 1 - p - cost_b).share_a
    assert share == pytest.approx(p + (cost_b - cost_a) / 2, abs=1e-12)


def test_o14_trading_beats_splitting() -> None:
    """O14: the logroll's product 0.42 beats 0.25 for splitting both issues 50/50."""
    nash = solve_issues(O14).nash
    split_a = 0.7 * 0.5 + 0.3 * 0.5
    split_b = 0.4 * 0.5 + 0.6 * 0.5
    assert split_a * split_b == pytest.approx(0.25)
    assert nash.utility_a * nash.utility_b > split_a * split_b + 0.1


def test_o14_frontier_vertices() -> None:
    """O14: logrolling concedes x1 (ratio 1.75) before x2 (ratio 0.5): three vertices."""
    (piece,) = pareto_frontier(O14).pieces
    utilities = [u for v in piece for u in (v.utility_a, v.utility_b)]
    assert utilities == pytest.approx([0.0, 1.0, 0.7, 0.6, 1.0, 0.0])
    assert [v.outcome for v in piece] == [
        {"x1": 0.0, "x2": 0.0},
        {"x1": 1.0, "x2": 0.0},
        {"x1": 1.0, "x2": 1.0},
    ]


def test_o15_frontier_has_a_gap_between_the_neutrality_assignments() -> None:
    """O15's frontier (derived here) has a gap between the two neutrality assignments.

    The n = 0 chain runs until it meets U_B = 0.7 at U_A = 3/11, then comes a gap of points
    dominated by (0.40, 0.70), then the n = 1 chain to (1, 0).
    """
    first, second = pareto_frontier(O15).pieces
    assert [u for v in first for u in (v.utility_a, v.utility_b)] == pytest.approx(
        [0.0, 1.0, 0.15, 0.85, 3 / 11, 0.70]
    )
    assert {v.outcome["neutrality"] for v in first} == {0.0}
    assert [u for v in second for u in (v.utility_a, v.utility_b)] == pytest.approx(
        [0.40, 0.70, 0.55, 0.55, 1.0, 0.0]
    )
    assert {v.outcome["neutrality"] for v in second} == {1.0}
    frontier = pareto_frontier(O15)
    assert frontier.utility_b_at(0.35) == pytest.approx(0.70)  # the gap: (0.40, 0.70) dominates
    assert frontier.utility_b_at(0.75) == pytest.approx(0.55 - 0.2 * 0.55 / 0.45)
    assert frontier.utility_b_at(1.01) == -math.inf


def test_o15_ks_normalised_gains() -> None:
    """O15: both normalised gains at the KS point equal 33/56 (reference §A6)."""
    solution = solve_issues(O15, O15_D)
    ks, (ideal_a, ideal_b) = solution.kalai_smorodinsky, solution.ideal_point
    assert solution.ks_on_ray
    assert (ks.utility_a - 0.30) / (ideal_a - 0.30) == pytest.approx(33 / 56, abs=1e-12)
    assert (ks.utility_b - 0.35) / (ideal_b - 0.35) == pytest.approx(33 / 56, abs=1e-12)


def test_ks_ray_through_a_frontier_gap_takes_the_dominating_vertex() -> None:
    """A KS ray through a gap of the frontier ends at the vertex that dominates the crossing.

    O15 weights with d = (0.25, 0.65) (derived here): the ray from d to m = (0.45, 0.7278)
    crosses U_B = 0.70 at U_A ≈ 0.379, inside the gap; the n = 1 chain's first vertex
    (0.40, 0.70) dominates the crossing and is returned, flagged as off the ray.
    """
    solution = solve_issues(O15, (0.25, 0.65))
    ks = solution.kalai_smorodinsky
    assert not solution.ks_on_ray
    assert ks.outcome == {"territory": 0.0, "neutrality": 1.0, "sanctions": 0.0}
    assert (ks.utility_a, ks.utility_b) == pytest.approx((0.40, 0.70))
    assert solution.ideal_point == pytest.approx((0.45, 0.85 - 0.55 * 0.1 / 0.45))


# --- through the calculator's registry ---------------------------------------------------


def _solve(model: str, **values: float) -> dict[str, object]:
    chosen = REGISTRY[model]
    return dict(chosen.solve(**chosen.resolve(values)))


@pytest.mark.parametrize(
    ("model", "values", "expected"),
    [
        ("nash", {"d_a": 0.5, "d_b": 0.2}, {"share_a": 0.65, "utility_b": 0.35}),
        ("nash", {"d_a": 0.5, "d_b": 0.2, "alpha": 0.7}, {"share_a": 0.71}),
        ("nash", {"exponent_a": 0.5}, {"share_a": 1 / 3, "utility_a": 0.577350}),
        ("nash", {"exponent_a": 0.5, "scale_b": 0.5}, {"share_a": 1 / 3, "utility_b": 1 / 3}),
        ("kalai_smorodinsky", {"exponent_a": 0.5}, {"share_a": 0.381966, "ideal_a": 1.0}),
        (
            "kalai_smorodinsky",
            {"exponent_a": 0.5, "scale_b": 0.5},
            {"share_a": 0.381966, "utility_b": 0.309017, "ideal_b": 0.5},
        ),
        (
            "egalitarian",
            {"exponent_a": 0.5, "scale_b": 0.5},
            {"share_a": 0.171573, "gain_a": 0.414214, "gain_b": 0.414214},
        ),
        ("egalitarian", {"exponent_a": 0.5}, {"share_a": 0.381966}),
        (
            "issues",
            {},
            {
                "nash_territory": 0.0,
                "nash_neutrality": 1.0,
                "nash_sanctions": 5 / 6,
                "nash_utility_a": 0.525,
                "nash_utility_b": 0.575,
                "nash_product": 0.050625,
                "ks_territory": 0.0,
                "ks_neutrality": 1.0,
                "ks_sanctions": 23 / 24,
                "ks_utility_a": 0.54375,
                "ks_utility_b": 0.55625,
                "ideal_a": 157 / 220,
                "ideal_b": 0.70,
            },
        ),
    ],
)
def test_registry_oracles(model: str, values: dict[str, float], expected: dict[str, float]) -> None:
    """O10–O13 and O15 through ``REGISTRY[name].solve(**REGISTRY[name].resolve(...))``."""
    got = _solve(model, **values)
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, abs=TOLERANCE), name


def test_registry_issues_o14_weights() -> None:
    """O14 in the three-issue model: neutrality worthless to both, d = 0.

    Territory goes to A and sanctions stay with B, with product 0.42.
    """
    got = _solve(
        "issues",
        w_a_territory=0.7,
        w_a_neutrality=0.0,
        w_a_sanctions=0.3,
        w_b_territory=0.4,
        w_b_neutrality=0.0,
        w_b_sanctions=0.6,
        d_a=0.0,
        d_b=0.0,
    )
    assert (got["nash_territory"], got["nash_sanctions"]) == (1.0, 0.0)
    assert got["nash_product"] == pytest.approx(0.42)
    assert got["ks_on_ray"] is True


@pytest.mark.parametrize(("side", "name"), [("A", "w_a_territory"), ("B", "w_b_sanctions")])
def test_registry_issues_weights_must_sum_to_one(side: str, name: str) -> None:
    """Each side's weights must sum to 1; the error names the side."""
    with pytest.raises(ValueError, match=f"side {side}'s issue weights .* must sum to 1"):
        _solve("issues", **{name: 0.5})


def test_registry_results_are_plain_named_values() -> None:
    """Every model answers with a flat mapping of floats and booleans."""
    for model in ("nash", "kalai_smorodinsky", "egalitarian", "issues"):
        got = _solve(model)
        assert got
        assert all(type(value) in (float, bool) for value in got.values()), model


def test_registry_refuses_inadmissible_parameters() -> None:
    """Ranges are checked before solving: α ∈ [0, 1], exponents in (0, 1], scales > 0."""
    with pytest.raises(InputError, match="alpha"):
        REGISTRY["nash"].resolve({"alpha": 1.5})
    with pytest.raises(InputError, match="exponent_b"):
        REGISTRY["kalai_smorodinsky"].resolve({"exponent_b": 2.0})
    with pytest.raises(InputError, match="scale_a"):
        REGISTRY["egalitarian"].resolve({"scale_a": 0.0})


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "solve",
    [
        lambda: nash_linear(0.8, 0.5),
        lambda: nash_solution(SQRT, LINEAR, (0.8, 0.5)),
        lambda: kalai_smorodinsky_solution(SQRT, LINEAR, (0.8, 0.5)),
        lambda: egalitarian_solution(SQRT, LINEAR, (1.2, 0.0)),
        lambda: solve_issues(O15, (0.6, 0.6)),
        lambda: _solve("nash", d_a=0.8, d_b=0.5),
    ],
)
def test_empty_feasible_set_is_a_clear_error(solve: Callable[[], object]) -> None:
    """No division gives both sides their disagreement payoff: a ValueError that says so."""
    with pytest.raises(ValueError, match="empty feasible set"):
        solve()


def test_bad_issues_are_refused() -> None:
    """Negative weights, duplicate names and too many binary issues are refused by name."""
    with pytest.raises(ValueError, match=r"'t'.*side B's weight"):
        solve_issues([Issue("t", 0.5, -0.1), Issue("s", 0.5, 1.1)])
    with pytest.raises(ValueError, match="unique"):
        solve_issues([Issue("t", 0.5, 0.5), Issue("t", 0.5, 0.5)])
    with pytest.raises(ValueError, match="binary issues"):
        pareto_frontier([Issue(f"b{i}", 1, 1, binary=True) for i in range(MAX_BINARY_ISSUES + 1)])
    with pytest.raises(ValueError, match="side A values no issue"):
        solve_issues([Issue("t", 0.0, 1.0)])


# --- properties (reference §A9) -----------------------------------------------------------


@dataclass(frozen=True)
class Affine:
    """``factor · base(share) + shift``: a positive affine rescaling of a utility."""

    base: PowerUtility
    factor: float = 1.0
    shift: float = 0.0

    def __call__(self, share: float) -> float:
        return self.factor * self.base(share) + self.shift

    def marginal(self, share: float) -> float:
        return self.factor * self.base.marginal(share)


exponents = st.floats(0.2, 1.0)
scales = st.floats(0.2, 5.0)
# d as a fraction of each side's scale; ≤ 0.4 keeps x_lo ≤ 0.4 < 0.6 ≤ x_hi (feasible).
fractions = st.floats(-0.5, 0.4)
factors = st.floats(0.1, 10.0)
shifts = st.floats(-5.0, 5.0)


@settings(max_examples=60, deadline=None)
@given(exponents, exponents, scales, scales, fractions, fractions, st.floats(0.05, 0.95))
def test_nash_is_invariant_to_affine_rescaling(
    exponent_a: float,
    exponent_b: float,
    scale_a: float,
    scale_b: float,
    fraction_a: float,
    fraction_b: float,
    alpha: float,
) -> None:
    """Nash (1950): rescaling u_i ↦ k_i u_i + c_i (and d_i alike) leaves the share unchanged."""
    base_a, base_b = PowerUtility(scale_a, exponent_a), PowerUtility(scale_b, exponent_b)
    d = (fraction_a * scale_a, fraction_b * scale_b)
    reference = nash_solution(Affine(base_a), Affine(base_b), d, alpha).share_a
    for (k_a, c_a), (k_b, c_b) in [((3.0, -2.0), (0.25, 4.0)), ((0.1, 5.0), (7.0, -1.0))]:
        rescaled = nash_solution(
            Affine(base_a, k_a, c_a),
            Affine(base_b, k_b, c_b),
            (k_a * d[0] + c_a, k_b * d[1] + c_b),
            alpha,
        )
        assert rescaled.share_a == pytest.approx(reference, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.floats(-0.5, 0.4), st.floats(-0.5, 0.4), st.floats(0.0, 1.0))
def test_nash_root_matches_the_linear_closed_form(d_a: float, d_b: float, alpha: float) -> None:
    """The first-order-condition root agrees with x_N = d_A + α(1 − d_A − d_B) (O10's form)."""
    solved = nash_solution(Affine(LINEAR), Affine(LINEAR), (d_a, d_b), alpha)
    assert solved.share_a == pytest.approx(nash_linear(d_a, d_b, alpha).share_a, abs=1e-10)


def test_egalitarian_is_not_scale_invariant_but_ks_is() -> None:
    """O12/O13: the egalitarian share moves when u_B is halved; KS and Nash stay put.

    Kalai (1977): 0.381966 → 0.171573; Kalai & Smorodinsky (1975), Nash (1950): unchanged.
    """
    unscaled, halved = (egalitarian_solution(SQRT, u) for u in (LINEAR, HALF_LINEAR))
    assert unscaled.share_a - halved.share_a > 0.2
    for solve in (kalai_smorodinsky_solution, nash_solution):
        assert solve(SQRT, LINEAR).share_a == pytest.approx(solve(SQRT, HALF_LINEAR).share_a)


@settings(max_examples=60, deadline=None)
@given(exponents, exponents, scales, scales, fractions, fractions, factors, factors)
def test_ks_is_scale_invariant(
    exponent_a: float,
    exponent_b: float,
    scale_a: float,
    scale_b: float,
    fraction_a: float,
    fraction_b: float,
    factor_a: float,
    factor_b: float,
) -> None:
    """Kalai & Smorodinsky (1975): the share ignores positive rescaling of either utility."""
    d = (fraction_a * scale_a, fraction_b * scale_b)
    before = kalai_smorodinsky_solution(
        PowerUtility(scale_a, exponent_a), PowerUtility(scale_b, exponent_b), d
    )
    after = kalai_smorodinsky_solution(
        PowerUtility(factor_a * scale_a, exponent_a),
        PowerUtility(factor_b * scale_b, exponent_b),
        (factor_a * d[0], factor_b * d[1]),
    )
    assert after.share_a == pytest.approx(before.share_a, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(exponents, st.floats(0.0, 0.99), exponents, scales, st.floats(0.0, 0.4))
def test_ks_is_individually_monotone(
    exponent_a: float, flatten: float, exponent_b: float, scale_b: float, fraction_b: float
) -> None:
    """KS is individually monotone (Kalai & Smorodinsky 1975).

    Replacing u_A = x^e by the pointwise larger x^(e'), e' < e, enlarges the feasible set in
    A's direction while B's ideal utility stays the same (d_A = 0), so A's KS utility does
    not fall.
    """
    assume(flatten * exponent_a > 0.01)
    d = (0.0, fraction_b * scale_b)
    utility_b = PowerUtility(scale_b, exponent_b)
    small, large = PowerUtility(1.0, exponent_a), PowerUtility(1.0, flatten * exponent_a)
    assert ideal_point(small, utility_b, d)[1] == ideal_point(large, utility_b, d)[1]
    before = kalai_smorodinsky_solution(small, utility_b, d)
    after = kalai_smorodinsky_solution(large, utility_b, d)
    assert after.utility_a >= before.utility_a - 1e-12


@settings(max_examples=60, deadline=None)
@given(exponents, exponents, scales, fractions, fractions, st.floats(1.0, 3.0))
def test_ks_utility_rises_with_the_ideal_point(
    exponent_a: float,
    exponent_b: float,
    scale_b: float,
    fraction_a: float,
    fraction_b: float,
    growth: float,
) -> None:
    """KS is monotone in the ideal point (reference §A9).

    Scaling u_A up by ``growth`` raises m_A by the same factor and A's KS gain with it,
    while B's utility is unchanged.
    """
    d = (fraction_a, fraction_b * scale_b)
    utility_b = PowerUtility(scale_b, exponent_b)
    before = kalai_smorodinsky_solution(PowerUtility(1.0, exponent_a), utility_b, d)
    grown = PowerUtility(growth, exponent_a)
    after = kalai_smorodinsky_solution(grown, utility_b, (growth * d[0], d[1]))
    ideal_before = ideal_point(PowerUtility(1.0, exponent_a), utility_b, d)[0]
    ideal_after = ideal_point(grown, utility_b, (growth * d[0], d[1]))[0]
    assert ideal_after == pytest.approx(growth * ideal_before)
    assert after.utility_a - growth * d[0] == pytest.approx(
        growth * (before.utility_a - d[0]), abs=1e-9
    )
    assert after.utility_b == pytest.approx(before.utility_b, abs=1e-9)


# --- the exact multi-issue frontier against a brute-force grid --------------------------

GRID = np.linspace(0.0, 1.0, 101)
weights = st.one_of(st.just(0.0), st.floats(0.01, 1.0))


@st.composite
def negotiations(draw: st.DrawFn) -> tuple[list[Issue], tuple[float, float]]:
    """1–2 continuous and 0–2 binary issues, weights normalised per side, feasible d."""
    continuous = draw(st.integers(1, 2))
    binary = draw(st.integers(0, 2))
    kinds = [False] * continuous + [True] * binary
    raw_a = [draw(weights) for _ in kinds]
    raw_b = [draw(weights) for _ in kinds]
    assume(sum(raw_a) > 0 and sum(raw_b) > 0)
    issues = [
        Issue(f"issue{j}", a / sum(raw_a), b / sum(raw_b), kind)
        for j, (a, b, kind) in enumerate(zip(raw_a, raw_b, kinds, strict=True))
    ]
    # d lies below the utilities of some grid outcome, so the feasible set is not empty.
    outcome = [
        draw(st.sampled_from([0.0, 1.0])) if kind else draw(st.sampled_from(GRID)) for kind in kinds
    ]
    utility_a = sum(i.weight_a * o for i, o in zip(issues, outcome, strict=True))
    utility_b = sum(i.weight_b * (1 - o) for i, o in zip(issues, outcome, strict=True))
    d = (utility_a - draw(st.floats(0.0, 0.4)), utility_b - draw(st.floats(0.0, 0.4)))
    return issues, d


def _grid(issues: list[Issue]) -> tuple[np.ndarray, np.ndarray]:
    axes = [np.array([0.0, 1.0]) if issue.binary else GRID for issue in issues]
    mesh = np.meshgrid(*axes, indexing="ij")
    utility_a = sum(issue.weight_a * o for issue, o in zip(issues, mesh, strict=True))
    utility_b = sum(issue.weight_b * (1 - o) for issue, o in zip(issues, mesh, strict=True))
    return np.ravel(utility_a), np.ravel(utility_b)


def _envelope(pieces: tuple[tuple[Agreement, ...], ...], utility_a: np.ndarray) -> np.ndarray:
    """B's best utility with A getting at least ``utility_a``, from the frontier's pieces."""
    best = np.full(utility_a.shape, -np.inf)
    for piece in pieces:
        xs = np.array([v.utility_a for v in piece])
        ys = np.array([v.utility_b for v in piece])
        inside = utility_a <= xs[-1] + 1e-12
        best = np.where(inside, np.maximum(best, np.interp(utility_a, xs, ys)), best)
    return best


def _check_agreement(issues: list[Issue], agreement: Agreement) -> None:
    for issue in issues:
        value = agreement.outcome[issue.name]
        assert value in (0.0, 1.0) if issue.binary else 0.0 <= value <= 1.0
    utility_a = sum(i.weight_a * agreement.outcome[i.name] for i in issues)
    utility_b = sum(i.weight_b * (1 - agreement.outcome[i.name]) for i in issues)
    assert (agreement.utility_a, agreement.utility_b) == pytest.approx((utility_a, utility_b))


@settings(max_examples=60, deadline=None)
@given(negotiations(), st.one_of(st.sampled_from([0.0, 1.0]), st.floats(1e-3, 1 - 1e-3)))
def test_exact_frontier_against_a_brute_force_grid(
    negotiation: tuple[list[Issue], tuple[float, float]], alpha: float
) -> None:
    """The exact logroll frontier, Nash and KS against a brute-force grid.

    The grid has 101 points per continuous issue × every binary assignment. The frontier
    weakly dominates every grid outcome, no grid outcome strictly dominates a frontier
    vertex, the grid's best Nash product is at most the exact one and within the grid's
    second-order error, and the KS point lies on the frontier and on the ray.
    """
    issues, d = negotiation
    solution = solve_issues(issues, d)
    grid_a, grid_b = _grid(issues)
    frontier = solution.frontier

    # Weak dominance of the grid, and no grid point strictly better than a vertex.
    assert np.all(grid_a <= frontier.vertices[-1].utility_a + 1e-12)
    assert np.all(grid_b <= _envelope(frontier.pieces, grid_a) + 1e-12)
    for vertex in frontier.vertices:
        _check_agreement(issues, vertex)
        better = (grid_a > vertex.utility_a + 1e-9) & (grid_b > vertex.utility_b + 1e-9)
        assert not np.any(better), vertex
    for start, end in itertools.pairwise(frontier.vertices):
        assert end.utility_a >= start.utility_a - 1e-12
        assert end.utility_b <= start.utility_b + 1e-12

    # Nash: the grid cannot beat the exact product; rounding the one fractional issue to the
    # grid loses at most ½·|P''|·0.005² ≤ 2.5e-5 (P'' = 2 Δ_A Δ_B, weights ≤ 1).
    nash = solution.nash
    _check_agreement(issues, nash)
    exact = (nash.utility_a - d[0]) * (nash.utility_b - d[1])
    feasible = (grid_a >= d[0]) & (grid_b >= d[1])
    grid_best = np.max(((grid_a - d[0]) * (grid_b - d[1]))[feasible])
    assert min(nash.utility_a - d[0], nash.utility_b - d[1]) >= -1e-12
    assert grid_best <= exact + 1e-12
    assert grid_best >= exact - 3e-5
    # The asymmetric objective: the grid cannot beat the exact maximiser either.
    weighted = solve_issues(issues, d, alpha).nash
    _check_agreement(issues, weighted)
    gains = (weighted.utility_a - d[0], weighted.utility_b - d[1])
    assert min(gains) >= -1e-12
    grid_gains = (grid_a[feasible] - d[0], grid_b[feasible] - d[1])
    objective = np.max(grid_gains[0] ** alpha * grid_gains[1] ** (1 - alpha))
    assert objective <= max(gains[0], 0) ** alpha * max(gains[1], 0) ** (1 - alpha) + 1e-12

    # Ideal point and KS.
    ideal_a, ideal_b = solution.ideal_point
    assert np.max(grid_a[feasible]) <= ideal_a + 1e-12
    assert np.max(grid_b[feasible]) <= ideal_b + 1e-12
    ks = solution.kalai_smorodinsky
    _check_agreement(issues, ks)
    assert ks.utility_a >= d[0] - 1e-12
    assert ks.utility_b >= d[1] - 1e-12
    assert frontier.utility_b_at(ks.utility_a) == pytest.approx(ks.utility_b, abs=1e-9)
    if solution.ks_on_ray:
        gain_a, gain_b = ks.utility_a - d[0], ks.utility_b - d[1]
        assert gain_a * (ideal_b - d[1]) == pytest.approx(gain_b * (ideal_a - d[0]), abs=1e-9)
    else:
        assert any(issue.binary for issue in issues)


def test_o15_against_the_grid() -> None:
    """O15 by brute force: a 101 × 2 × 101 grid comes close to the exact Nash product.

    It never beats it (reference §A6: 'A brute-force grid reproduces them').
    """
    grid_a, grid_b = _grid(list(O15))
    feasible = (grid_a >= O15_D[0]) & (grid_b >= O15_D[1])
    products = ((grid_a - O15_D[0]) * (grid_b - O15_D[1]))[feasible]
    assert np.max(products) <= 81 / 1600 + 1e-12
    assert np.max(products) == pytest.approx(81 / 1600, abs=1e-4)
    assert np.all(grid_b <= _envelope(pareto_frontier(O15).pieces, grid_a) + 1e-12)
