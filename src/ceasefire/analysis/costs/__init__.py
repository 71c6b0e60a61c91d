"""What the war costs each side: money per month, recruits bought with money, regions.

Money is a post-processing of the ensemble's counters (:mod:`._money`); the recruitment
supply curve is calibrated on the July 2024 bonus doubling (:mod:`._supply`); the regional
model spreads Russia's recruits and dead over its 85 regions and weighs them politically
(:mod:`._regions`).
"""

from ceasefire.analysis.costs._money import (
    COMPONENTS,
    SideMoney,
    money_per_month,
    parameter_values,
    supply_curve,
)
from ceasefire.analysis.costs._regions import (
    COVARIATES,
    RegionalModel,
    RegionTable,
    load_region_table,
    political_weights,
)
from ceasefire.analysis.costs._summary import (
    HOLD_MONTHS,
    HOLD_RECRUITS,
    add_money_measure,
    format_money,
    money_lines,
    money_summary,
    money_summary_of,
    political_factor,
    regional_summary,
    summary_with_money,
)
from ceasefire.analysis.costs._supply import SupplyCurve, calibrate_supply

__all__ = [
    "COMPONENTS",
    "COVARIATES",
    "HOLD_MONTHS",
    "HOLD_RECRUITS",
    "RegionTable",
    "RegionalModel",
    "SideMoney",
    "SupplyCurve",
    "add_money_measure",
    "calibrate_supply",
    "format_money",
    "load_region_table",
    "money_lines",
    "money_per_month",
    "money_summary",
    "money_summary_of",
    "parameter_values",
    "political_factor",
    "political_weights",
    "regional_summary",
    "summary_with_money",
    "supply_curve",
]
