"""Scenario discovery at 10^5 draws: simulation plus PRIM, per engine, and PRIM against EMA.

Measures, in one process and on one machine:

- ``simulate``: the default scenario, ``draws`` draws, ``save="summary"``, per engine
  (``numpy``, and ``numba`` where installed), after a 1,000-draw warm-up (JIT compiled);
- ``discover``: ``ceasefire.analysis.discover.discover`` with the command's defaults (PRIM,
  3 boxes, 50 bootstrap replicates, 30% held out) on "months_to_crisis.russia <= 36";
- ``cli``: the whole ``ceasefire discover --draws N`` command in a subprocess (imports, JIT,
  the probe, simulation, PRIM, printing), per engine;
- ``peel``: PRIM's peeling alone on a synthetic 10^5 × 45 problem (a box in 2 of 45
  uniform inputs), this implementation and, where importable, EMA Workbench 2.x's
  ``prim.Prim(...).find_box()`` on the same data.

Run from the repository root: ``python benchmarks/discover.py`` (``--json`` for a record).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from importlib.util import find_spec
from typing import Any

import numpy as np


def _time(function: Any, repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        cpu = time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        _CPU.append(time.process_time() - cpu)
    return float(np.median(times)), result


# CPU seconds of each timed call: on a machine shared with other jobs, wall time grows with
# the load while CPU time stays near what an idle core would take (the work is one thread).
_CPU: list[float] = []


def _synthetic(n: int, dims: int = 45, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, dims))
    inside = (x[:, 0] < 0.25) & (x[:, 1] > 0.7)
    y = (inside & (rng.uniform(size=n) < 0.5)) | (rng.uniform(size=n) < 0.005)
    return x, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    args = parser.parse_args()

    from ceasefire.analysis.discover import discover, peel
    from ceasefire.ensemble import simulate
    from ceasefire.scenario import load_scenario

    record: dict[str, Any] = {
        "draws": args.draws,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "engines": {},
    }
    scenario = load_scenario("russia-ukraine-2024-11")
    engines = ["numpy"] + (["numba"] if find_spec("numba") else [])
    outcome = "months_to_crisis.russia <= 36"
    for engine in engines:
        simulate(scenario, draws=1000, seed=0, save="summary", engine=engine)  # warm-up
        seconds, ensemble = _time(
            lambda engine=engine: simulate(
                scenario, draws=args.draws, seed=0, save="summary", engine=engine
            ),
            args.repeat,
        )
        simulate_cpu = _CPU[-1]
        found_seconds, result = _time(lambda ensemble=ensemble: discover(ensemble, outcome), 1)
        entry: dict[str, Any] = {
            "simulate_s": round(seconds, 2),
            "discover_s": round(found_seconds, 2),
            "total_s": round(seconds + found_seconds, 2),
            "simulate_cpu_s": round(simulate_cpu, 2),
            "discover_cpu_s": round(_CPU[-1], 2),
            "total_cpu_s": round(simulate_cpu + _CPU[-1], 2),
            "summary": result["summary"],
        }
        if not args.no_cli:
            with tempfile.TemporaryDirectory() as folder:
                start = time.perf_counter()
                before = os.times()
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "ceasefire.cli",
                        "discover",
                        "--draws",
                        str(args.draws),
                        "--engine",
                        engine,
                        "--no-progress",
                        "--save",
                        os.path.join(folder, "discovery.json"),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                entry["cli_s"] = round(time.perf_counter() - start, 2)
                after = os.times()
                entry["cli_cpu_s"] = round(
                    after.children_user
                    - before.children_user
                    + after.children_system
                    - before.children_system,
                    2,
                )
                entry["cli_rc"] = done.returncode
        record["engines"][engine] = entry

    x, y = _synthetic(args.draws)
    seconds, trajectory = _time(lambda: peel(x, y, alpha=0.05, mass_min=0.05), args.repeat)
    record["peel"] = {
        "ceasefire_s": round(seconds, 2),
        "ceasefire_cpu_s": round(_CPU[-1], 2),
        "steps": len(trajectory.boxes) - 1,
    }
    if find_spec("ema_workbench"):
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim as ema_prim

            frame = pd.DataFrame(x, columns=[f"p{j}" for j in range(x.shape[1])])

            def ema() -> Any:
                return ema_prim.Prim(frame, y, threshold=0.3, peel_alpha=0.05).find_box()

            ema_seconds, box = _time(ema, args.repeat)
        record["peel"]["ema_workbench_s"] = round(ema_seconds, 2)
        record["peel"]["ema_workbench_cpu_s"] = round(_CPU[-1], 2)
        record["peel"]["ema_workbench_steps"] = len(box.peeling_trajectory) - 1
    if args.json:
        print(json.dumps(record, indent=2))
        return
    print(f"{args.draws:,} draws, {record['cpus']} CPUs, Python {record['python']}")
    for engine, entry in record["engines"].items():
        print(
            f"{engine:>6}: simulate {entry['simulate_s']} s + discover {entry['discover_s']} s "
            f"= {entry['total_s']} s wall ({entry['total_cpu_s']} s CPU); whole command "
            f"{entry.get('cli_s', '–')} s wall ({entry.get('cli_cpu_s', '–')} s CPU)"
        )
    peel_entry = record["peel"]
    print(
        f"peel 10^5 x 45: ceasefire {peel_entry['ceasefire_s']} s "
        f"({peel_entry['steps']} steps); EMA Workbench {peel_entry.get('ema_workbench_s', '–')} s"
    )


if __name__ == "__main__":
    main()
