"""Analysis of ensembles: summaries, probability words."""

from ceasefire.analysis._measures import measure_names, select_measure
from ceasefire.analysis._summary import QUANTILES, quantile_bands, summarize, wilson_interval
from ceasefire.analysis._table import summary_rows
from ceasefire.analysis._words import YARDSTICK, probability_words

__all__ = [
    "QUANTILES",
    "YARDSTICK",
    "measure_names",
    "probability_words",
    "quantile_bands",
    "select_measure",
    "summarize",
    "summary_rows",
    "wilson_interval",
]
