"""The classic bargaining models against the literature's numbers and their own theory.

Oracles O1–O9b come from ``reference/bargaining-oracles.md`` (sections A1–A4 and the
summary table A9); each case's id names the oracle and its source. The property tests
check what the theory says must hold for every admissible input.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from ceasefire._errors import InputError
from ceasefire.bargaining._commitment import two_period_shifting_power
from ceasefire.bargaining._fearon import fearon_range, fearon_range_with_beliefs
from ceasefire.bargaining._private_information import risk_return_demand, two_type_screening
from ceasefire.bargaining._registry import REGISTRY
from ceasefire.bargaining._rubinstein import (
    rubinstein_breakdown,
    rubinstein_continuous,
    rubinstein_fixed_costs,
    rubinstein_inside_options,
    rubinstein_outside_option,
    rubinstein_patient_limit,
    rubinstein_shares,
)

TOLERANCE = 1e-6
"""The oracle file's suggested tolerance for closed forms."""

# --- oracles O1–O9b, through the library functions ------------------------------------------


@dataclass(frozen=True)
class Oracle:
    """One published or closed-form number and the call that should reproduce it."""

    id: str
    compute: Callable[[], float]
    expected: float
    tolerance: float = TOLERANCE


ORACLES = [
    # O1: Fearon (1995), International Organization 49(3), complete information.
    Oracle("O1-Fearon1995-low", lambda: fearon_range(0.6, 0.10, 0.15).low, 0.50),
    Oracle("O1-Fearon1995-high", lambda: fearon_range(0.6, 0.10, 0.15).high, 0.75),
    Oracle("O1-Fearon1995-war-A", lambda: fearon_range(0.6, 0.10, 0.15).war_payoff_a, 0.50),
    Oracle("O1-Fearon1995-war-B", lambda: fearon_range(0.6, 0.10, 0.15).war_payoff_b, 0.25),
    # O2: Fearon (1995) / Powell (1999), risk-return trade-off with c_B ~ U[0, 0.3].
    Oracle("O2-Fearon1995-demand", lambda: risk_return_demand(0.5, 0.1, 0.3).demand, 0.6),
    Oracle(
        "O2-Fearon1995-war-probability",
        lambda: risk_return_demand(0.5, 0.1, 0.3).war_probability,
        1 / 3,
    ),
    # The file prints 0.53333 (five places); exactly 0.6·(2/3) + 0.4·(1/3) = 8/15.
    Oracle(
        "O2-Fearon1995-utility-A",
        lambda: risk_return_demand(0.5, 0.1, 0.3).expected_utility_a,
        8 / 15,
    ),
    # O3: Fearon (1995) / Powell (1999), two-type screening, q = 0.4 tough.
    Oracle(
        "O3-Powell1999-safe-utility",
        lambda: two_type_screening(0.5, 0.1, 0.05, 0.25, 0.4).safe_utility_a,
        0.55,
    ),
    Oracle(
        "O3-Powell1999-risky-utility",
        lambda: two_type_screening(0.5, 0.1, 0.05, 0.25, 0.4).risky_utility_a,
        0.61,
    ),
    Oracle(
        "O3-Powell1999-demand", lambda: two_type_screening(0.5, 0.1, 0.05, 0.25, 0.4).demand, 0.75
    ),
    Oracle(
        "O3-Powell1999-war-probability",
        lambda: two_type_screening(0.5, 0.1, 0.05, 0.25, 0.4).war_probability,
        0.4,
    ),
    # O4: Powell (2006), International Organization 60(1); two-period toy derived in A3.
    Oracle(
        "O4-Powell2006-peace-offer",
        lambda: two_period_shifting_power(0.6, 0.3, 0.1, 0.1, 0.9).minimal_offer,
        0.86,
    ),
    Oracle(
        "O4-Powell2006-rising-peace-value",
        lambda: two_period_shifting_power(0.6, 0.3, 0.1, 0.1, 0.9).rising_peace_value,
        0.86,
    ),
    Oracle(
        "O4-Powell2006-rising-war-value",
        lambda: two_period_shifting_power(0.6, 0.3, 0.1, 0.1, 0.9).rising_war_value,
        0.66,
    ),
    Oracle(
        "O4-Powell2006-war-offer",
        lambda: two_period_shifting_power(0.8, 0.2, 0.1, 0.1, 0.9).minimal_offer,
        1.33,
    ),
    # O5: Rubinstein (1982), Econometrica 50(1), discounting.
    Oracle("O5-Rubinstein1982-d(.9,.9)", lambda: rubinstein_shares(0.9, 0.9).share_1, 0.526316),
    Oracle("O5-Rubinstein1982-d(.95,.9)", lambda: rubinstein_shares(0.95, 0.9).share_1, 0.689655),
    Oracle("O5-Rubinstein1982-d(.9,.95)", lambda: rubinstein_shares(0.9, 0.95).share_1, 0.344828),
    # O6: Binmore, Rubinstein & Wolinsky (1986), RAND J. Econ. 17(2), r = (0.05, 0.10).
    Oracle("O6-BRW1986-period-1", lambda: rubinstein_continuous(0.05, 0.10, 1.0).share_1, 0.683188),
    # A4 prints these two to five places only: compared to half a unit of the last place.
    Oracle(
        "O6-BRW1986-period-0.1",
        lambda: rubinstein_continuous(0.05, 0.10, 0.1).share_1,
        0.66833,
        tolerance=5e-6,
    ),
    Oracle(
        "O6-BRW1986-period-0.01",
        lambda: rubinstein_continuous(0.05, 0.10, 0.01).share_1,
        0.66683,
        tolerance=5e-6,
    ),
    Oracle("O6-BRW1986-limit", lambda: rubinstein_patient_limit(0.05, 0.10).share_1, 2 / 3),
    # O7: Rubinstein (1982), fixed per-period costs.
    Oracle("O7-Rubinstein1982-c(.05,.1)", lambda: rubinstein_fixed_costs(0.05, 0.10).share_1, 1.0),
    Oracle("O7-Rubinstein1982-c(.1,.05)", lambda: rubinstein_fixed_costs(0.10, 0.05).share_1, 0.05),
    # O8: Binmore, Shaked & Sutton (1989), QJE 104(4); outside option principle.
    Oracle(
        "O8-BSS1989-rubinstein-share-2",
        lambda: rubinstein_outside_option(0.9, 0.9, 0.0).share_2,
        0.473684,
    ),
    Oracle("O8-BSS1989-b=.3", lambda: rubinstein_outside_option(0.9, 0.9, 0.3).share_1, 0.526316),
    Oracle("O8-BSS1989-b=.6", lambda: rubinstein_outside_option(0.9, 0.9, 0.6).share_1, 0.4),
    # O9: Muthoo (1999), Bargaining Theory with Applications; inside options.
    Oracle(
        "O9-Muthoo1999-inside-options",
        lambda: rubinstein_inside_options(0.9, 0.9, 0.5, 0.2).share_1,
        0.657895,
    ),
    # O9b: Binmore, Rubinstein & Wolinsky (1986); risk of breakdown.
    Oracle("O9b-BRW1986-breakdown", lambda: rubinstein_breakdown(0.1, 0.5, 0.2).share_1, 0.657895),
]


@pytest.mark.parametrize("oracle", ORACLES, ids=[oracle.id for oracle in ORACLES])
def test_oracle(oracle: Oracle) -> None:
    """Reproduce the number of reference/bargaining-oracles.md that the case's id names."""
    assert oracle.compute() == pytest.approx(oracle.expected, abs=oracle.tolerance)


def test_oracle_flags() -> None:
    """O1 is non-empty, O3 picks the risky demand, O4 is peace then preventive war, O8 binds."""
    assert fearon_range(0.6, 0.10, 0.15).is_nonempty
    assert two_type_screening(0.5, 0.1, 0.05, 0.25, 0.4).chooses_risky
    assert not two_period_shifting_power(0.6, 0.3, 0.1, 0.1, 0.9).preventive_war
    assert two_period_shifting_power(0.8, 0.2, 0.1, 0.1, 0.9).preventive_war
    assert not rubinstein_outside_option(0.9, 0.9, 0.3).option_binds
    assert rubinstein_outside_option(0.9, 0.9, 0.6).option_binds


# --- the same oracles through the calculator's registry -------------------------------------

REGISTRY_ORACLES: list[tuple[str, dict[str, float], dict[str, float | bool]]] = [
    # O1, Fearon (1995)
    ("fearon", {"p": 0.6, "cost_a": 0.1, "cost_b": 0.15}, {"low": 0.5, "high": 0.75}),
    # O1 with agreeing beliefs, then mutual optimism 0.8 vs 0.5 > total cost 0.25: no deal.
    (
        "fearon_beliefs",
        {"p_believed_by_a": 0.6, "p_believed_by_b": 0.6, "cost_a": 0.1, "cost_b": 0.15},
        {"low": 0.5, "high": 0.75, "nonempty": True},
    ),
    (
        "fearon_beliefs",
        {"p_believed_by_a": 0.8, "p_believed_by_b": 0.5, "cost_a": 0.1, "cost_b": 0.15},
        {"low": 0.7, "high": 0.65, "nonempty": False, "optimism_gap": 0.3},
    ),
    # O2, Fearon (1995) / Powell (1999)
    (
        "risk_return",
        {"p": 0.5, "cost_a": 0.1, "cost_b_max": 0.3},
        {"demand": 0.6, "war_probability": 1 / 3, "expected_utility_a": 8 / 15},
    ),
    # O3, Fearon (1995) / Powell (1999)
    (
        "screening",
        {"p": 0.5, "cost_a": 0.1, "cost_b_tough": 0.05, "cost_b_soft": 0.25, "prob_tough": 0.4},
        {"safe_utility_a": 0.55, "risky_utility_a": 0.61, "demand": 0.75, "chooses_risky": True},
    ),
    # O4, Powell (2006)
    (
        "commitment",
        {
            "p_period_1": 0.6,
            "p_period_2": 0.3,
            "cost_declining": 0.1,
            "cost_rising": 0.1,
            "delta": 0.9,
        },
        {"minimal_offer": 0.86, "preventive_war": False, "rising_peace_value": 0.86},
    ),
    (
        "commitment",
        {
            "p_period_1": 0.8,
            "p_period_2": 0.2,
            "cost_declining": 0.1,
            "cost_rising": 0.1,
            "delta": 0.9,
        },
        {"minimal_offer": 1.33, "preventive_war": True},
    ),
    # O5, Rubinstein (1982)
    (
        "rubinstein",
        {"delta_1": 0.95, "delta_2": 0.9},
        {"share_1": 0.689655, "share_2": 1 - 0.689655},
    ),
    # O6, Binmore, Rubinstein & Wolinsky (1986)
    (
        "rubinstein_continuous",
        {"rate_1": 0.05, "rate_2": 0.10, "period": 1.0},
        {"share_1": 0.683188, "limit_share_1": 2 / 3},
    ),
    # O7, Rubinstein (1982)
    ("rubinstein_fixed_costs", {"cost_1": 0.05, "cost_2": 0.10}, {"share_1": 1.0}),
    ("rubinstein_fixed_costs", {"cost_1": 0.10, "cost_2": 0.05}, {"share_1": 0.05}),
    # O8, Binmore, Shaked & Sutton (1989)
    (
        "rubinstein_outside_option",
        {"delta_1": 0.9, "delta_2": 0.9, "outside_option_2": 0.6},
        {"share_1": 0.4, "option_binds": True},
    ),
    # O9, Muthoo (1999)
    (
        "rubinstein_inside_options",
        {"delta_1": 0.9, "delta_2": 0.9, "inside_option_1": 0.5, "inside_option_2": 0.2},
        {"share_1": 0.657895},
    ),
    # O9b, Binmore, Rubinstein & Wolinsky (1986)
    (
        "rubinstein_breakdown",
        {"breakdown_probability": 0.1, "breakdown_payoff_1": 0.5, "breakdown_payoff_2": 0.2},
        {"share_1": 0.657895},
    ),
]


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    REGISTRY_ORACLES,
    ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(REGISTRY_ORACLES)],
)
def test_registry_oracle(
    name: str, values: dict[str, float], expected: dict[str, float | bool]
) -> None:
    """The calculator reproduces O1–O9b by model name (sources as in the comments)."""
    model = REGISTRY[name]
    results = model.solve(**model.resolve(values))
    for key, value in expected.items():
        if isinstance(value, bool):
            assert results[key] is value, key
        else:
            assert results[key] == pytest.approx(value, abs=TOLERANCE), key


CLASSIC_MODELS = sorted({name for name, _, _ in REGISTRY_ORACLES})


@pytest.mark.parametrize("name", CLASSIC_MODELS)
def test_registry_entry_is_complete(name: str) -> None:
    """Every classic model documents its parameters and returns flat, named results."""
    model = REGISTRY[name]
    assert model.name == name
    assert model.summary
    assert re.search(r"\(19\d\d\)", model.reference), "the reference names a year"
    assert model.parameters
    for parameter in model.parameters:
        assert parameter.description
    example_values = next(values for n, values, _ in REGISTRY_ORACLES if n == name)
    results = model.solve(**model.resolve(example_values))
    assert results
    for key, value in results.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key), key
        assert isinstance(value, float | bool | str), (key, value)


def test_registry_refuses_out_of_range_by_name() -> None:
    """The registry's ranges name the parameter (a discount factor of 1 is not allowed)."""
    with pytest.raises(InputError) as caught:
        REGISTRY["rubinstein"].resolve({"delta_1": 1.0, "delta_2": 0.9})
    assert caught.value.field == "delta_1"


def test_registry_fixed_costs_equal_is_a_named_value_error() -> None:
    """Equal fixed costs have many equilibria (Rubinstein 1982): solve says so, by name."""
    model = REGISTRY["rubinstein_fixed_costs"]
    with pytest.raises(ValueError, match=r"^cost_1 and cost_2 .*multiple"):
        model.solve(**model.resolve({"cost_1": 0.1, "cost_2": 0.1}))


# --- input validation: impossible inputs raise ValueError naming the argument ----------------

NAN = math.nan
BAD_INPUTS: list[tuple[Callable[..., Any], dict[str, float], str]] = [
    (fearon_range, {"p": 1.5, "cost_a": 0.1, "cost_b": 0.1}, "p"),
    (fearon_range, {"p": 0.5, "cost_a": NAN, "cost_b": 0.1}, "cost_a"),
    (fearon_range, {"p": 0.5, "cost_a": 0.1, "cost_b": math.inf}, "cost_b"),
    (
        fearon_range_with_beliefs,
        {"p_believed_by_a": 0.5, "p_believed_by_b": -0.1, "cost_a": 0.1, "cost_b": 0.1},
        "p_believed_by_b",
    ),
    (risk_return_demand, {"p": 0.5, "cost_a": 0.1, "cost_b_max": 0.0}, "cost_b_max"),
    (risk_return_demand, {"p": 0.5, "cost_a": -0.1, "cost_b_max": 0.3}, "cost_a"),
    (
        two_type_screening,
        {"p": 0.5, "cost_a": 0.1, "cost_b_tough": 0.3, "cost_b_soft": 0.2, "prob_tough": 0.4},
        "cost_b_tough",
    ),
    (
        two_type_screening,
        {"p": 0.5, "cost_a": 0.1, "cost_b_tough": 0.1, "cost_b_soft": 0.2, "prob_tough": 1.2},
        "prob_tough",
    ),
    (
        two_period_shifting_power,
        {
            "p_period_1": 0.6,
            "p_period_2": 0.3,
            "cost_declining": 0.1,
            "cost_rising": 0.1,
            "delta": 1.0,
        },
        "delta",
    ),
    (
        two_period_shifting_power,
        {
            "p_period_1": 0.6,
            "p_period_2": NAN,
            "cost_declining": 0.1,
            "cost_rising": 0.1,
            "delta": 0.9,
        },
        "p_period_2",
    ),
    (rubinstein_shares, {"delta_1": 1.0, "delta_2": 0.9}, "delta_1"),
    (rubinstein_shares, {"delta_1": 0.9, "delta_2": 0.0}, "delta_2"),
    (rubinstein_continuous, {"rate_1": -0.1, "rate_2": 0.1, "period": 1.0}, "rate_1"),
    (rubinstein_continuous, {"rate_1": 0.1, "rate_2": 0.1, "period": 0.0}, "period"),
    (rubinstein_patient_limit, {"rate_1": 0.1, "rate_2": math.inf}, "rate_2"),
    (rubinstein_fixed_costs, {"cost_1": 0.1, "cost_2": 1.0}, "cost_2"),
    (rubinstein_fixed_costs, {"cost_1": 0.1, "cost_2": 0.1}, "cost_1 and cost_2"),
    (
        rubinstein_outside_option,
        {"delta_1": 0.9, "delta_2": 0.9, "outside_option_2": 1.5},
        "outside_option_2",
    ),
    (
        rubinstein_inside_options,
        {"delta_1": 0.9, "delta_2": 0.9, "inside_option_1": 0.6, "inside_option_2": 0.5},
        "inside_option_1 + inside_option_2",
    ),
    (
        rubinstein_breakdown,
        {"breakdown_probability": 0.0, "breakdown_payoff_1": 0.5, "breakdown_payoff_2": 0.2},
        "breakdown_probability",
    ),
    (
        rubinstein_breakdown,
        {"breakdown_probability": 0.1, "breakdown_payoff_1": 0.5, "breakdown_payoff_2": 0.5},
        "breakdown_payoff_1 + breakdown_payoff_2",
    ),
]


@pytest.mark.parametrize(
    ("function", "arguments", "named"),
    BAD_INPUTS,
    ids=[f"{function.__name__}-{named}" for function, _, named in BAD_INPUTS],
)
def test_bad_input_names_the_argument(
    function: Callable[..., Any], arguments: dict[str, float], named: str
) -> None:
    """An impossible input raises ValueError whose message starts with the argument's name."""
    with pytest.raises(ValueError, match=rf"^{re.escape(named)}\b"):
        function(**arguments)


outside_unit_interval = st.one_of(
    st.floats(max_value=0.0), st.floats(min_value=1.0), st.just(math.nan)
)


@given(bad=outside_unit_interval, good=st.floats(0.01, 0.99))
def test_discount_outside_unit_interval_is_refused_by_name(bad: float, good: float) -> None:
    """Any δ outside (0, 1), NaN and infinities included, is refused and named."""
    with pytest.raises(ValueError, match=r"^delta_2\b"):
        rubinstein_shares(good, bad)
    with pytest.raises(ValueError, match=r"^delta_1\b"):
        rubinstein_inside_options(bad, good, 0.1, 0.1)


# --- properties: Fearon ---------------------------------------------------------------------

probability = st.floats(0.0, 1.0)
cost = st.floats(-1.0, 1.0)


@given(p=probability, cost_a=cost, cost_b=cost)
@example(p=0.5, cost_a=0.2, cost_b=-0.2)
@example(p=0.5, cost_a=0.0, cost_b=0.0)
@example(p=0.3, cost_a=-0.1, cost_b=0.05)
def test_fearon_range_nonempty_iff_war_is_costly(p: float, cost_a: float, cost_b: float) -> None:
    """Fearon (1995): deals strictly better than war exist iff c_A + c_B > 0.

    At c_A + c_B = 0 the closed range [p − c_A, p + c_B] is the single point p, so it is
    non-empty iff c_A + c_B ≥ 0; the strict version is ``has_interior``.
    """
    bargaining_range = fearon_range(p, cost_a, cost_b)
    assert bargaining_range.has_interior == (cost_a + cost_b > 0)
    assert bargaining_range.is_nonempty == (cost_a + cost_b >= 0)


@given(p=probability, cost_a=cost, cost_b=cost)
def test_fearon_range_is_where_both_prefer_peace(p: float, cost_a: float, cost_b: float) -> None:
    """At ``low`` A is indifferent to war, at ``high`` B is; a deal exists iff EU_A + EU_B ≤ 1."""
    assume(abs(cost_a + cost_b) > 1e-9)
    bargaining_range = fearon_range(p, cost_a, cost_b)
    assert bargaining_range.low == pytest.approx(bargaining_range.war_payoff_a, abs=1e-12)
    assert 1 - bargaining_range.high == pytest.approx(bargaining_range.war_payoff_b, abs=1e-12)
    war_payoffs = bargaining_range.war_payoff_a + bargaining_range.war_payoff_b
    assert bargaining_range.is_nonempty == (war_payoffs <= 1)
    if bargaining_range.has_interior:
        middle = (bargaining_range.low + bargaining_range.high) / 2
        assert middle > bargaining_range.war_payoff_a
        assert 1 - middle > bargaining_range.war_payoff_b


@given(p_a=probability, p_b=probability, cost_a=st.floats(0, 1), cost_b=st.floats(0, 1))
@example(p_a=0.8, p_b=0.5, cost_a=0.1, cost_b=0.2)
def test_fearon_beliefs_range_exists_iff_optimism_within_costs(
    p_a: float, p_b: float, cost_a: float, cost_b: float
) -> None:
    """Mutual optimism: a range exists iff p_A^(A) − p_A^(B) ≤ c_A + c_B; equal beliefs → O1."""
    assume(abs((p_a - p_b) - (cost_a + cost_b)) > 1e-9)
    bargaining_range = fearon_range_with_beliefs(p_a, p_b, cost_a, cost_b)
    assert bargaining_range.is_nonempty == (p_a - p_b <= cost_a + cost_b)
    assert bargaining_range.is_nonempty == (bargaining_range.low <= bargaining_range.high)
    assert fearon_range_with_beliefs(p_a, p_a, cost_a, cost_b) == fearon_range(p_a, cost_a, cost_b)


# --- properties: private information --------------------------------------------------------


@given(p=probability, cost_a=st.floats(0, 1), cost_b_max=st.floats(0.01, 2))
def test_risk_return_demand_beats_every_other_demand(
    p: float, cost_a: float, cost_b_max: float
) -> None:
    """A brute-force search over demands finds nothing better than x* (Fearon 1995)."""

    def utility(demand: float) -> float:
        war = min(max((demand - p) / cost_b_max, 0.0), 1.0)
        return demand * (1 - war) + (p - cost_a) * war

    best = risk_return_demand(p, cost_a, cost_b_max)
    assert best.expected_utility_a == pytest.approx(utility(best.demand), abs=1e-12)
    grid_best = max(utility(i / 2000) for i in range(2001))
    assert best.expected_utility_a >= grid_best - 1e-12
    assert 0 <= best.war_probability <= 1


@given(
    p=probability,
    cost_a=st.floats(0, 1),
    costs=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
    prob_tough=probability,
)
def test_screening_choice_beats_every_other_demand(
    p: float, cost_a: float, costs: list[float], prob_tough: float
) -> None:
    """Against two types, no demand on a fine grid does better than the chosen one."""
    cost_tough, cost_soft = costs

    def utility(demand: float) -> float:
        if demand <= p + cost_tough:
            return demand
        if demand <= p + cost_soft:
            return (1 - prob_tough) * demand + prob_tough * (p - cost_a)
        return p - cost_a

    choice = two_type_screening(p, cost_a, cost_tough, cost_soft, prob_tough)
    chosen = choice.risky_utility_a if choice.chooses_risky else choice.safe_utility_a
    assert chosen == pytest.approx(utility(choice.demand), abs=1e-12)
    grid_best = max(utility(i / 2000) for i in range(2001))
    assert chosen >= grid_best - 1e-12


def test_screening_tie_takes_the_safe_demand() -> None:
    """Risky is optimal only if strictly better (A2): at a tie A takes no risk of war.

    p = 0.5, c_A = 0.25, c_L = 0.125, c_H = 0.5, q = 0.5: both demands are worth 0.625
    exactly (all numbers are exact in binary).
    """
    choice = two_type_screening(0.5, 0.25, 0.125, 0.5, 0.5)
    assert choice.safe_utility_a == choice.risky_utility_a == 0.625
    assert not choice.chooses_risky
    assert choice.demand == 0.625
    assert choice.war_probability == 0.0


# --- properties: commitment -----------------------------------------------------------------


@given(
    p_period_1=probability,
    p_period_2=probability,
    cost_declining=st.floats(0, 0.5),
    cost_rising=st.floats(0, 0.5),
    delta=st.floats(0.01, 0.99),
)
def test_commitment_war_iff_whole_pie_cannot_buy_peace(
    p_period_1: float, p_period_2: float, cost_declining: float, cost_rising: float, delta: float
) -> None:
    """Powell (2006): war iff even the whole period-1 pie leaves D better off fighting.

    Where R must pay something in both periods, buying peace beats war by c_D + c_R.
    """
    outcome = two_period_shifting_power(p_period_1, p_period_2, cost_declining, cost_rising, delta)
    later = max(p_period_2 - cost_declining, 0.0)
    fight_now = (1 + delta) * p_period_1 - cost_declining
    assume(abs(fight_now - (1 + delta * later)) > 1e-9)
    assert outcome.preventive_war == (fight_now > 1 + delta * later)
    if outcome.minimal_offer >= 0 and p_period_2 >= cost_declining:
        gain = outcome.rising_peace_value - outcome.rising_war_value
        assert gain == pytest.approx(cost_declining + cost_rising, abs=1e-12)


# --- properties: Rubinstein -----------------------------------------------------------------

patience = st.floats(0.01, 0.99)


@given(lower=patience, higher=patience, other=patience)
def test_rubinstein_share_rises_with_own_patience(
    lower: float, higher: float, other: float
) -> None:
    """Rubinstein (1982): a more patient player gets more, its opponent less."""
    lower, higher = sorted((lower, higher))
    assume(higher - lower > 1e-3)
    assert rubinstein_shares(higher, other).share_1 > rubinstein_shares(lower, other).share_1
    assert rubinstein_shares(other, higher).share_1 < rubinstein_shares(other, lower).share_1
    assert rubinstein_shares(other, higher).share_2 > rubinstein_shares(other, lower).share_2
    assert rubinstein_shares(higher, other).share_2 < rubinstein_shares(lower, other).share_2
    shares = rubinstein_shares(lower, other)
    assert shares.share_1 + shares.share_2 == pytest.approx(1, abs=1e-12)


@given(delta=st.floats(0.5, 1.0, exclude_max=True))
def test_rubinstein_equal_patience_tends_to_even_split(delta: float) -> None:
    """Equal δ: the proposer keeps a first-mover edge that vanishes like (1 − δ) as δ → 1."""
    edge = rubinstein_shares(delta, delta).share_1 - 0.5
    assert 0 <= edge <= (1 - delta) / 2
    assert rubinstein_shares(1 - 1e-9, 1 - 1e-9).share_1 == pytest.approx(0.5, abs=1e-8)


@given(rate_1=st.floats(0.01, 1), rate_2=st.floats(0.01, 1))
def test_rubinstein_continuous_converges_to_patience_ratio(rate_1: float, rate_2: float) -> None:
    """BRW (1986): x_1(Δ) → r_2/(r_1 + r_2) as Δ → 0, with first-order error in Δ."""
    limit = rubinstein_patient_limit(rate_1, rate_2).share_1
    assert limit == pytest.approx(rate_2 / (rate_1 + rate_2), abs=1e-15)
    coarse = rubinstein_continuous(rate_1, rate_2, 1e-2).share_1 - limit
    fine = rubinstein_continuous(rate_1, rate_2, 1e-3).share_1 - limit
    assert coarse > 0  # the first proposer still has an edge at any positive period
    assert 9 < coarse / fine < 11
    assert rubinstein_continuous(rate_1, rate_2, 1e-9).share_1 == pytest.approx(limit, abs=1e-8)


@given(rate_1=st.floats(0.01, 1), rate_2=st.floats(0.01, 1), period=st.floats(0.01, 10))
def test_rubinstein_continuous_is_rubinstein_with_exponential_discounting(
    rate_1: float, rate_2: float, period: float
) -> None:
    """δ_i = exp(−r_i Δ) turns the continuous form into the discrete one."""
    continuous = rubinstein_continuous(rate_1, rate_2, period)
    discrete = rubinstein_shares(math.exp(-rate_1 * period), math.exp(-rate_2 * period))
    assert continuous.share_1 == pytest.approx(discrete.share_1, abs=1e-12)
    assert continuous.share_2 == pytest.approx(discrete.share_2, abs=1e-12)


inside_options = st.tuples(st.floats(0, 0.99), st.floats(0, 0.99)).filter(
    lambda pair: pair[0] + pair[1] < 0.99
)


@given(options=inside_options)
def test_inside_options_tend_to_nash_point(options: tuple[float, float]) -> None:
    """Muthoo (1999): as δ → 1 the division tends to d_A + (1 − d_A − d_B)/2."""
    inside_1, inside_2 = options
    nash_point = inside_1 + (1 - inside_1 - inside_2) / 2
    errors = [
        abs(rubinstein_inside_options(delta, delta, inside_1, inside_2).share_1 - nash_point)
        for delta in (0.9, 0.99, 0.999, 1 - 1e-6)
    ]
    assert errors[-1] <= 1e-6
    assert all(later <= earlier for earlier, later in itertools.pairwise(errors))


@given(options=inside_options, breakdown_probability=st.floats(0.01, 0.99))
def test_breakdown_is_inside_options_with_delta_one_minus_q(
    options: tuple[float, float], breakdown_probability: float
) -> None:
    """BRW (1986): risk of breakdown q acts like δ = 1 − q (O9 ≡ O9b); q → 0 gives Nash."""
    payoff_1, payoff_2 = options
    delta = 1 - breakdown_probability
    breakdown = rubinstein_breakdown(breakdown_probability, payoff_1, payoff_2)
    inside = rubinstein_inside_options(delta, delta, payoff_1, payoff_2)
    assert breakdown.share_1 == pytest.approx(inside.share_1, abs=1e-9)
    nash_point = payoff_1 + (1 - payoff_1 - payoff_2) / 2
    assert rubinstein_breakdown(1e-9, payoff_1, payoff_2).share_1 == pytest.approx(
        nash_point, abs=1e-8
    )


@given(delta_1=patience, delta_2=patience, option=st.floats(0, 1))
def test_outside_option_only_matters_when_it_beats_the_rubinstein_share(
    delta_1: float, delta_2: float, option: float
) -> None:
    """Binmore, Shaked & Sutton (1989): a weak outside option changes nothing."""
    plain = rubinstein_shares(delta_1, delta_2)
    with_option = rubinstein_outside_option(delta_1, delta_2, option)
    if option <= plain.share_2:
        assert with_option.share_1 == plain.share_1
        assert not with_option.option_binds
    else:
        assert with_option.share_2 == option
        assert with_option.share_1 < plain.share_1
