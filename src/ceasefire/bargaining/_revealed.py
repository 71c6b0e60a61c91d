"""Preferences revealed by the negotiation record: a random-utility posterior.

Each recorded refusal and each offer a side made itself is one choice between a deal ``x``
and fighting on. Side ``s`` (A = the scenario's first side, issues as A's shares) values::

    fighting on at date τ:  W_s(τ) = U_s(o_s) − rate_s(τ) · D_s / R_s
    the deal:               U_s(x),  U_A(x) = Σ_j a_j x_j,  U_B(x) = Σ_j b_j (1 − x_j)

where ``o_s`` is the war outcome ``s`` expects (territory: the line at the time plus its
optimism ``g_s``; the other issues at their ``at_war`` values), ``rate_s`` its casualties a
month (A's from the opponent's claims divided by the General Staff bias; B's from A's
through the loss-exchange ratio), ``D_s`` how many more months of fighting it expects and
``R_s`` its resolve (casualties it would bear for everything on the table). With a logistic
random-utility error of scale ``σ`` (a single-mover logit: the one-decision case of
Signorino 1999's strategic probit/logit, estimated as in Lewis & Schultz 2003)::

    P(refuse x) = Λ((W_s − U_s(x)) / σ),     P(offer x) = 1 − P(refuse x)

The posterior over ``θ = (R, weights, g, D per side; σ)`` is the prior times this likelihood,
computed by sampling importance resampling from the prior (numpy; no MCMC is needed for a
likelihood this cheap). Which choice constrains which parameter is measured, not asserted:
dropping one choice reweights the sample by ``1/P(choice)`` and the parameter whose
posterior median moves most (in prior standard deviations) is the one it constrains.

Signorino, C. S. (1999), "Strategic Interaction and the Statistical Analysis of International
Conflict", *American Political Science Review* 93(2): 279–297. Lewis, J. B. & Schultz, K. A.
(2003), "Revealing Preferences: Empirical Estimation of a Crisis Bargaining Game with
Incomplete Information", *Political Analysis* 11(4): 345–367.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining._offers import Offer, OfferRecord

__all__ = [
    "Choice",
    "Posterior",
    "PreferencePrior",
    "choices",
    "infer_preferences",
    "p_refuse",
]

FloatArray = npt.NDArray[np.float64]
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class PreferencePrior:
    """The prior of the revealed-preference model.

    Every range is an assumption, kept wide so that the record, not the prior, decides.
    """

    resolve: tuple[float, float] = (3.0e5, 3.0e7)
    """Log-uniform range of each side's resolve (casualties for everything on the table)."""
    optimism_a: tuple[float, float] = (-0.05, 0.15)
    """A's expected change of its territory share beyond the line (uniform)."""
    optimism_b: tuple[float, float] = (-0.15, 0.05)
    """B's expected change of A's territory share beyond the line (uniform)."""
    duration: tuple[float, float] = (3.0, 48.0)
    """Log-uniform range of the months of further fighting each side expects."""
    sigma: tuple[float, float] = (0.01, 0.1)
    """Log-uniform range of the random-utility scale (utility units; 1 = everything)."""
    weight_concentration: float = 1.0
    """Dirichlet concentration of each side's issue weights (1: flat on the simplex)."""


@dataclass(frozen=True)
class Choice:
    """One revealed choice: ``side`` preferred fighting on (``refused``) or the deal."""

    offer: Offer
    side: str
    date: dt.date
    refused: bool
    label: str


def choices(record: OfferRecord, cutoff: dt.date) -> list[Choice]:
    """Every inequality of the record: refusals, standing refusals at ``cutoff``, own offers."""
    out: list[Choice] = []
    for offer in record.offers:
        for side in offer.refused_by:
            out.append(Choice(offer, side, offer.date, True, f"{side} refused {offer.id}"))
            if offer.standing and cutoff > offer.date:
                out.append(
                    Choice(
                        offer, side, cutoff, True, f"{side} still refused {offer.id} at {cutoff}"
                    )
                )
        if offer.offered:
            out.append(Choice(offer, offer.by, offer.date, False, f"{offer.by} offered {offer.id}"))
    return out


def _log_uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> FloatArray:
    low, high = np.log(bounds[0]), np.log(bounds[1])
    return np.asarray(np.exp(rng.uniform(low, high, n)), dtype=np.float64)


@dataclass
class Posterior:
    """A weighted sample of the preferences (prior draws and their log likelihoods)."""

    sides: tuple[str, str]
    issues: tuple[str, ...]
    samples: dict[str, FloatArray]
    """``resolve.A``, ``weight.A.territory``, ``optimism.A``, ``duration.A``, …, ``sigma``,
    and the scenario's ``general_staff_bias`` and ``exchange_ratio`` (prior draws)."""
    log_likelihood: FloatArray
    choice_probability: FloatArray
    """``(choice, sample)``: the probability of each recorded choice under each sample."""
    choices: list[Choice]

    @property
    def weights(self) -> FloatArray:
        """Normalised importance weights."""
        shifted = np.exp(self.log_likelihood - self.log_likelihood.max())
        return np.asarray(shifted / shifted.sum())

    @property
    def effective_sample_size(self) -> float:
        """Kish's effective sample size of the importance weights."""
        weights = self.weights
        return float(1.0 / np.sum(weights**2))

    def resample(self, n: int, seed: int | np.random.SeedSequence) -> dict[str, FloatArray]:
        """``n`` draws from the posterior (multinomial resampling), one per ensemble draw."""
        rng = np.random.default_rng(seed)
        index = rng.choice(self.log_likelihood.size, size=n, p=self.weights)
        return {name: values[index] for name, values in self.samples.items()}

    def weight_matrix(self, side: str, draws: dict[str, FloatArray]) -> dict[str, FloatArray]:
        """Return the issue weights of ``side`` in ``draws`` (from :meth:`resample`), by issue."""
        return {name: draws[f"weight.{side}.{name}"] for name in self.issues}

    def summary(self) -> dict[str, Any]:
        """Return prior and posterior bands, and what each choice constrains.

        A choice constrains the parameter whose posterior median moves most (in prior
        standard deviations) when the choice is left out; ``None`` when none moves by a
        twentieth of one.
        """
        weights = self.weights
        out: dict[str, Any] = {
            "method": "random-utility (logit) likelihood, sampling importance resampling from "
            "the prior",
            "prior_samples": int(self.log_likelihood.size),
            "effective_sample_size": round(self.effective_sample_size, 1),
            "parameters": {},
            "choices": [],
        }
        for name, values in self.samples.items():
            out["parameters"][name] = {
                "prior": _bands(values, None),
                "posterior": _bands(values, weights),
            }
        spread = {name: float(np.std(values)) or 1.0 for name, values in self.samples.items()}
        orders = {name: np.argsort(values) for name, values in self.samples.items()}

        def median(name: str, w: FloatArray) -> float:
            order = orders[name]
            cumulative = np.cumsum(w[order])
            index = int(np.searchsorted(cumulative, 0.5 * cumulative[-1]))
            return float(self.samples[name][order][min(index, order.size - 1)])

        medians = {name: median(name, weights) for name in self.samples}
        for row, choice in enumerate(self.choices):
            probability = self.choice_probability[row]
            without = weights / np.maximum(probability, 1e-300)
            shifts = {
                name: (medians[name] - median(name, without)) / spread[name]
                for name in self.samples
                if name != "sigma"
            }
            top = max(shifts, key=lambda name: abs(shifts[name]))
            # Below a twentieth of a prior sd the choice is likely under almost every draw.
            informative = abs(shifts[top]) >= 0.05
            out["choices"].append(
                {
                    "choice": choice.label,
                    "date": choice.date.isoformat(),
                    "posterior_probability": float(np.sum(weights * probability)),
                    "constrains": top if informative else None,
                    "shift_in_prior_sd": round(shifts[top], 3),
                }
            )
        return out


def _quantile(values: FloatArray, weights: FloatArray | None, q: float) -> float:
    if weights is None:
        return float(np.quantile(values, q))
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    index = int(np.searchsorted(cumulative, q * cumulative[-1]))
    return float(values[order][min(index, values.size - 1)])


def _bands(values: FloatArray, weights: FloatArray | None) -> dict[str, float]:
    return {
        "p05": _quantile(values, weights, 0.05),
        "p50": _quantile(values, weights, 0.5),
        "p95": _quantile(values, weights, 0.95),
    }


def _utility(
    side_index: int, weights: dict[str, FloatArray], point: dict[str, FloatArray | float]
) -> FloatArray:
    """``U_A = Σ a_j x_j`` (side 0) or ``U_B = Σ b_j (1 − x_j)`` (side 1)."""
    total: FloatArray = np.zeros_like(next(iter(weights.values())))
    for name, weight in weights.items():
        share = point[name]
        total = total + weight * (share if side_index == 0 else 1.0 - np.asarray(share))
    return total


def infer_preferences(
    record: OfferRecord,
    *,
    sides: tuple[str, str],
    issues: Mapping[str, str],
    at_war: Mapping[str, float | str],
    line: float,
    cutoff: dt.date,
    bias: FloatArray | None = None,
    exchange_ratio: FloatArray | None = None,
    prior: PreferencePrior | None = None,
    samples: int = 50_000,
    seed: int = 0,
) -> Posterior:
    """Return the posterior of both sides' preferences given the record up to ``cutoff``.

    ``issues`` maps issue names to kinds; ``at_war`` gives each issue's outcome while the war
    goes on (``"front"``: the line). ``line`` is A's share of the contested area at the
    cutoff when the record has no dated line. ``bias`` (the General Staff claims over the
    true casualties) and ``exchange_ratio`` (A's casualties per B casualty) are prior draws
    of those scenario parameters, resampled to ``samples``; ``None``: 1.
    """
    prior = prior or PreferencePrior()
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(18,)))
    names = tuple(issues)
    draws: dict[str, FloatArray] = {}
    for index, side in enumerate(sides):
        draws[f"resolve.{side}"] = _log_uniform(rng, prior.resolve, samples)
        split = rng.dirichlet(np.full(len(names), prior.weight_concentration), samples)
        for column, name in enumerate(names):
            draws[f"weight.{side}.{name}"] = np.asarray(split[:, column], dtype=np.float64)
        optimism = prior.optimism_a if index == 0 else prior.optimism_b
        draws[f"optimism.{side}"] = rng.uniform(*optimism, samples)
        draws[f"duration.{side}"] = _log_uniform(rng, prior.duration, samples)
    draws["sigma"] = _log_uniform(rng, prior.sigma, samples)

    def resampled(values: FloatArray | None) -> FloatArray:
        if values is None:
            return np.ones(samples)
        return np.asarray(values[rng.integers(0, values.size, samples)], dtype=np.float64)

    draws["general_staff_bias"] = resampled(bias)
    draws["exchange_ratio"] = resampled(exchange_ratio)
    listed = [choice for choice in choices(record, cutoff) if choice.date <= cutoff]
    probability = np.empty((len(listed), samples))
    for row, choice in enumerate(listed):
        refuse = p_refuse(
            draws, record, choice.side, sides, at_war, choice.offer.point, choice.date, line
        )
        probability[row] = refuse if choice.refused else 1.0 - refuse
    floor = np.finfo(np.float64).tiny
    log_likelihood = np.sum(np.log(np.maximum(probability, floor)), axis=0)
    return Posterior(
        sides=sides,
        issues=names,
        samples=draws,
        log_likelihood=np.asarray(log_likelihood, dtype=np.float64),
        choice_probability=probability,
        choices=listed,
    )


def p_refuse(
    draws: Mapping[str, FloatArray],
    record: OfferRecord,
    side: str,
    sides: tuple[str, str],
    at_war: Mapping[str, float | str],
    point: Mapping[str, float],
    date: dt.date,
    line: float,
) -> FloatArray:
    """``Λ((W_s − U_s(x)) / σ)`` per draw: the probability that ``side`` refuses ``point``.

    ``draws`` holds the model's parameters (prior draws, or a resample of the posterior);
    the territory ``side`` expects is the record's line at ``date`` (``line`` if it has none)
    plus its optimism; its casualty rate is A's claimed rate over the claim bias, divided by
    the loss-exchange ratio for B.
    """
    index = sides.index(side)
    names = [name[len(f"weight.{side}.") :] for name in draws if name.startswith(f"weight.{side}.")]
    weights = {name: draws[f"weight.{side}.{name}"] for name in names}
    held = np.clip(record.line_at(date, line) + draws[f"optimism.{side}"], 0.0, 1.0)
    war_point: dict[str, FloatArray | float] = {
        name: held if at_war[name] == "front" else float(at_war[name]) for name in names
    }
    # Casualties a month: A's as the opponent claimed them, corrected by the claim bias;
    # B's from A's through the loss-exchange ratio (A's per B casualty).
    rate_a = record.rate_at(date) * DAYS_PER_MONTH / draws["general_staff_bias"]
    rate = rate_a if index == 0 else rate_a / draws["exchange_ratio"]
    cost = rate * draws[f"duration.{side}"] / draws[f"resolve.{side}"]
    offer_point: dict[str, FloatArray | float] = dict(point)
    margin = _utility(index, weights, war_point) - cost - _utility(index, weights, offer_point)
    z = margin / draws["sigma"]
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))  # the logistic function, overflow-free
