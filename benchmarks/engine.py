"""The engine issue's measurements: kernel throughput per engine and the start-up of a run.

1. **Kernels.** ``integrate`` (NumPy) and ``integrate_compiled`` (the lane kernel) on the
   reference workload (``pysd-reference``, its ten parameters varied as in
   ``pysd_reference.py``) and on the default scenario, warm, in this process: draws per
   second of wall time (best of ``--repeat``) and per CPU-second, on one thread and on all
   cores. Sampling and summaries are left out: this is the kernel alone.
2. **Start-up of ``ceasefire run``**, each phase timed inside a fresh interpreter: imports
   (``ceasefire.cli``), the first scenario load, the first compiled call (from Numba's
   on-disk cache), the first netCDF write; and the whole ``ceasefire run`` command at
   ``--draws 1000 --save summary``.

Every ratio compares numbers measured in this one command. Run from the repository root::

    .venv/bin/python benchmarks/engine.py            # --json for a record, --quick
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pysd_reference import overrides

PYTHON = sys.executable


def kernel_rates(draws: dict[str, int], repeat: int) -> dict[str, dict[str, float]]:
    """Draws/s of each engine's kernel, warm; wall (best of ``repeat``) and per CPU-second."""
    from ceasefire.ensemble import uncertain_parameters
    from ceasefire.model import build_inputs, integrate
    from ceasefire.model._compiled import integrate_compiled, set_threads
    from ceasefire.scenario import load_scenario

    out: dict[str, dict[str, float]] = {}
    for name, n in draws.items():
        sets = overrides() if name == "pysd-reference" else []
        scenario = load_scenario(name, overrides=sets)
        rng = np.random.default_rng(0)
        sampled = {p.path: p.param.ppf(rng.uniform(size=n)) for p in uncertain_parameters(scenario)}
        inputs = build_inputs(scenario, sampled, n)
        small = build_inputs(scenario, {k: v[:256] for k, v in sampled.items()}, 256)
        cases = (
            ("numpy", integrate, None, max(n // 8, 256)),
            ("compiled, 1 thread", integrate_compiled, 1, n),
            ("compiled, all cores", integrate_compiled, None, n),
        )
        for label, function, threads, size in cases:
            set_threads(threads)
            function(small, keep_trajectories=False)  # compile or load, warm caches
            chunk = (
                inputs
                if size == n
                else build_inputs(scenario, {k: v[:size] for k, v in sampled.items()}, size)
            )
            best, cpu_best = float("inf"), float("inf")
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                function(chunk, keep_trajectories=False)
                best = min(best, time.perf_counter() - start)
                cpu_best = min(cpu_best, time.process_time() - start_cpu)
            out[f"{name}: {label}"] = {"draws_per_s": size / best, "per_cpu_s": size / cpu_best}
        set_threads(None)
    return out


_PHASES = """
import json, sys, time, tempfile
from pathlib import Path
t0 = time.perf_counter()
import ceasefire.cli  # what `ceasefire` imports before a command runs
t1 = time.perf_counter()
from ceasefire.scenario import load_scenario
scenario = load_scenario("russia-ukraine-2024-11")
t2 = time.perf_counter()
from ceasefire.ensemble import simulate
ensemble = simulate(scenario, draws=64, seed=0, save="trajectories", engine="{engine}")
t3 = time.perf_counter()
from ceasefire.ensemble._io import save_ensemble
with tempfile.TemporaryDirectory() as folder:
    save_ensemble(ensemble, Path(folder) / "e.nc")
t4 = time.perf_counter()
print(json.dumps({{"imports_s": t1 - t0, "first_scenario_load_s": t2 - t1,
                   "first_simulate_s": t3 - t2, "first_netcdf_write_s": t4 - t3}}))
"""


def startup(repeat: int) -> dict[str, float]:
    """Each start-up phase in a fresh interpreter (median of ``repeat``), and the whole run."""
    phases: dict[str, list[float]] = {}
    for _ in range(repeat):
        done = subprocess.run(
            [PYTHON, "-c", _PHASES.format(engine="numba")],
            capture_output=True,
            text=True,
            check=True,
        )
        for key, value in json.loads(done.stdout.strip().splitlines()[-1]).items():
            phases.setdefault(key, []).append(value)
    out = {key: float(np.median(values)) for key, values in phases.items()}
    whole = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            command = [PYTHON, "-m", "ceasefire.cli", "run", "--draws", "1000", "--save"]
            command += ["summary", "--no-progress", "-o", folder]
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=dict(os.environ))
            whole.append(time.perf_counter() - start)
    out["run_1000_draws_whole_command_s"] = float(np.median(whole))
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print a JSON record too")
    args = parser.parse_args(argv)
    draws = {"pysd-reference": 65_536, "russia-ukraine-2024-11": 8_192}
    if args.quick:
        draws = {"pysd-reference": 8_192, "russia-ukraine-2024-11": 1_024}
    load = os.getloadavg()[0]
    record: dict[str, Any] = {"kernels": kernel_rates(draws, args.repeat)}
    record["startup"] = startup(args.repeat)
    record["load_average_1min_end"] = os.getloadavg()[0]
    record["load_average_1min_start"] = load
    for label, rates in record["kernels"].items():
        print(
            f"{label}: {rates['draws_per_s']:,.0f} draws/s wall, "
            f"{rates['per_cpu_s']:,.0f} per CPU-second"
        )
    for key, value in record["startup"].items():
        print(f"{key}: {value:.2f} s")
    print(
        f"load average: {load:.1f} at the start, {record['load_average_1min_end']:.1f} at the end"
    )
    if args.json:
        print(json.dumps(record, indent=2))
    return record


if __name__ == "__main__":
    main()
