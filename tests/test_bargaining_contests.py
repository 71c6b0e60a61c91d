"""Wars of attrition and contests: oracles O19-O24 of reference/bargaining-oracles.md."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize

from ceasefire._errors import InputError
from ceasefire.bargaining._attrition import (
    asymmetric_war_of_attrition,
    contest_duration_survival,
    quit_time,
    quit_time_payoff,
    quit_time_uniform,
    symmetric_war_of_attrition,
)
from ceasefire.bargaining._contests import (
    all_pay_auction,
    all_pay_bid_cdf,
    contest_success,
    lanchester_win_probability,
    tullock_best_response,
    tullock_equilibrium,
)
from ceasefire.bargaining._registry import REGISTRY

TOL = 1e-6
positive = st.floats(0.05, 20.0)


def solve(model: str, values: dict[str, float]) -> dict[str, object]:
    """Solve a registered model the way the CLI does: resolve, then solve."""
    cls = REGISTRY[model]
    return dict(cls.solve(**cls.resolve(values)))


# --- O19-O24, table-driven -----------------------------------------------------------------

ORACLES: list[tuple[str, Callable[[], float], float]] = [
    # O19: Maynard Smith (1974), Bishop & Cannings (1978); V = 1, c = 0.1 per month.
    ("O19 mean persistence", lambda: symmetric_war_of_attrition(1, 0.1).mean_persistence, 10.0),
    ("O19 mean war", lambda: symmetric_war_of_attrition(1, 0.1).mean_duration, 5.0),
    ("O19 P(war > 12)", lambda: contest_duration_survival(12, 1, 0.1), 0.090718),
    # O20: Hendricks, Weiss & Wilson (1988); V = (1, 1), c = (0.05, 0.10).
    ("O20 h1", lambda: asymmetric_war_of_attrition(1, 1, 0.05, 0.10).hazard_1, 0.10),
    ("O20 h2", lambda: asymmetric_war_of_attrition(1, 1, 0.05, 0.10).hazard_2, 0.05),
    ("O20 P(1 wins)", lambda: asymmetric_war_of_attrition(1, 1, 0.05, 0.10).p_win_1, 1 / 3),
    # O21: Fudenberg & Tirole (1986), Krishna & Morgan (1997), Bulow & Klemperer (1999).
    ("O21 b(0.5)", lambda: quit_time_uniform(0.5), 0.193147),
    ("O21 b(0.9)", lambda: quit_time_uniform(0.9), 1.402585),
    # O22: Hillman & Riley (1989), Baye, Kovenock & de Vries (1996); v = (1, 0.5).
    ("O22 E[b1]", lambda: all_pay_auction(1, 0.5).expected_bid_1, 0.25),
    ("O22 E[b2]", lambda: all_pay_auction(1, 0.5).expected_bid_2, 0.125),
    ("O22 total", lambda: all_pay_auction(1, 0.5).total_expenditure, 0.375),
    ("O22 P(2 wins)", lambda: all_pay_auction(1, 0.5).p_win_2, 0.25),
    # O23: Tullock (1980), Hirshleifer (1989), Nti (1999); V = (2, 1).
    ("O23 x1", lambda: tullock_equilibrium(2, 1).effort_1, 0.444444),
    ("O23 x2", lambda: tullock_equilibrium(2, 1).effort_2, 0.222222),
    ("O23 p1", lambda: tullock_equilibrium(2, 1).p_win_1, 2 / 3),
    # O24: Lanchester (1916) square law, ln(α/β) ~ N(0, 0.5²), A0/B0 = 1.2.
    ("O24 p", lambda: lanchester_win_probability(1.2, 0.0, 0.5), 0.767087),
]


@pytest.mark.parametrize(
    ("compute", "expected"),
    [pytest.param(compute, expected, id=name) for name, compute, expected in ORACLES],
)
def test_oracle(compute: Callable[[], float], expected: float) -> None:
    """O19-O24 of bargaining-oracles.md §A9, to 1e-6 (sources in the table's comments)."""
    assert compute() == pytest.approx(expected, abs=TOL)


REGISTRY_ORACLES: list[tuple[str, dict[str, float], str, float]] = [
    ("war_of_attrition", {"prize": 1, "cost_rate": 0.1}, "mean_persistence", 10.0),
    ("war_of_attrition", {"prize": 1, "cost_rate": 0.1}, "mean_duration", 5.0),
    ("war_of_attrition", {"prize": 1, "cost_rate": 0.1}, "p_longer_than_horizon", 0.090718),
    (
        "war_of_attrition_asymmetric",
        {"value_1": 1, "value_2": 1, "cost_1": 0.05, "cost_2": 0.1},
        "p_win_1",
        1 / 3,
    ),
    ("war_of_attrition_incomplete", {"value": 0.5}, "quit_time", 0.193147),
    ("all_pay", {"value_1": 1, "value_2": 0.5}, "total_expenditure", 0.375),
    ("all_pay", {"value_1": 1, "value_2": 0.5}, "p_win_2", 0.25),
    ("tullock", {"prize_1": 2, "prize_2": 1}, "effort_1", 0.444444),
    ("tullock", {"prize_1": 2, "prize_2": 1}, "effort_2", 0.222222),
    ("lanchester_p", {"force_ratio": 1.2, "log_effectiveness_sd": 0.5}, "p", 0.767087),
]


@pytest.mark.parametrize(
    ("model", "values", "key", "expected"),
    [pytest.param(*row, id=f"{row[0]}-{row[2]}") for row in REGISTRY_ORACLES],
)
def test_oracle_through_registry(
    model: str, values: dict[str, float], key: str, expected: float
) -> None:
    """The same oracles through the calculator's resolve-then-solve path."""
    assert solve(model, values)[key] == pytest.approx(expected, abs=TOL)


def test_registry_refuses_bad_input() -> None:
    """Out-of-range calculator input names the field."""
    model = REGISTRY["all_pay"]
    with pytest.raises(InputError) as caught:
        model.resolve({"value_1": 0, "value_2": 1})
    assert caught.value.field == "value_1"


# --- Wars of attrition ---------------------------------------------------------------------


def test_cheaper_side_wins_less_often() -> None:
    """Hendricks, Weiss & Wilson (1988): own cost never enters own hazard (O20's paradox)."""
    cheap_1 = asymmetric_war_of_attrition(1, 1, 0.05, 0.10)
    assert cheap_1.p_win_1 < cheap_1.p_win_2
    # Side 1's hazard depends on side 2's cost and value only.
    assert asymmetric_war_of_attrition(1, 1, 0.5, 0.10).hazard_1 == cheap_1.hazard_1


@given(value=positive, cost=positive, hazard=positive, quit_at=st.floats(0.0, 100.0))
def test_quit_time_payoff_sign(value: float, cost: float, hazard: float, quit_at: float) -> None:
    """Against hazard c/V every quit time pays 0; a faster opponent makes waiting pay."""
    indifferent = cost / value
    assert quit_time_payoff(quit_at, value, cost, indifferent) == pytest.approx(0.0, abs=1e-9)
    payoff = quit_time_payoff(quit_at, value, cost, hazard)
    if quit_at > 0 and abs(hazard - indifferent) > 1e-9 * indifferent:
        assert (payoff > 0) == (hazard > indifferent)


def test_quit_time_payoff_matches_its_integral() -> None:
    """The closed form equals ∫₀^T (V − c t) h e^(−ht) dt − c T e^(−hT) by quadrature."""
    value, cost, hazard, quit_at = 2.0, 0.3, 0.07, 9.0
    integral, _ = integrate.quad(
        lambda t: (value - cost * t) * hazard * math.exp(-hazard * t), 0, quit_at
    )
    direct = integral - cost * quit_at * math.exp(-hazard * quit_at)
    assert quit_time_payoff(quit_at, value, cost, hazard) == pytest.approx(direct, abs=1e-12)


def test_war_of_attrition_monte_carlo() -> None:
    """Seeded draws of the equilibrium quit times reproduce O19 and O20 within 4 s.e.

    200,000 draws: s.e. ≈ 0.011 months for the mean war of O19 and ≈ 0.0011 for
    P(1 wins) of O20.
    """
    rng = np.random.default_rng(1988)
    draws = 200_000
    sym = symmetric_war_of_attrition(1.0, 0.1)
    war = np.minimum(*rng.exponential(1 / sym.quit_rate, size=(2, draws)))
    assert abs(war.mean() - 5.0) < 4 * war.std(ddof=1) / math.sqrt(draws)
    longer = (war > 12).astype(float)
    assert abs(longer.mean() - 0.090718) < 4 * longer.std(ddof=1) / math.sqrt(draws)

    asym = asymmetric_war_of_attrition(1, 1, 0.05, 0.10)
    quit_1 = rng.exponential(1 / asym.hazard_1, size=draws)
    quit_2 = rng.exponential(1 / asym.hazard_2, size=draws)
    one_wins = (quit_2 < quit_1).astype(float)
    assert abs(one_wins.mean() - 1 / 3) < 4 * one_wins.std(ddof=1) / math.sqrt(draws)
    # Side 1's realised payoff averages 0: it is indifferent in equilibrium.
    end = np.minimum(quit_1, quit_2)
    payoff_1 = np.where(quit_2 < quit_1, 1.0, 0.0) - 0.05 * end
    assert abs(payoff_1.mean()) < 4 * payoff_1.std(ddof=1) / math.sqrt(draws)


@settings(max_examples=30)
@given(value=st.floats(0.0, 0.95))
def test_general_quit_time_matches_uniform(value: float) -> None:
    """The quadrature form with F = U[0, 1] reproduces −ln(1 − v) − v."""
    by_quadrature = quit_time(value, lambda x: 1.0, lambda x: x)
    assert by_quadrature == pytest.approx(quit_time_uniform(value), rel=1e-8, abs=1e-12)


def test_general_quit_time_exponential_values() -> None:
    """Values ~ Exp(1) have hazard 1, so b(v) = ∫₀^v x dx = v²/2; cost rate 2 halves it."""
    pdf, cdf = (lambda x: math.exp(-x)), (lambda x: -math.expm1(-x))
    assert quit_time(1.7, pdf, cdf) == pytest.approx(1.7**2 / 2, rel=1e-9)
    assert quit_time(1.7, pdf, cdf, cost_rate=2.0) == pytest.approx(1.7**2 / 4, rel=1e-9)


@pytest.mark.parametrize("value", [0.2, 0.5, 0.9])
def test_incomplete_information_quit_time_is_a_best_response(value: float) -> None:
    """Type v, facing b(·) with U[0,1] values, does best by quitting at b(v) itself.

    Quitting at b(w) wins against types x < w (paying b(x)) and otherwise pays b(w):
    U(w; v) = ∫₀^w (v − b(x)) dx − (1 − w) b(w), maximised at w = v.
    """

    def payoff(mimic: float) -> float:
        won, _ = integrate.quad(lambda x: value - quit_time_uniform(x), 0, mimic)
        return float(won) - (1 - mimic) * quit_time_uniform(mimic)

    best = payoff(value)
    for mimic in np.linspace(0.0, 0.98, 50):
        assert payoff(float(mimic)) <= best + 1e-10


# --- All-pay auction -----------------------------------------------------------------------


def test_all_pay_symmetry() -> None:
    """v1 < v2 is the mirror image of v1 > v2 (O22 with the sides swapped)."""
    swapped = all_pay_auction(0.5, 1)
    assert swapped.expected_bid_1 == pytest.approx(0.125, abs=TOL)
    assert swapped.expected_bid_2 == pytest.approx(0.25, abs=TOL)
    assert swapped.p_win_1 == pytest.approx(0.25, abs=TOL)
    assert (swapped.payoff_1, swapped.payoff_2) == pytest.approx((0.0, 0.5), abs=TOL)
    assert all_pay_bid_cdf(0.0, 0.5, 1) == pytest.approx((0.5, 0.0))


@given(value_1=positive, value_2=positive, share=st.floats(0.0, 1.0))
def test_all_pay_strategies_keep_opponent_indifferent(
    value_1: float, value_2: float, share: float
) -> None:
    """Every bid in [0, min v] pays side i the equilibrium payoff: v_i G_j(b) − b."""
    bid = share * min(value_1, value_2)
    g1, g2 = all_pay_bid_cdf(bid, value_1, value_2)
    result = all_pay_auction(value_1, value_2)
    assert value_1 * g2 - bid == pytest.approx(result.payoff_1, abs=1e-9)
    assert value_2 * g1 - bid == pytest.approx(result.payoff_2, abs=1e-9)
    assert result.p_win_1 + result.p_win_2 == pytest.approx(1.0)


def test_all_pay_monte_carlo() -> None:
    """Seeded draws from the O22 strategies match the closed forms within 4 s.e.

    200,000 draws of v = (1, 0.5): s.e. ≈ 0.0003 for the bids and 0.001 for P(2 wins).
    """
    rng = np.random.default_rng(1996)
    draws = 200_000
    value_1, value_2 = 1.0, 0.5
    result = all_pay_auction(value_1, value_2)
    bids_1 = rng.uniform(0, value_2, size=draws)
    active_2 = rng.random(draws) >= result.atom_at_zero_2
    bids_2 = np.where(active_2, rng.uniform(0, value_2, size=draws), 0.0)
    two_wins = (bids_2 > bids_1).astype(float)
    for sample, expected in (
        (bids_1, result.expected_bid_1),
        (bids_2, result.expected_bid_2),
        (two_wins, result.p_win_2),
        (bids_1 + bids_2, result.total_expenditure),
    ):
        assert abs(sample.mean() - expected) < 4 * sample.std(ddof=1) / math.sqrt(draws)


# --- Tullock contest -----------------------------------------------------------------------


@given(prize_1=positive, prize_2=positive)
def test_tullock_equilibrium_is_mutual_best_response(prize_1: float, prize_2: float) -> None:
    """Each equilibrium effort is the closed-form best response to the other's."""
    result = tullock_equilibrium(prize_1, prize_2)
    assert tullock_best_response(result.effort_2, prize_1) == pytest.approx(result.effort_1)
    assert tullock_best_response(result.effort_1, prize_2) == pytest.approx(result.effort_2)
    assert contest_success(result.effort_1, result.effort_2) == pytest.approx(result.p_win_1)
    payoff_1 = prize_1 * result.p_win_1 - result.effort_1
    assert payoff_1 == pytest.approx(result.payoff_1)


def test_o23_best_response_by_numerical_optimisation() -> None:
    """O23: bounded minimisation finds 4/9 against 2/9 (V1 = 2) and 2/9 against 4/9 (V2 = 1)."""
    result = tullock_equilibrium(2, 1)
    for prize, other, expected in (
        (2.0, result.effort_2, result.effort_1),
        (1.0, result.effort_1, result.effort_2),
    ):
        best = optimize.minimize_scalar(
            lambda x, prize=prize, other=other: -(prize * contest_success(x, other) - x),
            bounds=(0.0, prize),
            method="bounded",
            options={"xatol": 1e-10},
        )
        assert best.x == pytest.approx(expected, abs=1e-6)


@given(a=st.floats(0.0, 100.0), b=st.floats(0.0, 100.0), rho=st.floats(0.1, 5.0))
def test_contest_success_is_a_probability(a: float, b: float, rho: float) -> None:
    """p(a, b) + p(b, a) = 1, p ∈ [0, 1], and more effort never hurts."""
    p = contest_success(a, b, rho)
    assert 0.0 <= p <= 1.0
    assert p + contest_success(b, a, rho) == pytest.approx(1.0)
    assert contest_success(a + 1.0, b, rho) >= p


def test_tullock_best_response_refuses_zero_opponent() -> None:
    """Against zero effort no best response exists; the error names the argument."""
    with pytest.raises(ValueError, match=r"^opponent_effort must"):
        tullock_best_response(0.0, 1.0)


# --- Lanchester bridge ---------------------------------------------------------------------


def test_lanchester_bridge_monte_carlo() -> None:
    """O24 by simulation: draw ln(α/β) ~ N(0, 0.5²) and check α A0² > β B0² (s.e. ≈ 0.0013)."""
    rng = np.random.default_rng(1916)
    draws = 100_000
    log_ratio = rng.normal(0.0, 0.5, size=draws)
    a_wins = (np.exp(log_ratio) * 1.2**2 > 1.0).astype(float)
    assert abs(a_wins.mean() - 0.767087) < 4 * a_wins.std(ddof=1) / math.sqrt(draws)


@given(ratio=st.floats(0.1, 10.0), mu=st.floats(-2.0, 2.0), s=st.floats(0.05, 3.0))
def test_lanchester_bridge_properties(ratio: float, mu: float, s: float) -> None:
    """Swapping sides complements p; p = ½ at parity; more force never lowers p."""
    p = lanchester_win_probability(ratio, mu, s)
    assert p + lanchester_win_probability(1 / ratio, -mu, s) == pytest.approx(1.0)
    assert lanchester_win_probability(ratio * 1.1, mu, s) >= p
    assert lanchester_win_probability(1.0, 0.0, s) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: symmetric_war_of_attrition(0.0, 1.0), "prize"),
        (lambda: asymmetric_war_of_attrition(1, 1, -0.1, 0.1), "cost_1"),
        (lambda: quit_time_uniform(1.5), "value"),
        (lambda: all_pay_auction(1.0, -1.0), "value_2"),
        (lambda: tullock_equilibrium(0.0, 1.0), "prize_1"),
        (lambda: lanchester_win_probability(1.2, 0.0, 0.0), "log_effectiveness_sd"),
    ],
)
def test_errors_name_the_argument(call: Callable[[], object], argument: str) -> None:
    """Impossible inputs raise a ValueError that starts with the argument's name."""
    with pytest.raises(ValueError, match=rf"^{argument} must"):
        call()
