"""Combat laws fitted to real battles: data loaders, laws, fitting and model choice.

Laws (the model's square, linear, logarithmic, Bracken/Helmbold general with a tactical
parameter, and Rubio-Campillo's fatigue law, as :class:`BattleLaw`: the model's equation
with the coefficients a fit varies), forward simulation with reinforcements,
nonlinear least squares on strengths, daily casualties or end points, the
log-linear regression of Fricker and its Bayesian version by Wiper, Pettit & Young,
and ABC model choice across laws on battle tables: the project's procedures, the
published procedure of Rubio-Campillo (2016) step for step (``rubio2016``), ABC-SMC with
pyabc (``rubio2016_smc``, extra ``battles``) and the robustness of its verdict to the
discretisation (``robustness``). Loaders take paths: the package does not need the
project's shared data.
"""

from ceasefire.battles._abc import DEFAULT_PERIODS, select_by_period, select_law
from ceasefire.battles._choice import LawChoice, PeriodLawChoice, RepeatedChoice
from ceasefire.battles._data import (
    BattleTable,
    load_battle_table,
    load_cdb90,
    load_engel_inputs,
    load_reinforcement_schedule,
)
from ceasefire.battles._fit import FitResult, IdentificationWarning, fit_law, fit_series
from ceasefire.battles._forward import Trajectory, simulate
from ceasefire.battles._laws import FITTED_LAWS, BattleLaw, combat_section
from ceasefire.battles._loglinear import (
    LogLinearOLSFit,
    LogLinearPosterior,
    fit_loglinear_bayes,
    fit_loglinear_ols,
)
from ceasefire.battles._plot import plot_fit
from ceasefire.battles._robustness import Robustness, robustness, robustness_by_period
from ceasefire.battles._rubio import PAPER, Kernel, rubio2016, rubio2016_by_period
from ceasefire.battles._series import DailySeries, load_ardennes, load_daily_series
from ceasefire.battles._smc import rubio2016_smc
from ceasefire.battles._table import Columns, per_period, seed_sequence

__all__ = [
    "DEFAULT_PERIODS",
    "FITTED_LAWS",
    "PAPER",
    "BattleLaw",
    "BattleTable",
    "Columns",
    "DailySeries",
    "FitResult",
    "IdentificationWarning",
    "Kernel",
    "LawChoice",
    "LogLinearOLSFit",
    "LogLinearPosterior",
    "PeriodLawChoice",
    "RepeatedChoice",
    "Robustness",
    "Trajectory",
    "combat_section",
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
    "per_period",
    "plot_fit",
    "robustness",
    "robustness_by_period",
    "rubio2016",
    "rubio2016_by_period",
    "rubio2016_smc",
    "seed_sequence",
    "select_by_period",
    "select_law",
    "simulate",
]
