"""Log-linear casualty model: OLS and Gibbs fits against the literature and exact cases.

References: Fricker (1998), *NRL* 45; Wiper, Pettit & Young (2000), *NRL* 47(7):541–558;
``reference/battle-fits.md`` (F4 and the "Ardennes, frequentist fit" reference computation).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from ceasefire._errors import InputError
from ceasefire.battles._loglinear import (
    COVARIANCE_NAMES,
    PARAMETER_NAMES,
    WPY_PRIOR,
    LogLinearPosterior,
    LogLinearPrior,
    PoorIdentificationWarning,
    _inverse_wishart,
    fit_loglinear_bayes,
    fit_loglinear_ols,
    split_rhat_and_ess,
)
from ceasefire.battles._series import DailySeries, load_ardennes
from tests.conftest import shared_file

ARDENNES = "data/battles/ardennes/ardennes_wpy2000.csv"

# reference/battle-fits.md, "Ardennes, frequentist fit" (reference computation).
OLS_REFERENCE = {
    "phi_own": 5.20,
    "phi_enemy": -0.36,
    "gamma_a": 7.769,
    "gamma_b": 7.893,
    "delta_a": -0.218,
    "delta_b": 0.208,
}
OLS_REFERENCE_SSR = 3.34

# reference/battle-fits.md, F4: Stan reproduction of Wiper, Pettit & Young (2000), mean and SD.
F4_POSTERIOR = {
    "gamma_a": (7.784, 0.074),
    "gamma_b": (8.018, 0.077),
    "phi_own": (1.058, 0.442),
    "phi_enemy": (0.704, 0.481),
    "delta_a": (-0.241, 0.079),
    "delta_b": (0.035, 0.076),
}
F4_COVARIANCE = np.array([[0.097, 0.027], [0.027, 0.108]])


@pytest.fixture(scope="module")
def ardennes() -> DailySeries:
    return load_ardennes(shared_file(ARDENNES))


def synthetic(
    beta: np.ndarray, covariance: np.ndarray, days: int, seed: int
) -> tuple[DailySeries, np.ndarray]:
    """Draw a battle from the WPY model with widely varying, independent forces.

    The model is written out here side by side rather than through the module's design
    matrix, so that a wrong design in the module shows up.
    """
    rng = np.random.default_rng(seed)
    a_forces = np.exp(rng.uniform(np.log(5e4), np.log(5e5), days))
    b_forces = np.exp(rng.uniform(np.log(5e4), np.log(5e5), days))
    attacker = rng.choice([-1.0, 1.0], days)
    log_a = np.log(a_forces) - np.log(a_forces).mean()
    log_b = np.log(b_forces) - np.log(b_forces).mean()
    gamma_a, gamma_b, phi_own, phi_enemy, delta_a, delta_b = beta
    mean_a = gamma_a + phi_own * log_a + phi_enemy * log_b + delta_a * attacker
    mean_b = gamma_b + phi_own * log_b + phi_enemy * log_a + delta_b * attacker
    noise = rng.multivariate_normal(np.zeros(2), covariance, days)
    series = DailySeries(
        name="synthetic",
        day=np.arange(days, dtype=np.float64),
        a_forces=a_forces,
        a_casualties=np.exp(mean_a + noise[:, 0]),
        b_forces=b_forces,
        b_casualties=np.exp(mean_b + noise[:, 1]),
        attacker=attacker,
    )
    return series, np.column_stack([mean_a, mean_b])


TRUE_BETA = np.array([7.5, 8.2, 0.8, 0.3, -0.2, 0.15])
TRUE_COVARIANCE = np.array([[0.09, 0.03], [0.03, 0.12]])


# --------------------------------------------------------------------------------------
# OLS


def test_ols_reproduces_reference_fit(ardennes: DailySeries) -> None:
    """Stacked OLS on the WPY file gives the reference computation of battle-fits.md (1%)."""
    with pytest.warns(PoorIdentificationWarning):
        fit = fit_loglinear_ols(ardennes)
    got = fit.to_dict()
    for name, expected in OLS_REFERENCE.items():
        assert got[name] == pytest.approx(expected, rel=0.01), name
    assert fit.ssr == pytest.approx(OLS_REFERENCE_SSR, rel=0.01)
    assert fit.phi == pytest.approx([got["phi_own"], got["phi_enemy"]])
    assert 0 < fit.r_squared < 1
    assert np.isfinite(fit.aic)
    assert fit.days == 32


def test_ols_flags_ardennes_exponents_as_barely_identified(ardennes: DailySeries) -> None:
    """battle-fits.md: the forces change by under 10% and move together, so φ is weak."""
    with pytest.warns(PoorIdentificationWarning, match="barely identified"):
        fit = fit_loglinear_ols(ardennes)
    diagnosis = fit.identification
    assert diagnosis.poorly_identified
    assert diagnosis.force_log_correlation > 0.99
    assert min(diagnosis.phi_se) > 1.0  # wider than the prior SD of 0.5
    assert fit.to_dict()["poorly_identified"] is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = fit_loglinear_ols(ardennes, warn=False)
    assert quiet.identification.poorly_identified


def test_ols_is_exact_on_noiseless_data_and_does_not_warn() -> None:
    """With zero noise OLS returns the generating β and SSR 0; varied forces raise no flag."""
    series, _ = synthetic(TRUE_BETA, 1e-12 * np.eye(2), days=60, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = fit_loglinear_ols(series)
    np.testing.assert_allclose(fit.coefficients, TRUE_BETA, atol=1e-4)
    assert fit.ssr < 1e-8
    assert not fit.identification.poorly_identified


def test_ols_standard_errors_cover_truth() -> None:
    """On noisy synthetic data every OLS estimate lies within 3 SE of the truth."""
    series, _ = synthetic(TRUE_BETA, TRUE_COVARIANCE, days=120, seed=4)
    fit = fit_loglinear_ols(series)
    z = np.abs(fit.coefficients - TRUE_BETA) / fit.standard_errors
    assert np.all(z < 3), z


# --------------------------------------------------------------------------------------
# Bayesian fit


@pytest.fixture(scope="module")
def posterior(ardennes: DailySeries) -> LogLinearPosterior:
    return fit_loglinear_bayes(ardennes, draws=2000, burn_in=500, chains=4, seed=20000)


def test_posterior_matches_f4_within_one_sd(posterior: LogLinearPosterior) -> None:
    """F4 (Wiper, Pettit & Young 2000, Stan reproduction): means within one F4 posterior SD."""
    got = posterior.to_dict()
    for name, (mean, sd) in F4_POSTERIOR.items():
        assert abs(got[name] - mean) < sd, (name, got[name], mean, sd)
        # Stricter than the issue asks: F4's own Monte Carlo error is about 0.05 SD.
        assert abs(got[name] - mean) < 0.25 * sd, (name, got[name], mean, sd)
        # Our SD agrees with F4's to within the noise of a 1,000-iteration single chain.
        assert got[f"{name}_sd"] == pytest.approx(sd, rel=0.25), name
    np.testing.assert_allclose(posterior.covariance_mean, F4_COVARIANCE, atol=0.01)


def test_posterior_has_converged(posterior: LogLinearPosterior) -> None:
    """Split-R̂ below 1.01 and at least 1,000 effective draws for every quantity."""
    assert posterior.draws.shape == (4, 2000, 6)
    assert posterior.covariance_draws.shape == (4, 2000, 2, 2)
    assert np.all(posterior.rhat < 1.01), posterior.rhat
    assert np.all(posterior.ess > 1000), posterior.ess


def test_posterior_phi_is_prior_dominated(posterior: LogLinearPosterior) -> None:
    """battle-fits.md: the N(0.5, 0.25) priors drive φ; the data barely narrow them."""
    ratio = dict(zip(PARAMETER_NAMES, posterior.prior_sd_ratio, strict=True))
    assert ratio["phi_own"] > 0.8
    assert ratio["phi_enemy"] > 0.8
    assert ratio["gamma_a"] < 0.2


def test_posterior_summaries_are_consistent(posterior: LogLinearPosterior) -> None:
    """Names, 90% intervals around the mean, and to_dict keys."""
    got = posterior.to_dict()
    assert posterior.names == PARAMETER_NAMES + COVARIANCE_NAMES
    for index, name in enumerate(posterior.names):
        low, high = posterior.interval[index]
        assert low < got[name] < high
        assert {f"{name}_sd", f"{name}_lo", f"{name}_hi", f"{name}_rhat", f"{name}_ess"} <= set(got)
    flat = posterior.draws.reshape(-1, 6)
    inside = (flat >= posterior.interval[:6, 0]) & (flat <= posterior.interval[:6, 1])
    np.testing.assert_allclose(inside.mean(axis=0), 0.9, atol=0.002)
    assert got["level"] == 0.9


def test_gibbs_with_known_covariance_is_the_exact_gaussian_posterior(
    ardennes: DailySeries,
) -> None:
    """With V known the posterior of β is Gaussian in closed form (conjugate linear model).

    The closed form is built here from the dense 2T×2T covariance I_T ⊗ V.
    """
    covariance = np.array([[0.1, 0.03], [0.03, 0.11]])
    result = fit_loglinear_bayes(
        ardennes, draws=2000, burn_in=0, chains=4, seed=7, fixed_covariance=covariance
    )
    days = len(ardennes)
    log_a, log_b = np.log(ardennes.a_forces), np.log(ardennes.b_forces)
    attack = np.asarray(ardennes.attacker)
    design = np.zeros((2 * days, 6))
    design[0::2, 0] = 1
    design[1::2, 1] = 1
    design[0::2, 2] = log_a - log_a.mean()
    design[0::2, 3] = log_b - log_b.mean()
    design[1::2, 2] = log_b - log_b.mean()
    design[1::2, 3] = log_a - log_a.mean()
    design[0::2, 4] = attack
    design[1::2, 5] = attack
    y = np.column_stack([np.log(ardennes.a_casualties), np.log(ardennes.b_casualties)]).ravel()
    noise_precision = np.kron(np.eye(days), np.linalg.inv(covariance))
    prior_precision = np.linalg.inv(WPY_PRIOR.covariance())
    exact_covariance = np.linalg.inv(prior_precision + design.T @ noise_precision @ design)
    exact_mean = exact_covariance @ (
        prior_precision @ WPY_PRIOR.mean() + design.T @ noise_precision @ y
    )
    exact_sd = np.sqrt(np.diag(exact_covariance))
    draws = result.draws.reshape(-1, 6)
    monte_carlo_error = exact_sd / np.sqrt(draws.shape[0])
    assert np.all(np.abs(draws.mean(axis=0) - exact_mean) < 4 * monte_carlo_error)
    np.testing.assert_allclose(draws.std(axis=0), exact_sd, rtol=0.05)
    np.testing.assert_allclose(np.cov(draws.T), exact_covariance, atol=0.05 * exact_sd.max() ** 2)
    assert np.all(result.covariance_draws == covariance)


def test_gibbs_recovers_synthetic_parameters() -> None:
    """Data drawn from known β and V: the truth lies inside 3 posterior SDs of the mean."""
    series, _ = synthetic(TRUE_BETA, TRUE_COVARIANCE, days=200, seed=11)
    result = fit_loglinear_bayes(series, draws=1000, burn_in=200, chains=4, seed=5)
    truth = np.concatenate([TRUE_BETA, TRUE_COVARIANCE[[0, 0, 1], [0, 1, 1]]])
    z = np.abs(result.mean - truth) / result.sd
    assert np.all(z < 3), dict(zip(result.names, z, strict=True))
    assert np.all(result.rhat < 1.01)


def test_inverse_wishart_draws_match_scipy_moments() -> None:
    """The Bartlett inverse-Wishart draws have scipy's mean and variance (same convention)."""
    from scipy import stats

    df, scale = 9.0, np.array([[2.0, 0.5], [0.5, 1.0]])
    rng = np.random.default_rng(1)
    count = 100_000
    draws = _inverse_wishart(
        df,
        np.broadcast_to(scale, (count, 2, 2)),
        rng.chisquare(df - np.arange(2), (count, 2)),
        rng.standard_normal((count, 1)),
    )
    reference = stats.invwishart(df=df, scale=scale)
    np.testing.assert_allclose(draws.mean(axis=0), reference.mean(), rtol=0.02, atol=0.005)
    np.testing.assert_allclose(draws.var(axis=0), reference.var(), rtol=0.1)


def test_seed_reproducibility(ardennes: DailySeries) -> None:
    """A seed fixes the draws; each chain's stream does not depend on the chain count."""
    first = fit_loglinear_bayes(ardennes, draws=50, burn_in=10, chains=4, seed=123)
    again = fit_loglinear_bayes(
        ardennes, draws=50, burn_in=10, chains=4, seed=np.random.SeedSequence(123)
    )
    fewer = fit_loglinear_bayes(ardennes, draws=50, burn_in=10, chains=2, seed=123)
    other = fit_loglinear_bayes(ardennes, draws=50, burn_in=10, chains=4, seed=124)
    np.testing.assert_array_equal(first.draws, again.draws)
    np.testing.assert_array_equal(first.covariance_draws, again.covariance_draws)
    np.testing.assert_array_equal(first.draws[:2], fewer.draws)
    assert not np.array_equal(first.draws, other.draws)


def test_split_rhat_flags_chains_that_disagree() -> None:
    """Independent normal chains: R̂ ≈ 1, ESS ≈ draws; shifted or trending chains: R̂ > 1.1."""
    rng = np.random.default_rng(2)
    mixed = rng.standard_normal((4, 1000))
    rhat, ess = split_rhat_and_ess(mixed)
    assert rhat < 1.01
    assert 3000 < ess < 5000
    shifted = mixed + np.array([[0.0], [0.0], [0.0], [2.0]])
    assert split_rhat_and_ess(shifted)[0] > 1.1
    trending = mixed + np.linspace(0, 3, 1000)
    assert split_rhat_and_ess(trending)[0] > 1.1
    walk = np.cumsum(mixed, axis=1)
    assert split_rhat_and_ess(walk)[1] < 100


# --------------------------------------------------------------------------------------
# Bad input


def test_bad_input_names_the_field(ardennes: DailySeries) -> None:
    """Missing indicator, zero casualties, bad sampler settings and priors name the field."""
    no_attacker = DailySeries(
        name="x",
        day=ardennes.day,
        a_forces=ardennes.a_forces,
        a_casualties=ardennes.a_casualties,
        b_forces=ardennes.b_forces,
        b_casualties=ardennes.b_casualties,
    )
    with pytest.raises(InputError) as caught:
        fit_loglinear_ols(no_attacker)
    assert caught.value.field == "attacker"
    zero = np.array(ardennes.b_casualties)
    zero[3] = 0
    with pytest.raises(InputError) as caught:
        fit_loglinear_ols(
            DailySeries(
                name="x",
                day=ardennes.day,
                a_forces=ardennes.a_forces,
                a_casualties=ardennes.a_casualties,
                b_forces=ardennes.b_forces,
                b_casualties=zero,
                attacker=ardennes.attacker,
            )
        )
    assert caught.value.field == "b_casualties"
    for keyword, value in (("draws", 2), ("burn_in", -1), ("chains", 0), ("level", 1.0)):
        with pytest.raises(InputError) as caught:
            fit_loglinear_bayes(ardennes, **{keyword: value})
        assert caught.value.field == keyword
    with pytest.raises(InputError) as caught:
        fit_loglinear_bayes(ardennes, fixed_covariance=[[1.0, 2.0], [2.0, 1.0]])
    assert caught.value.field == "fixed_covariance"
    with pytest.raises(InputError) as caught:
        LogLinearPrior(phi_covariance=((0.25, 0.3), (0.3, 0.25)))
    assert caught.value.field == "phi_covariance"
