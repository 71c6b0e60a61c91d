"""Speed benchmark: ceasefire against PySD on the PySD reference workload.

The workload is the one of ``shared/reference/pysd-reference-model.md``: the Vensim model
``pysd-reference-model.mdl`` (10 stocks, Euler with a step of 0.25 month, 60 months, saved
monthly) run as a Monte-Carlo ensemble in which 10 parameters vary uniformly and independently.
ceasefire runs the same equations through its ``pysd-reference`` preset, with the 10 parameters
turned into uniform distributions by ``--set``-style overrides.

In one process the script

1. checks correctness: one ceasefire draw of the unmodified preset against one PySD run of the
   unmodified model (every stock of both sides, every month), and a few ceasefire draws of the
   varied workload against PySD runs with the same sampled parameter values; the timed
   ceasefire ensemble must sample each parameter within its range, with the midpoint as mean;
2. times PySD as a PySD user would write it: ``pysd.read_vensim`` once (reported apart), then
   a loop of ``model.run(params=..., return_columns=[...])`` over ``--pysd-draws`` draws
   (PySD used well: only the columns read);
3. times ceasefire ``simulate(..., save="summary")`` over ``--draws`` draws, cold (the first
   call in the process, before the checks, ``load_scenario`` included; module imports are not)
   and warm (a loaded scenario, after a 1,000-draw warm-up run);
4. times the whole command a user types, ``python -m ceasefire.cli run pysd-reference ...``,
   start-up, summary and writing ``ensemble.nc``/``summary.json`` included.

Throughputs are compared as ratios measured in the same process, on the same machine.

Run from the repository root (``make bench`` does the same)::

    .venv/bin/python benchmarks/pysd_reference.py
    .venv/bin/python benchmarks/pysd_reference.py --draws 20000 --pysd-draws 200 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ceasefire.ensemble import simulate
from ceasefire.scenario import load_scenario

with warnings.catch_warnings():
    # PySD imports a deprecated chardet module.
    warnings.simplefilter("ignore", DeprecationWarning)
    import pysd

DEFAULT_MDL = (
    Path(__file__).resolve().parents[1].parent / "shared/reference/pysd-reference-model.mdl"
)
PRESET = "pysd-reference"
WARMUP_DRAWS = 1000
CHECK_DRAWS = 20
ASSUMPTION = "benchmark range (pysd-reference-model.md)"


class Parameter(NamedTuple):
    """One varied parameter: its Vensim name, ceasefire field path, unit and range."""

    vensim: str
    path: str
    unit: str | None
    low: float
    high: float


# The table of pysd-reference-model.md.
PARAMETERS = (
    Parameter("lethality A", "combat.lethality.a", "per_month", 0.03, 0.07),
    Parameter("lethality B", "combat.lethality.b", "per_month", 0.03, 0.06),
    Parameter(
        "recruit target A",
        "sides.a.channels.recruits.recruitment.0.value",
        "per_month",
        15000,
        35000,
    ),
    Parameter(
        "recruit target B",
        "sides.b.channels.recruits.recruitment.0.value",
        "per_month",
        20000,
        50000,
    ),
    Parameter("desertion rate A", "sides.a.desertion_rate", "per_month", 0.001, 0.01),
    Parameter("desertion rate B", "sides.b.desertion_rate", "per_month", 0.001, 0.01),
    Parameter("return fraction A", "sides.a.wounded_return.fraction", None, 0.3, 0.5),
    Parameter("return fraction B", "sides.b.wounded_return.fraction", None, 0.3, 0.5),
    Parameter("kia fraction A", "sides.a.killed_fraction", None, 0.2, 0.4),
    Parameter("kia fraction B", "sides.b.killed_fraction", None, 0.2, 0.4),
)

# ceasefire stock -> PySD column prefix (the side letter is appended).
STOCKS = {
    "active": "Frontline",
    "training": "Training",
    "wounded": "Wounded",
    "pool": "Pool",
    "killed": "Cumulative killed",
}


def overrides() -> list[str]:
    """Return the ``--set`` strings that make the 10 parameters uniform distributions."""
    result = []
    for p in PARAMETERS:
        unit = f", unit: {p.unit}" if p.unit else ""
        spec = f"{{dist: uniform, low: {p.low}, high: {p.high}{unit}, assumption: {ASSUMPTION}}}"
        result.append(f"{p.path}={spec}")
    return result


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Call ``function`` and return (seconds, result)."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def stock(ds: Any, name: str, side: str, draw: int = 0) -> np.ndarray:
    """Monthly trajectory of one ceasefire stock of one side and draw."""
    data = ds[name].sum("channel") if name == "active" else ds[name]
    return np.asarray(data.sel(side=side).isel(draw=draw), dtype=float)


def max_relative_difference(ds: Any, run: Any, draw: int = 0) -> float:
    """Largest |ceasefire - PySD| / max(|PySD|, 1 man) over the 10 stocks and all months."""
    worst = 0.0
    for name, column in STOCKS.items():
        for side in ("a", "b"):
            ours = stock(ds, name, side, draw)
            theirs = run[f"{column} {side.upper()}"].to_numpy(dtype=float)
            if ours.shape != theirs.shape:
                raise AssertionError(f"{name} {side}: shape {ours.shape} vs {theirs.shape}")
            diff = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1.0)
            worst = max(worst, float(diff.max()))
    return worst


def check_baseline(model: Any) -> float:
    """One draw of the unmodified preset against one PySD run of the unmodified model."""
    ds = simulate(load_scenario(PRESET), draws=1, seed=1, save="trajectories")
    return max_relative_difference(ds, model.run())


def check_varied(model: Any, seed: int, draws: int) -> float:
    """Ceasefire draws of the varied workload against PySD runs at the same parameter values."""
    ds = simulate(
        load_scenario(PRESET, overrides=overrides()), draws=draws, seed=seed, save="trajectories"
    )
    worst = 0.0
    for i in range(draws):
        params = {p.vensim: float(ds[p.path].isel(draw=i)) for p in PARAMETERS}
        worst = max(worst, max_relative_difference(ds, model.run(params=params), draw=i))
    return worst


def check_sample(ds: Any) -> None:
    """Check the sampled parameters are uniform on their ranges: bounds and mean (5 s.e.)."""
    for p in PARAMETERS:
        values = ds[p.path].to_numpy()
        se = (p.high - p.low) / np.sqrt(12 * values.size)
        if values.min() < p.low or values.max() > p.high:
            raise AssertionError(f"{p.path}: sampled values outside [{p.low}, {p.high}]")
        if abs(values.mean() - (p.low + p.high) / 2) > 5 * se:
            raise AssertionError(f"{p.path}: sample mean {values.mean()} far from the midpoint")


RETURN_COLUMNS = ["Frontline A", "Frontline B"]
"""What a careful PySD user asks for: the stocks they need, not every variable."""


def bench_pysd(
    model: Any, draws: int, seed: int, *, return_columns: list[str] | None = RETURN_COLUMNS
) -> tuple[float, float]:
    """Wall and CPU seconds for a loop of ``model.run(params=..., return_columns=...)``.

    PySD used well: ``return_columns`` names the two stocks the benchmark reads (PySD then
    builds only those columns; without it, a run returns every variable and is ~3.6x slower).
    """
    rng = np.random.default_rng(seed)
    samples = [
        {p.vensim: float(rng.uniform(p.low, p.high)) for p in PARAMETERS} for _ in range(draws)
    ]
    start, start_cpu = time.perf_counter(), time.process_time()
    for params in samples:
        model.run(params=params, return_columns=return_columns)
    return time.perf_counter() - start, time.process_time() - start_cpu


def bench_cli(draws: int, seed: int) -> float:
    """Seconds for the whole ``python -m ceasefire.cli run`` command, start-up included."""
    sets = [arg for item in overrides() for arg in ("--set", item)]
    with tempfile.TemporaryDirectory() as folder:
        command = [
            sys.executable,
            "-m",
            "ceasefire.cli",
            "run",
            PRESET,
            "--draws",
            str(draws),
            "--seed",
            str(seed),
            "--save",
            "summary",
            "-o",
            folder,
            "--no-progress",
            *sets,
        ]
        seconds, done = timed(lambda: subprocess.run(command, capture_output=True, text=True))
        if done.returncode != 0:
            raise RuntimeError(f"ceasefire CLI exited {done.returncode}:\n{done.stderr}")
        for name in ("ensemble.nc", "summary.json"):
            if not (Path(folder) / name).is_file():
                raise RuntimeError(f"ceasefire CLI did not write {name}")
    return seconds


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000, help="ceasefire draws")
    parser.add_argument("--pysd-draws", type=int, default=1000, help="PySD runs")
    parser.add_argument(
        "--repeat", type=int, default=3, help="warm ceasefire runs; the median is reported"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of both samplers")
    parser.add_argument("--mdl", type=Path, default=DEFAULT_MDL, help="the Vensim model")
    parser.add_argument("--json", action="store_true", help="print a JSON record on stdout")
    args = parser.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    say(f"{cpu_model()}, {os.cpu_count()} CPUs")
    say(f"python {platform.python_version()}, numpy {np.__version__}, pysd {pysd.__version__}")

    # Cold: the first simulate call in this process (modules already imported), scenario loading
    # included. Timed before anything else runs ceasefire; printed after the correctness checks.
    ov = overrides()
    cold_s, _ = timed(
        lambda: simulate(
            load_scenario(PRESET, overrides=ov), draws=args.draws, seed=args.seed, save="summary"
        )
    )

    # Correctness before any speed number is printed.
    read_s, model = timed(lambda: pysd.read_vensim(str(args.mdl)))
    baseline_diff = check_baseline(model)
    say(f"unmodified model, 1 draw: max relative difference vs PySD {baseline_diff:.2e}")
    varied_diff = check_varied(model, args.seed, CHECK_DRAWS)
    say(f"varied workload, {CHECK_DRAWS} draws: max relative difference {varied_diff:.2e}")

    pysd_s, pysd_cpu_s = bench_pysd(model, args.pysd_draws, args.seed)
    pysd_rate = args.pysd_draws / pysd_s
    say(f"PySD read_vensim: {read_s:.2f} s (not counted below)")
    say(
        f"PySD model.run loop: {args.pysd_draws:,} runs in {pysd_s:.2f} s = {pysd_rate:,.1f} /s"
        f" (CPU {pysd_cpu_s:.2f} s)"
    )

    scenario = load_scenario(PRESET, overrides=ov)
    simulate(scenario, draws=WARMUP_DRAWS, seed=args.seed, save="summary")
    warm_runs, warm_cpu_runs = [], []
    for _ in range(args.repeat):
        start_cpu = time.process_time()
        seconds, ds = timed(
            lambda: simulate(scenario, draws=args.draws, seed=args.seed, save="summary")
        )
        warm_cpu_runs.append(time.process_time() - start_cpu)
        warm_runs.append(seconds)
    warm_s = statistics.median(warm_runs)
    warm_cpu_s = statistics.median(warm_cpu_runs)
    if ds.sizes["draw"] != args.draws or not np.isfinite(ds["active_final"]).all():
        raise AssertionError("ceasefire returned the wrong number of draws or non-finite values")
    check_sample(ds)
    cold_rate, warm_rate = args.draws / cold_s, args.draws / warm_s
    say(f"ceasefire simulate, cold: {args.draws:,} draws in {cold_s:.2f} s = {cold_rate:,.0f} /s")
    say(
        f"ceasefire simulate, warm: {args.draws:,} draws in {warm_s:.2f} s = {warm_rate:,.0f} /s"
        f" (median of {args.repeat}: {', '.join(f'{t:.2f}' for t in warm_runs)} s;"
        f" CPU {warm_cpu_s:.2f} s)"
    )

    cli_s = bench_cli(args.draws, args.seed)
    cli_rate = args.draws / cli_s
    say(f"ceasefire CLI command: {args.draws:,} draws in {cli_s:.2f} s = {cli_rate:,.0f} /s")

    say(
        f"ratio ceasefire/PySD: warm {warm_rate / pysd_rate:,.0f}x, "
        f"cold {cold_rate / pysd_rate:,.0f}x, CLI {cli_rate / pysd_rate:,.0f}x"
    )
    cpu_ratio = (args.draws / warm_cpu_s) / (args.pysd_draws / pysd_cpu_s)
    say(f"ratio ceasefire warm/PySD on CPU time: {cpu_ratio:,.0f}x")
    say(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    record = {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pysd": pysd.__version__,
        "seed": args.seed,
        "pysd_draws": args.pysd_draws,
        "draws": args.draws,
        "pysd_read_vensim_s": read_s,
        "pysd_s": pysd_s,
        "pysd_cpu_s": pysd_cpu_s,
        "pysd_runs_per_s": pysd_rate,
        "ceasefire_cold_s": cold_s,
        "ceasefire_cold_draws_per_s": cold_rate,
        "ceasefire_warm_s": warm_s,
        "ceasefire_warm_runs_s": warm_runs,
        "ceasefire_warm_cpu_s": warm_cpu_s,
        "ceasefire_warm_draws_per_s": warm_rate,
        "ceasefire_cli_s": cli_s,
        "ceasefire_cli_draws_per_s": cli_rate,
        "ratio_warm": warm_rate / pysd_rate,
        "ratio_cold": cold_rate / pysd_rate,
        "ratio_cli": cli_rate / pysd_rate,
        "ratio_warm_cpu_time": cpu_ratio,
        "max_rel_diff_unmodified": baseline_diff,
        "max_rel_diff_varied": varied_diff,
        "load_average_1min_at_end": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps(record, indent=2))
    return record


if __name__ == "__main__":
    main()
