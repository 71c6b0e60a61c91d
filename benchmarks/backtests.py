"""Evidence of skill: backtests of the default scenario from earlier information cutoffs.

For each cutoff (2023-06-30, 2023-12-31, 2024-05-31) and calibration window (3 and 6
months), the default scenario is calibrated on the General Staff and Mediazona series up to
the cutoff and forecasts the next 6 months, scored by CRPS and 50%/90% coverage against the
naive baseline (mean and spread of the last three months). The priors that the default takes
from publications after those cutoffs are replaced by wide "blind" priors (``BLIND``), the
same for every cutoff. Then the default itself is backtested from its own cutoff
(2024-11-30, 13 months) and timed; there is nothing after that date to score it against.

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

from ceasefire.calibrate import backtest
from ceasefire.observe import load_series
from ceasefire.scenario import load_scenario

SHARED = Path(os.environ.get("CEASEFIRE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CUTOFFS = ("2023-06-30", "2023-12-31", "2024-05-31")
WINDOWS = (3, 6)

BLIND = [
    "combat.casualties.0.value={dist: uniform, low: 200, high: 3000, unit: per_day, "
    "assumption: 'backtest: a wide prior instead of the UK DI 2024 rates, published after "
    "the earlier cutoffs'}",
    "observations.general_staff_bias={dist: uniform, low: 0.7, high: 2.5, assumption: "
    "'backtest: a wide prior instead of the article of 2024-11'}",
    "sides.russia.killed_fraction={dist: uniform, low: 0.1, high: 0.4, assumption: "
    "'backtest: a wide prior instead of the article of 2024-11'}",
    "observations.mediazona_coverage={dist: uniform, low: 0.2, high: 0.9, assumption: "
    "'backtest: a wide prior instead of the 2023-07 estimate'}",
]


def _series() -> dict[str, Any]:
    data = SHARED / "data" / "ukraine"
    return {
        "general_staff": load_series(
            data / "petroivaniuk" / "russia_losses_personnel.json", name="general_staff"
        ),
        "mediazona": load_series(data / "mediazona" / "monthly_to-2024-11.json", name="mediazona"),
    }


def main() -> int:
    """Run the backtests and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    series = _series()
    blind = load_scenario("russia-ukraine-2024-11", overrides=BLIND)
    rows: list[dict[str, Any]] = []
    for window in WINDOWS:
        for cutoff in CUTOFFS:
            started = time.perf_counter()
            result = backtest(
                blind,
                series,
                cutoff=dt.date.fromisoformat(cutoff),
                horizon=6,
                window=window,
                particles=args.particles,
                runs=args.runs,
                seed=args.seed,
            )
            seconds = time.perf_counter() - started
            record = result.to_json()
            for name, entry in record["series"].items():
                rows.append(
                    {
                        "cutoff": cutoff,
                        "window": window,
                        "series": name,
                        "crps": entry["crps"],
                        "baseline_crps": entry["baseline_crps"],
                        "coverage_50": entry["coverage_50"],
                        "coverage_90": entry["coverage_90"],
                        "baseline_coverage_50": entry["baseline_coverage_50"],
                        "baseline_coverage_90": entry["baseline_coverage_90"],
                        "max_rhat": record["calibration"]["max_rhat"],
                        "seconds": seconds,
                    }
                )
    started = time.perf_counter()
    default = backtest(
        load_scenario("russia-ukraine-2024-11"),
        series,
        cutoff=dt.date(2024, 11, 30),
        horizon=13,
        window=3,
        particles=args.particles,
        runs=args.runs,
        seed=args.seed,
    )
    default_seconds = time.perf_counter() - started
    default_record = default.to_json()
    out = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        "particles": args.particles,
        "runs": args.runs,
        "seed": args.seed,
        "blind_priors": BLIND,
        "rows": rows,
        "default_2024_11_30": {
            "seconds": default_seconds,
            "max_rhat": default_record["calibration"]["max_rhat"],
            "general_staff_median": default_record["series"]["general_staff"]["quantiles"]["0.5"],
            "general_staff_q05": default_record["series"]["general_staff"]["quantiles"]["0.05"],
            "general_staff_q95": default_record["series"]["general_staff"]["quantiles"]["0.95"],
            "months": default_record["series"]["general_staff"]["months"],
        },
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print("| cutoff | window | series | CRPS model | CRPS baseline | model/baseline | "
          "50% cov. model / base | 90% cov. model / base | max R-hat |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        ratio = row["crps"] / row["baseline_crps"]
        print(
            f"| {row['cutoff']} | {row['window']} | {row['series']} | {row['crps']:,.0f} | "
            f"{row['baseline_crps']:,.0f} | {ratio:.2f} | {row['coverage_50']:.2f} / "
            f"{row['baseline_coverage_50']:.2f} | {row['coverage_90']:.2f} / "
            f"{row['baseline_coverage_90']:.2f} | {row['max_rhat']:.3f} |"
        )
    info = out["default_2024_11_30"]
    print(
        f"\ndefault from 2024-11-30, 13 months: {info['seconds']:.0f} s; "
        f"max R-hat {info['max_rhat']:.3f}"
    )
    for month, low, mid, high in zip(
        info["months"],
        info["general_staff_q05"],
        info["general_staff_median"],
        info["general_staff_q95"],
        strict=True,
    ):
        print(f"  {month}: GS claims {mid:,.0f} (90%: {low:,.0f}–{high:,.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
