"""Speed of ``ceasefire bargain`` on the default scenario at 1,000 draws (issue 18).

Measures in one process, so the numbers are comparable with each other on a loaded machine:

1. the old window (:func:`ceasefire.bargaining.deal_window`, scenario assumptions, one
   Nash and one KS solve per draw and month) as the baseline;
2. the grounded calculus (:func:`ceasefire.bargaining.deal_calculus`, with each side's
   own beliefs and the three-cutoff backtest), as ``bargain`` runs it;
3. where the calculus spends its time: the posterior, the simulations, the vectorised
   frontier, the backtest;
4. the whole command (``ceasefire bargain -n 1000 --json``) in a fresh process.

Wall seconds (``perf_counter``) and CPU seconds (``process_time``) are both printed; on a
shared machine the CPU seconds are the steadier of the two. Run from the repository root::

    .venv/bin/python benchmarks/bargain.py [--draws 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import time
from typing import Any


def _timed(function: Any, repeats: int) -> tuple[float, float]:
    """Best wall and best CPU seconds over ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from ceasefire.bargaining import deal_calculus, deal_window
    from ceasefire.bargaining._beliefs import claimed_beliefs
    from ceasefire.ensemble import simulate
    from ceasefire.scenario import load_scenario

    scenario = load_scenario("russia-ukraine-2024-11")
    simulate(scenario, draws=10, seed=0)  # compile and warm up once
    deal = {"territory": "front", "neutrality": 1.0, "sanctions": 0.0}
    beliefs_a, beliefs_b, _ = claimed_beliefs(scenario)

    def old() -> None:
        deal_window(scenario, draws=args.draws, seed=0, deal=deal)

    def new() -> None:
        deal_calculus(
            scenario,
            draws=args.draws,
            seed=0,
            beliefs_a=beliefs_a,
            beliefs_b=beliefs_b,
            deal=deal,
        )

    old_wall, old_cpu = _timed(old, args.repeats)
    new_wall, new_cpu = _timed(new, args.repeats)
    print(f"draws {args.draws}, best of {args.repeats}")
    print(f"deal_window (old, baseline): {old_wall:6.2f} s wall, {old_cpu:6.2f} s CPU")
    print(
        f"deal_calculus (grounded):    {new_wall:6.2f} s wall, {new_cpu:6.2f} s CPU "
        f"(x{old_cpu / new_cpu:.1f} less CPU than the baseline)"
    )
    profile = cProfile.Profile()
    profile.runcall(new)
    stats = pstats.Stats(profile)
    total = sum(row[3] for key, row in stats.stats.items() if key[2] == "deal_calculus")  # type: ignore[attr-defined]
    parts = {
        "simulate": ("_simulate.py", "simulate"),
        "posterior (infer_preferences)": ("_revealed.py", "infer_preferences"),
        "posterior summary": ("_revealed.py", "summary"),
        "backtest": ("_calculus.py", "_backtest"),
        "Nash terms": ("_vector.py", "nash_terms"),
        "KS terms": ("_vector.py", "kalai_smorodinsky_terms"),
        "windows": ("_vector.py", "window_open"),
    }
    print(f"where the calculus spends its time (profiled, {total:.2f} s):")
    for label, (file, name) in parts.items():
        seconds = sum(
            row[3]
            for key, row in stats.stats.items()  # type: ignore[attr-defined]
            if key[0].endswith(file) and key[2] == name
        )
        print(f"  {label:32s} {seconds:6.2f} s")
    command = [sys.executable, "-m", "ceasefire.cli", "bargain", "-n", str(args.draws), "--json"]
    wall = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=True)
    print(
        f"ceasefire bargain -n {args.draws} --json (fresh process): "
        f"{time.perf_counter() - wall:.2f} s wall, {len(done.stdout):,} bytes"
    )


if __name__ == "__main__":
    main()
