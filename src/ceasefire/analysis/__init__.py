"""Analysis of ensembles: summaries, probability words, sensitivity, comparisons."""

from ceasefire.analysis._compare import COMPARED, compare, compare_ensembles
from ceasefire.analysis._crisis import CAUSES, crisis_causes
from ceasefire.analysis._format import (
    decimals_for,
    format_quantity,
    format_values,
    probability_axis_top,
    unit_words,
)
from ceasefire.analysis._measures import (
    FORCE_MARGIN,
    add_registered_measures,
    measure_names,
    measure_unit,
    register_ensemble_measures,
    select_measure,
)
from ceasefire.analysis._published import published_checks
from ceasefire.analysis._sensitivity import (
    Factor,
    SensitivityResult,
    analyse_factors,
    scenario_factors,
    sensitivity,
)
from ceasefire.analysis._summary import (
    QUANTILES,
    quantile_bands,
    summarize,
    summarize_streamed,
    summary_of,
    wilson_interval,
)
from ceasefire.analysis._summary_types import (
    Band,
    BonusToHold,
    BudgetCrisis,
    CrisisChance,
    ForeignAid,
    MoneySummary,
    Quantiles,
    SideSummary,
    Summary,
    Supply,
)
from ceasefire.analysis._table import format_band, summary_question, summary_rows
from ceasefire.analysis._words import (
    YARDSTICK,
    format_probability,
    probability_words,
    yardstick_legend,
)

__all__ = [
    "CAUSES",
    "COMPARED",
    "FORCE_MARGIN",
    "QUANTILES",
    "YARDSTICK",
    "Band",
    "BonusToHold",
    "BudgetCrisis",
    "CrisisChance",
    "Factor",
    "ForeignAid",
    "MoneySummary",
    "Quantiles",
    "SensitivityResult",
    "SideSummary",
    "Summary",
    "Supply",
    "add_registered_measures",
    "analyse_factors",
    "compare",
    "compare_ensembles",
    "crisis_causes",
    "decimals_for",
    "format_band",
    "format_probability",
    "format_quantity",
    "format_values",
    "measure_names",
    "measure_unit",
    "probability_axis_top",
    "probability_words",
    "published_checks",
    "quantile_bands",
    "register_ensemble_measures",
    "scenario_factors",
    "select_measure",
    "sensitivity",
    "summarize",
    "summarize_streamed",
    "summary_of",
    "summary_question",
    "summary_rows",
    "unit_words",
    "wilson_interval",
    "yardstick_legend",
]
