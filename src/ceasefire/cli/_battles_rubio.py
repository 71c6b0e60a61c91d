"""``ceasefire battles select --procedure rubio2016``: the paper's procedure, per period.

Runs the rejection sampler (:func:`ceasefire.battles.rubio2016`) or ABC-SMC
(:func:`ceasefire.battles.rubio2016_smc`), optionally repeated over seeds and with the
robustness table, and turns each period's result into the JSON record ``select`` prints
(``probabilities`` stays a ``law: probability`` mapping) plus the lines of text below the
period's row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ceasefire._errors import InputError

__all__ = ["evidence", "rubio_periods"]

_KASS_RAFTERY = ((100.0, "decisive"), (10.0, "strong"), (3.2, "substantial"))


def evidence(bayes_factor: float | None) -> str:
    """Kass & Raftery's (1995, *JASA* 90: 773–795) words for a Bayes factor."""
    if bayes_factor is None or math.isnan(bayes_factor):
        return "undefined"
    for bound, word in _KASS_RAFTERY:
        if bayes_factor > bound:
            return word
    return "not worth more than a bare mention"


def _notes(record: dict[str, Any]) -> list[str]:
    probabilities = record["probabilities"]
    ranked = sorted(probabilities, key=lambda law: -probabilities[law])
    best, second = ranked[0], ranked[1]
    factor = record["bayes_factors"][best][second]
    shown = "inf" if factor is None or math.isinf(factor) else f"{factor:.3g}"
    lines = [
        f"Bayes factor {best}/{second} {shown} ({evidence(factor)}); "
        f"threshold {record['tolerance']:.4g} (distance)",
    ]
    if "probability_sd" in record and record.get("repeats", 1) > 1:
        spread = ", ".join(f"{law} {sd:.3f}" for law, sd in record["probability_sd"].items())
        lines.append(f"Monte-Carlo error (sd over {record['repeats']} seeds): {spread}")
    if record.get("capped"):
        lines.append(f"{record['capped']} battle-runs stopped at the step cap")
    if record.get("n_dropped"):
        lines.append(
            f"{record['n_dropped']} battle(s) left out (no casualties on a side, "
            "or more casualties than men)"
        )
    robust = record.get("robustness")
    if robust:
        for row in robust["variants"]:
            cells = ", ".join(f"{law} {p:.2f}" for law, p in row["probabilities"].items())
            lines.append(f"{row['variant']:<36} {row['best']:<12} ({cells})")
        lines.append(robust["verdict"])
    return lines


def _one(
    table: object, settings: dict[str, Any], seed: Any, sampler: str, kernel: Any
) -> dict[str, Any]:
    from ceasefire.battles import RepeatedChoice, rubio2016, seed_sequence

    repeats = settings["repeats"] or (3 if sampler == "smc" else 1)
    if sampler == "smc":
        from ceasefire.battles import rubio2016_smc

        choice: Any = rubio2016_smc(
            table,
            repeats=repeats,
            seed=seed,
            population=settings["population"],
            generations=settings["generations"],
            kernel=kernel,
            engine=settings["engine"],
            drop_invalid=True,
        )
    else:
        streams = seed_sequence(seed).spawn(repeats) if repeats > 1 else [seed]
        runs = [
            rubio2016(
                table,
                runs=settings["runs"],
                tolerance=settings["tolerance"],
                seed=stream,
                kernel=kernel,
                engine=settings["engine"],
                drop_invalid=True,
            )
            for stream in streams
        ]
        choice = runs[0] if repeats == 1 else RepeatedChoice(tuple(runs))
    record: dict[str, Any] = choice.to_dict()
    if settings["robustness"]:
        from ceasefire.battles import robustness

        record["robustness"] = robustness(
            table,
            runs=settings["runs"],
            tolerance=settings["tolerance"],
            seed=seed,
            engine=settings["engine"],
            drop_invalid=True,
        ).to_dict()
    return record


def rubio_periods(
    table: Any,
    bins: Sequence[tuple[float, float]] | None,
    settings: dict[str, Any],
    *,
    where: str,
) -> tuple[list[dict[str, Any]], str]:
    """Return one record per period (``start``/``end`` None for the whole table) and a header."""
    from ceasefire.battles import PAPER, per_period, seed_sequence

    kernel = replace(
        PAPER,
        men_per_step=settings["men_per_step"],
        rounding=settings["rounding"],
        continuous=settings["continuous"],
    )
    sampler = settings["sampler"]

    def run(subset: object, stream: Any) -> dict[str, Any]:
        return _one(subset, settings, stream, sampler, kernel)

    try:
        results: list[tuple[tuple[Any, Any], dict[str, Any]]]
        if bins is None:
            results = [((None, None), run(table, seed_sequence(settings["seed"]).spawn(1)[0]))]
        else:
            results = list(per_period(table, bins, settings["seed"], run))
        periods = [
            {"start": start, "end": end, **record, "notes": _notes(record)}
            for (start, end), record in results
        ]
    except InputError as error:
        if error.where:
            raise
        raise InputError(error.message, where=where, field=error.field) from None
    if sampler == "smc":
        how = (
            f"ABC-SMC with pyabc, {settings['population']} particles, "
            f"up to {settings['generations']} generations"
        )
    else:
        how = f"ABC rejection, {settings['runs']:,} runs, closest {settings['tolerance']:.0%} kept"
    if settings["continuous"]:
        steps = "continuous time"
    else:
        rounding = "truncated" if settings["rounding"] else "not rounded"
        steps = f"{settings['men_per_step']:g} men a step, {rounding}"
    return periods, f"rubio2016 ({how}; {steps})"
