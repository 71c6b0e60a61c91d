"""Log-linear model of daily casualties: OLS (Fricker) and Bayesian Gibbs fit (Wiper et al.).

The model (Fricker 1998, *NRL* 45; Wiper, Pettit & Young 2000, *NRL* 47(7):541–558) is

    y_t = γ + (X_t − X̄)·φ + δ ⊙ (I_t, I_t) + ε_t,    ε_t ~ N₂(0, V),

with ``y_t = (ln C_A,t, ln C_B,t)`` the log daily casualties, row 1 of ``X_t`` equal to
``(ln A_t, ln B_t)`` and row 2 to ``(ln B_t, ln A_t)`` (forces at the start of day t),
so that ``φ = (φ_own, φ_enemy)`` are exponents shared by both sides, while ``γ`` and
``δ`` are per side. ``I_t`` is the attack indicator (+1 where A attacks, −1 where B
does) and ``X̄`` the mean of ``X_t`` over the days, taken entry by entry (this is the
centering that reproduces the reference OLS numbers of ``reference/battle-fits.md``).

Stacking the two equations of every day gives ``y = Zβ + ε`` with
``β = (γ_A, γ_B, φ_own, φ_enemy, δ_A, δ_B)``. :func:`fit_loglinear_ols` fits it by
ordinary least squares (one pooled error variance); :func:`fit_loglinear_bayes` samples
the WPY posterior with an exact two-block Gibbs sampler.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.battles._series import DailySeries

__all__ = [
    "COVARIANCE_NAMES",
    "PARAMETER_NAMES",
    "WPY_PRIOR",
    "Identification",
    "LogLinearOLSFit",
    "LogLinearPosterior",
    "LogLinearPrior",
    "PoorIdentificationWarning",
    "fit_loglinear_bayes",
    "fit_loglinear_ols",
    "split_rhat_and_ess",
]

FloatArray = npt.NDArray[np.float64]

PARAMETER_NAMES = ("gamma_a", "gamma_b", "phi_own", "phi_enemy", "delta_a", "delta_b")
"""Names of the entries of β, in order."""

COVARIANCE_NAMES = ("v_aa", "v_ab", "v_bb")
"""Names of the distinct entries of the 2×2 error covariance V."""

_PHI = slice(2, 4)


class PoorIdentificationWarning(UserWarning):
    """The force exponents of a log-linear fit are barely identified by the data."""


# ---------------------------------------------------------------------------------------
# Design


def _design(series: DailySeries) -> tuple[FloatArray, FloatArray]:
    """Return ``Z`` of shape (T, 2, 6) and ``y`` of shape (T, 2) for the stacked model."""
    if series.attacker is None:
        raise InputError(
            "the log-linear model needs an attack indicator (+1 / −1 per day)",
            where=series.name,
            field="attacker",
        )
    for name in ("a_forces", "b_forces", "a_casualties", "b_casualties"):
        values = getattr(series, name)
        if np.any(values <= 0):
            raise InputError(
                "must be positive on every day (the model takes logarithms)",
                where=series.name,
                field=name,
            )
    days = len(series)
    if days < 4:
        raise InputError(f"needs at least 4 days, got {days}", where=series.name, field="day")
    log_a = np.log(series.a_forces)
    log_b = np.log(series.b_forces)
    forces = np.empty((days, 2, 2))
    forces[:, 0, 0] = log_a
    forces[:, 0, 1] = log_b
    forces[:, 1, 0] = log_b
    forces[:, 1, 1] = log_a
    forces -= forces.mean(axis=0)
    attack = np.asarray(series.attacker, dtype=np.float64)
    design = np.zeros((days, 2, 6))
    design[:, 0, 0] = 1.0
    design[:, 1, 1] = 1.0
    design[:, :, _PHI] = forces
    design[:, 0, 4] = attack
    design[:, 1, 5] = attack
    response = np.column_stack([np.log(series.a_casualties), np.log(series.b_casualties)])
    return design, response


# ---------------------------------------------------------------------------------------
# OLS


@dataclass(frozen=True)
class Identification:
    """How well the data pin down the force exponents φ of a log-linear fit.

    ``force_log_correlation`` is the correlation of ``ln A_t`` and ``ln B_t``;
    ``force_log_spread`` the largest standard deviation of the log forces (about the
    relative day-to-day variation of the forces); ``condition_number`` that of the
    column-standardised stacked design; ``phi_correlation`` the OLS correlation of
    φ̂_own and φ̂_enemy; ``phi_se`` their standard errors. ``reasons`` lists the
    thresholds crossed; the fit is *poorly identified* when there is any.
    """

    force_log_correlation: float
    force_log_spread: float
    condition_number: float
    phi_correlation: float
    phi_se: tuple[float, float]
    reasons: tuple[str, ...]

    @property
    def poorly_identified(self) -> bool:
        """Whether any identification threshold was crossed."""
        return bool(self.reasons)

    @property
    def message(self) -> str:
        """One sentence for a warning or a report."""
        if not self.reasons:
            return "the force exponents are identified"
        return "force exponents barely identified: " + "; ".join(self.reasons)


def _identification(
    series: DailySeries, design: FloatArray, covariance: FloatArray
) -> Identification:
    log_a = np.log(series.a_forces)
    log_b = np.log(series.b_forces)
    spread = float(max(log_a.std(), log_b.std()))
    correlation = float(np.corrcoef(log_a, log_b)[0, 1]) if spread > 0 else math.nan
    stacked = design.reshape(-1, design.shape[-1])
    norms = np.linalg.norm(stacked, axis=0)
    condition = float(np.linalg.cond(stacked / np.where(norms > 0, norms, 1.0)))
    phi_se = np.sqrt(np.diag(covariance)[_PHI])
    phi_corr = float(covariance[2, 3] / (phi_se[0] * phi_se[1]))
    reasons = []
    if abs(correlation) > 0.95:
        reasons.append(f"ln A and ln B are collinear (correlation {correlation:.3f} > 0.95)")
    if spread < 0.05:
        reasons.append(f"log forces vary little (largest SD {spread:.3f} < 0.05)")
    if condition > 30:
        reasons.append(f"design condition number {condition:.1f} > 30")
    if abs(phi_corr) > 0.9:
        reasons.append(f"|corr(φ_own, φ_enemy)| = {abs(phi_corr):.2f} > 0.9")
    if np.any(phi_se > 0.5):
        reasons.append(
            f"SE(φ) = ({phi_se[0]:.2f}, {phi_se[1]:.2f}) > 0.5, too wide to tell the "
            "linear, square and logarithmic laws apart"
        )
    return Identification(
        force_log_correlation=correlation,
        force_log_spread=spread,
        condition_number=condition,
        phi_correlation=phi_corr,
        phi_se=(float(phi_se[0]), float(phi_se[1])),
        reasons=tuple(reasons),
    )


@dataclass(frozen=True)
class LogLinearOLSFit:
    """Stacked OLS fit of the log-linear casualty model (Fricker 1998).

    ``coefficients`` and ``standard_errors`` follow :data:`PARAMETER_NAMES`; the errors
    assume one pooled variance ``ssr / (2T − 6)`` for both sides. ``ssr`` is on log
    casualties; ``r_squared`` compares with a model of one mean per side; ``aic`` is
    ``−2 ln L + 2k`` for the Gaussian likelihood with k = 7 (six coefficients and the
    variance, at its maximum-likelihood value ``ssr / 2T``).
    """

    coefficients: FloatArray
    standard_errors: FloatArray
    covariance: FloatArray
    residuals: FloatArray
    ssr: float
    r_squared: float
    aic: float
    days: int
    identification: Identification

    @property
    def gamma(self) -> FloatArray:
        """Per-side intercepts (γ_A, γ_B)."""
        return self.coefficients[0:2]

    @property
    def phi(self) -> FloatArray:
        """Shared exponents (φ_own, φ_enemy)."""
        return self.coefficients[_PHI]

    @property
    def delta(self) -> FloatArray:
        """Per-side attack effects (δ_A, δ_B)."""
        return self.coefficients[4:6]

    def to_dict(self) -> dict[str, float | bool | int | str]:
        """Return estimates and standard errors by name, with the fit statistics."""
        out: dict[str, float | bool | int | str] = {}
        for name, value, error in zip(
            PARAMETER_NAMES, self.coefficients, self.standard_errors, strict=True
        ):
            out[name] = float(value)
            out[f"{name}_se"] = float(error)
        out.update(
            ssr=self.ssr,
            r_squared=self.r_squared,
            aic=self.aic,
            days=self.days,
            condition_number=self.identification.condition_number,
            poorly_identified=self.identification.poorly_identified,
            identification=self.identification.message,
        )
        return out


def fit_loglinear_ols(series: DailySeries, *, warn: bool = True) -> LogLinearOLSFit:
    """Fit the log-linear casualty model by stacked ordinary least squares.

    This is Fricker's (1998) regression in the form of Wiper, Pettit & Young (2000):
    both sides' equations are stacked and share the exponents φ. When the exponents
    are barely identified (see :class:`Identification`) a
    :class:`PoorIdentificationWarning` is issued unless ``warn`` is false; the
    diagnosis is in the result either way.
    """
    design, response = _design(series)
    days = len(series)
    stacked = design.reshape(2 * days, 6)
    y = response.reshape(2 * days)
    solution, _, rank, _ = np.linalg.lstsq(stacked, y, rcond=None)
    coefficients = np.asarray(solution, dtype=np.float64)
    if rank < 6:
        raise InputError(
            f"the design has rank {rank} < 6: the parameters are not identified "
            "(constant forces, or an attack indicator that never changes?)",
            where=series.name,
        )
    residuals = y - stacked @ coefficients
    ssr = float(residuals @ residuals)
    variance = ssr / (2 * days - 6)
    covariance = np.asarray(variance * np.linalg.inv(stacked.T @ stacked), dtype=np.float64)
    centred = response - response.mean(axis=0)
    r_squared = 1.0 - ssr / float(np.sum(centred**2))
    n = 2 * days
    log_likelihood = -0.5 * n * (math.log(2 * math.pi * ssr / n) + 1.0)
    identification = _identification(series, design, covariance)
    if warn and identification.poorly_identified:
        warnings.warn(
            f"{series.name}: {identification.message}", PoorIdentificationWarning, stacklevel=2
        )
    return LogLinearOLSFit(
        coefficients=coefficients,
        standard_errors=np.sqrt(np.diag(covariance)),
        covariance=covariance,
        residuals=residuals.reshape(days, 2),
        ssr=ssr,
        r_squared=r_squared,
        aic=-2.0 * log_likelihood + 2 * 7,
        days=days,
        identification=identification,
    )


# ---------------------------------------------------------------------------------------
# Bayesian fit


def _matrix(values: tuple[tuple[float, float], tuple[float, float]]) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True)
class LogLinearPrior:
    """Independent Gaussian priors on γ, φ, δ and an inverse-Wishart prior on V.

    The defaults are those of Wiper, Pettit & Young (2000), as in their Stan code:
    γ ~ N((8, 8), I), φ ~ N((0.5, 0.5), 0.25·I), δ ~ N(0, [[0.1, −0.05], [−0.05, 0.1]]),
    V ~ InvWishart(3, I). The inverse Wishart is in the scipy/Stan convention:
    density ∝ |V|^(−(ν+3)/2) exp(−tr(Ψ V⁻¹)/2) for degrees of freedom ν and scale Ψ.
    """

    gamma_mean: tuple[float, float] = (8.0, 8.0)
    gamma_covariance: tuple[tuple[float, float], tuple[float, float]] = ((1.0, 0.0), (0.0, 1.0))
    phi_mean: tuple[float, float] = (0.5, 0.5)
    phi_covariance: tuple[tuple[float, float], tuple[float, float]] = (
        (0.25, 0.0),
        (0.0, 0.25),
    )
    delta_mean: tuple[float, float] = (0.0, 0.0)
    delta_covariance: tuple[tuple[float, float], tuple[float, float]] = (
        (0.1, -0.05),
        (-0.05, 0.1),
    )
    covariance_df: float = 3.0
    covariance_scale: tuple[tuple[float, float], tuple[float, float]] = (
        (1.0, 0.0),
        (0.0, 1.0),
    )

    def __post_init__(self) -> None:
        for name in ("gamma_covariance", "phi_covariance", "delta_covariance", "covariance_scale"):
            matrix = _matrix(getattr(self, name))
            if matrix.shape != (2, 2) or not np.allclose(matrix, matrix.T):
                raise InputError("must be a symmetric 2×2 matrix", field=name)
            if np.any(np.linalg.eigvalsh(matrix) <= 0):
                raise InputError("must be positive definite", field=name)
        if not self.covariance_df > 1:
            raise InputError(
                f"must exceed 1 (the dimension minus one), got {self.covariance_df}",
                field="covariance_df",
            )

    def mean(self) -> FloatArray:
        """Return the prior mean of β, ordered as :data:`PARAMETER_NAMES`."""
        return np.array([*self.gamma_mean, *self.phi_mean, *self.delta_mean], dtype=np.float64)

    def covariance(self) -> FloatArray:
        """Return the 6×6 block-diagonal prior covariance of β."""
        out = np.zeros((6, 6))
        for block, name in enumerate(("gamma_covariance", "phi_covariance", "delta_covariance")):
            rows = slice(2 * block, 2 * block + 2)
            out[rows, rows] = _matrix(getattr(self, name))
        return out


WPY_PRIOR = LogLinearPrior()
"""The priors of Wiper, Pettit & Young (2000)."""


def _inverse_wishart(
    df: float, scale: FloatArray, chi_squares: FloatArray, normals: FloatArray
) -> FloatArray:
    """Turn standard draws into V ~ InvWishart(df, scale), batched over the leading axis.

    Bartlett: with L Lᵀ = scale⁻¹ and A lower triangular, A_ii² ~ χ²(df − i) and
    A_ij ~ N(0, 1) below the diagonal, W = L A Aᵀ Lᵀ ~ Wishart(df, scale⁻¹), so W⁻¹ ~
    InvWishart(df, scale) in the scipy/Stan convention (mean ``scale / (df − p − 1)``).
    ``chi_squares`` (…, p) must be χ²(df − i) draws and ``normals`` (…, p(p−1)/2) N(0, 1).
    """
    dim = scale.shape[-1]
    lower = np.linalg.cholesky(np.linalg.inv(scale))
    bartlett = np.zeros((*scale.shape[:-2], dim, dim))
    diagonal = np.arange(dim)
    bartlett[..., diagonal, diagonal] = np.sqrt(chi_squares)
    below = np.tril_indices(dim, -1)
    bartlett[..., below[0], below[1]] = normals
    factor = lower @ bartlett
    draw = np.linalg.inv(factor @ np.swapaxes(factor, -1, -2))
    return np.asarray(0.5 * (draw + np.swapaxes(draw, -1, -2)))


def _gibbs(
    rngs: list[np.random.Generator],
    design: FloatArray,
    response: FloatArray,
    prior: LogLinearPrior,
    burn_in: int,
    draws: int,
    fixed_covariance: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Run the two-block Gibbs sampler, one chain per generator, in lockstep.

    β | V, y ~ N(P⁻¹ b, P⁻¹) with P = Σ₀⁻¹ + Σ_t Z_tᵀ V⁻¹ Z_t, b = Σ₀⁻¹ m₀ + Σ_t Z_tᵀ V⁻¹ y_t;
    V | β, y ~ InvWishart(ν₀ + T, Ψ₀ + Σ_t e_t e_tᵀ) with e_t = y_t − Z_t β.
    Returns β draws (chains, draws, 6) and V draws (chains, draws, 2, 2) after burn-in.
    """
    days = design.shape[0]
    steps = burn_in + draws
    prior_precision = np.linalg.inv(prior.covariance())
    prior_shift = prior_precision @ prior.mean()
    # Σ_t Z_tᵀ V⁻¹ Z_t = Σ_ij (V⁻¹)_ij G_ij, so the sums over days are done once.
    gram = np.einsum("tik,tjl->ijkl", design, design)
    cross = np.einsum("tik,tj->ijk", design, response)
    scale0 = _matrix(prior.covariance_scale)
    df = prior.covariance_df + days
    # Each chain's randomness comes from its own generator, drawn up front (df is fixed).
    beta = np.array([rng.multivariate_normal(prior.mean(), prior.covariance()) for rng in rngs])
    beta_normals = np.stack([rng.standard_normal((steps, 6)) for rng in rngs], axis=1)
    chi_squares = np.stack([rng.chisquare(df - np.arange(2), (steps, 2)) for rng in rngs], axis=1)
    wishart_normals = np.stack([rng.standard_normal((steps, 1)) for rng in rngs], axis=1)
    chains = len(rngs)
    betas = np.empty((chains, draws, 6))
    covariances = np.empty((chains, draws, 2, 2))
    for step in range(steps):
        if fixed_covariance is None:
            errors = response[None] - np.einsum("tik,ck->cti", design, beta)
            scatter = np.einsum("cti,ctj->cij", errors, errors)
            covariance = _inverse_wishart(
                df, scale0 + scatter, chi_squares[step], wishart_normals[step]
            )
        else:
            covariance = np.broadcast_to(fixed_covariance, (chains, 2, 2))
        inverse = np.linalg.inv(covariance)
        precision = prior_precision + np.einsum("cij,ijkl->ckl", inverse, gram)
        shift = prior_shift + np.einsum("cij,ijk->ck", inverse, cross)
        lower = np.linalg.cholesky(precision)
        upper = np.swapaxes(lower, -1, -2)
        mean = np.linalg.solve(upper, np.linalg.solve(lower, shift[..., None]))
        beta = (mean + np.linalg.solve(upper, beta_normals[step][..., None]))[..., 0]
        if step >= burn_in:
            betas[:, step - burn_in] = beta
            covariances[:, step - burn_in] = covariance
    return betas, covariances


def _autocovariance(chains: FloatArray) -> FloatArray:
    """Return the (biased, divided-by-n) autocovariance of each row, by FFT, lags 0..n−1."""
    n = chains.shape[1]
    centred = chains - chains.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    return np.fft.irfft(spectrum * np.conj(spectrum), n=size, axis=1)[:, :n] / n


def split_rhat_and_ess(samples: npt.ArrayLike) -> tuple[float, float]:
    """Return split-R̂ and the effective sample size of one scalar, from (chains, draws).

    Each chain is split in halves; R̂ = √(var⁺ / W) and the ESS uses Geyer's initial
    monotone sequence on the combined autocorrelations (Gelman et al., *Bayesian Data
    Analysis*, 3rd ed., 2013, §11.4–11.5; the Stan reference manual's formulas).
    """
    values = np.asarray(samples, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] < 4:
        raise InputError("expected (chains, draws) with at least 4 draws", field="samples")
    half = values.shape[1] // 2
    split = np.concatenate([values[:, :half], values[:, -half:]], axis=0)
    m, n = split.shape
    within = float(split.var(axis=1, ddof=1).mean())
    between_over_n = float(split.mean(axis=1).var(ddof=1))
    var_plus = (n - 1) / n * within + between_over_n
    if within <= 0:
        return (math.nan, math.nan)
    rhat = math.sqrt(var_plus / within)
    autocov = _autocovariance(split)
    rho = 1.0 - (within - autocov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    tau = -1.0
    previous = math.inf
    for k in range(0, n - 1, 2):
        pair = float(rho[k] + rho[k + 1])
        if pair <= 0:
            break
        pair = min(pair, previous)
        tau += 2.0 * pair
        previous = pair
    return rhat, m * n / max(tau, 1.0 / math.log10(m * n))


@dataclass(frozen=True)
class LogLinearPosterior:
    """Posterior draws and summaries of the WPY log-linear model.

    ``draws`` has shape (chains, draws, 6) ordered as :data:`PARAMETER_NAMES`;
    ``covariance_draws`` (chains, draws, 2, 2). ``mean``, ``sd``, ``interval`` (the
    equal-tailed ``level`` credible interval, one row per parameter), ``rhat`` and
    ``ess`` follow :data:`PARAMETER_NAMES` then :data:`COVARIANCE_NAMES`.
    ``prior_sd_ratio`` is posterior SD over prior SD for β: near 1 the data say little.
    """

    draws: FloatArray
    covariance_draws: FloatArray
    mean: FloatArray
    sd: FloatArray
    interval: FloatArray
    rhat: FloatArray
    ess: FloatArray
    prior_sd_ratio: FloatArray
    level: float
    burn_in: int
    prior: LogLinearPrior = field(repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the summarised quantities, β then V."""
        return PARAMETER_NAMES + COVARIANCE_NAMES

    @property
    def covariance_mean(self) -> FloatArray:
        """Posterior mean of the 2×2 error covariance V."""
        return np.asarray(self.covariance_draws.mean(axis=(0, 1)))

    def to_dict(self) -> dict[str, float]:
        """Return, by name, posterior means and ``_sd``, ``_lo``, ``_hi``, ``_rhat``, ``_ess``."""
        out: dict[str, float] = {}
        for index, name in enumerate(self.names):
            out[name] = float(self.mean[index])
            out[f"{name}_sd"] = float(self.sd[index])
            out[f"{name}_lo"] = float(self.interval[index, 0])
            out[f"{name}_hi"] = float(self.interval[index, 1])
            out[f"{name}_rhat"] = float(self.rhat[index])
            out[f"{name}_ess"] = float(self.ess[index])
        out["level"] = self.level
        return out


def fit_loglinear_bayes(
    series: DailySeries,
    *,
    prior: LogLinearPrior = WPY_PRIOR,
    draws: int = 2000,
    burn_in: int = 500,
    chains: int = 4,
    seed: int | np.random.SeedSequence | None = None,
    level: float = 0.9,
    fixed_covariance: npt.ArrayLike | None = None,
) -> LogLinearPosterior:
    """Sample the Wiper, Pettit & Young (2000) posterior with a two-block Gibbs sampler.

    Both conditionals are exact: β = (γ, φ, δ) given V is the Gaussian of a conjugate
    linear model with error covariance V, and V given β is inverse Wishart with
    ``ν₀ + T`` degrees of freedom and scale ``Ψ₀ + Σ_t e_t e_tᵀ``. Every chain starts
    from a draw of the prior and gets its own stream from ``SeedSequence(seed).spawn``,
    so a seed gives the same draws on every machine. With ``fixed_covariance`` V is held
    at that value and the draws of β come from its exact Gaussian posterior.
    """
    for name, value, least in (("draws", draws, 4), ("burn_in", burn_in, 0), ("chains", chains, 1)):
        if not isinstance(value, int) or value < least:
            raise InputError(f"must be an integer ≥ {least}, got {value!r}", field=name)
    if not 0 < level < 1:
        raise InputError(f"must lie strictly between 0 and 1, got {level}", field="level")
    fixed: FloatArray | None = None
    if fixed_covariance is not None:
        fixed = np.asarray(fixed_covariance, dtype=np.float64)
        if fixed.shape != (2, 2) or np.any(np.linalg.eigvalsh(0.5 * (fixed + fixed.T)) <= 0):
            raise InputError("must be a positive-definite 2×2 matrix", field="fixed_covariance")
    design, response = _design(series)
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rngs = [np.random.default_rng(child) for child in sequence.spawn(chains)]
    betas, covariances = _gibbs(rngs, design, response, prior, burn_in, draws, fixed)
    summarised = np.concatenate(
        [betas, covariances[..., 0, 0:1], covariances[..., 0, 1:2], covariances[..., 1, 1:2]],
        axis=-1,
    )
    flat = summarised.reshape(-1, summarised.shape[-1])
    tail = (1.0 - level) / 2.0
    diagnostics = np.array(
        [split_rhat_and_ess(summarised[..., k]) for k in range(summarised.shape[-1])]
    )
    sd = flat.std(axis=0, ddof=1)
    return LogLinearPosterior(
        draws=betas,
        covariance_draws=covariances,
        mean=flat.mean(axis=0),
        sd=sd,
        interval=np.quantile(flat, [tail, 1.0 - tail], axis=0).T,
        rhat=diagnostics[:, 0],
        ess=diagnostics[:, 1],
        prior_sd_ratio=sd[:6] / np.sqrt(np.diag(prior.covariance())),
        level=level,
        burn_in=burn_in,
        prior=prior,
    )
