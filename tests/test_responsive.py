"""The responsive combat mode: exchange-ratio rates at the start, losses that follow the forces.

``C_s = C_s⁰(t) (E_o / E_o⁰)^p (E_s / E_s⁰)^q`` (``ceasefire.model.laws.ResponsiveLaw``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ceasefire.ensemble import simulate
from ceasefire.scenario import scenario_from_dict
from tests.conftest import duel, fixed, preset_data

A0, B0 = 10_000.0, 8_000.0
C = 40.0  # a's casualties per day at the start
RATIO = 1.6  # a's casualties per casualty of b


def _responsive(p: float, q: float, **kwargs: Any) -> dict[str, Any]:
    data = duel(a0=A0, b0=B0, months=6.0, **kwargs)
    data["combat"] = {
        "law": "responsive",
        "reference_side": "a",
        "casualties": [{"value": fixed(C, "per_day")}],
        "exchange_ratio": fixed(RATIO),
        "p": fixed(p),
        "q": fixed(q),
    }
    return data


def _equivalent(law: str, **kwargs: Any) -> dict[str, Any]:
    """The classic law whose rates the responsive mode takes at the start."""
    data = duel(a0=A0, b0=B0, months=6.0, **kwargs)
    if law == "square":  # dA/dt = -(C/B0) B, dB/dt = -(C/(r A0)) A
        data["combat"] = {
            "law": "square",
            "lethality": {"a": fixed(C / (RATIO * A0), "per_day"), "b": fixed(C / B0, "per_day")},
        }
    else:  # logarithmic: dA/dt = -(C/A0) A, dB/dt = -(C/(r B0)) B
        data["combat"] = {
            "law": "logarithmic",
            "loss_rate": {"a": fixed(C / A0, "per_day"), "b": fixed(C / (RATIO * B0), "per_day")},
        }
    return data


@pytest.mark.parametrize("method", ["euler", "rk4"])
@pytest.mark.parametrize(("p", "q", "law"), [(1.0, 0.0, "square"), (0.0, 1.0, "logarithmic")])
def test_the_responsive_mode_is_the_classic_law_anchored_at_the_start(p, q, law, method):
    """The classic laws are the responsive mode's corners, anchored at the start.

    ``(p, q) = (1, 0)`` is the square law with ``a_o = C_s⁰ / E_o⁰``; ``(0, 1)`` the
    logarithmic law with ``a_s = C_s⁰ / E_s⁰``: the same trajectories to rounding.
    """
    ours = simulate(scenario_from_dict(_responsive(p, q, method=method)), draws=1)
    theirs = simulate(scenario_from_dict(_equivalent(law, method=method)), draws=1)
    np.testing.assert_allclose(ours.active.values, theirs.active.values, rtol=1e-12)
    # The forces did move (a test on a still war would prove nothing).
    assert float(ours.active.isel(time=-1).sum()) < 0.8 * (A0 + B0)


def test_no_exponents_is_the_exchange_ratio_mode_bit_for_bit():
    data = preset_data("russia-ukraine-2024-11")
    flat_exponent = {"value": 0, "assumption": "test"}
    data["combat"].update(law="responsive", p=flat_exponent, q=flat_exponent)
    exchange = preset_data("russia-ukraine-2024-11")
    exchange["combat"]["law"] = "exchange_ratio"
    del exchange["combat"]["p"], exchange["combat"]["q"]
    ours = simulate(scenario_from_dict(data), draws=60, seed=3, save="trajectories")
    theirs = simulate(scenario_from_dict(exchange), draws=60, seed=3, save="trajectories")
    for name in ("active", "killed", "front"):
        np.testing.assert_array_equal(ours[name].values, theirs[name].values)


def test_a_manpower_squeeze_feeds_back_into_losses():
    """A side that shrinks inflicts fewer losses (``p = 1``) and takes fewer (``q = 1``).

    So both forces outlast the exchange-ratio mode's fixed-rate paths.
    """
    exchange = _responsive(0.0, 0.0)
    squeezed = _responsive(1.0, 1.0)
    flat = simulate(scenario_from_dict(exchange), draws=1).active.isel(draw=0)
    felt = simulate(scenario_from_dict(squeezed), draws=1).active.isel(draw=0)
    a_flat, a_felt = (float(x.sel(side="a").isel(time=-1).sum()) for x in (flat, felt))
    b_flat, b_felt = (float(x.sel(side="b").isel(time=-1).sum()) for x in (flat, felt))
    # Fixed rates: 40 a day for 6 months take about 7,300 of a's 10,000.
    assert a_flat == pytest.approx(A0 - C * 182.6, rel=0.01)
    assert a_felt > a_flat + 1_000 and b_felt > b_flat + 500
