"""Analysis of ensembles: summaries, probability words, sensitivity, comparisons."""

from ceasefire.analysis._compare import COMPARED, compare, compare_ensembles
from ceasefire.analysis._crisis import CAUSES, crisis_causes
from ceasefire.analysis._measures import measure_names, select_measure
from ceasefire.analysis._sensitivity import (
    Factor,
    SensitivityResult,
    analyse_factors,
    scenario_factors,
    sensitivity,
)
from ceasefire.analysis._summary import QUANTILES, quantile_bands, summarize, wilson_interval
from ceasefire.analysis._table import summary_question, summary_rows
from ceasefire.analysis._words import (
    YARDSTICK,
    format_probability,
    probability_words,
    yardstick_legend,
)

__all__ = [
    "CAUSES",
    "COMPARED",
    "QUANTILES",
    "YARDSTICK",
    "Factor",
    "SensitivityResult",
    "analyse_factors",
    "compare",
    "compare_ensembles",
    "crisis_causes",
    "format_probability",
    "measure_names",
    "probability_words",
    "quantile_bands",
    "scenario_factors",
    "select_measure",
    "sensitivity",
    "summarize",
    "summary_question",
    "summary_rows",
    "wilson_interval",
    "yardstick_legend",
]
