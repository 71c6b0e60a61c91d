"""ABC rejection model choice among attrition laws (Rubio-Campillo 2016, PLoS ONE 11(1))."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pytest

from ceasefire._errors import InputError
from ceasefire.battles import BattleLaw, _abc
from ceasefire.battles._abc import (
    DEFAULT_PRIORS,
    LawPrior,
    select_by_period,
    select_law,
    simulate_casualty_fractions,
)
from tests.conftest import shared_file

TRUE_COEFFICIENTS = {
    "square": (0.02, 0.04),
    "linear": (2e-6, 4e-6),
    "logarithmic": (0.02, 0.04),
    "fatigue": (0.04, 0.08),
}


@dataclass(frozen=True)
class Table:
    """A minimal battle table (the fields :func:`select_law` reads)."""

    a0: np.ndarray
    ac: np.ndarray
    b0: np.ndarray
    bc: np.ndarray
    duration: np.ndarray
    year: np.ndarray


def synthetic_table(law: str, seed: int, n: int = 60, max_days: int = 20) -> Table:
    """Battles fought under ``law`` with TRUE_COEFFICIENTS and 5% log-normal casualty noise."""
    rng = np.random.default_rng(seed)
    a0 = np.exp(rng.uniform(math.log(2e3), math.log(5e4), n))
    b0 = np.exp(rng.uniform(math.log(2e3), math.log(5e4), n))
    days = rng.integers(1, max_days + 1, n).astype(float)
    truth = np.array([TRUE_COEFFICIENTS[law]])
    fraction_a, fraction_b = simulate_casualty_fractions(
        DEFAULT_PRIORS[law].battle_law, truth, a0, b0, days
    )
    noise = np.exp(0.05 * rng.standard_normal((2, n)))
    ac = np.minimum(fraction_a[0] * noise[0], 1.0) * a0
    bc = np.minimum(fraction_b[0] * noise[1], 1.0) * b0
    year = rng.choice([1650.0, 1750.0, 1850.0], n)
    return Table(a0=a0, ac=ac, b0=b0, bc=bc, duration=days, year=year)


@pytest.mark.slow
@pytest.mark.parametrize("law", sorted(TRUE_COEFFICIENTS))
def test_recovers_the_law_that_generated_the_battles(law: str) -> None:
    """The generating law gets the highest posterior probability (ABC model choice).

    Rubio-Campillo (2016) compares the four laws by ABC rejection; on battles simulated
    from a known law the procedure must favour that law. Here battles are fought for their
    recorded duration (``stop="duration"``). The logarithmic and fatigue laws differ only
    through the decay of the kill rate over the days, so they are told apart by a small
    margin only, even with battles of 1 to 20 days.
    """
    choice = select_law(
        synthetic_table(law, seed=0),
        n_simulations=100_000,
        quantile=0.002,
        seed=10,
        stop="duration",
    )
    assert choice.best == law
    assert math.isclose(float(np.sum(choice.probabilities)), 1.0)
    if law in ("square", "linear"):
        assert choice.probability(law) > 0.9
    else:
        assert choice.probability("logarithmic") + choice.probability("fatigue") > 0.95
    median = np.median(choice.posteriors[choice.laws.index(law)], axis=0)
    np.testing.assert_allclose(median, TRUE_COEFFICIENTS[law], rtol=0.5)


@pytest.mark.slow
@pytest.mark.parametrize("law", sorted(TRUE_COEFFICIENTS))
def test_paper_procedure_recovers_the_law_family(law: str) -> None:
    """Rubio-Campillo's stopping rule (at a side's historical end strength), the default.

    Stopping at the end strength removes time from the data: only the ratio a/b is
    identified, and the fatigue law (a kill rate that decays with the step) becomes a
    rescaled logarithmic law. Square and linear are recovered decisively; the
    own-strength laws as a family.
    """
    choice = select_law(synthetic_table(law, seed=0), n_simulations=40_000, quantile=0.005, seed=10)
    assert math.isclose(float(np.sum(choice.probabilities)), 1.0)
    if law in ("square", "linear"):
        assert choice.best == law
        assert choice.probability(law) > 0.9
        sample = choice.posteriors[choice.laws.index(law)]
        ratio = np.median(sample[:, 0] / sample[:, 1])
        truth = TRUE_COEFFICIENTS[law][0] / TRUE_COEFFICIENTS[law][1]
        assert ratio == pytest.approx(truth, rel=0.3)
    else:
        assert choice.probability("logarithmic") + choice.probability("fatigue") > 0.95


def test_end_strength_forward_model_stops_at_the_historical_end() -> None:
    """A battle stops after the step in which a side reaches its end strength."""
    lost_a, lost_b = _abc.simulate_to_end_strength(
        BattleLaw("square", 1.0, 1.0),
        np.array([[0.01, 0.02]]),
        np.array([1000.0]),
        np.array([1000.0]),
        np.array([0.0]),
        np.array([900.0]),
        max_steps=100,
    )
    # B loses about 20 a step (0.02 x A) and A about 10 (0.01 x B): B passes its end
    # strength of 900 (100 lost) during the sixth step, and the battle stops there.
    assert 100.0 <= lost_b[0, 0] < 120.0
    assert 50.0 < lost_a[0, 0] < 60.0


def small_choice(seed: int | np.random.SeedSequence = 3) -> _abc.LawChoice:
    return select_law(
        synthetic_table("square", seed=1, n=30, max_days=3),
        n_simulations=4_000,
        quantile=0.05,
        seed=seed,
    )


def test_bayes_factors_are_ratios_of_probabilities() -> None:
    choice = small_choice()
    result = choice.to_dict()
    assert math.isclose(sum(result["probabilities"].values()), 1.0)
    assert sum(choice.accepted) == math.ceil(0.05 * 4_000)
    assert result["n_simulations"] == 4_000
    assert result["simulated"] == dict.fromkeys(choice.laws, 1_000)
    for law in choice.laws:
        for other in choice.laws:
            if law == other:
                continue
            factor = result["bayes_factors"][law][other]
            top, bottom = choice.probability(law), choice.probability(other)
            if bottom > 0:
                assert math.isclose(factor, top / bottom)
            elif top > 0:
                assert factor == math.inf
            else:
                assert math.isnan(factor)
    assert result["tolerance"] == choice.tolerance > 0
    for law, sample in zip(choice.laws, choice.posteriors, strict=True):
        assert sample.shape == (result["accepted"][law], 2)
        prior = DEFAULT_PRIORS[law]
        assert np.all((sample >= prior.low) & (sample <= prior.high))


def test_same_seed_same_result_and_seed_sequence_equivalent() -> None:
    first, again = small_choice(3), small_choice(np.random.SeedSequence(3))
    np.testing.assert_array_equal(first.probabilities, again.probabilities)
    for one, two in zip(first.posteriors, again.posteriors, strict=True):
        np.testing.assert_array_equal(one, two)
    other = small_choice(4)
    assert not all(
        np.array_equal(one, two)
        for one, two in zip(first.posteriors, other.posteriors, strict=True)
    )


def test_result_does_not_depend_on_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    reference = small_choice()
    monkeypatch.setattr(_abc, "_ELEMENTS_PER_CHUNK", 97)
    chunked = small_choice()
    np.testing.assert_array_equal(reference.probabilities, chunked.probabilities)
    assert reference.tolerance == chunked.tolerance


def test_forward_model_daily_steps() -> None:
    """Daily square-law steps from the start-of-day strengths, fractional last day, clip."""
    coefficients = np.array([[0.1, 0.05], [10.0, 0.0]])
    a0, b0 = np.array([1000.0, 1000.0]), np.array([500.0, 500.0])
    days = np.array([1.5, 1.0])
    fraction_a, fraction_b = simulate_casualty_fractions(
        BattleLaw("square", 1.0, 1.0), coefficients, a0, b0, days
    )
    # Battle 0, first pair: day 0 A = 1000 − 0.1·500 = 950, B = 500 − 0.05·1000 = 450;
    # half day 1: A = 950 − 0.5·0.1·450, B = 450 − 0.5·0.05·950.
    a_end, b_end = 950 - 0.5 * 0.1 * 450, 450 - 0.5 * 0.05 * 950
    np.testing.assert_allclose(fraction_a[0], [1 - a_end / 1000, 1 - 950 / 1000])
    np.testing.assert_allclose(fraction_b[0], [1 - b_end / 500, 1 - 450 / 500])
    np.testing.assert_allclose(fraction_a[1], [1.0, 1.0])  # clipped at zero strength
    np.testing.assert_allclose(fraction_b[1], [0.0, 0.0])


def test_fatigue_law_decays_with_days_fought() -> None:
    """Fatigue loses ``a·A/ln(e + t)`` on day t (Rubio-Campillo 2016)."""
    coefficient = np.array([[0.1, 0.1]])
    one = np.array([1.0])
    fraction, _ = simulate_casualty_fractions(
        DEFAULT_PRIORS["fatigue"].law, coefficient, one * 100, one * 100, one * 2
    )
    expected = 1 - 0.9 * (1 - 0.1 / math.log(math.e + 1))
    np.testing.assert_allclose(fraction, [[expected]])


def test_select_by_period_bins_and_skips_empty_bins() -> None:
    table = synthetic_table("square", seed=2, n=45, max_days=3)
    bins = ((1600, 1699), (1700, 1799), (1900, 1999), (1800, 1899))
    result = select_by_period(table, bins=bins, n_simulations=2_000, quantile=0.05, seed=1)
    assert result.periods == ((1600, 1699), (1700, 1799), (1800, 1899))
    counts = [int(np.sum((table.year >= lo) & (table.year <= hi))) for lo, hi in result.periods]
    assert [choice.n_battles for choice in result.choices] == counts
    for period in result.to_dict()["periods"]:
        assert math.isclose(sum(period["probabilities"].values()), 1.0)


def with_changes(table: Table, **changes: np.ndarray) -> Table:
    fields = {name: getattr(table, name) for name in Table.__dataclass_fields__}
    return Table(**{**fields, **changes})


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("a0", lambda t: {"a0": -t.a0}),
        ("b0", lambda t: {"b0": np.where(np.arange(len(t.b0)) == 3, 0.0, t.b0)}),
        ("ac", lambda t: {"ac": t.a0 * 1.5}),
        ("bc", lambda t: {"bc": np.where(np.arange(len(t.bc)) == 2, t.b0 + 1, t.bc)}),
        ("bc", lambda t: {"bc": np.full(len(t.bc), np.nan)}),
        ("duration", lambda t: {"duration": -t.duration}),
        ("ac", lambda t: {"ac": t.ac[:-1]}),
    ],
)
def test_bad_battles_raise_input_error_naming_the_field(field: str, change: object) -> None:
    table = synthetic_table("square", seed=1, n=10, max_days=2)
    assert callable(change)
    with pytest.raises(InputError) as caught:
        select_law(with_changes(table, **change(table)), n_simulations=100, seed=0)
    assert caught.value.field == field
    assert field in str(caught.value)


def test_drop_excess_casualties_leaves_those_battles_out() -> None:
    table = synthetic_table("square", seed=1, n=10, max_days=2)
    bad = with_changes(table, ac=np.where(np.arange(10) < 2, table.a0 * 2, table.ac))
    choice = select_law(bad, n_simulations=400, seed=0, drop_excess_casualties=True)
    assert (choice.n_battles, choice.n_dropped) == (8, 2)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("quantile", {"quantile": 0.0}),
        ("n_simulations", {"n_simulations": 3}),
        ("laws", {"laws": ["square", "lanchester"]}),
        ("laws", {"laws": ["square"]}),
        ("max_days", {"max_days": 0.5}),
    ],
)
def test_bad_settings_raise_input_error(field: str, kwargs: dict[str, object]) -> None:
    table = synthetic_table("square", seed=1, n=5, max_days=2)
    with pytest.raises(InputError) as caught:
        select_law(table, seed=0, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_bad_prior_and_missing_year_raise() -> None:
    with pytest.raises(InputError, match="low"):
        LawPrior("square", 1.0, 0.1)

    @dataclass(frozen=True)
    class NoYear:
        a0: np.ndarray
        ac: np.ndarray
        b0: np.ndarray
        bc: np.ndarray

    ones = np.ones(3)
    with pytest.raises(InputError) as caught:
        select_by_period(NoYear(ones * 10, ones, ones * 10, ones), n_simulations=100, seed=0)
    assert caught.value.field == "year"


@pytest.mark.slow
def test_cdb90_complete_battles_by_period() -> None:
    """Model choice on CDB90's complete battles per period; each bin's shares sum to 1."""
    from ceasefire.battles._data import load_cdb90

    folder = shared_file("data/battles/cdb90")
    table = load_cdb90(
        folder / "battles.csv", folder / "belligerents.csv", folder / "battle_durations.csv"
    )
    start = time.perf_counter()
    result = select_by_period(table, seed=2016, drop_excess_casualties=True)
    elapsed = time.perf_counter() - start
    assert elapsed < 30
    assert len(result.choices) == 5
    for choice in result.choices:
        assert math.isclose(float(np.sum(choice.probabilities)), 1.0)
        assert choice.n_battles > 0
    dropped = sum(choice.n_dropped for choice in result.choices)
    assert sum(choice.n_battles for choice in result.choices) + dropped <= len(table)
