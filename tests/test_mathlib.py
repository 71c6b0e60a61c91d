"""The branch-free exp, log, tanh and pow of ``model/_mathlib.py`` against NumPy's.

Their error bounds are stated in the module's docstring; both engines use them, so the
compiled engine's scalar versions must equal the NumPy versions bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.model._ops import NUMPY
from tests.conftest import require_module

EPS = np.finfo(np.float64).eps


def _ulp_error(ours: np.ndarray, exact: np.ndarray) -> float:
    """Largest error in units of the exact value's last place."""
    return float(np.max(np.abs(ours - exact) / np.spacing(np.abs(exact))))


RNG = np.random.default_rng(20241130)


def test_exp_is_within_two_ulp_on_its_range():
    x = np.concatenate([RNG.uniform(-708.39, 709.0, 500_000), RNG.normal(0.0, 1.0, 500_000)])
    assert _ulp_error(NUMPY["exp"](x), np.exp(x)) <= 2.0


def test_log_is_within_two_ulp_on_positive_floats_subnormals_included():
    x = np.concatenate(
        [
            np.exp(RNG.uniform(-700.0, 700.0, 400_000)),
            RNG.uniform(0.5, 2.0, 400_000),
            RNG.uniform(0.0, 1.0, 200_000) * 1e-310,  # subnormal
        ]
    )
    assert _ulp_error(NUMPY["log"](x), np.log(x)) <= 2.0


def test_tanh_is_within_four_ulp():
    x = np.concatenate([RNG.normal(0.0, 3.0, 500_000), RNG.uniform(-1e-6, 1e-6, 100_000)])
    exact = np.tanh(x)
    keep = exact != 0.0
    assert _ulp_error(NUMPY["tanh"](x)[keep], exact[keep]) <= 4.0


def test_power_is_within_its_stated_bound():
    x = RNG.uniform(0.0, 5.0, 1_000_000)
    y = RNG.uniform(-3.0, 3.0, 1_000_000)
    ours, exact = NUMPY["power"](x, y), np.power(x, y)
    relative = np.abs(ours - exact) / exact / (EPS / 2)
    assert np.all(relative <= 4.0 + 2.0 * np.abs(y * np.log(x)))
    np.testing.assert_array_equal(NUMPY["power"](x, 1.0), x)  # y = 1 is exact


def test_special_values():
    exp, log, tanh, power = (NUMPY[name] for name in ("exp", "log", "tanh", "power"))
    with np.errstate(invalid="ignore"):
        assert np.isnan(exp(np.nan)) and np.isnan(log(np.nan)) and np.isnan(tanh(np.nan))
        assert np.isnan(log(-1.0))
    assert exp(-800.0) == 0.0 and exp(800.0) == np.inf
    assert log(0.0) == -np.inf and log(np.inf) == np.inf
    assert tanh(50.0) == 1.0 and tanh(-50.0) == -1.0
    np.testing.assert_array_equal(
        power(np.zeros(3), np.array([0.0, 1.5, -1.0])), [1.0, 0.0, np.inf]
    )


def test_the_compiled_versions_equal_the_numpy_versions_bit_for_bit():
    """The compiled engine inlines the same functions with scalar primitives and bit casts."""
    numba = require_module("numba")
    from ceasefire.model._compiled_ops import _MATH

    power, tanh, exp, log = (_MATH[name] for name in ("power", "tanh", "exp", "log"))

    @numba.njit
    def run(x, y, out):  # pragma: no cover - compiled
        for i in range(x.shape[0]):
            out[0, i] = power(x[i], y[i])
            out[1, i] = tanh(y[i])
            out[2, i] = exp(y[i] * 50.0)
            out[3, i] = log(x[i])

    x = RNG.uniform(0.0, 5.0, 100_000)
    y = RNG.uniform(-3.0, 3.0, 100_000)
    out = np.empty((4, x.size))
    run(x, y, out)
    np.testing.assert_array_equal(out[0], NUMPY["power"](x, y))
    np.testing.assert_array_equal(out[1], NUMPY["tanh"](y))
    np.testing.assert_array_equal(out[2], NUMPY["exp"](y * 50.0))
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(out[3], NUMPY["log"](x))


@pytest.mark.parametrize("name", ["exp", "tanh", "log"])
def test_scalars_and_arrays_agree(name):
    x = RNG.uniform(0.1, 3.0, 100)
    function = NUMPY[name]
    np.testing.assert_array_equal([float(function(v)) for v in x], function(x))
