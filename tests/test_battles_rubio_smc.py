"""ABC-SMC (pyabc) and ABC rejection on the rubio2016 models agree where one law is clear."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ceasefire.battles._rubio import rubio2016
from ceasefire.battles._rubio_laws import SQUARE, STEP_LAWS
from tests.conftest import require_module
from tests.test_battles_rubio import synthetic_table

require_module("pyabc")  # extra `battles`; under CI=true a missing module fails


@pytest.mark.slow
@pytest.mark.parametrize("law", [SQUARE])
def test_smc_and_rejection_agree_on_a_clear_case(law: int) -> None:
    """Toni et al. (2009) ABC-SMC model choice, as pyabc runs it, against the paper's rejection.

    On a table made by one law both samplers give that law almost all the mass.
    """
    from ceasefire.battles._smc import rubio2016_smc

    table = synthetic_table(law, seed=0, n=30)
    rejection = rubio2016(table, runs=20_000, tolerance=0.01, seed=1)
    smc = rubio2016_smc(table, repeats=2, seed=1, population=100, generations=4)
    name = STEP_LAWS[law]
    assert rejection.best == smc.best == name
    assert rejection.probability(name) > 0.9
    assert smc.probabilities[smc.laws.index(name)] > 0.9
    record = smc.to_dict()
    assert record["repeats"] == 2 and len(record["thresholds"]) == 2
    assert all(t > 0 and math.isfinite(t) for t in record["thresholds"])
    assert record["sampler"] == "abc-smc (pyabc)"
    # The same seed gives the same result: pyabc's global generator is seeded per run.
    again = rubio2016_smc(table, repeats=1, seed=1, population=100, generations=4)
    np.testing.assert_array_equal(again.repeats[0].probabilities, smc.repeats[0].probabilities)
