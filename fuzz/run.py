"""Run the fuzz properties of tests/test_fuzz.py for longer than the test suite does.

    python fuzz/run.py --minutes 10            # all targets, time shared out in rounds
    python fuzz/run.py --minutes 2 --target articles

Each round runs every target with a fresh random seed until the time is up, then prints how
many examples each target tried and what became of the scenarios (refused, ran, ...). A
failure stops the run with Hypothesis's minimal failing example and its reproduction blob.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _targets() -> dict[str, tuple[Any, Callable[..., Any]]]:
    from hypothesis import strategies as st
    from tests import test_fuzz as fuzz

    return {
        "tiny": (fuzz.mutated_scenario("tiny"), fuzz.check_scenario),
        "default": (fuzz.mutated_scenario("russia-ukraine-2024-11"), fuzz.check_scenario),
        "articles": (fuzz.ARTICLES, fuzz.check_article),
        "observations": (
            st.tuples(fuzz.OBSERVATION_BYTES, st.sampled_from([".csv", ".json", ".txt"])),
            lambda pair: fuzz.check_observation(*pair),
        ),
    }


def _round(
    name: str,
    strategy: Any,
    check: Callable[..., Any],
    count: int,
    examples: collections.Counter[str],
    outcomes: collections.Counter[str],
) -> None:
    """Run ``count`` examples of one target (a fresh random seed each time)."""
    from hypothesis import HealthCheck, given, settings

    @settings(
        max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def run(value: Any) -> None:
        examples[name] += 1
        outcome = check(value)
        if isinstance(outcome, str):
            outcomes[f"{name}: {outcome}"] += 1

    run()


def main() -> int:
    """Fuzz until the time is up; return 0 when nothing failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--target", action="append", help="tiny, default, articles, observations")
    parser.add_argument("--round", type=int, default=50, help="examples per target per round")
    options = parser.parse_args()
    targets = _targets()
    chosen = options.target or list(targets)
    unknown = set(chosen) - set(targets)
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    examples: collections.Counter[str] = collections.Counter()
    outcomes: collections.Counter[str] = collections.Counter()
    deadline = time.monotonic() + options.minutes * 60
    started = time.monotonic()
    warnings.simplefilter("error")  # as in the test suite: a warning is a finding
    while time.monotonic() < deadline:
        for name in chosen:
            _round(name, *targets[name], options.round, examples, outcomes)
            if time.monotonic() >= deadline:
                break
    minutes = (time.monotonic() - started) / 60
    print(f"fuzzed for {minutes:.1f} minutes, no failure")
    for name in chosen:
        print(f"  {name}: {examples[name]:,} examples")
    for outcome, count in sorted(outcomes.items()):
        print(f"    {outcome}: {count:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
