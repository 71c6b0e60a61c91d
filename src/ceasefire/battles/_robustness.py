"""Whether the rubio2016 verdict belongs to the battles or to the discretisation.

The paper's forward model (Rubio-Campillo 2016, *PLoS ONE* 11(1): e0146491) makes three
choices no battle dictates: about 100 men fall per step, strengths are truncated to
integers after each step, and time is discrete. :func:`robustness` runs the same ABC
rejection (:func:`._rubio.rubio2016`, the same seed, so every variant sees the same
draws of law, ``μ``, ``σ`` and power ratios) under each discretisation of
:data:`._rubio.VARIANTS` and says in words whether the favoured law moves.

Under end-strength stopping the continuous-time casualties depend on the power ratio
alone (the step factor only sets the clock), and the fatigue law is the logarithmic law
on a slower clock, so the two give the same casualties there: any preference between
them is made by the steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ceasefire.battles._choice import LawChoice
from ceasefire.battles._rubio import VARIANTS, Kernel, rubio2016
from ceasefire.battles._table import Columns, Seed, per_period, seed_sequence

__all__ = ["Robustness", "robustness", "robustness_by_period"]

_PAIR = "logarithmic=fatigue"


def _words(law: str) -> str:
    if law == _PAIR:
        return "the logarithmic and fatigue laws, tied"
    return f"the {law} law"


@dataclass(frozen=True)
class Robustness:
    """The rubio2016 choice under each discretisation; the first is the reference."""

    variants: tuple[str, ...]
    choices: tuple[LawChoice, ...]

    @property
    def favoured(self) -> dict[str, str]:
        """The favoured law under each discretisation.

        In continuous time the logarithmic and fatigue laws give the same casualties, so
        a lead of one over the other there is Monte-Carlo noise: the pair is reported as
        ``logarithmic=fatigue``.
        """
        favoured = {}
        for variant, choice in zip(self.variants, self.choices, strict=True):
            continuous = (choice.details.get("discretisation") or {}).get("time") == "continuous"
            pair = choice.best in ("logarithmic", "fatigue")
            favoured[variant] = _PAIR if continuous and pair else choice.best
        return favoured

    @property
    def stable(self) -> bool:
        """Whether every discretisation favours the same law."""
        return len(set(self.favoured.values())) == 1

    @property
    def verdict(self) -> str:
        """The answer in plain words."""
        reference = self.variants[0]
        best = self.favoured[reference]
        if self.stable:
            text = (
                f"Every discretisation tried favours {_words(best)}: on these battles the "
                "verdict is a property of the battles, not of the discretisation."
            )
        else:
            moves = [
                f"{_words(law)} ({variant})"
                for variant, law in self.favoured.items()
                if law != best
            ]
            text = (
                f"The favoured law changes with the discretisation: {_words(best)} "
                f"({reference}), but {'; '.join(moves)}. The verdict is a property of the "
                "discretisation, not of the battles."
            )
        if "continuous time" in self.variants:
            text += (
                " (In continuous time the logarithmic and fatigue laws give the same "
                "casualties, so a preference between those two comes from the steps.)"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        """Plain data: per variant the probabilities and the favoured law; the verdict."""
        return {
            "variants": [
                {
                    "variant": variant,
                    "probabilities": choice.to_dict()["probabilities"],
                    "best": self.favoured[variant],
                    "threshold": choice.tolerance,
                    "discretisation": choice.details.get("discretisation"),
                    "capped": choice.details.get("capped", 0),
                }
                for variant, choice in zip(self.variants, self.choices, strict=True)
            ],
            "stable": self.stable,
            "verdict": self.verdict,
            "n_battles": self.choices[0].n_battles,
            "n_dropped": self.choices[0].n_dropped,
        }


def robustness(
    table: object,
    *,
    runs: int = 1_000,
    tolerance: float = 0.1,
    seed: Seed = None,
    variants: Mapping[str, Kernel] = VARIANTS,
    engine: str = "auto",
    drop_invalid: bool = False,
) -> Robustness:
    """Run :func:`._rubio.rubio2016` under each discretisation with one seed."""
    root = seed_sequence(seed)
    entropy, key = root.entropy, root.spawn_key
    choices = tuple(
        rubio2016(
            table,
            runs=runs,
            tolerance=tolerance,
            # The same seed for every variant: common random numbers.
            seed=np.random.SeedSequence(entropy, spawn_key=key),
            kernel=kernel,
            engine=engine,
            drop_invalid=drop_invalid,
        )
        for kernel in variants.values()
    )
    return Robustness(variants=tuple(variants), choices=choices)


def robustness_by_period(
    table: object,
    *,
    bins: Sequence[tuple[float, float]],
    runs: int = 1_000,
    tolerance: float = 0.1,
    seed: Seed = None,
    variants: Mapping[str, Kernel] = VARIANTS,
    engine: str = "auto",
    drop_invalid: bool = False,
) -> list[tuple[tuple[float, float], Robustness]]:
    """Run :func:`robustness` on the battles of each year bin, each with its own stream."""

    def run(battles: Columns, stream: np.random.SeedSequence) -> Robustness:
        return robustness(
            battles,
            runs=runs,
            tolerance=tolerance,
            seed=stream,
            variants=variants,
            engine=engine,
            drop_invalid=drop_invalid,
        )

    return per_period(table, bins, seed, run)
