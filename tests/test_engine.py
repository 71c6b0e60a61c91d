"""Numerical properties of the engine: conservation, non-negativity, closed forms, order."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.ensemble import simulate
from ceasefire.scenario import DAYS_PER_MONTH, scenario_from_dict
from tests.conftest import duel, fixed, preset_data

MONTH = DAYS_PER_MONTH


def square_law_closed_form(a0, b0, alpha, beta, t):
    """Lanchester square law without reinforcements.

    dA/dt = -beta B, dB/dt = -alpha A (alpha, beta per day) has the solution
    A(t) = A0 cosh(g t) - sqrt(beta/alpha) B0 sinh(g t), g = sqrt(alpha beta),
    and symmetrically for B (Lanchester 1916; Taylor 1983, ch. 2).
    """
    g = np.sqrt(alpha * beta)
    a = a0 * np.cosh(g * t) - np.sqrt(beta / alpha) * b0 * np.sinh(g * t)
    b = b0 * np.cosh(g * t) - np.sqrt(alpha / beta) * a0 * np.sinh(g * t)
    return a, b


def run_duel(**kwargs: Any):
    scenario = scenario_from_dict(duel(**kwargs))
    ds = simulate(scenario, draws=1)
    a = ds.active.sel(side="a").sum("channel").isel(draw=0).values
    b = ds.active.sel(side="b").sum("channel").isel(draw=0).values
    days = ds.elapsed_days.values
    return days, a, b


def test_square_law_matches_closed_form_with_rk4():
    days, a, b = run_duel(method="rk4", step_days=0.5)
    ea, eb = square_law_closed_form(10_000, 8_000, 0.1 / MONTH, 0.12 / MONTH, days)
    np.testing.assert_allclose(a, ea, rtol=1e-10)
    np.testing.assert_allclose(b, eb, rtol=1e-10)


def test_square_law_invariant_is_conserved():
    """Alpha A^2 - beta B^2 is constant along a square-law duel (Lanchester's N-square law)."""
    _, a, b = run_duel(method="rk4", step_days=0.5)
    invariant = 0.1 * a**2 - 0.12 * b**2
    np.testing.assert_allclose(invariant, invariant[0], rtol=1e-9)


def _final_error(method: str, step_days: float) -> float:
    days, a, _ = run_duel(method=method, step_days=step_days, months=2.0)
    ea, _ = square_law_closed_form(10_000, 8_000, 0.1 / MONTH, 0.12 / MONTH, days[-1])
    return abs(a[-1] - ea)


@pytest.mark.parametrize(("method", "order"), [("euler", 1), ("rk4", 4)])
def test_convergence_order(method, order):
    """Halving the step divides the error by 2^order."""
    # Steps that divide the 2-month horizon into whole steps.
    steps = [MONTH / 4, MONTH / 8, MONTH / 16]
    errors = [_final_error(method, h) for h in steps]
    observed = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    np.testing.assert_allclose(observed, order, atol=0.15)


def _law_run(combat: dict[str, Any]):
    data = preset_data("tiny")
    data["combat"] = combat
    return simulate(scenario_from_dict(data), draws=3, seed=1)


def _rate(value: float) -> dict[str, Any]:
    return fixed(value, "per_month")


def test_general_law_contains_square_linear_and_logarithmic():
    """Bracken's general law reduces to the classical laws (Bracken 1995)."""
    square = _law_run({"law": "square", "lethality": {"red": _rate(0.06), "blue": _rate(0.07)}})
    general = _law_run(
        {
            "law": "general",
            "lethality": {"red": _rate(0.06), "blue": _rate(0.07)},
            "p": fixed(1),
            "q": fixed(0),
        }
    )
    np.testing.assert_allclose(square.active.values, general.active.values, rtol=1e-12)

    linear = _law_run({"law": "linear", "lethality": {"red": _rate(1e-6), "blue": _rate(2e-6)}})
    general = _law_run(
        {
            "law": "general",
            "lethality": {"red": _rate(1e-6), "blue": _rate(2e-6)},
            "p": fixed(1),
            "q": fixed(1),
        }
    )
    np.testing.assert_allclose(linear.active.values, general.active.values, rtol=1e-12)

    log = _law_run({"law": "logarithmic", "loss_rate": {"red": _rate(0.05), "blue": _rate(0.08)}})
    # C_s = a_s E_s is the general law with p = 0, q = 1 and the coefficients swapped.
    general = _law_run(
        {
            "law": "general",
            "lethality": {"red": _rate(0.08), "blue": _rate(0.05)},
            "p": fixed(0),
            "q": fixed(1),
        }
    )
    np.testing.assert_allclose(log.active.values, general.active.values, rtol=1e-12)


def test_exchange_ratio_mode_follows_the_reference_rate():
    ds = _law_run(
        {
            "law": "exchange_ratio",
            "reference_side": "blue",
            "casualties": [{"value": fixed(100, "per_day")}],
            "exchange_ratio": fixed(2.5),
        }
    )
    casualties = ds.casualties_per_month
    np.testing.assert_allclose(casualties.sel(side="blue"), 100 * MONTH, rtol=1e-9)
    np.testing.assert_allclose(casualties.sel(side="red"), 100 * MONTH / 2.5, rtol=1e-9)


def test_intensity_ramp_scales_casualties():
    base = {
        "law": "exchange_ratio",
        "reference_side": "blue",
        "casualties": [{"value": fixed(100, "per_day")}],
        "exchange_ratio": fixed(2.0),
    }
    flat = _law_run(base)
    doubled = _law_run({**base, "intensity": [{"value": fixed(2.0)}]})
    np.testing.assert_allclose(
        doubled.casualties_per_month, 2 * flat.casualties_per_month, rtol=1e-9
    )


def test_casualty_cap_limits_losses():
    """min_loss_time caps casualties at active / min_loss_time, as in the Vensim model."""
    data = duel(lethality_a=50.0, lethality_b=50.0, months=1.0)
    data["combat"]["min_loss_time"] = fixed(10, "days")
    ds = simulate(scenario_from_dict(data), draws=1)
    a = ds.active.sel(side="a").sum("channel").isel(draw=0).values
    # With the cap binding every day, A shrinks by 10% a day.
    assert a[1] == pytest.approx(10_000 * 0.9 ** round(MONTH), rel=1e-9)


def test_third_order_training_delay_has_the_right_mean():
    """Recruits leave an Erlang-3 delay after training_delay on average."""
    data = duel(months=24.0)
    channel = data["sides"]["a"]["channels"]["line"]
    channel["recruitment"] = [{"value": fixed(1000, "per_month")}]
    channel["training_delay"] = fixed(2, "months")
    channel["training_order"] = 3
    data["combat"]["lethality"] = {"a": _rate(0), "b": _rate(0)}
    ds = simulate(scenario_from_dict(data), draws=1)
    in_training = ds.training.sel(side="a").isel(draw=0).values[-1]
    # In steady state, Little's law: stock in training = inflow x mean delay.
    assert in_training == pytest.approx(2000, rel=2e-3)


def test_front_stays_within_the_contested_area():
    data = preset_data("tiny")
    data["front"]["max_speed"] = fixed(1e6, "per_month")
    ds = simulate(scenario_from_dict(data), draws=20, seed=3)
    assert float(ds.front.min()) >= 0.0
    assert float(ds.front.max()) <= 50_000.0


def test_crisis_time_is_interpolated_within_a_step():
    """A side shrinking linearly crosses its threshold at a known time."""
    data = duel(months=6.0)
    data["combat"] = {
        "law": "exchange_ratio",
        "reference_side": "a",
        "casualties": [{"value": fixed(100, "per_day")}],
        "exchange_ratio": fixed(1e9),
    }
    data["sides"]["a"]["required_minimum_force"] = fixed(4_950, "men")
    ds = simulate(scenario_from_dict(data), draws=1)
    assert float(ds.months_to_crisis.sel(side="a").isel(draw=0)) == pytest.approx(
        50.5 / MONTH, rel=1e-9
    )
    assert np.isnan(float(ds.months_to_crisis.sel(side="b").isel(draw=0)))


# --- conservation and non-negativity over random valid scenarios ----------------------


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Valid variants of the tiny preset: laws, rates, delays, steps, stiff settings."""
    data = preset_data("tiny")
    positive = st.floats(min_value=0.0, max_value=1e5, allow_nan=False)
    data["time"]["method"] = draw(st.sampled_from(["euler", "rk4"]))
    data["time"]["step"] = {"value": draw(st.sampled_from([0.5, 1, 3, 7, 15])), "unit": "days"}
    data["time"]["horizon"] = {"value": draw(st.sampled_from([1, 3, 6])), "unit": "months"}
    red = data["sides"]["red"]
    blue = data["sides"]["blue"]
    red["channels"]["volunteers"]["recruitment"][1]["value"] = fixed(draw(positive), "per_month")
    blue["channels"]["conscripts"]["recruitment"][0]["value"] = fixed(draw(positive), "per_day")
    # Delays from far shorter than a step (stiff: the limiter must act) to long.
    delay = st.floats(min_value=0.01, max_value=12)
    red["channels"]["convicts"]["training_delay"] = fixed(draw(delay), "days")
    blue["channels"]["conscripts"]["training_delay"] = fixed(draw(delay), "months")
    blue["wounded_return"]["delay"] = fixed(draw(delay), "days")
    for side in (red, blue):
        side["killed_fraction"] = fixed(draw(st.floats(0, 1)))
        side["wounded_return"]["fraction"] = fixed(draw(st.floats(0, 1)))
        side["desertion_rate"] = fixed(draw(st.floats(0, 3)), "per_day")
    lethality = st.floats(min_value=0, max_value=200)
    law = draw(
        st.sampled_from(
            ["square", "linear", "logarithmic", "general", "exchange_ratio", "responsive"]
        )
    )
    if law in ("exchange_ratio", "responsive"):
        data["combat"] = {
            "law": law,
            "reference_side": "red",
            "casualties": [{"value": fixed(draw(st.floats(0, 1e6)), "per_day")}],
            "exchange_ratio": fixed(draw(st.floats(0.01, 100))),
        }
        if law == "responsive":
            data["combat"]["p"] = fixed(draw(st.floats(0, 1.5)))
            data["combat"]["q"] = fixed(draw(st.floats(0, 1.5)))
    elif law == "logarithmic":
        data["combat"] = {
            "law": law,
            "loss_rate": {"red": _rate(draw(lethality)), "blue": _rate(draw(lethality))},
        }
    else:
        scale = 1e-4 if law == "linear" else 1.0
        combat: dict[str, Any] = {
            "law": law,
            "lethality": {
                "red": _rate(scale * draw(lethality)),
                "blue": _rate(scale * draw(lethality)),
            },
        }
        if law == "general":
            combat["lethality"] = {"red": _rate(draw(lethality)), "blue": _rate(draw(lethality))}
            combat["p"] = fixed(draw(st.floats(0, 1.5)))
            combat["q"] = fixed(draw(st.floats(0, 1.5)))
        data["combat"] = combat
    if draw(st.booleans()):
        data["combat"]["min_loss_time"] = fixed(draw(st.floats(0.1, 60)), "days")
    return data


def _check_conservation_and_sign(data: dict[str, Any]) -> None:
    scenario = scenario_from_dict(data)
    ds = simulate(scenario, draws=4, seed=11)
    people = ("active", "training", "wounded")
    initial = sum(ds[f"initial_{n}"] for n in people)
    final = sum(ds[f"final_{n}"] for n in people)
    inflow = ds.final_recruited
    outflow = ds.final_killed + ds.final_discharged + ds.final_deserted
    scale = np.maximum(initial + inflow, 1.0)
    np.testing.assert_array_less(np.abs(initial + inflow - outflow - final) / scale, 1e-9)
    # Wounded: newly wounded in, returned and discharged out.
    wounded_balance = (
        ds.initial_wounded
        + ds.final_wounded_total
        - ds.final_returned
        - ds.final_discharged
        - ds.final_wounded
    )
    np.testing.assert_array_less(np.abs(wounded_balance) / scale, 1e-9)
    # The pool gives exactly what the channels that draw on it received.
    for side_id, side in scenario.sides.items():
        pooled = [name for name, ch in side.channels.items() if ch.draws_on_pool]
        taken = ds.final_recruited.sel(side=side_id, channel=pooled).sum("channel")
        pool = ds.pool.sel(side=side_id)
        np.testing.assert_allclose(
            pool.isel(time=-1) + taken, pool.isel(time=0), rtol=1e-9, atol=1e-6
        )
    stocks = [ds.active, ds.training, ds.wounded, ds.pool]
    for stock in stocks:
        assert float(stock.min()) >= -1e-9 * float(scale.max()), stock.name
    for name in ("final_active", "final_training", "final_wounded"):
        assert float(ds[name].min()) >= -1e-9 * float(scale.max()), name
    assert np.all(np.isfinite(ds.active.values))


@settings(
    max_examples=int(os.environ.get("CEASEFIRE_HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(scenarios())
def test_people_are_conserved_and_stocks_stay_non_negative(data):
    _check_conservation_and_sign(data)


def test_conservation_on_the_default_scenario():
    ds = simulate(draws=50, seed=2)
    people = ("active", "training", "wounded")
    initial = sum(ds[f"initial_{n}"] for n in people)
    final = sum(ds[f"final_{n}"] for n in people)
    balance = initial + ds.final_recruited - ds.final_killed - ds.final_discharged
    balance = balance - ds.final_deserted - final
    assert float(np.abs(balance).max()) <= 1e-9 * float((initial + ds.final_recruited).max())


@pytest.mark.parametrize("side_start", [[0, 3], [0, 1], [0, 1, 2, 3, 4, 5]])
@pytest.mark.parametrize(("shape", "axis"), [((6, 40), 0), ((5, 6, 40), 1), ((2, 5, 6, 40), 2)])
def test_side_sums_are_reduceat_up_to_the_last_digit(
    side_start: list[int], shape: tuple[int, ...], axis: int
) -> None:
    from ceasefire.ensemble._headline import side_sums

    slots = np.random.default_rng(7).normal(size=shape)
    starts = np.array(side_start)
    expected = np.add.reduceat(slots, starts, axis=axis)
    summed = side_sums(slots, starts, axis)
    assert summed.shape == expected.shape
    np.testing.assert_allclose(summed, expected, rtol=1e-14, atol=1e-14)
    if len(side_start) == shape[axis]:
        assert np.array_equal(summed, slots)
        assert not np.shares_memory(summed, slots)
