"""Results of ABC model choice among attrition laws: one table, or one per period.

Shared by the procedures of :mod:`._abc` (``end_strength``, ``duration``) and
:mod:`._rubio` (``rubio2016``): ``probabilities`` are the shares of the accepted
simulations per law and the Bayes factors their ratios (Rubio-Campillo 2016, *PLoS ONE*
11(1): e0146491, with a uniform model prior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError

__all__ = ["LawChoice", "PeriodLawChoice"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LawChoice:
    """The result of :func:`select_law`: posterior law probabilities and parameters.

    ``probabilities[i]`` is the share of the accepted simulations that came from
    ``laws[i]``; ``posteriors[i]`` holds their coefficients, shape (accepted[i], 2),
    columns ``a, b`` per day. ``tolerance`` is the largest accepted distance (RMS
    casualty-fraction error).
    """

    laws: tuple[str, ...]
    probabilities: FloatArray
    accepted: tuple[int, ...]
    simulated: tuple[int, ...]
    posteriors: tuple[FloatArray, ...]
    tolerance: float
    quantile: float
    n_simulations: int
    n_battles: int
    n_dropped: int = 0

    def _index(self, law: str) -> int:
        if law not in self.laws:
            raise InputError(f"unknown law {law!r}; expected one of {self.laws}", field="law")
        return self.laws.index(law)

    @property
    def best(self) -> str:
        """The law with the highest posterior probability (the first one on ties)."""
        return self.laws[int(np.argmax(self.probabilities))]

    def probability(self, law: str) -> float:
        """Return the posterior probability of ``law``."""
        return float(self.probabilities[self._index(law)])

    def bayes_factor(self, law: str, versus: str) -> float:
        """Return the Bayes factor of ``law`` against ``versus`` (ratio of probabilities).

        With a uniform model prior the posterior odds are the Bayes factor. It is
        ``inf`` where ``versus`` had no accepted simulation, NaN where neither had.
        """
        top = self.accepted[self._index(law)]
        bottom = self.accepted[self._index(versus)]
        if bottom == 0:
            return math.inf if top else math.nan
        return top / bottom

    def to_dict(self) -> dict[str, Any]:
        """Return plain data: probabilities, Bayes factors, counts and posterior medians."""
        return {
            "probabilities": {law: self.probability(law) for law in self.laws},
            "bayes_factors": {
                law: {other: self.bayes_factor(law, other) for other in self.laws if other != law}
                for law in self.laws
            },
            "accepted": dict(zip(self.laws, self.accepted, strict=True)),
            "simulated": dict(zip(self.laws, self.simulated, strict=True)),
            "posterior_median": {
                law: (
                    dict(zip(("a", "b"), map(float, np.median(sample, axis=0)), strict=True))
                    if len(sample)
                    else None
                )
                for law, sample in zip(self.laws, self.posteriors, strict=True)
            },
            "best": self.best,
            "tolerance": self.tolerance,
            "quantile": self.quantile,
            "n_simulations": self.n_simulations,
            "n_battles": self.n_battles,
            "n_dropped": self.n_dropped,
        }


@dataclass(frozen=True)
class PeriodLawChoice:
    """The result of :func:`select_by_period`: one :class:`LawChoice` per non-empty bin."""

    periods: tuple[tuple[float, float], ...]
    choices: tuple[LawChoice, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"periods": [{"start", "end", **LawChoice.to_dict()}, ...]}``."""
        return {
            "periods": [
                {"start": start, "end": end, **choice.to_dict()}
                for (start, end), choice in zip(self.periods, self.choices, strict=True)
            ]
        }
