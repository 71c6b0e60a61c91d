"""Evidence of skill: backtests of the default scenario from earlier information cutoffs.

For each cutoff (2023-06-30, 2023-12-31, 2024-05-31) the default scenario is calibrated on
the General Staff and Mediazona series of the 3 months up to the cutoff (the DeepState
territory file starts in July 2024, so no territory reaches these calibrations) and
forecasts the next 12 months of all three series. Each forecast month with data is scored
(CRPS, 50%/90% coverage, 90% width, PIT) against two naive baselines: the mean and spread of
the last three months, and persistence with the spread of the last 12 monthly changes × √h.
Results are pooled over the cutoffs per series. The priors the default takes from data or
publications after those cutoffs are replaced by wide "blind" priors (``BLIND``), the same
for every cutoff. Four variants run (``VARIANTS``), so the calibration chooses between
them: the default (``responsive``: losses that follow the forces, the casualty rate a
log-normal random walk); ``exchange``, the same with fixed-rate losses (the exchange-ratio
mode); ``ar1``, the default with the rate a mean-reverting AR(1) in logs instead of a walk;
and ``constant``, fixed-rate losses and a constant rate per draw (the model before these
changes). Then the default itself is backtested from its own cutoff (2024-11-30, 13
months) and timed; nothing after that date is here to score.

Run from the repository root (results are in ``benchmarks/BACKTESTS.md``)::

    .venv/bin/python benchmarks/backtests.py            # --json for one JSON record
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from ceasefire.calibrate import backtest
from ceasefire.observe import load_series
from ceasefire.scenario import load_scenario

SHARED = Path(os.environ.get("CEASEFIRE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CUTOFFS = ("2023-06-30", "2023-12-31", "2024-05-31")
WINDOW = 3  # the commands' default; --window to change it
HORIZON = 12
MEDIAZONA_VINTAGE = dt.date(2025, 11, 8)  # the upstream file's date (data README)

BLIND = [
    "combat.casualties.0.value={dist: uniform, low: 200, high: 3000, unit: per_day, "
    "assumption: 'backtest: a wide prior instead of the UK DI 2024 rates, published after "
    "the earlier cutoffs'}",
    "combat.casualties.0.process.innovation={dist: uniform, low: 0.03, high: 0.25, "
    "assumption: 'backtest: a wide prior instead of the 2023-01 to 2024-11 variation of the "
    "GS claims'}",
    "observations.general_staff_noise={dist: uniform, low: 0.01, high: 0.1, assumption: "
    "'backtest: the reporting noise of the GS claims from data up to 2023-06 only (lag-1 "
    "autocovariance of monthly log changes, 2022-03 to 2023-06: about 0.05 or less)'}",
    "observations.general_staff_bias={dist: uniform, low: 0.7, high: 2.5, assumption: "
    "'backtest: a wide prior instead of the article of 2024-11'}",
    "sides.russia.killed_fraction={dist: uniform, low: 0.1, high: 0.4, assumption: "
    "'backtest: a wide prior instead of the article of 2024-11'}",
    "observations.mediazona_coverage={dist: uniform, low: 0.2, high: 0.9, assumption: "
    "'backtest: a wide prior instead of the 2023-07 estimate'}",
    "sides.ukraine.desertion_rate={dist: uniform, low: 0.0005, high: 0.0068, unit: per_month, "
    "assumption: 'backtest: a wide prior instead of the Prosecutor General figures of 2024'}",
    "front.initial={dist: uniform, low: 101000, high: 111000, unit: km2, assumption: "
    "'backtest: around the ISW-based ~103,000 km2 of 2023-02 (published-figures.md), the "
    "last area figure before these cutoffs; later gains unknown'}",
    "front.max_speed={dist: uniform, low: 100, high: 2000, unit: per_month, assumption: "
    "'backtest: a wide prior instead of the DeepState pace of 2024-07 to 2024-11'}",
    "front.stall_ratio={dist: uniform, low: 0.8, high: 1.3, assumption: 'backtest: a wide "
    "prior instead of the one informed by DeepState 2024-07 to 2024-11'}",
    "front.pace.0.process.innovation={dist: uniform, low: 0.05, high: 0.4, assumption: "
    "'backtest: a wide prior instead of the DeepState 2024-08 to 2024-11 variation'}",
]
EXCHANGE = [
    "combat.p={value: 0, assumption: 'backtest variant: the exchange-ratio mode (losses that "
    "do not follow the forces), which the responsive mode is with p = q = 0'}",
    "combat.q={value: 0, assumption: 'backtest variant: as p'}",
]
CONSTANT = [
    *EXCHANGE,
    "combat.casualties.0.process.innovation={value: 0, assumption: 'backtest variant: no "
    "random walk (a constant casualty rate per draw)'}",
]
AR1 = [
    "combat.casualties.0.process={kind: ar1, innovation: {dist: uniform, low: 0.03, high: 0.25, "
    "assumption: 'backtest: as the walk'}, persistence: {dist: uniform, low: 0.6, high: 0.95, "
    "assumption: 'backtest variant: a mean-reverting AR(1) in logs, a shock half-life of 1.4 "
    "to 13.5 months'}}"
]
VARIANTS = {
    "responsive": [],  # the default: losses follow the forces, the casualty rate a walk
    "exchange": EXCHANGE,  # the same with fixed-rate losses (the exchange-ratio mode)
    "ar1": AR1,  # responsive, the casualty rate a mean-reverting AR(1) instead of a walk
    "constant": CONSTANT,  # fixed-rate losses and a constant rate per draw: before issue 17
}
SERIES = ("general_staff", "mediazona", "territory")


def _series() -> dict[str, Any]:
    data = SHARED / "data" / "ukraine"
    return {
        "general_staff": load_series(
            data / "petroivaniuk" / "russia_losses_personnel.json", name="general_staff"
        ),
        "mediazona": load_series(data / "mediazona" / "monthly_to-2024-11.json", name="mediazona"),
        "territory": load_series(
            data / "deepstate" / "occupied_area_to-2024-11.csv", name="territory"
        ),
    }


def _pool(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Pool the scored months of several forecasts of one series."""

    def flat(key: str, source: list[dict[str, Any]]) -> list[float]:
        return [float(v) for e in source for v in e.get(key) or [] if v is not None]

    out: dict[str, Any] = {"months": len(flat("crps_by_month", entries))}
    if not out["months"]:
        return out
    out["crps"] = float(np.mean(flat("crps_by_month", entries)))
    out["coverage_50"] = float(np.mean(flat("covered_50", entries)))
    out["coverage_90"] = float(np.mean(flat("covered_90", entries)))
    widths = [
        w
        for e in entries
        for w, c in zip(e["width_90_by_month"], e.get("crps_by_month") or [], strict=False)
        if c is not None
    ]
    out["width_90"] = float(np.mean(widths))
    pit = flat("pit", entries)
    out["pit_histogram"] = np.histogram(pit, bins=10, range=(0.0, 1.0))[0].tolist()
    for name in ("mean_last_3", "persistence"):
        have = [e["baselines"][name] for e in entries if name in e["baselines"]]
        # A baseline is pooled over the same months only where it exists for every cutoff.
        if len(have) == len(entries):
            out[name] = {
                "crps": float(np.mean(flat("crps_by_month", have))),
                "coverage_90": float(np.mean(flat("covered_90", have))),
                "width_90": float(np.mean([b["width_90"] for b in have])),
            }
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every backtest and return the record."""
    series = _series()
    variants = {
        name: load_scenario("russia-ukraine-2024-11", overrides=BLIND + VARIANTS[name])
        for name in args.variants
    }
    rows: list[dict[str, Any]] = []
    pooled: dict[str, dict[str, Any]] = {}
    for variant, scenario in variants.items():
        per_series: dict[str, list[dict[str, Any]]] = {name: [] for name in SERIES}
        for cutoff in CUTOFFS:
            started = time.perf_counter()
            result = backtest(
                scenario,
                series,
                cutoff=dt.date.fromisoformat(cutoff),
                horizon=HORIZON,
                window=args.window,
                particles=args.particles,
                runs=args.runs,
                seed=args.seed,
                as_of={"mediazona": MEDIAZONA_VINTAGE},
            )
            seconds = time.perf_counter() - started
            record = result.to_json()
            for name, entry in record["series"].items():
                if entry["crps"] is not None:
                    per_series[name].append(entry)
                rows.append(
                    {
                        "variant": variant,
                        "cutoff": cutoff,
                        "series": name,
                        "months_scored": sum(v is not None for v in entry["observed"]),
                        "crps": entry["crps"],
                        "coverage_50": entry["coverage_50"],
                        "coverage_90": entry["coverage_90"],
                        "width_90": entry["width_90"],
                        "width_90_by_month": entry["width_90_by_month"],
                        "pit_histogram": entry.get("pit_histogram"),
                        "baselines": {
                            k: {m: b[m] for m in ("crps", "coverage_90", "width_90")}
                            for k, b in entry["baselines"].items()
                        },
                        "max_rhat": record["calibration"]["max_rhat"],
                        "seconds": seconds,
                    }
                )
            print(f"{variant} {cutoff}: {seconds:.0f} s", file=sys.stderr, flush=True)
        pooled[variant] = {name: _pool(entries) for name, entries in per_series.items()}
    started = time.perf_counter()
    default = backtest(
        load_scenario("russia-ukraine-2024-11"),
        series,
        cutoff=dt.date(2024, 11, 30),
        horizon=13,
        window=args.window,
        particles=args.particles,
        runs=args.runs,
        seed=args.seed,
        # No vintage: the default forecasts the named deaths as they will eventually be known.
    )
    default_record = default.to_json()
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        "particles": args.particles,
        "runs": args.runs,
        "seed": args.seed,
        "window": args.window,
        "horizon": HORIZON,
        "blind_priors": BLIND,
        "rows": rows,
        "pooled": pooled,
        "default_2024_11_30": {
            "seconds": time.perf_counter() - started,
            "max_rhat": default_record["calibration"]["max_rhat"],
            "months": default_record["series"]["general_staff"]["months"],
            "quantiles": {name: default_record["series"][name]["quantiles"] for name in SERIES},
        },
    }


def _fmt(value: float | None, pattern: str = "{:,.0f}") -> str:
    return "–" if value is None else pattern.format(value)


def print_tables(out: dict[str, Any]) -> None:
    """Print the Markdown tables of ``benchmarks/BACKTESTS.md``."""
    print("| variant | cutoff | series | months | CRPS | CRPS mean-of-3 | CRPS persistence | "
          "50% cov. | 90% cov. | 90% width | width month 1 → 12 | max R-hat |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in out["rows"]:
        base = row["baselines"]
        widths = row["width_90_by_month"]
        print(
            f"| {row['variant']} | {row['cutoff']} | {row['series']} | {row['months_scored']} | "
            f"{_fmt(row['crps'])} | {_fmt(base.get('mean_last_3', {}).get('crps'))} | "
            f"{_fmt(base.get('persistence', {}).get('crps'))} | "
            f"{_fmt(row['coverage_50'], '{:.2f}')} | {_fmt(row['coverage_90'], '{:.2f}')} | "
            f"{_fmt(row['width_90'])} | {widths[0]:,.0f} → {widths[-1]:,.0f} | "
            f"{_fmt(row['max_rhat'], '{:.3f}')} |"
        )
    print()
    print("| variant | series | months | CRPS model / mean-of-3 / persistence | "
          "90% cov. model / mean-of-3 / persistence | 50% cov. | "
          "90% width model / mean-of-3 / persistence | PIT histogram (10 bins) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for variant, by_series in out["pooled"].items():
        for name, p in by_series.items():
            if not p["months"]:
                print(f"| {variant} | {name} | 0 | – | – | – | – | – |")
                continue
            m3, pe = p.get("mean_last_3", {}), p.get("persistence", {})
            print(
                f"| {variant} | {name} | {p['months']} | {p['crps']:,.0f} / "
                f"{_fmt(m3.get('crps'))} / {_fmt(pe.get('crps'))} | {p['coverage_90']:.2f} / "
                f"{_fmt(m3.get('coverage_90'), '{:.2f}')} / "
                f"{_fmt(pe.get('coverage_90'), '{:.2f}')} | {p['coverage_50']:.2f} | "
                f"{p['width_90']:,.0f} / {_fmt(m3.get('width_90'))} / "
                f"{_fmt(pe.get('width_90'))} | {p['pit_histogram']} |"
            )
    info = out["default_2024_11_30"]
    print(
        f"\ndefault from 2024-11-30, 13 months: {info['seconds']:.0f} s; "
        f"max R-hat {_fmt(info['max_rhat'], '{:.3f}')}"
    )
    for name, q in info["quantiles"].items():
        print(f"  {name}:")
        for i, month in enumerate(info["months"]):
            print(f"    {month}: {q['0.5'][i]:,.0f} (90%: {q['0.05'][i]:,.0f}–{q['0.95'][i]:,.0f})")


def main() -> int:
    """Run the backtests and print the tables (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--window", type=int, default=WINDOW, help="Calibration window, months.")
    parser.add_argument(
        "--variants",
        nargs="+",
        default=list(VARIANTS),
        choices=list(VARIANTS),
    )
    parser.add_argument("--from-json", type=Path, help="Print the tables of a saved record.")
    args = parser.parse_args()
    out = json.loads(args.from_json.read_text()) if args.from_json else run(args)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print_tables(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
