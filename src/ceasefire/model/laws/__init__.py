"""Combat laws, one small final class each, with its literature reference."""

from ceasefire.model.laws._base import CombatLawKernel
from ceasefire.model.laws._exchange import ExchangeRatioKernel
from ceasefire.model.laws._general import GeneralLawKernel
from ceasefire.model.laws._linear import LinearLawKernel
from ceasefire.model.laws._logarithmic import LogarithmicLawKernel
from ceasefire.model.laws._square import SquareLawKernel

__all__ = [
    "CombatLawKernel",
    "ExchangeRatioKernel",
    "GeneralLawKernel",
    "LinearLawKernel",
    "LogarithmicLawKernel",
    "SquareLawKernel",
]
