"""The revealed-preference model glued to a scenario: its posterior, the backtest, the polls.

Split out of :mod:`ceasefire.bargaining._calculus` (which uses every name here): the
posterior for a scenario (its claim bias and loss-exchange ratio priors price the refusals),
the window the revealed model alone gives at an earlier cutoff, the log-score backtest from
those cutoffs, and the public-opinion check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import _vector as vec
from ceasefire.bargaining._offers import OfferRecord
from ceasefire.bargaining._revealed import Posterior, infer_preferences
from ceasefire.bargaining._settlement import base_rate, settlement_curve
from ceasefire.scenario import Scenario

__all__ = ["BACKTEST_CUTOFFS", "backtest", "opinion_check", "scenario_posterior"]

FloatArray = npt.NDArray[np.float64]
BACKTEST_CUTOFFS = (dt.date(2023, 6, 30), dt.date(2023, 12, 31), dt.date(2024, 5, 31))
DAYS_PER_MONTH = 30.4375


def _find(scenario: Scenario, path: tuple[str, ...]) -> Any:
    """Return the scenario parameter at ``path``, or ``None`` where the scenario has none."""
    node: Any = scenario
    for part in path:
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def _prior_draws(param: Any, n: int, seed: int) -> FloatArray | None:
    if param is None:
        return None
    u = (np.arange(n) + np.random.default_rng(seed).random(n)) / n
    return np.asarray(param.ppf(u), dtype=np.float64)


def _utility(side: int, weights: dict[str, FloatArray], point: dict[str, Any]) -> FloatArray:
    """``Σ a_j x_j`` for A (side 0), ``Σ b_j (1 − x_j)`` for B; broadcasts over months."""
    shares = {name: np.asarray(point[name], dtype=np.float64) for name in weights}
    by_month = max(share.ndim for share in shares.values()) == 2
    total: Any = 0.0
    for name, weight in weights.items():
        share = shares[name][:, None] if by_month and shares[name].ndim == 1 else shares[name]
        w = weight[:, None] if by_month else weight
        total = total + w * (share if side == 0 else 1.0 - share)
    return np.asarray(total, dtype=np.float64)


def scenario_posterior(
    base: Scenario, record: OfferRecord, cutoff: dt.date, line: float, samples: int, seed: int
) -> Posterior:
    assert base.bargaining is not None
    kinds = {name: issue.kind for name, issue in base.bargaining.issues.items()}
    at_war = {
        name: issue.at_war if issue.at_war == "front" else issue.at_war.central()
        for name, issue in base.bargaining.issues.items()
    }
    bias = _find(base, ("observations", "general_staff_bias"))
    ratio = _find(base, ("combat", "exchange_ratio"))
    return infer_preferences(
        record,
        sides=base.side_ids,
        issues=kinds,
        at_war=at_war,
        line=line,
        cutoff=cutoff,
        bias=_prior_draws(bias, 4096, seed),
        exchange_ratio=_prior_draws(ratio, 4096, seed + 1),
        samples=samples,
        seed=seed,
    )


def _static_window(
    posterior: Posterior,
    record: OfferRecord,
    cutoff: dt.date,
    line: float,
    binary: list[bool],
    draws: int,
    seed: int,
) -> float:
    """P(a deal both prefer) at ``cutoff`` from the revealed-preference model alone."""
    sample = posterior.resample(draws, seed)
    side_a, side_b = posterior.sides
    rate_a = record.rate_at(cutoff) * DAYS_PER_MONTH
    bias = sample["general_staff_bias"]
    ratio = sample["exchange_ratio"]
    values = []
    for index, side in enumerate((side_a, side_b)):
        weights = {n: sample[f"weight.{side}.{n}"] for n in posterior.issues}
        held = np.clip(line + sample[f"optimism.{side}"], 0.0, 1.0)
        point = {n: held if n == "territory" else 0.0 for n in posterior.issues}
        rate = rate_a / bias if index == 0 else rate_a / bias / ratio
        cost = rate * sample[f"duration.{side}"] / sample[f"resolve.{side}"]
        values.append(_utility(index, weights, point) - cost)
    ch = vec.chains(
        np.column_stack([sample[f"weight.{side_a}.{n}"] for n in posterior.issues]),
        np.column_stack([sample[f"weight.{side_b}.{n}"] for n in posterior.issues]),
        binary,
    )
    return float(vec.window_open(ch, values[0][:, None], values[1][:, None]).mean())


def backtest(
    base: Scenario,
    record: OfferRecord,
    wars: list[Any],
    binary: list[bool],
    likelihood_ratio: float,
    seed: int,
) -> list[dict[str, Any]]:
    """Score the combination rule from earlier cutoffs.

    No settlement happened before the 2024-11-30 cutoff, so each earlier forecast is scored
    on P(no settlement until then).
    """
    assert record.war_start is not None
    assert base.information_cutoff is not None
    rows = []
    for cutoff in BACKTEST_CUTOFFS:
        known = record.until(cutoff)
        line = known.line_at(cutoff, known.lines[0][1] if known.lines else 0.0)
        posterior = scenario_posterior(base, known, cutoff, line, 20_000, seed)
        p_window = _static_window(posterior, known, cutoff, line, binary, 1000, seed)
        age = (cutoff - record.war_start).days / DAYS_PER_MONTH
        months = round((base.information_cutoff - cutoff).days / DAYS_PER_MONTH)
        rate = base_rate(wars, age)
        hazard = rate.hazard_draws(1000, seed)
        window = np.full((1000, months), p_window)
        _, combined = settlement_curve(window, hazard, likelihood_ratio=likelihood_ratio)
        _, alone = settlement_curve(window, hazard, likelihood_ratio=1.0)
        rows.append(
            {
                "cutoff": cutoff.isoformat(),
                "age_months": round(age, 1),
                "months_scored": months,
                "outcome": "no settlement by 2024-11-30",
                "p_window": p_window,
                "p_settled_forecast": float(combined[-1]),
                "p_settled_base_rate": float(alone[-1]),
                "log_score_forecast": float(np.log(1.0 - combined[-1])),
                "log_score_base_rate": float(np.log(1.0 - alone[-1])),
            }
        )
    return rows


def opinion_check(
    posterior: Posterior,
    record: OfferRecord,
    sides: tuple[str, str],
    at_war: Mapping[str, Any],
    line: float,
) -> list[dict[str, Any]]:
    """Each poll beside P(its side prefers a ceasefire on the line of the time to fighting on).

    The ceasefire: the line at the poll's date (the record's, else the cutoff's), every other
    issue at its war value (no neutrality, no sanctions relief). A share of a public and a
    probability about a government are not the same quantity: this is a check of direction
    (does willingness rise with the costs?), not a fit.
    """
    from ceasefire.bargaining._revealed import p_refuse

    war = {
        n: ("front" if value == "front" else float(value.central())) for n, value in at_war.items()
    }
    rows = []
    for date, side, share, source in record.public_opinion:
        held = record.line_at(date, line)
        point = {n: held if war[n] == "front" else float(war[n]) for n in war}
        refuse = p_refuse(posterior.samples, record, side, sides, war, point, date, line)
        rows.append(
            {
                "date": date.isoformat(),
                "side": side,
                "ready_share": share,
                "model_p_prefers_ceasefire_on_the_line": float(
                    np.sum(posterior.weights * (1.0 - refuse))
                ),
                "source": source,
            }
        )
    return rows
