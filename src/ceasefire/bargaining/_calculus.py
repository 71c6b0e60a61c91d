"""The deal calculus, grounded: revealed preferences, why no deal, and a settlement forecast.

:func:`deal_calculus` extends :func:`~ceasefire.bargaining.deal_window`'s coupling
(DESIGN.md, Bargaining v2). Resolve and issue weights are no longer the scenario's
assumptions: each ensemble draw takes a draw of the posterior revealed by the negotiation
record (:mod:`~ceasefire.bargaining._revealed`). Each side values fighting on to the horizon
in its own world (``w_s(t) = U_s(o_s) − (casualties_s(t + D_s) −
casualties_s(t)) / R_s``, ``D_s`` its revealed expected months of further fighting), and per
draw and month three mechanisms can close the window:

* **mutual optimism**: open when both sides share the scenario's beliefs (its forecast of
  the line), closed under each side's own (its belief overlay, and the territory it
  expects: the line plus its revealed optimism ``g_s``);
* **indivisibility**: open if neutrality could be split, closed because it cannot;
* **commitment**: open, but one side, declining, would rather fight now
  (:mod:`~ceasefire.bargaining._mechanisms`, Powell 2006).

The credible window (open and no commitment problem) drives the settlement hazard with the
outside-view base rate (:mod:`~ceasefire.bargaining._settlement`). Terms (Nash, KS) are
taken at the shared-belief disagreement point, in shares and km².
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.analysis import probability_words, quantile_bands
from ceasefire.bargaining import _vector as vec
from ceasefire.bargaining._coupling import World, _by_month, _casualties, _overrides, _parameter
from ceasefire.bargaining._delay import DELAY_COMPONENTS, decisive_component, delay_components
from ceasefire.bargaining._mechanisms import commitment_problem, shift_exceeds_cost
from ceasefire.bargaining._offers import OfferRecord, load_offers
from ceasefire.bargaining._record_model import (
    BACKTEST_CUTOFFS,
    _utility,
    opinion_check,
    scenario_posterior,
)
from ceasefire.bargaining._record_model import (
    backtest as score_backtest,
)
from ceasefire.bargaining._settlement import (
    base_rate,
    settlement_curve,
    shipped_war_durations,
    war_durations,
)
from ceasefire.ensemble import simulate
from ceasefire.scenario import Scenario, load_scenario

__all__ = ["BACKTEST_CUTOFFS", "deal_calculus"]

FloatArray = npt.NDArray[np.float64]
DAYS_PER_MONTH = 30.4375


def _line_share(world: World) -> FloatArray:
    scenario = world.scenario
    assert scenario.front is not None
    area = _parameter(world, ("front", "contested_area"), scenario.front.contested_area)
    held = world.ensemble["front"].values / area[:, None]
    return np.asarray(held if scenario.front.holder == scenario.side_ids[0] else 1.0 - held)


def deal_calculus(
    scenario: Scenario | str | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    beliefs_a: Mapping[str, Any] | Sequence[str] | None = None,
    beliefs_b: Mapping[str, Any] | Sequence[str] | None = None,
    deal: Mapping[str, float | str] | None = None,
    offers: str | Path | OfferRecord = "recorded-offers",
    wars: str | Path | None = None,
    lookahead_months: int = 6,
    monthly_discount: float = 0.98,
    likelihood_ratio: float = 3.0,
    posterior_samples: int = 50_000,
    backtest: bool = True,
    revealed_optimism: bool = True,
) -> dict[str, Any]:
    """Return the grounded deal calculus of a scenario as a JSON-ready dict (module docstring).

    ``offers`` is an offer file, a shipped name or a loaded record; ``wars`` a path to the
    COW ``Inter-StateWarData_v4.0.csv`` (default: the derived table shipped with the
    package). ``monthly_discount`` prices the commitment test; ``likelihood_ratio`` is how
    much likelier a war is to end in a month with a credible window open (both assumptions).
    ``revealed_optimism=False`` drops the optimism revealed by the record from each side's
    view, so that with no belief overlays both sides share the scenario's beliefs.
    """
    base = load_scenario(scenario)
    if base.bargaining is None or base.front is None or base.information_cutoff is None:
        from ceasefire._errors import InputError

        raise InputError(
            "the deal calculus needs `bargaining:`, `front:` and `information_cutoff:`",
            where=base.name,
        )
    side_a, side_b = sides = base.side_ids
    issues = base.bargaining.issues
    names = list(issues)
    binary = [issues[n].kind == "binary" for n in names]
    at_war = {n: issues[n].at_war for n in names}
    area = base.front.contested_area.central()
    cutoff = base.information_cutoff
    kinds = {n: issues[n].kind for n in names}
    record = (
        offers
        if isinstance(offers, OfferRecord)
        else load_offers(offers, sides=sides, kinds=kinds, contested_area_km2=area, cutoff=cutoff)
    )
    line0 = base.front.initial.central() / area
    line0 = line0 if base.front.holder == side_a else 1.0 - line0
    # The reference class first: a bad war file fails before any simulation.
    durations = shipped_war_durations() if wars is None else war_durations(wars)
    posterior = scenario_posterior(base, record, cutoff, line0, posterior_samples, seed)
    preferences = posterior.resample(draws, np.random.SeedSequence(seed, spawn_key=(19,)))

    shared = World(base, simulate(base, draws=draws, seed=seed, save="trajectories"))

    def world(overlay: Any) -> World:
        if not _overrides(overlay):
            return shared
        own = load_scenario(base, overrides=_overrides(overlay))
        return World(own, simulate(own, draws=draws, seed=seed, save="trajectories"))

    own = {side_a: world(beliefs_a), side_b: world(beliefs_b)}
    months = shared.ensemble["time"].values
    decisions = list(range(len(months) - 1))
    resolve = {s: preferences[f"resolve.{s}"] for s in sides}
    weights = {s: posterior.weight_matrix(s, preferences) for s in sides}

    costs: dict[tuple[str, bool], FloatArray] = {}

    def war_value(side: str, w: World, *, revealed: bool) -> FloatArray:
        """``U_s(o_s) − (casualties_s(t + D_s) − casualties_s(t)) / R_s`` on ``w``'s paths.

        ``D_s`` is the side's revealed expected months of further fighting (per draw, capped
        at the horizon). With ``revealed`` (each side's own view) the territory it expects is
        the line at ``t`` plus its revealed optimism ``g_s``: the same model of fighting on
        that priced its refusals. Without (shared beliefs) it is the scenario's own forecast,
        the line at ``t + D_s``.
        """
        index = sides.index(side)
        line = _line_share(w)
        cas = _casualties(w, side)
        last = line.shape[1] - 1
        ahead = np.rint(preferences[f"duration.{side}"]).astype(np.int64)
        end = np.minimum(np.asarray(decisions)[None, :] + ahead[:, None], last)
        if revealed:
            optimism = preferences[f"optimism.{side}"][:, None]
            held = np.clip(line[:, decisions] + optimism, 0.0, 1.0)
        else:
            held = np.take_along_axis(line, end, axis=1)
        outcome = {
            n: held
            if at_war[n] == "front"
            else _parameter(w, ("bargaining", "issues", n, "at_war"), at_war[n])
            for n in names
        }
        remaining = (np.take_along_axis(cas, end, axis=1) - cas[:, decisions]) / resolve[side][
            :, None
        ]
        costs[(side, revealed)] = remaining
        return _utility(index, weights[side], outcome) - remaining

    def power(side: str, w: World) -> FloatArray:
        line = _line_share(w)
        point = {
            n: line
            if at_war[n] == "front"
            else _parameter(w, ("bargaining", "issues", n, "at_war"), at_war[n])[:, None]
            for n in names
        }
        return _utility(sides.index(side), weights[side], point)

    value_own = {s: war_value(s, own[s], revealed=revealed_optimism) for s in sides}
    value_shared = {s: war_value(s, shared, revealed=False) for s in sides}
    weight_a = np.column_stack([weights[side_a][n] for n in names])
    weight_b = np.column_stack([weights[side_b][n] for n in names])
    chains = vec.chains(weight_a, weight_b, binary)
    divisible = vec.chains(weight_a, weight_b, [False] * len(names))
    window = vec.window_open(chains, value_own[side_a], value_own[side_b])
    gap: FloatArray = np.sum([value_own[s] - value_shared[s] for s in sides], axis=0)
    cost_of_war: FloatArray = np.sum([costs[(s, False)] for s in sides], axis=0)
    window_shared = vec.window_open(chains, value_shared[side_a], value_shared[side_b])
    window_divisible = vec.window_open(divisible, value_own[side_a], value_own[side_b])
    commitment = np.zeros_like(window)
    for s in sides:
        commitment |= commitment_problem(
            power(s, own[s]),
            _casualties(own[s], s),
            resolve[s],
            decisions,
            lookahead=lookahead_months,
            monthly_discount=monthly_discount,
        )
    credible = window & ~commitment
    # The issue's shift-versus-cost rule (Fearon 1995), a diagnostic beside Powell's form.
    shift_rule = np.zeros_like(window)
    for s in sides:
        other = side_b if s == side_a else side_a
        shift_rule |= shift_exceeds_cost(
            power(s, own[s]),
            _casualties(own[s], other),
            resolve[other],
            decisions,
            lookahead=lookahead_months,
        )
    nash = vec.nash_terms(chains, value_shared[side_a], value_shared[side_b])
    ks = vec.kalai_smorodinsky_terms(chains, value_shared[side_a], value_shared[side_b])

    # The settlement forecast.
    start = record.war_start or cutoff
    age = (cutoff - start).days / DAYS_PER_MONTH
    rate = base_rate(durations, age)
    hazard_draws = rate.hazard_draws(draws, np.random.SeedSequence(seed, spawn_key=(20,)))
    hazard, p_by = settlement_curve(credible, hazard_draws, likelihood_ratio=likelihood_ratio)
    horizon = [float(t + 1) for t in decisions]

    # Recorded offers and the proposed deal, judged at the cutoff under each side's beliefs.
    territory = names.index("territory") if "territory" in names else None
    offer_rows = []
    for offer in record.offers:
        accepts = {
            s: float(
                np.mean(_utility(sides.index(s), weights[s], offer.point) >= value_own[s][:, 0])
            )
            for s in sides
        }
        point = np.array([offer.point[n] for n in names])
        distance = np.linalg.norm(nash[:, 0, :] - point, axis=1)
        recorded = [
            {
                "choice": choice.label,
                "date": choice.date.isoformat(),
                "posterior_probability": float(
                    np.sum(posterior.weights * posterior.choice_probability[index])
                ),
            }
            for index, choice in enumerate(posterior.choices)
            if choice.offer.id == offer.id
        ]
        row = {
            "id": offer.id,
            "date": offer.date.isoformat(),
            "by": offer.by,
            "point": dict(offer.point),
            "recorded_outcome": offer.recorded_outcome,
            "accepts": accepts,
            "fails": [s for s in sides if accepts[s] < 0.5],
            "distance_to_nash": _median(distance),
            "recorded_choices": recorded,
        }
        if territory is not None:
            km2 = offer.point["territory"] * area - nash[:, 0, territory] * area
            row["territory_minus_nash_km2"] = _median(km2)
        offer_rows.append(row)

    def delay_parts(side: str) -> dict[str, FloatArray]:
        held = _line_share(own[side])
        return delay_components(
            own[side],
            side,
            resolve[side],
            own_share=held if side == side_a else 1.0 - held,
            territory_weight=weights[side].get("territory"),
        )

    parts = {s: delay_parts(s) for s in sides}
    delay = {s: np.sum([parts[s][c] for c in DELAY_COMPONENTS], axis=0) for s in sides}
    mean_delay = {s: delay[s].mean(axis=1) for s in sides}
    p_a_more = float(np.mean(mean_delay[side_a] > mean_delay[side_b]))
    needier = side_a if p_a_more >= 0.5 else side_b
    p_needier = p_a_more if needier == side_a else 1.0 - p_a_more
    other = side_b if needier == side_a else side_a
    decisive = decisive_component(parts, needier, other)
    first_open = np.where(credible.any(axis=1), np.argmax(credible, axis=1), -1)
    opening = np.array([float(months[i]) if i >= 0 else np.nan for i in first_open])

    result: dict[str, Any] = {
        "scenario": base.name,
        "draws": draws,
        "seed": seed,
        "sides": [side_a, side_b],
        "share_of": side_a,
        "months": [float(months[t]) for t in decisions],
        "p_window_open": window.mean(axis=0).tolist(),
        "p_window_shared_beliefs": window_shared.mean(axis=0).tolist(),
        "credible_window": credible.mean(axis=0).tolist(),
        "mechanisms": {
            "optimism": (window_shared & ~window).mean(axis=0).tolist(),
            "commitment": (window & commitment).mean(axis=0).tolist(),
            "indivisibility": (window_divisible & ~window).mean(axis=0).tolist(),
        },
        "optimism_gap": {
            "gap_median": np.median(gap, axis=0).tolist(),
            "cost_median": np.median(cost_of_war, axis=0).tolist(),
            "p_gap_exceeds_cost": (gap > cost_of_war).mean(axis=0).tolist(),
            "note": "gap: how much more the two sides expect from fighting on under their own "
            "beliefs than under shared ones (utility); cost: what fighting on costs both "
            "under shared beliefs (Fearon 1995: a window needs the gap below the costs)",
        },
        "commitment_shift_rule": {
            "p_by_month": (window & shift_rule).mean(axis=0).tolist(),
            "note": "share of draws with a window in which one side's position improves over "
            "the look-ahead by more than those months cost the other (Fearon 1995's informal "
            "rule); a diagnostic, not a closing mechanism: it ignores what the rising side can "
            "give now, which Powell's condition (mechanisms.commitment) counts",
        },
        "opening_month": {
            **quantile_bands(opening),
            "p_never": float(np.mean(np.isnan(opening))),
            "note": "first month with a credible window; null: none within the horizon",
        },
        "terms": {
            "nash": {n: _by_month(nash[..., j]) for j, n in enumerate(names)},
            "kalai_smorodinsky": {n: _by_month(ks[..., j]) for j, n in enumerate(names)},
            "disagreement_point": "each side's value of fighting on under shared beliefs",
            "binary_to_first_side": {
                solution: {
                    n: _share_of_draws(terms[..., j])
                    for j, n in enumerate(names)
                    if issues[n].kind == "binary"
                }
                for solution, terms in (("nash", nash), ("kalai_smorodinsky", ks))
            },
        },
        "cost_of_delay": {
            s: {
                "units": "utility per month (1 = everything on the table)",
                "average": quantile_bands(mean_delay[s]),
                "by_month_median": np.median(delay[s], axis=0).tolist(),
                "components": {
                    c: quantile_bands(parts[s][c].mean(axis=1)) for c in DELAY_COMPONENTS
                },
            }
            for s in sides
        },
        "needs_deal_more": {
            "side": needier,
            f"p_{side_a}_cost_of_delay_higher": p_a_more,
            "words": f"{needier} needs the deal more: {probability_words(p_needier)} "
            f"({p_needier:.0%} of draws); {decisive['decides']} decides it "
            f"({_share_words(decisive['share'][decisive['decides']])} of the difference in "
            "the cost of delay)",
            "components": decisive,
        },
        "settlement": {
            "months": horizon,
            "hazard": hazard.tolist(),
            "p_by_month": p_by.tolist(),
            "base_rate": {
                **rate.to_dict(),
                "p_by_month": rate.p_by(horizon),
                "war_start": start.isoformat(),
            },
            "likelihood_ratio": likelihood_ratio,
            "assumption": "a month with a credible window open ends the war likelihood_ratio "
            "times as often as one without; half of the reference class's war-months had one",
        },
        "offers": offer_rows,
        "preferences": {
            **posterior.summary(),
            "offers_file": record.path,
            "public_opinion": "KIIS and Levada series (negotiation-record.md) are not in the "
            "likelihood: the model's resolve does not move with costs. The KIIS shares ready "
            "for territorial concessions are set beside the posterior probability that Ukraine "
            "prefers a ceasefire on the line of the time to fighting on (public_opinion_check)",
            "public_opinion_check": opinion_check(posterior, record, sides, at_war, line0),
        },
        "assumptions": {
            "mechanisms": "shares of draws in which each mechanism closes the window (or, "
            "for commitment, makes it not credible) in that month",
            "revealed_optimism": revealed_optimism,
            "lookahead_months": lookahead_months,
            "monthly_discount": monthly_discount,
            "likelihood_ratio": likelihood_ratio,
        },
    }
    if territory is not None:
        result["terms_km2"] = {
            solution: _by_month(terms[..., territory] * area)
            for solution, terms in (("nash", nash), ("kalai_smorodinsky", ks))
        }
    if deal is not None:
        line_own = {s: _line_share(own[s]) for s in sides}
        prefers = {}
        for s in sides:
            terms: dict[str, Any] = {
                n: line_own[s][:, decisions] if deal[n] == "front" else float(deal[n])
                for n in names
            }
            prefers[s] = _utility(sides.index(s), weights[s], terms) >= value_own[s]
        result["deal"] = {
            "offer": dict(deal),
            **{s: prefers[s].mean(axis=0).tolist() for s in sides},
            "both": (prefers[side_a] & prefers[side_b]).mean(axis=0).tolist(),
        }
    if backtest and record.war_start is not None:
        scored = score_backtest(base, record, durations, binary, likelihood_ratio, seed)
        result["settlement"]["backtest"] = {
            "cutoffs": scored,
            "log_score_forecast": sum(r["log_score_forecast"] for r in scored),
            "log_score_base_rate": sum(r["log_score_base_rate"] for r in scored),
            "caveat": "three cutoffs of one war, all scored on the same non-event, are little "
            "evidence; the window at each is the revealed-preference model's, not the "
            "simulation's (no scenario exists for those dates)",
        }
    return result


def _share_words(share: float | None) -> str:
    return "all" if share is None else f"{share:.0%}"


def _share_of_draws(values: FloatArray) -> list[float | None]:
    """Per month, the share of draws with a deal in which a binary issue goes to A."""
    out: list[float | None] = []
    for column in values.T:
        finite = column[np.isfinite(column)]
        out.append(float(finite.mean()) if finite.size else None)
    return out


def _median(values: FloatArray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else None
