"""The rubio2016 procedure: Rubio-Campillo (2016), PLoS ONE 11(1): e0146491, as its tool runs it."""

from __future__ import annotations

import importlib.util
import math
import os
from dataclasses import dataclass

import numpy as np
import pytest

from ceasefire._errors import InputError
from ceasefire.battles._choice import LawChoice
from ceasefire.battles._robustness import Robustness, robustness
from ceasefire.battles._rubio import (
    PAPER,
    BattleSet,
    Kernel,
    battle_set,
    draw_ratios,
    rubio2016,
    rubio2016_by_period,
)
from ceasefire.battles._rubio_kernel import run_distances
from ceasefire.battles._rubio_laws import (
    FATIGUE,
    LINEAR,
    LOGARITHMIC,
    SQUARE,
    STEP_LAWS,
    continuous_casualties,
    step_factor,
    step_losses,
)
from tests.conftest import require_module

# Under CI=true every extra is installed: the compiled engine is always tested there.
_WITH_NUMBA = os.environ.get("CI") == "true" or importlib.util.find_spec("numba") is not None
ENGINES = ["numpy"] + (["numba"] if _WITH_NUMBA else [])


@dataclass(frozen=True)
class Table:
    """A battle table: side A is red, side B blue."""

    a0: np.ndarray
    ac: np.ndarray
    b0: np.ndarray
    bc: np.ndarray
    year: np.ndarray


def one_battle(red0: float, red_lost: float, blue0: float, blue_lost: float) -> BattleSet:
    return BattleSet(*(np.array([x]) for x in (red0, red_lost, blue0, blue_lost)))


def fight(law: int, red0: float, blue0: float, ratio: float, red_break: float, blue_break: float):
    """A battle fought with the paper's step law until a side has lost its break fraction.

    A plain loop, independent of the vectorised kernels: it makes the synthetic tables.
    """
    k_blue = float(step_factor(law, 100.0, np.float64(red0), np.float64(blue0)))
    red, blue, step = red0, blue0, 0
    while red > red0 * (1 - red_break) and blue > blue0 * (1 - blue_break):
        red_loss, blue_loss = step_losses(law, k_blue, k_blue * ratio, red, blue, step)
        red, blue = math.trunc(red - red_loss), math.trunc(blue - blue_loss)
        step += 1
    return red0 - red, blue0 - blue


def synthetic_table(law: int, seed: int, n: int = 60) -> Table:
    """Battles from ``law``: ratios Gamma(mean 1.5, sd 0.4), break points U(5%, 35%)."""
    rng = np.random.default_rng(seed)
    red0 = np.round(np.exp(rng.uniform(math.log(5e3), math.log(6e4), n)))
    blue0 = np.round(np.exp(rng.uniform(math.log(5e3), math.log(6e4), n)))
    ratio = rng.gamma((1.5 / 0.4) ** 2, 0.4**2 / 1.5, n)
    breaks = rng.uniform(0.05, 0.35, (2, n))
    lost = np.array(
        [fight(law, red0[i], blue0[i], ratio[i], breaks[0, i], breaks[1, i]) for i in range(n)]
    )
    return Table(red0, lost[:, 0], blue0, lost[:, 1], np.full(n, 1700.0))


def test_step_factor_and_laws_follow_the_paper() -> None:
    """k_blue = 100/max(R0, B0), or 100/(R0 B0) for the linear law; the four step laws."""
    red0, blue0 = np.array([2000.0]), np.array([500.0])
    assert step_factor(SQUARE, 100.0, red0, blue0)[0] == pytest.approx(0.05)
    assert step_factor(LINEAR, 100.0, red0, blue0)[0] == pytest.approx(1e-4)
    assert step_losses(LINEAR, 0.1, 0.2, 30.0, 40.0, 0) == pytest.approx((120.0, 240.0))
    assert step_losses(SQUARE, 0.1, 0.2, 30.0, 40.0, 0) == pytest.approx((4.0, 6.0))
    assert step_losses(LOGARITHMIC, 0.1, 0.2, 30.0, 40.0, 5) == pytest.approx((3.0, 8.0))
    decay = 1 / math.log(math.e + 5)
    assert step_losses(FATIGUE, 0.1, 0.2, 30.0, 40.0, 5) == pytest.approx(
        (3.0 * decay, 8.0 * decay)
    )
    assert STEP_LAWS == ("linear", "square", "logarithmic", "fatigue")


@pytest.mark.parametrize("engine", ENGINES)
def test_truncation_and_stopping_hand_worked_square(engine: str) -> None:
    """Square law, R0 = 1000, B0 = 500, ratio 1: k = 100/1000 = 0.1 for both sides.

    step 0: R = int(1000 − 0.1·500) = 950,  B = int(500 − 0.1·1000) = 400
    step 1: R = int(950 − 0.1·400) = 910,   B = int(400 − 0.1·950) = 305
    step 2: R = int(910 − 30.5) = 879,      B = int(305 − 91) = 214    (B > 200: go on)
    step 3: R = int(879 − 21.4) = 857,      B = int(214 − 87.9) = 126  (B ≤ 200: stop)
    Historical casualties R_c = 200, B_c = 300 (end strengths 800, 200); simulated
    143 and 374; distance 57/200 + 74/300. Without truncation step 2 keeps R = 879.5
    and step 3 gives R = 858.1, B = 126.05.
    """
    battle = one_battle(1000.0, 200.0, 500.0, 300.0)
    laws, ratios = np.array([SQUARE]), np.array([[1.0]])
    distance, capped = run_distances(laws, ratios, battle, PAPER, engine)
    assert distance[0] == pytest.approx(57 / 200 + 74 / 300, rel=1e-12)
    assert capped[0] == 0
    exact = Kernel(rounding=False)
    distance, _ = run_distances(laws, ratios, battle, exact, engine)
    assert distance[0] == pytest.approx(abs(141.9 - 200) / 200 + abs(373.95 - 300) / 300)
    # A step cap of 3 stops the same battle one step early, and counts it.
    distance, capped = run_distances(laws, ratios, battle, Kernel(max_steps=3), engine)
    assert distance[0] == pytest.approx(79 / 200 + 14 / 300)
    assert capped[0] == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_fatigue_hand_worked(engine: str) -> None:
    """Fatigue, R0 = B0 = 1000, ratio 2: k_blue = 0.1, k_red = 0.2; decay 1/ln(e + i).

    step 0 (ln e = 1): R = int(1000 − 100) = 900, B = int(1000 − 200) = 800
    step 1 (1/ln(e+1) = 0.76142): R = int(900 − 68.53) = 831, B = int(800 − 121.83) = 678
    End strengths 700 and 750: B stops the battle after step 1; casualties 169 and 322.
    """
    battle = one_battle(1000.0, 300.0, 1000.0, 250.0)
    distance, _ = run_distances(np.array([FATIGUE]), np.array([[2.0]]), battle, PAPER, engine)
    assert distance[0] == pytest.approx(131 / 300 + 72 / 250, rel=1e-12)


def test_the_first_step_can_end_the_battle_and_strengths_are_not_clipped() -> None:
    """Blue reaches its end strength in step 0; red's end strength 0 is never reached.

    Square law, R0 = 1000, B0 = 500, ratio 1 (k = 0.1): step 0 gives R = 950, B = 400 =
    B's end strength, so the battle stops with casualties 50 and 100. With ratio 6 blue
    falls to int(500 − 600) = −100: the overshoot counts (600 casualties), as in the tool.
    """
    battle = one_battle(1000.0, 1000.0, 500.0, 100.0)
    laws = np.array([SQUARE, SQUARE])
    distance, capped = run_distances(laws, np.array([[1.0], [6.0]]), battle, PAPER, "numpy")
    np.testing.assert_allclose(distance, [950 / 1000, 950 / 1000 + 500 / 100])
    assert capped.tolist() == [0, 0]


def test_numba_and_numpy_engines_agree() -> None:
    """The compiled kernel (with its multi-step stretches) gives the NumPy path's numbers.

    Strengths from 500 to 400,000 men and ratios from the whole prior (gamma shapes down
    to ~1e-6, so ratios of 0 and of 1e-100 too) make battles of one step and of tens of
    thousands of steps, a man or two at a time.
    """
    require_module("numba")  # extra `fast`; under CI=true a missing module fails
    rng = np.random.default_rng(5)
    n = 40
    red0 = np.round(np.exp(rng.uniform(math.log(500), math.log(4e5), n)))
    blue0 = np.round(np.exp(rng.uniform(math.log(500), math.log(4e5), n)))
    red_lost = np.maximum(np.round(red0 * rng.uniform(0.001, 1.0, n)), 1)
    blue_lost = np.maximum(np.round(blue0 * rng.uniform(0.001, 1.0, n)), 1)
    battles = BattleSet(red0, red_lost, blue0, blue_lost)
    runs = 96
    laws = rng.integers(0, 4, runs)
    ratios = draw_ratios(rng, rng.uniform(0, 5, runs), rng.uniform(0, 5, runs), n)
    ratios[:4] = 0.0
    ratios[4:8] = 1e-100
    for kernel in (PAPER, Kernel(men_per_step=10.0), Kernel(rounding=False, max_steps=5_000)):
        one, capped_one = run_distances(laws, ratios, battles, kernel, "numpy")
        two, capped_two = run_distances(laws, ratios, battles, kernel, "numba")
        np.testing.assert_allclose(one, two, rtol=1e-12)
        np.testing.assert_array_equal(capped_one, capped_two)
    few, _ = run_distances(laws[:3], ratios[:3], battles, PAPER, "numba")  # the serial kernel
    np.testing.assert_allclose(few, run_distances(laws[:3], ratios[:3], battles, PAPER, "numpy")[0])


def test_gamma_ratios_have_the_asked_mean_and_sd() -> None:
    rng = np.random.default_rng(0)
    ratios = draw_ratios(rng, np.array([2.0, 0.5, 3.0]), np.array([0.5, 1.0, 0.0]), 200_000)
    np.testing.assert_allclose(ratios[:2].mean(axis=1), [2.0, 0.5], rtol=0.01)
    np.testing.assert_allclose(ratios[:2].std(axis=1), [0.5, 1.0], rtol=0.02)
    assert np.all(ratios[2] == 3.0)  # sd 0: every battle gets the mean


@pytest.mark.parametrize("law", [LINEAR, SQUARE, LOGARITHMIC, FATIGUE])
def test_continuous_casualties_match_a_fine_euler_integration(law: int) -> None:
    """The closed forms against Euler steps of 1e-3 of a step, no rounding."""
    red0, blue0, red_end, blue_end, ratio = 20_000.0, 15_000.0, 17_000.0, 12_500.0, 1.3
    k_blue = float(step_factor(law, 100.0, np.float64(red0), np.float64(blue0)))
    red, blue, t, dt = red0, blue0, 0.0, 1e-3
    while red > red_end and blue > blue_end:
        # The fatigue law in continuous time decays with the time fought, 1/ln(e + t).
        decay = 1 / math.log(math.e + t) if law == FATIGUE else 1.0
        unit = LOGARITHMIC if law == FATIGUE else law
        red_loss, blue_loss = step_losses(unit, k_blue, k_blue * ratio, red, blue, 0)
        red, blue, t = red - dt * decay * red_loss, blue - dt * decay * blue_loss, t + dt
    red_lost, blue_lost = continuous_casualties(
        law, np.array(ratio), red0, blue0, np.array(red_end), np.array(blue_end)
    )
    assert float(red_lost) == pytest.approx(red0 - red, rel=2e-3)
    assert float(blue_lost) == pytest.approx(blue0 - blue, rel=2e-3)


@pytest.mark.slow
@pytest.mark.parametrize("law", [LINEAR, SQUARE])
def test_recovers_linear_and_square(law: int) -> None:
    """A table made by the linear or the square law is given to that law decisively."""
    choice = rubio2016(synthetic_table(law, seed=0), runs=20_000, tolerance=0.01, seed=1)
    assert choice.best == STEP_LAWS[law]
    assert choice.probability(STEP_LAWS[law]) > 0.95


@pytest.mark.slow
@pytest.mark.parametrize("law", [LOGARITHMIC, FATIGUE])
def test_logarithmic_and_fatigue_are_recovered_as_a_pair_only(law: int) -> None:
    """Tables from either own-strength law go to the pair; the pair is not split.

    Stopping at the historical end strength, both laws walk the same path in the (R, B)
    plane (the fatigue law only slows the clock) and differ only by the last step's
    overshoot: the procedure cannot tell which of the two made the table. Neither gets
    even "substantial" evidence (a Bayes factor of 3.2) over the other.
    """
    choice = rubio2016(synthetic_table(law, seed=0), runs=20_000, tolerance=0.01, seed=1)
    assert choice.probability("logarithmic") + choice.probability("fatigue") > 0.95
    assert 1 / 3.2 < choice.bayes_factor("fatigue", "logarithmic") < 3.2


def test_selection_keeps_the_closest_tenth_and_reports_shares() -> None:
    table = synthetic_table(SQUARE, seed=2, n=20)
    choice = rubio2016(table, runs=400, seed=3)
    record = choice.to_dict()
    assert sum(choice.accepted) == 40 and choice.quantile == pytest.approx(0.1)
    assert sum(record["simulated"].values()) == 400
    assert math.isclose(sum(record["probabilities"].values()), 1.0)
    assert record["procedure"] == "rubio2016"
    assert record["discretisation"]["men_per_step"] == 100.0
    for law, sample in zip(choice.laws, choice.posteriors, strict=True):
        assert sample.shape == (record["accepted"][law], 2)
        assert np.all((sample >= 0) & (sample <= 5))
    again = rubio2016(table, runs=400, seed=3, engine="numpy")
    np.testing.assert_array_equal(choice.probabilities, again.probabilities)


def test_by_period_and_bad_input() -> None:
    table = synthetic_table(SQUARE, seed=2, n=20)
    year = np.where(np.arange(20) < 8, 1650.0, 1850.0)
    table = Table(table.a0, table.ac, table.b0, table.bc, year)
    result = rubio2016_by_period(table, bins=((1600, 1699), (1700, 1799), (1800, 1899)), runs=80)
    assert result.periods == ((1600, 1699), (1800, 1899))
    assert [c.n_battles for c in result.choices] == [8, 12]
    zero = Table(table.a0, np.where(np.arange(20) == 4, 0.0, table.ac), table.b0, table.bc, year)
    with pytest.raises(InputError) as caught:
        battle_set(zero)
    assert caught.value.field == "ac" and "no casualties" in str(caught.value)
    assert battle_set(zero, drop_invalid=True).n_dropped == 1
    with pytest.raises(InputError) as caught:
        rubio2016(table, runs=0)
    assert caught.value.field == "runs"
    with pytest.raises(InputError) as caught:
        rubio2016(table, tolerance=1.5)
    assert caught.value.field == "tolerance"


def made_choice(probabilities: list[float], time: str = "steps") -> LawChoice:
    counts = tuple(round(100 * p) for p in probabilities)
    return LawChoice(
        laws=STEP_LAWS,
        probabilities=np.array(probabilities),
        accepted=counts,
        simulated=(250,) * 4,
        posteriors=tuple(np.empty((c, 2)) for c in counts),
        tolerance=1.0,
        quantile=0.1,
        n_simulations=1000,
        n_battles=10,
        parameter_names=("mu", "sigma"),
        details={"discretisation": {"time": time}},
    )


def test_robustness_verdict_in_words() -> None:
    """Same favoured law everywhere: the battles'; otherwise the discretisation's."""
    fatigue = made_choice([0.1, 0.1, 0.3, 0.5])
    square = made_choice([0.1, 0.6, 0.2, 0.1])
    continuous = made_choice([0.1, 0.1, 0.35, 0.45], time="continuous")
    stable = Robustness(("paper", "10 men a step"), (fatigue, fatigue))
    assert stable.stable
    assert "property of the battles, not of the discretisation" in stable.verdict
    moved = Robustness(
        ("paper", "1,000 men a step", "continuous time"), (fatigue, square, continuous)
    )
    assert not moved.stable
    assert moved.favoured["continuous time"] == "logarithmic=fatigue"
    assert "the square law (1,000 men a step)" in moved.verdict
    assert "property of the discretisation, not of the battles" in moved.verdict
    assert moved.to_dict()["variants"][2]["best"] == "logarithmic=fatigue"


def test_robustness_runs_every_variant_with_common_random_numbers() -> None:
    table = synthetic_table(SQUARE, seed=2, n=10)
    result = robustness(table, runs=200, seed=4)
    assert result.variants[0].startswith("paper")
    assert len(result.choices) == 5
    # The same seed for every variant: the laws drawn per run are the same.
    assert len({c.simulated for c in result.choices}) == 1
    assert result.to_dict()["variants"][4]["discretisation"]["time"] == "continuous"
