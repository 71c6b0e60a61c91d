"""`ceasefire claims` on sentences nobody here wrote: the ClaimBuster debate sentences.

Data: ``../shared/data/claims/claimbuster/two_class_train.json`` (7,974 sentences from US
presidential debates, 1960–2016, labelled 1 = check-worthy factual claim; README beside it;
Arslan, Hassan, Li & Tremayne 2020, ICWSM). Each sentence is read alone with
``extract_sentence(text, None)`` (no article date: the debates' dates are not in the file).

Measures (issue 20):

- **quantity recall**: of the sentences that contain a number other than a year (a digit
  that is not part of a four-digit year 1700–2099, its decade "1990s" or an apostrophe year
  "'96"), the share in which the reader finds at least one quantity (a claim with a value);
  target >= 0.9.
- **has a claim**: the reader returns at least one claim it marks ``checkable`` (a statement
  of fact: a quantity, comparison or dated event that is not a question, plan, wish,
  hypothetical or personal aside). Precision and recall against the check-worthy label;
  targets precision >= 0.85 with recall >= 0.5.
- **speed**: seconds to read 10,000 sentences (the 7,974, then the first 2,026 again), in one
  process after the imports, best of three, wall clock and CPU; target < 5 s.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/claims_claimbuster.py [--json] [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CEASEFIRE_SHARED", ROOT.parent / "shared"))
DEFAULT_DATA = SHARED / "data" / "claims" / "claimbuster" / "two_class_train.json"
TARGETS = {"quantity_recall": 0.9, "claim_precision": 0.85, "claim_recall": 0.5, "seconds": 5.0}
_YEAR = re.compile(r"\b(?:1[7-9]\d\d|20\d\d)(?:'?s)?\b|'\d\ds?\b")


def has_non_year_number(text: str) -> bool:
    """Whether ``text`` has a digit outside a year ("1980", "the 1990s", "'96")."""
    return bool(re.search(r"\d", _YEAR.sub(" ", text)))


def load(path: Path) -> list[dict[str, Any]]:
    """Return the labelled sentences of the ClaimBuster JSON file."""
    items = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise SystemExit(f"{path}: expected a JSON list of sentences")
    return items


def measure(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Return quantity recall, has-a-claim precision and recall, and the reading time."""
    from ceasefire.claims import extract_sentence

    numeric = found = 0
    true_positive = false_positive = positives = 0
    start = time.perf_counter()
    results = [extract_sentence(item["text"], None) for item in items]
    seconds = time.perf_counter() - start
    for item, claims in zip(items, results, strict=True):
        label = int(item["label"]) == 1
        positives += label
        if has_non_year_number(item["text"]):
            numeric += 1
            found += any(c.low is not None or c.high is not None for c in claims)
        if any(getattr(c, "checkable", True) for c in claims):
            true_positive += label
            false_positive += not label
    flagged = true_positive + false_positive
    return {
        "sentences": len(items),
        "numeric_sentences": numeric,
        "quantity_recall": found / numeric if numeric else float("nan"),
        "claims_flagged": flagged,
        "claim_precision": true_positive / flagged if flagged else float("nan"),
        "claim_recall": true_positive / positives if positives else float("nan"),
        "seconds_per_sentence": seconds / len(items),
    }


def speed(texts: list[str], n: int = 10_000, repeat: int = 3) -> tuple[float, float]:
    """Return the best wall-clock and CPU seconds of ``repeat`` readings of ``n`` sentences.

    The sentences cycle through ``texts``. CPU time is reported beside wall time because a
    shared machine's load inflates wall time, not the work done.
    """
    from ceasefire.claims import extract_sentence

    batch = [texts[i % len(texts)] for i in range(n)]
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for text in batch:
            extract_sentence(text, None)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


def main(argv: list[str] | None = None) -> int:
    """Print the measures (or one JSON record) and whether each target is met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        where = "the ClaimBuster file of ../shared/data; set CEASEFIRE_SHARED"
        print(f"{args.data}: not found ({where})", file=sys.stderr)
        return 2
    items = load(args.data)
    record = measure(items)
    record["seconds_10k"], record["cpu_seconds_10k"] = speed([item["text"] for item in items])
    record["targets"] = TARGETS
    met = {
        "quantity_recall": record["quantity_recall"] >= TARGETS["quantity_recall"],
        "claim_precision": record["claim_precision"] >= TARGETS["claim_precision"],
        "claim_recall": record["claim_recall"] >= TARGETS["claim_recall"],
        "seconds": record["seconds_10k"] < TARGETS["seconds"],
    }
    record["met"] = met
    if args.json:
        print(json.dumps(record, indent=2))
        return 0
    print(f"ClaimBuster train: {record['sentences']:,} sentences")
    print(
        f"  quantity recall   {record['quantity_recall']:.3f} on "
        f"{record['numeric_sentences']:,} sentences with a non-year number "
        f"(target >= {TARGETS['quantity_recall']})"
    )
    print(
        f"  has a claim       precision {record['claim_precision']:.3f}, recall "
        f"{record['claim_recall']:.3f} ({record['claims_flagged']:,} flagged; targets >= "
        f"{TARGETS['claim_precision']} / >= {TARGETS['claim_recall']})"
    )
    print(
        f"  10,000 sentences  {record['seconds_10k']:.2f} s wall, "
        f"{record['cpu_seconds_10k']:.2f} s CPU, best of 3 (target < {TARGETS['seconds']} s)"
    )
    print("  met: " + ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in met.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
