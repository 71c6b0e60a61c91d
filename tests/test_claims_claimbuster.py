"""`ceasefire claims` on the ClaimBuster debate sentences, against the targets of issue 20.

The measure is ``benchmarks/claims_claimbuster.py`` (its docstring defines each figure); this
test runs it on ``../shared/data/claims/claimbuster/two_class_train.json`` (7,974
sentences, README beside it) and asserts the targets the reader meets. Recall of "has a
claim" against the check-worthy label stays below the issue's 0.5: the strict xfail below
records the miss and fails the day it is met, so that the target moves into the assertions.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, shared_file

pytestmark = pytest.mark.slow


@cache
def _benchmark() -> Any:
    """Return the module ``benchmarks/claims_claimbuster.py``."""
    path = ROOT / "benchmarks" / "claims_claimbuster.py"
    spec = importlib.util.spec_from_file_location("claims_claimbuster", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _measure() -> dict[str, Any]:
    data = shared_file("data/claims/claimbuster/two_class_train.json")
    measures: dict[str, Any] = _benchmark().measure(_benchmark().load(Path(data)))
    return measures


def test_quantity_recall_on_sentences_with_a_non_year_number():
    measures = _measure()
    assert measures["numeric_sentences"] > 800
    assert measures["quantity_recall"] >= 0.9


def test_has_a_claim_precision_against_check_worthy():
    assert _measure()["claim_precision"] >= 0.85


def test_has_a_claim_recall_does_not_fall_below_what_issue_20_reached():
    """0.414 when issue 20 closed (0.285 before it); a floor against regressions."""
    assert _measure()["claim_recall"] >= 0.40


@pytest.mark.xfail(
    strict=True,
    reason="issue 20 target not met: 0.414 on the train split; 62% of check-worthy sentences "
    "carry no digit, and the number-free rules that would find them (votes, 'than', "
    "'said') are 0.4-0.85 precise (closing note of issue 20)",
)
def test_has_a_claim_recall_reaches_the_issue_target():
    assert _measure()["claim_recall"] >= 0.5


def test_the_non_year_number_rule():
    has_non_year_number = _benchmark().has_non_year_number
    assert has_non_year_number("It costs $20 billion a year.")
    assert has_non_year_number("They lost 4 seats.")
    assert not has_non_year_number("In 1980, and again in the 1990s and in '96.")
    assert not has_non_year_number("No digits at all.")
