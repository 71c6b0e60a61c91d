"""Combat laws fitted to real battles: data loaders, laws, fitting and model choice.

Laws (square, linear, logarithmic, Bracken/Helmbold general with a tactical
parameter, Rubio-Campillo's fatigue law), forward simulation with reinforcements,
nonlinear least squares on strengths, daily casualties or end points, the
log-linear regression of Fricker and its Bayesian version by Wiper, Pettit & Young,
and ABC model choice across laws on battle tables. Loaders take paths: the package
does not need the project's shared data.
"""

from ceasefire.analysis.battles._abc import LawChoice, PeriodLawChoice, select_by_period, select_law
from ceasefire.analysis.battles._data import (
    BattleTable,
    load_battle_table,
    load_cdb90,
    load_engel_inputs,
    load_reinforcement_schedule,
)
from ceasefire.analysis.battles._fit import FitResult, IdentificationWarning, fit_law, fit_series
from ceasefire.analysis.battles._integrate import Trajectory, simulate
from ceasefire.analysis.battles._laws import (
    AttritionLaw,
    FatigueLaw,
    GeneralLaw,
    LinearLaw,
    LogarithmicLaw,
    SquareLaw,
)
from ceasefire.analysis.battles._loglinear import (
    LogLinearOLSFit,
    LogLinearPosterior,
    fit_loglinear_bayes,
    fit_loglinear_ols,
)
from ceasefire.analysis.battles._series import DailySeries, load_ardennes, load_daily_series

__all__ = [
    "AttritionLaw",
    "BattleTable",
    "DailySeries",
    "FatigueLaw",
    "FitResult",
    "GeneralLaw",
    "IdentificationWarning",
    "LawChoice",
    "LinearLaw",
    "LogLinearOLSFit",
    "LogLinearPosterior",
    "LogarithmicLaw",
    "PeriodLawChoice",
    "SquareLaw",
    "Trajectory",
    "fit_law",
    "fit_loglinear_bayes",
    "fit_loglinear_ols",
    "fit_series",
    "load_ardennes",
    "load_battle_table",
    "load_cdb90",
    "load_daily_series",
    "load_engel_inputs",
    "load_reinforcement_schedule",
    "select_by_period",
    "select_law",
    "simulate",
]
