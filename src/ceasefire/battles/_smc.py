"""ABC-SMC model selection among the rubio2016 step laws, with pyabc.

Toni, T., Welch, D., Strelkowa, N., Ipsen, A. & Stumpf, M. P. H. (2009), "Approximate
Bayesian computation scheme for parameter inference and model selection in dynamical
systems", *J. R. Soc. Interface* 6: 187–202, as implemented by pyabc (Klinger,
Rickert & Hasenauer 2018, *Bioinformatics* 34(20): 3591–3593; Schälte et al. 2022,
*JOSS* 7(74): 4304).

The same four models, priors and distance as the rubio2016 rejection procedure
(:mod:`._rubio`): model ``m`` uniform over linear, square, logarithmic and fatigue;
``μ, σ ~ U(0, 5)``; per battle ``ρ ~ Gamma(mean μ, sd σ)``; the paper's discretisation
(or any :class:`._rubio_kernel.Kernel`); distance ``Σ |simulated − historical| /
historical`` over battles and sides. pyabc's defaults do the rest: the acceptance
threshold of each generation is the median distance of the previous one, models are
perturbed with probability 0.3, parameters with a multivariate normal kernel. The run
stops after ``generations`` populations, or when the acceptance rate falls below
``min_acceptance_rate``.

A particle's simulation returns its distance as its one summary statistic (the paper's
distance is fixed, so pyabc's adaptive distances have nothing to adapt); pyabc then
compares it with 0. Posterior model probabilities are the particle weights per model in
the last population. Each repeat uses its own seed (pyabc draws from NumPy's global
generator: it is seeded for the run and restored afterwards) and the single-core
sampler, so a seed gives the same result every time.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ceasefire._errors import InputError
from ceasefire.battles._choice import LawChoice, RepeatedChoice
from ceasefire.battles._rubio import (
    PAPER,
    PRIOR_HIGH,
    BattleSet,
    Kernel,
    battle_set,
    describe,
    draw_ratios,
)
from ceasefire.battles._rubio_kernel import resolve_engine, run_distances
from ceasefire.battles._rubio_laws import STEP_LAWS
from ceasefire.battles._table import Seed, seed_sequence

__all__ = ["rubio2016_smc", "smc_once"]

_LOGGERS = ("ABC", "pyabc", "Sampler", "Epsilon", "Distance", "Acceptor", "History")


@contextlib.contextmanager
def _quiet_seeded(seed: int) -> Iterator[None]:
    """Seed NumPy's global generator (pyabc's source) and silence pyabc's log for a run."""
    state = np.random.get_state()  # noqa: NPY002 - pyabc draws from the global generator
    levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    np.random.seed(seed)  # noqa: NPY002
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _import_pyabc() -> Any:
    try:
        import pyabc
    except ImportError:
        raise InputError("needs pyabc: pip install 'ceasefire[battles]'", field="sampler") from None
    return pyabc


def smc_once(
    battles: BattleSet,
    *,
    seed: int,
    population: int = 500,
    generations: int = 8,
    min_acceptance_rate: float = 0.005,
    kernel: Kernel = PAPER,
    engine: str = "auto",
) -> LawChoice:
    """One ABC-SMC run: the last population's model probabilities and threshold."""
    pyabc = _import_pyabc()
    engine = resolve_engine(engine)
    simulator = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])

    def model(law: int) -> Any:
        def simulate(parameters: Any) -> dict[str, float]:
            ratios = draw_ratios(
                simulator,
                np.array([parameters["mu"]]),
                np.array([parameters["sigma"]]),
                len(battles),
            )
            distance, _ = run_distances(
                np.array([law], dtype=np.int64), ratios, battles, kernel, engine
            )
            return {"distance": float(distance[0])}

        return simulate

    priors = [
        pyabc.Distribution(
            mu=pyabc.RV("uniform", 0.0, PRIOR_HIGH), sigma=pyabc.RV("uniform", 0.0, PRIOR_HIGH)
        )
        for _ in STEP_LAWS
    ]
    with _quiet_seeded(seed), tempfile.TemporaryDirectory() as folder:
        abc = pyabc.ABCSMC(
            [model(law) for law in range(len(STEP_LAWS))],
            priors,
            lambda simulated, observed: abs(simulated["distance"] - observed["distance"]),
            population_size=population,
            sampler=pyabc.sampler.SingleCoreSampler(),
        )
        abc.new("sqlite:///" + str(Path(folder) / "smc.db"), {"distance": 0.0})
        history = abc.run(max_nr_populations=generations, min_acceptance_rate=min_acceptance_rate)
        last = history.max_t
        # For one generation pyabc gives a frame indexed by model with a column "p";
        # models without particles are absent.
        shares = history.get_model_probabilities(last)["p"]
        probabilities = np.array([float(shares.get(m, 0.0)) for m in range(len(STEP_LAWS))])
        populations = history.get_all_populations()
        threshold = float(populations.loc[populations["t"] == last, "epsilon"].iloc[0])
        counts = history.get_nr_particles_per_population()
        posteriors = []
        accepted = []
        for m in range(len(STEP_LAWS)):
            if probabilities[m] > 0:
                frame, weights = history.get_distribution(m=m, t=last)
                sample = frame[["mu", "sigma"]].to_numpy(dtype=np.float64)
                pick = simulator.choice(len(sample), size=len(sample), p=weights / weights.sum())
                posteriors.append(sample[pick])
                accepted.append(len(sample))
            else:
                posteriors.append(np.empty((0, 2)))
                accepted.append(0)
        simulations = int(populations.loc[populations["t"] >= 0, "samples"].sum())
    return LawChoice(
        laws=STEP_LAWS,
        probabilities=probabilities / probabilities.sum(),
        accepted=tuple(accepted),
        simulated=(0,) * len(STEP_LAWS),
        posteriors=tuple(posteriors),
        tolerance=threshold,
        quantile=float(counts.iloc[-1]) / max(simulations, 1),
        n_simulations=simulations,
        n_battles=len(battles),
        n_dropped=battles.n_dropped,
        parameter_names=("mu", "sigma"),
        details={
            "procedure": "rubio2016",
            "sampler": "abc-smc (pyabc)",
            "discretisation": describe(kernel),
            "engine": "closed form" if kernel.continuous else engine,
            "generations": int(last) + 1,
            "population": population,
        },
    )


def rubio2016_smc(
    table: object,
    *,
    repeats: int = 3,
    seed: Seed = None,
    population: int = 500,
    generations: int = 8,
    min_acceptance_rate: float = 0.005,
    kernel: Kernel = PAPER,
    engine: str = "auto",
    drop_invalid: bool = False,
) -> RepeatedChoice:
    """ABC-SMC model choice (pyabc) on a battle table, repeated with independent seeds.

    Returns the mean posterior model probabilities over ``repeats`` runs, their
    Monte-Carlo error (sd over the repeats) and each run's final threshold. See the
    module docstring; ``kernel`` and ``engine`` are those of :func:`._rubio.rubio2016`.
    """
    if repeats < 1:
        raise InputError(f"expected at least one repeat, got {repeats}", field="repeats")
    if population < 10 or generations < 1:
        raise InputError(
            f"expected population >= 10 and generations >= 1, got {population}, {generations}",
            field="population",
        )
    battles = battle_set(table, drop_invalid=drop_invalid)
    seeds = [int(s.generate_state(1)[0]) for s in seed_sequence(seed).spawn(repeats)]
    return RepeatedChoice(
        tuple(
            smc_once(
                battles,
                seed=s,
                population=population,
                generations=generations,
                min_acceptance_rate=min_acceptance_rate,
                kernel=kernel,
                engine=engine,
            )
            for s in seeds
        )
    )
