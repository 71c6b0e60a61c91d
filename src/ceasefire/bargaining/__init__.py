"""Bargaining: closed-form models of war and peace, each with its reference.

One small module per family of models (Fearon's range, private information,
commitment problems, Rubinstein and its war-relevant variants, the axiomatic
solutions, multi-issue logrolling, learning while fighting, wars of attrition
and contests). Each exposes plain functions (the library API) and registers its
models with the calculator (``ceasefire bargain solve MODEL --set name=value``).
"""

from ceasefire.analysis import register_ensemble_measures
from ceasefire.bargaining._attrition import (
    asymmetric_war_of_attrition,
    quit_time,
    quit_time_uniform,
    symmetric_war_of_attrition,
)
from ceasefire.bargaining._axiomatic import (
    Division,
    PowerUtility,
    egalitarian_solution,
    ideal_point,
    kalai_smorodinsky_solution,
    nash_linear,
    nash_solution,
)
from ceasefire.bargaining._beliefs import claimed_beliefs
from ceasefire.bargaining._calculus import deal_calculus
from ceasefire.bargaining._commitment import two_period_shifting_power
from ceasefire.bargaining._contests import (
    all_pay_auction,
    contest_success,
    lanchester_win_probability,
    tullock_equilibrium,
)
from ceasefire.bargaining._coupling import deal_window
from ceasefire.bargaining._deal_measures import DEAL_MEASURES, add_deal_measures
from ceasefire.bargaining._delay import NeedsMore, needs_more
from ceasefire.bargaining._fearon import BargainingRange, fearon_range, fearon_range_with_beliefs
from ceasefire.bargaining._learning import (
    BetaBelief,
    belief_averaged_win_probability,
    expected_battles,
    filson_werner_round,
    mutual_optimism,
    posterior_strong,
    ruin_win_probability,
    slantchev_range,
)
from ceasefire.bargaining._multi_issue import (
    Frontier,
    Issue,
    kalai_smorodinsky_agreement,
    nash_agreement,
    pareto_frontier,
    solve_issues,
)
from ceasefire.bargaining._offers import CasualtyRate, Offer, OfferRecord, load_offers
from ceasefire.bargaining._private_information import risk_return_demand, two_type_screening
from ceasefire.bargaining._registry import REGISTRY, BargainingModel, Parameter
from ceasefire.bargaining._rubinstein import (
    rubinstein_breakdown,
    rubinstein_continuous,
    rubinstein_fixed_costs,
    rubinstein_inside_options,
    rubinstein_outside_option,
    rubinstein_patient_limit,
    rubinstein_shares,
)

# `ceasefire sensitivity` and `compare` take the deal measures (deal_credible@12, …).
register_ensemble_measures(add_deal_measures)

__all__ = [
    "DEAL_MEASURES",
    "REGISTRY",
    "BargainingModel",
    "BargainingRange",
    "BetaBelief",
    "CasualtyRate",
    "Division",
    "Frontier",
    "Issue",
    "NeedsMore",
    "Offer",
    "OfferRecord",
    "Parameter",
    "PowerUtility",
    "add_deal_measures",
    "all_pay_auction",
    "asymmetric_war_of_attrition",
    "belief_averaged_win_probability",
    "claimed_beliefs",
    "contest_success",
    "deal_calculus",
    "deal_window",
    "egalitarian_solution",
    "expected_battles",
    "fearon_range",
    "fearon_range_with_beliefs",
    "filson_werner_round",
    "ideal_point",
    "kalai_smorodinsky_agreement",
    "kalai_smorodinsky_solution",
    "lanchester_win_probability",
    "load_offers",
    "mutual_optimism",
    "nash_agreement",
    "nash_linear",
    "nash_solution",
    "needs_more",
    "pareto_frontier",
    "posterior_strong",
    "quit_time",
    "quit_time_uniform",
    "risk_return_demand",
    "rubinstein_breakdown",
    "rubinstein_continuous",
    "rubinstein_fixed_costs",
    "rubinstein_inside_options",
    "rubinstein_outside_option",
    "rubinstein_patient_limit",
    "rubinstein_shares",
    "ruin_win_probability",
    "slantchev_range",
    "solve_issues",
    "symmetric_war_of_attrition",
    "tullock_equilibrium",
    "two_period_shifting_power",
    "two_type_screening",
]
