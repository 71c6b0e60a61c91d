"""Speed targets of issue 8, measured in one run and reported as ratios to PySD's loop.

Measures, on this machine (every number printed comes from a timing made here):

1. PySD's Monte-Carlo loop on the reference workload, as a careful user runs it
   (``model.run(params=..., return_columns=[...])``);
2. ``ceasefire run pysd-reference --draws N --save summary`` as a whole command
   (interpreter start-up, imports, simulation, streamed summary, files), with the ten
   varied parameters of ``benchmarks/pysd_reference.py``; its draws/s and the ratio
   to PySD;
3. the same workload in-process keeping full monthly trajectories;
4. the default scenario (10^5 draws × 36 months), seconds;
5. ``ceasefire --help`` and ``ceasefire run`` on the default at 10^4 draws, wall seconds;
6. the compiled kernel against the NumPy engine (warm, in-process) and the compile
   cache (first call in a fresh process, with and without the on-disk cache);
7. peak memory (max RSS) of a streamed ensemble against the number of draws;
8. this machine's memory bandwidth (a large array copy), to say what bounds the kernel.

Run from the repository root::

    .venv/bin/python benchmarks/speed.py            # the issue's sizes (minutes)
    .venv/bin/python benchmarks/speed.py --quick    # small sizes (about a minute)
    .venv/bin/python benchmarks/speed.py --json     # a JSON record as well
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pysd_reference import DEFAULT_MDL, PARAMETERS, bench_pysd, cpu_model, overrides

PYTHON = sys.executable

FULL = {
    "pysd_draws": 300,
    "cli_draws": 1_000_000,
    "trajectory_draws": 200_000,
    "default_draws": 100_000,
    "memory_draws": (10_000, 100_000, 1_000_000, 10_000_000),
    "cold_compile": True,
}
QUICK = {
    "pysd_draws": 50,
    "cli_draws": 100_000,
    "trajectory_draws": 20_000,
    "default_draws": 10_000,
    "memory_draws": (10_000, 100_000),
    "cold_compile": False,
}


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run a command; return (wall seconds, stdout); raise if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:6])}… exited {done.returncode}:\n{done.stderr}")
    return seconds, done.stdout


def cli_run(preset: str, draws: int, *extra: str) -> float:
    """Wall seconds of ``python -m ceasefire.cli run PRESET --draws N …`` (a subprocess)."""
    with tempfile.TemporaryDirectory() as folder:
        command = [PYTHON, "-m", "ceasefire.cli", "run", preset, "--draws", str(draws)]
        command += ["-o", folder, "--no-progress", *extra]
        seconds, _ = run(command)
    return seconds


def in_process(code: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    _, out = run([PYTHON, "-c", code])
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def bench_trajectories(draws: int) -> float:
    """Draws/s of the varied reference workload with full monthly trajectories kept."""
    code = f"""
import json, time
from ceasefire.scenario import load_scenario
from ceasefire.ensemble import simulate
scenario = load_scenario("pysd-reference", overrides={overrides()!r})
simulate(scenario, draws=2000, save="trajectories")
start = time.perf_counter()
simulate(scenario, draws={draws}, save="trajectories")
print(json.dumps({{"seconds": time.perf_counter() - start}}))
"""
    return draws / in_process(code)["seconds"]


def bench_default(draws: int) -> float:
    """Seconds for the default scenario (36 months), warm, streamed summary."""
    code = f"""
import json, time
from ceasefire.ensemble import simulate_streaming
simulate_streaming(draws=500)
start = time.perf_counter()
simulate_streaming(draws={draws})
print(json.dumps({{"seconds": time.perf_counter() - start}}))
"""
    return float(in_process(code)["seconds"])


def bench_engines(draws: int) -> dict[str, float]:
    """Warm draws/s of each engine on the reference workload (summary only), 1 and all threads."""
    code = f"""
import json, time
from ceasefire.model import _compiled
from ceasefire.scenario import load_scenario
from ceasefire.ensemble import simulate
scenario = load_scenario("pysd-reference", overrides={overrides()!r})
out = {{}}
for engine, threads in (("numpy", 1), ("numba", 1), ("numba", None)):
    _compiled.set_threads(threads)
    simulate(scenario, draws=2000, save="summary", engine=engine)
    start = time.perf_counter()
    simulate(scenario, draws={draws}, save="summary", engine=engine)
    out[engine + ("" if threads is None else "_1thread")] = {draws} / (time.perf_counter() - start)
print(json.dumps(out))
"""
    return in_process(code)


def bench_compile(cold: bool) -> dict[str, float]:
    """Seconds of the first compiled-kernel call in a fresh process: cached, and cold."""
    code = """
import json, time
from ceasefire.model import build_inputs
from ceasefire.scenario import load_scenario
scenario = load_scenario("tiny")
inputs = build_inputs(scenario, {}, 64)
start = time.perf_counter()
from ceasefire.model._compiled import integrate_compiled
integrate_compiled(inputs, keep_trajectories=False)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""
    result = {"cached_first_call_s": in_process(code)["seconds"]}
    if cold:
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "NUMBA_CACHE_DIR": cache}
            _, out = run([PYTHON, "-c", code], env=env)
            result["cold_first_call_s"] = json.loads(out.strip().splitlines()[-1])["seconds"]
    return result


def bench_memory(draws: int) -> dict[str, float]:
    """Peak RSS (MiB) and seconds of a streamed ensemble of ``draws`` (no per-draw data kept)."""
    code = f"""
import json, resource, time
from ceasefire.scenario import load_scenario
from ceasefire.ensemble import simulate_streaming
scenario = load_scenario("pysd-reference", overrides={overrides()!r})
start = time.perf_counter()
simulate_streaming(scenario, draws={draws})
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"draws": {draws}, "peak_mib": peak, "seconds": seconds}}))
"""
    return in_process(code)


def bandwidth() -> float:
    """GB/s of a 512 MB array copy (read + write counted), best of 3."""
    source = np.ones(64 * 1024 * 1024)
    target = np.empty_like(source)
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        np.copyto(target, source)
        best = max(best, 2 * source.nbytes / (time.perf_counter() - start) / 1e9)
    return best


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run every measurement and print a table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--json", action="store_true", help="print a JSON record too")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PySD imports deprecated modules
        import pysd

        model = pysd.read_vensim(str(DEFAULT_MDL))
        pysd_seconds, _ = bench_pysd(model, sizes["pysd_draws"], seed=1)
    pysd_rate = sizes["pysd_draws"] / pysd_seconds

    sets = [arg for item in overrides() for arg in ("--set", item)]
    cli_draws = sizes["cli_draws"]
    cli_seconds = cli_run("pysd-reference", cli_draws, "--save", "summary", *sets)
    record: dict[str, Any] = {
        "machine": f"{cpu_model()}, {len(os.sched_getaffinity(0))} CPUs, Python "
        f"{platform.python_version()}, numpy {np.__version__}",
        "load_average_1min_start": os.getloadavg()[0],
        "pysd_runs_per_s": pysd_rate,
        "cli_summary_draws": cli_draws,
        "cli_summary_seconds": cli_seconds,
        "cli_summary_draws_per_s": cli_draws / cli_seconds,
        "cli_ratio_to_pysd": cli_draws / cli_seconds / pysd_rate,
        "trajectories_draws_per_s": bench_trajectories(sizes["trajectory_draws"]),
        "default_draws": sizes["default_draws"],
        "default_seconds": bench_default(sizes["default_draws"]),
        "help_seconds": run([PYTHON, "-m", "ceasefire.cli", "--help"])[0],
        "run_default_10k_seconds": cli_run("russia-ukraine-2024-11", 10_000),
        "engines_draws_per_s": bench_engines(sizes["trajectory_draws"]),
        "compile": bench_compile(sizes["cold_compile"]),
        "memory": [bench_memory(n) for n in sizes["memory_draws"]],
        "bandwidth_gb_per_s": bandwidth(),
        "parameters_varied": len(PARAMETERS),
        "load_average_1min_end": os.getloadavg()[0],
    }
    rows = [
        ("PySD model.run loop", f"{pysd_rate:,.1f} runs/s"),
        (
            f"ceasefire run --save summary, {cli_draws:,} draws (whole command)",
            f"{record['cli_summary_draws_per_s']:,.0f} draws/s ({cli_seconds:.2f} s), "
            f"{record['cli_ratio_to_pysd']:,.0f}x PySD (targets 1,000,000/s, 15,000x)",
        ),
        (
            "trajectories kept, in-process",
            f"{record['trajectories_draws_per_s']:,.0f} draws/s (target 300,000)",
        ),
        (
            f"default scenario, {sizes['default_draws']:,} draws x 36 months",
            f"{record['default_seconds']:.2f} s (target < 2 s at 100,000)",
        ),
        ("ceasefire --help", f"{record['help_seconds']:.2f} s (target < 0.3 s)"),
        ("ceasefire run default, 10,000 draws", f"{record['run_default_10k_seconds']:.2f} s"),
        (
            "engines, warm (draws/s)",
            ", ".join(f"{k} {v:,.0f}" for k, v in record["engines_draws_per_s"].items()),
        ),
        ("compiled kernel, first call", json.dumps(record["compile"])),
        (
            "streamed peak memory",
            "; ".join(
                f"{m['draws']:,} draws: {m['peak_mib']:,.0f} MiB in {m['seconds']:.1f} s"
                for m in record["memory"]
            ),
        ),
        ("memory bandwidth (copy)", f"{record['bandwidth_gb_per_s']:.1f} GB/s"),
        ("machine", record["machine"]),
        (
            "load average (1 min), start and end",
            f"{record['load_average_1min_start']:.2f}, {record['load_average_1min_end']:.2f}",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.json:
        print(json.dumps(record, indent=2))
    return record


if __name__ == "__main__":
    main()
