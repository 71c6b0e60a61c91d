"""Results of ABC model choice among attrition laws: one table, or one per period.

Shared by the procedures of :mod:`._abc` (``end_strength``, ``duration``) and
:mod:`._rubio` (``rubio2016``): ``probabilities`` are the shares of the accepted
simulations per law and the Bayes factors their ratios (Rubio-Campillo 2016, *PLoS ONE*
11(1): e0146491, with a uniform model prior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError

__all__ = ["LawChoice", "PeriodLawChoice", "RepeatedChoice"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LawChoice:
    """The result of ABC model choice: posterior law probabilities and parameters.

    ``probabilities[i]`` is the share of the accepted simulations that came from
    ``laws[i]`` (for ABC-SMC, the weight of its particles); ``posteriors[i]`` holds their
    parameters, shape (accepted[i], len(parameter_names)): the daily coefficients ``a, b``
    for :func:`select_law`, the power ratio's mean and sd ``mu, sigma`` for rubio2016.
    ``tolerance`` is the largest accepted distance (the acceptance threshold reached).
    ``details`` holds what a procedure adds to the plain data (e.g. its discretisation).
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
    parameter_names: tuple[str, ...] = ("a", "b")
    details: dict[str, Any] = field(default_factory=dict)

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
        ``inf`` where ``versus`` has probability 0, NaN where both have.
        """
        top = self.probability(law)
        bottom = self.probability(versus)
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
                    dict(
                        zip(
                            self.parameter_names,
                            map(float, np.median(sample, axis=0)),
                            strict=True,
                        )
                    )
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
            **self.details,
        }


@dataclass(frozen=True)
class RepeatedChoice:
    """One selection repeated with independent seeds: mean shares and their Monte-Carlo error.

    ``probabilities`` is the mean over the repeats; ``probability_sd`` the spread of one
    repeat (its Monte-Carlo error, sample sd), ``probability_se`` that of the mean
    (``sd/√repeats``). Bayes factors are ratios of the mean probabilities.
    """

    repeats: tuple[LawChoice, ...]

    def __post_init__(self) -> None:
        if not self.repeats:
            raise InputError("expected at least one repeat", field="repeats")

    @property
    def laws(self) -> tuple[str, ...]:
        """The candidate laws."""
        return self.repeats[0].laws

    @property
    def probabilities(self) -> FloatArray:
        """Mean posterior probability per law over the repeats."""
        return np.asarray(np.mean([r.probabilities for r in self.repeats], axis=0))

    @property
    def probability_sd(self) -> FloatArray:
        """Sample sd of each law's probability over the repeats (0 for one repeat)."""
        if len(self.repeats) < 2:
            return np.zeros(len(self.laws))
        return np.asarray(np.std([r.probabilities for r in self.repeats], axis=0, ddof=1))

    @property
    def best(self) -> str:
        """The law with the highest mean probability."""
        return self.laws[int(np.argmax(self.probabilities))]

    @property
    def n_battles(self) -> int:
        """Battles the selection used."""
        return self.repeats[0].n_battles

    def to_dict(self) -> dict[str, Any]:
        """Return the first repeat's plain data with the means, errors and every repeat's shares."""
        mean = LawChoice(**{**self.repeats[0].__dict__, "probabilities": self.probabilities})
        record = mean.to_dict()
        sd = self.probability_sd
        record.update(
            probability_sd=dict(zip(self.laws, map(float, sd), strict=True)),
            probability_se=dict(
                zip(self.laws, map(float, sd / math.sqrt(len(self.repeats))), strict=True)
            ),
            repeats=len(self.repeats),
            tolerance=float(np.mean([r.tolerance for r in self.repeats])),
            thresholds=[r.tolerance for r in self.repeats],
            per_repeat=[
                dict(zip(r.laws, map(float, r.probabilities), strict=True)) for r in self.repeats
            ],
        )
        for key in ("accepted", "simulated", "posterior_median"):
            record.pop(key, None)
        return record


@dataclass(frozen=True)
class PeriodLawChoice:
    """The result of :func:`select_by_period`: one choice per non-empty bin."""

    periods: tuple[tuple[float, float], ...]
    choices: tuple[LawChoice | RepeatedChoice, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"periods": [{"start", "end", **LawChoice.to_dict()}, ...]}``."""
        return {
            "periods": [
                {"start": start, "end": end, **choice.to_dict()}
                for (start, end), choice in zip(self.periods, self.choices, strict=True)
            ]
        }
