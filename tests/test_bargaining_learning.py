"""Learning while fighting: oracles O16-O18 of reference/bargaining-oracles.md and properties."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire._errors import InputError
from ceasefire.bargaining._learning import (
    BetaBelief,
    belief_averaged_win_probability,
    demand_choice,
    expected_battles,
    filson_werner_round,
    mutual_optimism,
    posterior_strong,
    risky_demand_threshold,
    ruin_win_probability,
    simulate_walk,
    slantchev_range,
)
from ceasefire.bargaining._registry import REGISTRY

TOL = 1e-6
probabilities = st.floats(0.01, 0.99)
counts = st.integers(0, 30)


def solve(model: str, values: dict[str, float]) -> dict[str, object]:
    """Solve a registered model the way the CLI does: resolve, then solve."""
    cls = REGISTRY[model]
    return dict(cls.solve(**cls.resolve(values)))


# --- O16: Filson & Werner toy --------------------------------------------------------------


def test_o16_filson_werner_toy() -> None:
    """O16 (bargaining-oracles.md §A7.1, the file's toy reduction of Filson & Werner 2002).

    Prior 0.5: risky demand 0.8 (EU 0.50 vs 0.40), war with probability ½. One A loss:
    posterior 0.7 > 2/3, so A settles at the safe demand 0.4. Two losses: 0.844828. One
    A win: 0.3, and A stays risky with EU 0.62.
    """
    assert risky_demand_threshold(0.3, 0.7, 0.1, 0.1) == pytest.approx(2 / 3, abs=TOL)

    start = filson_werner_round(0.5, 0, 0)
    assert start.choice.risky
    assert not start.settles
    assert start.choice.demand == pytest.approx(0.8, abs=TOL)
    assert start.choice.expected_utility_risky == pytest.approx(0.50, abs=TOL)
    assert start.choice.expected_utility_safe == pytest.approx(0.40, abs=TOL)
    assert start.choice.war_probability == pytest.approx(0.5, abs=TOL)

    one_loss = filson_werner_round(0.5, 0, 1)
    assert one_loss.posterior_strong == pytest.approx(0.7, abs=TOL)
    assert one_loss.settles
    assert one_loss.choice.demand == pytest.approx(0.4, abs=TOL)

    two_losses = filson_werner_round(0.5, 0, 2)
    assert two_losses.posterior_strong == pytest.approx(0.844828, abs=TOL)
    assert two_losses.settles

    one_win = filson_werner_round(0.5, 1, 0)
    assert one_win.posterior_strong == pytest.approx(0.3, abs=TOL)
    assert one_win.choice.risky
    assert one_win.choice.expected_utility_risky == pytest.approx(0.62, abs=TOL)


def test_o16_through_registry() -> None:
    """O16 via the calculator: prior 0.5 and one loss settle at 0.4."""
    result = solve("filson_werner", {"prior_strong": 0.5, "a_losses": 1})
    assert result["posterior_strong"] == pytest.approx(0.7, abs=TOL)
    assert result["settles"] is True
    assert result["demand"] == pytest.approx(0.4, abs=TOL)
    assert solve("filson_werner", {"prior_strong": 0.5})["risky"] is True


@settings(max_examples=200)
@given(prior=probabilities, strong=probabilities, weak=probabilities, wins=counts, losses=counts)
def test_two_type_posterior_is_a_martingale(
    prior: float, strong: float, weak: float, wins: int, losses: int
) -> None:
    """E[posterior after one more battle | record] equals the current posterior."""
    current = posterior_strong(prior, wins, losses, win_vs_strong=strong, win_vs_weak=weak)
    p_win = current * strong + (1.0 - current) * weak
    after_win = posterior_strong(prior, wins + 1, losses, win_vs_strong=strong, win_vs_weak=weak)
    after_loss = posterior_strong(prior, wins, losses + 1, win_vs_strong=strong, win_vs_weak=weak)
    expected = p_win * after_win + (1.0 - p_win) * after_loss
    assert expected == pytest.approx(current, abs=1e-12)


@given(
    prior=probabilities,
    strong=st.floats(0.01, 0.49),
    weak=st.floats(0.51, 0.99),
    wins=counts,
    losses=counts,
)
def test_two_type_belief_moves_monotonically(
    prior: float, strong: float, weak: float, wins: int, losses: int
) -> None:
    """An A loss makes B look stronger, an A win weaker (when A beats a weak B more often)."""
    kwargs = {"win_vs_strong": strong, "win_vs_weak": weak}
    now = posterior_strong(prior, wins, losses, **kwargs)
    assert posterior_strong(prior, wins, losses + 1, **kwargs) >= now
    assert posterior_strong(prior, wins + 1, losses, **kwargs) <= now
    if 1e-9 < now < 1 - 1e-9:
        assert posterior_strong(prior, wins, losses + 1, **kwargs) > now
        assert posterior_strong(prior, wins + 1, losses, **kwargs) < now


@given(
    belief=st.floats(0.0, 1.0),
    strong=st.floats(0.05, 0.45),
    weak=st.floats(0.55, 0.95),
    cost_a=st.floats(0.0, 0.3),
    cost_b=st.floats(0.0, 0.3),
)
def test_threshold_rule_matches_expected_utilities(
    belief: float, strong: float, weak: float, cost_a: float, cost_b: float
) -> None:
    """Risky is chosen exactly when it pays more, and exactly below the threshold."""
    choice = demand_choice(belief, strong, weak, cost_a, cost_b)
    assert choice.risky == (belief < choice.threshold)
    gap = choice.expected_utility_risky - choice.expected_utility_safe
    if abs(belief - choice.threshold) > 1e-9:
        assert choice.risky == (gap > 0)
    assert 0.0 <= choice.threshold <= 1.0


def test_settlement_once_posterior_crosses_threshold() -> None:
    """Along a run of A losses from q = 0.2 the war settles from the first crossing on."""
    threshold = risky_demand_threshold(0.3, 0.7, 0.1, 0.1)
    settled = [filson_werner_round(0.2, 0, losses).settles for losses in range(6)]
    crossings = [
        posterior_strong(0.2, 0, losses, win_vs_strong=0.3, win_vs_weak=0.7) >= threshold
        for losses in range(6)
    ]
    assert settled == crossings
    assert settled == [False, False, False, True, True, True]


# --- O17: Slantchev walk -------------------------------------------------------------------


def test_o17_slantchev_walk() -> None:
    """O17 (bargaining-oracles.md §A7.2; Slantchev 2003, APSR 97(4)).

    N = 10, k = 5, π = 0.6: P_win = 0.883636, D = 19.181818; with c = 0.01,
    W_A = 0.691818, W_B = −0.075455, range [0.691818, 1]. π = ½: P_win = 0.5, D = 25.
    """
    result = slantchev_range(5, 10, 0.6, 0.01, 0.01)
    assert result.p_win == pytest.approx(0.883636, abs=TOL)
    assert result.expected_battles == pytest.approx(19.181818, abs=TOL)
    assert result.value_a == pytest.approx(0.691818, abs=TOL)
    assert result.value_b == pytest.approx(-0.075455, abs=TOL)
    assert (result.low, result.high) == pytest.approx((0.691818, 1.0), abs=TOL)
    assert result.nonempty
    assert ruin_win_probability(5, 10, 0.5) == pytest.approx(0.5, abs=TOL)
    assert expected_battles(5, 10, 0.5) == pytest.approx(25.0, abs=TOL)


def test_o17_through_registry() -> None:
    """O17 via the calculator, as ``ceasefire bargain solve slantchev`` runs it."""
    model = REGISTRY["slantchev"]
    values = {"n": 10, "k": 5, "pi": 0.6, "cost_a": 0.01, "cost_b": 0.01}
    result = model.solve(**model.resolve(values))
    assert result["p_win"] == pytest.approx(0.883636, abs=TOL)
    assert result["expected_battles"] == pytest.approx(19.181818, abs=TOL)
    assert result["low"] == pytest.approx(0.691818, abs=TOL)
    assert result["high"] == pytest.approx(1.0, abs=TOL)
    assert result["nonempty"] is True


def test_o17_monte_carlo() -> None:
    """O17 by simulation: 40,000 seeded walks agree with the closed forms within 4 s.e.

    The oracle file's own simulation gave 0.883615 and 19.157. Here the standard errors
    are about 0.0016 (P_win) and 0.07 (D), so the tolerance is about 0.006 and 0.3.
    """
    sample = simulate_walk(5, 10, 0.6, walks=40_000, seed=20031201)
    won = sample.a_won.astype(float)
    battles = sample.battles.astype(float)
    se_won = won.std(ddof=1) / math.sqrt(won.size)
    se_battles = battles.std(ddof=1) / math.sqrt(battles.size)
    assert abs(won.mean() - 0.883636) < 4 * se_won
    assert abs(battles.mean() - 19.181818) < 4 * se_battles
    assert se_won < 0.002
    assert se_battles < 0.1


def test_simulation_is_seeded() -> None:
    """The same seed gives the same wars; a Generator is used as given."""
    first = simulate_walk(3, 6, 0.55, walks=200, seed=7)
    again = simulate_walk(3, 6, 0.55, walks=200, seed=np.random.default_rng(7))
    assert np.array_equal(first.battles, again.battles)
    assert np.array_equal(first.a_won, again.a_won)


def _exact_walk(k: int, n: int, pi: Fraction) -> tuple[Fraction, Fraction]:
    """P_win and D in exact rational arithmetic (the textbook formulas, π ≠ ½)."""
    sigma = (1 - pi) / pi
    p_win = (1 - sigma**k) / (1 - sigma**n)
    return p_win, (k - n * p_win) / (1 - 2 * pi)


@settings(max_examples=60)
@given(
    n=st.integers(1, 30),
    data=st.data(),
    offset=st.floats(1e-12, 1e-2),
    sign=st.sampled_from([-1.0, 1.0]),
)
def test_walk_is_accurate_near_one_half(
    n: int, data: st.DataObject, offset: float, sign: float
) -> None:
    """Near π = ½ the stable forms match exact rational arithmetic to 1e-10 (relative)."""
    k = data.draw(st.integers(0, n))
    pi = 0.5 + sign * offset
    exact_p, exact_d = _exact_walk(k, n, Fraction(pi))
    assert ruin_win_probability(k, n, pi) == pytest.approx(float(exact_p), rel=1e-10, abs=1e-300)
    assert expected_battles(k, n, pi) == pytest.approx(float(exact_d), rel=1e-10, abs=1e-300)


@given(n=st.integers(1, 200), data=st.data())
def test_walk_is_continuous_across_one_half(n: int, data: st.DataObject) -> None:
    """P_win → k/N and D → k(N − k) as π → ½ from either side."""
    k = data.draw(st.integers(0, n))
    for pi in (0.5 - 1e-9, 0.5, 0.5 + 1e-9):
        assert ruin_win_probability(k, n, pi) == pytest.approx(k / n, abs=1e-6)
        assert expected_battles(k, n, pi) == pytest.approx(k * (n - k), rel=1e-6, abs=1e-9)


@settings(max_examples=50)
@given(n=st.integers(1, 40), pi=st.floats(0.02, 0.98), data=st.data())
def test_walk_solves_first_step_equations(n: int, pi: float, data: st.DataObject) -> None:
    """P and D solve P(k) = π P(k+1) + (1−π) P(k−1), D(k) = 1 + π D(k+1) + (1−π) D(k−1)."""
    k = data.draw(st.integers(1, n - 1)) if n > 1 else 0
    if n == 1:
        assert expected_battles(k, n, pi) == 0.0
        return
    p = [ruin_win_probability(j, n, pi) for j in (k - 1, k, k + 1)]
    d = [expected_battles(j, n, pi) for j in (k - 1, k, k + 1)]
    assert p[1] == pytest.approx(pi * p[2] + (1 - pi) * p[0], rel=1e-9, abs=1e-12)
    assert d[1] == pytest.approx(1 + pi * d[2] + (1 - pi) * d[0], rel=1e-9, abs=1e-9)


def test_walk_survives_extreme_probabilities() -> None:
    """Long fronts and lopsided battles neither overflow nor lose the boundary values."""
    assert ruin_win_probability(500, 1000, 0.1) == pytest.approx(0.0, abs=1e-300)
    assert ruin_win_probability(500, 1000, 0.9) == pytest.approx(1.0, abs=1e-15)
    assert expected_battles(500, 1000, 0.9) == pytest.approx(500 / 0.8, rel=1e-12)
    assert ruin_win_probability(3, 7, 1.0) == 1.0
    assert expected_battles(3, 7, 0.0) == 3.0


@pytest.mark.parametrize(
    ("k", "n", "pi", "argument"),
    [(11, 10, 0.5, "k"), (1, 0, 0.5, "n"), (1, 10, 1.5, "pi"), (-1, 10, 0.5, "k")],
)
def test_walk_errors_name_the_argument(k: int, n: int, pi: float, argument: str) -> None:
    """Impossible walks raise a ValueError that names the argument."""
    with pytest.raises(ValueError, match=rf"^{argument} must"):
        ruin_win_probability(k, n, pi)
    with pytest.raises(ValueError, match=rf"^{argument} must"):
        expected_battles(k, n, pi)


def test_registry_refuses_position_beyond_front() -> None:
    """The calculator reports k > n as a bad ``k``."""
    model = REGISTRY["slantchev"]
    with pytest.raises(InputError) as caught:
        model.solve(**model.resolve({"n": 4, "k": 5, "pi": 0.6, "cost_a": 0, "cost_b": 0}))
    assert caught.value.field == "k"


# --- O18: Smith & Stam beliefs -------------------------------------------------------------


def test_o18_smith_stam_beliefs() -> None:
    """O18 (bargaining-oracles.md §A7.4; Smith & Stam 2004, JCR 48(6)).

    Beta(6,4) vs Beta(3,7): gap 0.30 > 0.2, no deal. After 5 A-wins in 10 battles the
    means are 0.55 and 0.40, gap 0.15 < 0.2, a deal. E[P_win(5; 10, π)] = 0.720498 and
    0.117896 under the two priors.
    """
    a_prior, b_prior = BetaBelief(6, 4), BetaBelief(3, 7)
    before = mutual_optimism(a_prior.mean, b_prior.mean, 0.1, 0.1)
    assert before.gap == pytest.approx(0.30, abs=TOL)
    assert not before.deal_exists

    a_post, b_post = a_prior.updated(5, 5), b_prior.updated(5, 5)
    assert (a_post.mean, b_post.mean) == pytest.approx((0.55, 0.40), abs=TOL)
    after = mutual_optimism(a_post.mean, b_post.mean, 0.1, 0.1)
    assert after.gap == pytest.approx(0.15, abs=TOL)
    assert after.deal_exists

    assert belief_averaged_win_probability(5, 10, a_prior) == pytest.approx(0.720498, abs=TOL)
    assert belief_averaged_win_probability(5, 10, b_prior) == pytest.approx(0.117896, abs=TOL)


def test_o18_through_registry() -> None:
    """O18 via the calculator, before and after the ten battles."""
    priors = {"alpha_a": 6, "beta_a": 4, "alpha_b": 3, "beta_b": 7, "cost_a": 0.1, "cost_b": 0.1}
    before = solve("smith_stam", priors)
    assert before["gap"] == pytest.approx(0.30, abs=TOL)
    assert before["deal_exists"] is False
    assert before["walk_p_win_by_a"] == pytest.approx(0.720498, abs=TOL)
    assert before["walk_p_win_by_b"] == pytest.approx(0.117896, abs=TOL)
    after = solve("smith_stam", {**priors, "a_wins": 5, "a_losses": 5})
    assert after["gap"] == pytest.approx(0.15, abs=TOL)
    assert after["deal_exists"] is True


def test_belief_averaged_win_probability_by_monte_carlo() -> None:
    """Drawing π from Beta(6,4), then a war, reproduces 0.720498 within 4 s.e. (≈ 0.009)."""
    rng = np.random.default_rng(2004)
    draws = 12_000
    pis = rng.beta(6, 4, size=draws)
    position = np.full(draws, 5)
    active = np.arange(draws)
    while active.size:
        position[active] += np.where(rng.random(active.size) < pis[active], 1, -1)
        active = active[(position[active] > 0) & (position[active] < 10)]
    won = (position == 10).astype(float)
    se = won.std(ddof=1) / math.sqrt(draws)
    assert abs(won.mean() - 0.720498) < 4 * se


@given(
    alpha=st.floats(0.1, 50),
    beta=st.floats(0.1, 50),
    wins=counts,
    losses=counts,
)
def test_beta_mean_is_a_martingale(alpha: float, beta: float, wins: int, losses: int) -> None:
    """E[mean after one more battle], with P(A wins) = current mean, equals the current mean."""
    now = BetaBelief(alpha, beta).updated(wins, losses)
    p_win = now.mean
    expected = p_win * now.updated(1, 0).mean + (1 - p_win) * now.updated(0, 1).mean
    assert expected == pytest.approx(now.mean, rel=1e-12)


@given(alpha=st.floats(0.1, 50), beta=st.floats(0.1, 50), wins=counts, losses=counts)
def test_beta_mean_moves_with_outcomes(alpha: float, beta: float, wins: int, losses: int) -> None:
    """A win raises the believed battle-win probability; a loss lowers it."""
    now = BetaBelief(alpha, beta).updated(wins, losses)
    assert now.updated(1, 0).mean > now.mean > now.updated(0, 1).mean


@settings(max_examples=25)
@given(alpha=st.floats(0.5, 20), beta=st.floats(0.5, 20))
def test_belief_average_of_a_constant_is_the_constant(alpha: float, beta: float) -> None:
    """At the absorbing ends the averaged P_win is exactly 0 or 1 (the density integrates to 1)."""
    belief = BetaBelief(alpha, beta)
    assert belief_averaged_win_probability(10, 10, belief) == pytest.approx(1.0, abs=1e-8)
    assert belief_averaged_win_probability(0, 10, belief) == pytest.approx(0.0, abs=1e-12)


def test_beta_errors_name_the_argument() -> None:
    """Non-positive Beta parameters are refused by name."""
    with pytest.raises(ValueError, match=r"^beta must"):
        BetaBelief(1.0, 0.0)
    with pytest.raises(ValueError, match=r"^a_losses must"):
        BetaBelief(1.0, 1.0).updated(0, -1)
