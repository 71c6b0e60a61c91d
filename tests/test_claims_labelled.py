"""Precision and recall of `ceasefire claims` on labelled sentences, by field.

``tests/data/claims/labelled.yaml`` (67 sentences of news, official and think-tank prose) is
the set the rules were written against; ``heldout.yaml`` (22 sentences) was written after
them and scored once before any change; ``frozen.yaml`` (24 sentences) was frozen before the
rules of issue 20 changed and scored once after them, its first score pinned below as a floor.
A predicted claim matches a labelled one of the same
sentence when their ranges agree (or, for dated events, what they count). For each field a
non-empty predicted value is a true positive when it equals the labelled value of its match,
else a false positive; a non-empty labelled value without an equal prediction is a false
negative. The table is written to the terminal; every number must be at least 0.9.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from ceasefire.claims import extract_sentence

DATA = Path(__file__).parent / "data" / "claims"
FIELDS = ("range", "unit", "counts", "period", "entity", "date", "hedge", "parameter")
THRESHOLD = 0.9


def _load(name: str) -> list[dict[str, Any]]:
    items = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return items


def _value(claim: dict[str, Any], field: str) -> Any:
    if field == "range":
        low, high = claim.get("low"), claim.get("high")
        return None if low is None and high is None else (low, high)
    if field == "hedge":
        return tuple(sorted(claim.get("hedge") or ())) or None
    value = claim.get(field)
    return None if value is None else str(value)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=2e-3)


def _equal(field: str, predicted: Any, labelled: Any) -> bool:
    if predicted is None or labelled is None:
        return False
    if field == "range":
        return _close(predicted[0], labelled[0]) and _close(predicted[1], labelled[1])
    return bool(predicted == labelled)


def _match(predicted: list[dict[str, Any]], labelled: list[dict[str, Any]]) -> dict[int, int]:
    """Map labelled index to predicted index, greedily in sentence order."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for li, gold in enumerate(labelled):
        for pi, claim in enumerate(predicted):
            if pi in used:
                continue
            gold_range, claim_range = _value(gold, "range"), _value(claim, "range")
            same = (
                _equal("range", claim_range, gold_range)
                if gold_range is not None
                else claim_range is None and claim["counts"] == gold["counts"]
            )
            if same:
                pairs[li] = pi
                used.add(pi)
                break
    return pairs


def score(items: list[dict[str, Any]]) -> dict[str, tuple[float, float, int, int, int]]:
    """Return (precision, recall, tp, fp, fn) for detection and for each field."""
    counts = {name: [0, 0, 0] for name in ("detection", *FIELDS)}
    for item in items:
        date = item["date"]
        article = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
        predicted = [claim.to_dict() for claim in extract_sentence(item["text"], article)]
        labelled = [dict(claim, date=str(claim["date"])) for claim in item["claims"]]
        pairs = _match(predicted, labelled)
        matched = {pi: li for li, pi in pairs.items()}
        counts["detection"][0] += len(pairs)
        counts["detection"][1] += len(predicted) - len(pairs)
        counts["detection"][2] += len(labelled) - len(pairs)
        for field in FIELDS:
            for pi, claim in enumerate(predicted):
                value = _value(claim, field)
                if value is None:
                    continue
                right = pi in matched and _equal(field, value, _value(labelled[matched[pi]], field))
                counts[field][0 if right else 1] += 1
            for li, gold in enumerate(labelled):
                value = _value(gold, field)
                if value is None:
                    continue
                if not (li in pairs and _equal(field, _value(predicted[pairs[li]], field), value)):
                    counts[field][2] += 1
    result = {}
    for name, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        result[name] = (precision, recall, tp, fp, fn)
    return result


def _report(capsys: pytest.CaptureFixture[str], title: str, scores: dict[str, Any]) -> None:
    """Write the scores to the terminal, past output capture, so every run shows them."""
    lines = [f"{title}: precision / recall (tp, fp, fn)"]
    for name, (precision, recall, tp, fp, fn) in scores.items():
        lines.append(f"  {name:<10} {precision:6.3f} / {recall:6.3f}   ({tp}, {fp}, {fn})")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_labelled_set_is_large_and_varied():
    items = _load("labelled.yaml") + _load("heldout.yaml")
    assert len(items) >= 60
    assert {item["style"] for item in items} == {"news", "official", "think-tank"}
    assert sum(not item["claims"] for item in items) >= 10  # sentences without claims
    assert len({item["text"] for item in items}) == len(items)


@pytest.mark.parametrize("name", ["labelled.yaml", "heldout.yaml"])
def test_precision_and_recall_by_field(capsys: pytest.CaptureFixture[str], name: str):
    items = _load(name)
    scores = score(items)
    claims = sum(len(item["claims"]) for item in items)
    _report(capsys, f"ceasefire claims on {name} ({len(items)} sentences, {claims} claims)", scores)
    low = {
        field: (precision, recall)
        for field, (precision, recall, *_rest) in scores.items()
        if precision < THRESHOLD or recall < THRESHOLD
    }
    assert not low, f"below {THRESHOLD}: {low}"


def test_scoring_counts_a_wrong_field_and_a_missed_claim():
    """The scorer itself: one wrong period, one missed claim, one spurious claim."""
    predicted = [
        {"low": 1.0, "high": 1.0, "unit": "people", "counts": "killed", "period": "per_day"},
        {"low": 9.0, "high": 9.0, "unit": "people", "counts": "troops", "period": "stock"},
    ]
    labelled = [
        {"low": 1.0, "high": 1.0, "unit": "people", "counts": "killed", "period": "cumulative"},
        {"low": 5.0, "high": 5.0, "unit": "people", "counts": "wounded", "period": "cumulative"},
    ]
    pairs = _match(predicted, labelled)
    assert pairs == {0: 0}
    assert not _equal("period", _value(predicted[0], "period"), _value(labelled[0], "period"))
    assert _equal("range", (1.0, None), (1.0005, None))
    assert not _equal("range", (1.0, None), (1.0, 2.0))


# The first and only score of frozen.yaml (issue 20), taken once after the rules were
# final; before them the reader scored detection 0.857 / 0.632 on it. A floor, not a target:
# tune no rule on these sentences.
FROZEN_FIRST_SCORE = {
    "detection": (0.944, 0.895),
    "range": (0.933, 0.933),
    "unit": (0.933, 0.933),
    "counts": (0.944, 0.895),
    "period": (0.846, 0.786),
    "entity": (0.812, 0.867),
    "date": (0.944, 0.895),
    "hedge": (0.667, 0.667),
    "parameter": (1.0, 1.0),
}


def test_frozen_held_out_set_keeps_its_first_score(capsys: pytest.CaptureFixture[str]):
    items = _load("frozen.yaml")
    scores = score(items)
    claims = sum(len(item["claims"]) for item in items)
    _report(
        capsys, f"ceasefire claims on frozen.yaml ({len(items)} sentences, {claims} claims)", scores
    )
    worse = {
        field: (round(precision, 3), round(recall, 3))
        for field, (precision, recall, *_rest) in scores.items()
        if precision < FROZEN_FIRST_SCORE[field][0] - 5e-4
        or recall < FROZEN_FIRST_SCORE[field][1] - 5e-4
    }
    assert not worse, f"below the first score of the frozen set: {worse}"
