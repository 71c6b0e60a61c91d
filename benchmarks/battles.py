"""Speed of the rubio2016 procedure, and its verdict on CDB90 under every procedure.

``speed``: 10⁵ runs of the paper's procedure (Rubio-Campillo 2016) on 500 battles, with
the compiled kernel (Numba, all threads) and the NumPy path, in one process. The battles
are CDB90's complete ones (the first 500 valid) when ``../shared/data`` is there, else
500 synthetic battles of CDB90-like sizes.

``cdb90``: the tables of ``benchmarks/BATTLES.md``: CDB90 by period under the
``end_strength`` and ``duration`` procedures, rubio2016 at 10³, 10⁴ and 10⁵ runs
(mean and sd over seeds), ABC-SMC with pyabc, and the robustness table.

    .venv/bin/python benchmarks/battles.py speed [--runs 100000] [--json]
    .venv/bin/python benchmarks/battles.py cdb90 [--repeats 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ceasefire.battles import BattleTable, load_cdb90, rubio2016
from ceasefire.battles._rubio import battle_set, draw_ratios

CDB90 = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "battles" / "cdb90"


@dataclass(frozen=True)
class Columns:
    """A plain battle table."""

    a0: np.ndarray
    ac: np.ndarray
    b0: np.ndarray
    bc: np.ndarray


def cdb90() -> BattleTable | None:
    """CDB90's complete battles, or None where the shared data are absent."""
    if not (CDB90 / "battles.csv").is_file():
        return None
    return load_cdb90(
        CDB90 / "battles.csv", CDB90 / "belligerents.csv", CDB90 / "battle_durations.csv"
    )


def five_hundred() -> tuple[Columns, str]:
    """500 battles: CDB90's first 500 valid ones, or synthetic ones of similar sizes."""
    table = cdb90()
    if table is not None:
        valid = battle_set(table, drop_invalid=True)
        pick = slice(0, 500)
        return (
            Columns(
                valid.red0[pick], valid.red_lost[pick], valid.blue0[pick], valid.blue_lost[pick]
            ),
            "CDB90, first 500 valid battles",
        )
    rng = np.random.default_rng(500)
    a0 = np.round(np.exp(rng.normal(np.log(2e4), 1.0, 500))) + 100
    b0 = np.round(np.exp(rng.normal(np.log(2e4), 1.0, 500))) + 100
    ac = np.maximum(np.round(a0 * rng.uniform(0.02, 0.3, 500)), 1)
    bc = np.maximum(np.round(b0 * rng.uniform(0.02, 0.3, 500)), 1)
    return Columns(a0, ac, b0, bc), "500 synthetic battles (CDB90 absent)"


def speed(runs: int, numpy_runs: int) -> dict[str, Any]:
    """Time rubio2016 on 500 battles: Numba (warm) at ``runs``, NumPy at ``numpy_runs``."""
    table, source = five_hundred()
    rubio2016(table, runs=100, seed=0, engine="numba")  # compile or load the disk cache
    start, cpu = time.perf_counter(), time.process_time()
    compiled = rubio2016(table, runs=runs, seed=1, engine="numba")
    numba_s, numba_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    reference = rubio2016(table, runs=numpy_runs, seed=1, engine="numpy")
    numpy_s, numpy_cpu = time.perf_counter() - start, time.process_time() - cpu
    rng = np.random.default_rng(2)
    start = time.perf_counter()
    for _ in range(runs // 1024):
        draw_ratios(rng, rng.uniform(0, 5, 1024), rng.uniform(0, 5, 1024), len(table.a0))
    gamma_s = time.perf_counter() - start
    check = rubio2016(table, runs=numpy_runs, seed=1, engine="numba")
    return {
        "battles": source,
        "runs": runs,
        "numba_seconds": numba_s,
        "numba_cpu_seconds": numba_cpu,
        "numba_runs_per_second": runs / numba_s,
        "gamma_draws_seconds": gamma_s,
        "numpy_runs": numpy_runs,
        "numpy_seconds": numpy_s,
        "numpy_cpu_seconds": numpy_cpu,
        "numpy_runs_per_second": numpy_runs / numpy_s,
        "speed_ratio_numba_over_numpy": (runs / numba_s) / (numpy_runs / numpy_s),
        "engines_agree": bool(np.array_equal(check.probabilities, reference.probabilities)),
        "verdict": compiled.to_dict()["probabilities"],
        "cpus": len(os.sched_getaffinity(0)),
        "load_average": os.getloadavg(),
    }


def cdb90_tables(
    repeats: int,
    smc_population: int,
    smc_generations: int,
    run_counts: tuple[int, ...] = (1_000, 10_000, 100_000),
) -> dict[str, Any]:
    """Every procedure on CDB90 by period (see the module docstring)."""
    from ceasefire.battles import DEFAULT_PERIODS, select_by_period
    from ceasefire.cli._battles_rubio import rubio_periods

    table = cdb90()
    if table is None:
        raise SystemExit("CDB90 is not in ../shared/data/battles/cdb90")
    out: dict[str, Any] = {}
    for stop in ("end_strength", "duration"):
        result = select_by_period(table, seed=0, drop_excess_casualties=True, stop=stop)
        out[stop] = result.to_dict()["periods"]
    base = {
        "tolerance": 0.1,
        "sampler": "rejection",
        "repeats": repeats,
        "population": smc_population,
        "generations": smc_generations,
        "men_per_step": 100.0,
        "rounding": True,
        "continuous": False,
        "robustness": False,
        "engine": "auto",
        "seed": 0,
    }
    for runs in run_counts:
        start = time.perf_counter()
        out[f"rubio2016_{runs}"], _ = rubio_periods(
            table, DEFAULT_PERIODS, {**base, "runs": runs}, where="cdb90"
        )
        out[f"rubio2016_{runs}_seconds"] = time.perf_counter() - start
    out["robustness"], _ = rubio_periods(
        table,
        DEFAULT_PERIODS,
        {**base, "runs": 10_000, "repeats": 1, "robustness": True},
        where="cdb90",
    )
    start = time.perf_counter()
    out["smc"], _ = rubio_periods(
        table,
        DEFAULT_PERIODS,
        {**base, "runs": 1_000, "sampler": "smc", "repeats": 3},
        where="cdb90",
    )
    out["smc_seconds"] = time.perf_counter() - start
    return out


def main() -> None:
    """Parse the command line and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("speed", "cdb90"))
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--numpy-runs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--population", type=int, default=300)
    parser.add_argument("--generations", type=int, default=6)
    parser.add_argument(
        "--run-counts", type=int, nargs="+", default=[1_000, 10_000, 100_000], help="cdb90 only"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.what == "speed":
        record = speed(args.runs, args.numpy_runs)
    else:
        record = cdb90_tables(
            args.repeats, args.population, args.generations, tuple(args.run_counts)
        )
    if args.json or args.what == "cdb90":
        print(json.dumps(record, indent=1, default=float))
        return
    for key, value in record.items():
        print(f"{key:<32} {value}")


if __name__ == "__main__":
    main()
