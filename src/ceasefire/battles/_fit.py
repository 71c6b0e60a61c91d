"""Least-squares fits of an attrition law to a two-sided daily battle record.

Objectives (``objective=``):

- ``strengths``: simulated against observed strengths at every observed day;
- ``casualties``: predicted against observed daily casualties, the observed strengths
  being the inputs (Bracken 1995; no integration);
- ``endpoints``: simulated against observed strengths at the first and last day only.

``distance="ssr"`` minimises the sum of squared residuals with
:func:`scipy.optimize.least_squares`; ``distance="side_norms"`` minimises the sum over
sides of the Euclidean norm of that side's residuals by Nelder–Mead, which is the
distance of Antonov's (2023) SDMon calibration (reproduces battle-fits.md F3).
Standard errors come from the Jacobian of the residuals at the optimum.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ceasefire.battles._forward import Method, simulate
from ceasefire.battles._laws import BattleLaw
from ceasefire.battles._series import DailySeries

__all__ = ["FitResult", "IdentificationWarning", "fit_law", "fit_series"]

FloatArray = npt.NDArray[np.float64]
Objective = Literal["strengths", "casualties", "endpoints"]
Distance = Literal["ssr", "side_norms"]

_CONDITION_LIMIT = 1e8
_RELATIVE_SE_LIMIT = 1.0
_CORRELATION_LIMIT = 0.99


class IdentificationWarning(UserWarning):
    """The data do not pin down the fitted parameters."""


@dataclass(frozen=True)
class FitResult:
    """A fitted law with standard errors, goodness of fit and identification checks."""

    law: BattleLaw
    objective: str
    parameter_names: tuple[str, ...]
    estimates: FloatArray
    standard_errors: FloatArray
    correlation: FloatArray
    ssr: float
    r_squared: float
    aic: float
    n_observations: int
    distance: float
    condition_number: float
    warnings: tuple[str, ...]
    success: bool
    # What the objective compared at the optimum: side A's values, then side B's.
    observed: FloatArray
    fitted: FloatArray

    @property
    def identified(self) -> bool:
        """Whether no identification warning was raised."""
        return not self.warnings

    def to_dict(self) -> dict[str, float]:
        """Return the fitted parameters by name."""
        return dict(zip(self.parameter_names, map(float, self.estimates), strict=True))


def _jacobian(residuals: Callable[[FloatArray], FloatArray], x: FloatArray) -> FloatArray:
    columns = []
    for i in range(len(x)):
        step = 1e-6 * max(abs(x[i]), 1e-8)
        up, down = x.copy(), x.copy()
        up[i] += step
        down[i] -= step
        columns.append((residuals(up) - residuals(down)) / (2 * step))
    return np.column_stack(columns)


def fit_law(
    law: BattleLaw,
    *,
    day: FloatArray,
    a_forces: FloatArray,
    b_forces: FloatArray,
    a_casualties: FloatArray | None = None,
    b_casualties: FloatArray | None = None,
    objective: Objective = "strengths",
    distance: Distance = "ssr",
    initial_strengths: tuple[float, float] | None = None,
    method: Method = "rk4",
    dt: float = 0.1,
    clip: bool = True,
    a_reinforcement: Callable[[float], float] | None = None,
    b_reinforcement: Callable[[float], float] | None = None,
    operational_loss: tuple[float, float] = (0.0, 0.0),
    attacker: FloatArray | None = None,
    bounds: tuple[FloatArray, FloatArray] | None = None,
    warn: bool = True,
) -> FitResult:
    """Fit ``law``'s parameters (starting from its current values) to daily data.

    ``day`` must be whole days, increasing; the simulation starts at ``day[0]`` from
    ``initial_strengths`` (default: the first observed strengths). ``attacker`` is +1
    (A attacks) or −1 per observed day. With ``warn`` an :class:`IdentificationWarning`
    is emitted when the fit does not identify the parameters; the reasons are in
    :attr:`FitResult.warnings` either way.
    """
    from scipy.optimize import least_squares, minimize

    day = np.asarray(day, dtype=np.float64)
    a_obs = np.asarray(a_forces, dtype=np.float64)
    b_obs = np.asarray(b_forces, dtype=np.float64)
    offset = day - day[0]
    t_end = float(offset[-1])
    if objective == "casualties":
        if a_casualties is None or b_casualties is None:
            raise ValueError("objective 'casualties' needs a_casualties and b_casualties")
        targets = (np.asarray(a_casualties, float), np.asarray(b_casualties, float))
    elif objective == "strengths":
        targets = (a_obs, b_obs)
    elif objective == "endpoints":
        targets = (a_obs[[0, -1]], b_obs[[0, -1]])
    else:
        raise ValueError(
            f"objective: expected strengths, casualties or endpoints, got {objective!r}"
        )
    start = initial_strengths or (float(a_obs[0]), float(b_obs[0]))
    index = np.rint(offset).astype(int)

    def attacker_at(t: float) -> float:
        assert attacker is not None
        return float(attacker[min(int(t), len(attacker) - 1)])

    def predict(x: FloatArray) -> tuple[FloatArray, FloatArray]:
        candidate = law.with_parameters(x)
        if objective == "casualties":
            loss_a, loss_b = candidate.losses(a_obs, b_obs, offset, attacker)
            return np.broadcast_to(loss_a, a_obs.shape), np.broadcast_to(loss_b, b_obs.shape)
        path = simulate(
            candidate,
            start[0],
            start[1],
            t_end,
            dt=dt,
            method=method,
            a_reinforcement=a_reinforcement,
            b_reinforcement=b_reinforcement,
            operational_loss=operational_loss,
            attacker=None if attacker is None else attacker_at,
            save_step=1.0,
            clip=clip,
        )
        sim_a, sim_b = path.a_strength[index], path.b_strength[index]
        if objective == "endpoints":
            return sim_a[[0, -1]], sim_b[[0, -1]]
        return sim_a, sim_b

    split = len(targets[0])

    def residuals(x: FloatArray) -> FloatArray:
        pred_a, pred_b = predict(x)
        return np.concatenate([pred_a - targets[0], pred_b - targets[1]])

    x0 = law.parameter_vector()
    if distance == "ssr":
        lower, upper = bounds if bounds is not None else (-np.inf, np.inf)
        solution = least_squares(
            residuals, x0, bounds=(lower, upper), x_scale="jac", xtol=1e-12, ftol=1e-12
        )
        x, success = np.asarray(solution.x, float), bool(solution.success)
    elif distance == "side_norms":

        def side_norms(x: FloatArray) -> float:
            r = residuals(x)
            return float(np.linalg.norm(r[:split]) + np.linalg.norm(r[split:]))

        solution = minimize(
            side_norms,
            x0,
            method="Nelder-Mead",
            bounds=None if bounds is None else list(zip(*bounds, strict=True)),
            options={"xatol": 1e-10, "fatol": 1e-8, "maxiter": 4000},
        )
        x, success = np.asarray(solution.x, float), bool(solution.success)
    else:
        raise ValueError(f"distance: expected 'ssr' or 'side_norms', got {distance!r}")
    return _result(law, objective, x, residuals, targets, split, distance, success, warn)


def _result(
    law: BattleLaw,
    objective: str,
    x: FloatArray,
    residuals: Callable[[FloatArray], FloatArray],
    targets: tuple[FloatArray, FloatArray],
    split: int,
    distance: Distance,
    success: bool,
    warn: bool,
) -> FitResult:
    r = residuals(x)
    n, k = len(r), len(x)
    ssr = float(r @ r)
    sst = float(sum(np.sum((side - side.mean()) ** 2) for side in targets))
    r_squared = 1.0 - ssr / sst if sst > 0 else math.nan
    aic = n * math.log(ssr / n) + 2 * k if ssr > 0 else -math.inf
    jac = _jacobian(residuals, x)
    # Column scaling makes the condition number about the design, not the units.
    scale = np.linalg.norm(jac, axis=0)
    scale[scale == 0] = 1.0
    singular = np.linalg.svd(jac / scale, compute_uv=False)
    condition = float(singular[0] / singular[-1]) if singular[-1] > 0 else math.inf
    sigma2 = ssr / (n - k) if n > k else math.nan
    scaled = jac / scale
    covariance = sigma2 * np.linalg.pinv(scaled.T @ scaled) / np.outer(scale, scale)
    se = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = np.where(np.outer(se, se) > 0, covariance / np.outer(se, se), np.nan)
    reasons: list[str] = []
    names = law.parameter_names
    if condition > _CONDITION_LIMIT:
        reasons.append(f"near-singular Jacobian (condition number {condition:.3g})")
    for name, estimate, error in zip(names, x, se, strict=True):
        if np.isfinite(error) and abs(error) > _RELATIVE_SE_LIMIT * abs(estimate):
            reasons.append(f"{name}: standard error {error:.3g} exceeds |estimate| {estimate:.3g}")
    for i in range(k):
        for j in range(i + 1, k):
            if abs(correlation[i, j]) > _CORRELATION_LIMIT:
                reasons.append(f"{names[i]} and {names[j]} correlated at {correlation[i, j]:+.4f}")
    if reasons and warn:
        warnings.warn(
            f"{law.name} law, {objective} objective: parameters not identified: "
            + "; ".join(reasons),
            IdentificationWarning,
            stacklevel=3,
        )
    side_norms = float(np.linalg.norm(r[:split]) + np.linalg.norm(r[split:]))
    return FitResult(
        law=law.with_parameters(x),
        objective=objective,
        parameter_names=names,
        estimates=x,
        standard_errors=se,
        correlation=correlation,
        ssr=ssr,
        r_squared=r_squared,
        aic=aic,
        n_observations=n,
        distance=side_norms if distance == "side_norms" else math.sqrt(ssr),
        condition_number=condition,
        warnings=tuple(reasons),
        success=success,
        observed=np.concatenate(targets),
        fitted=r + np.concatenate(targets),
    )


def _daily_rate(values: FloatArray) -> Callable[[float], float]:
    def rate(t: float) -> float:
        return float(values[min(int(t), len(values) - 1)])

    return rate


def fit_series(
    law: BattleLaw,
    series: DailySeries,
    *,
    objective: Objective = "casualties",
    distance: Distance = "ssr",
    method: Method = "daily",
    dt: float = 1.0,
    bounds: tuple[FloatArray, FloatArray] | None = None,
    warn: bool = True,
) -> FitResult:
    """Fit ``law`` to a :class:`DailySeries` (its reinforcements and attacker are used)."""
    reinforcement: list[Callable[[float], float] | None] = []
    for values in (series.a_reinforcements, series.b_reinforcements):
        if values is None:
            reinforcement.append(None)
        else:
            reinforcement.append(_daily_rate(np.asarray(values, float)))
    return fit_law(
        law,
        day=series.day,
        a_forces=series.a_forces,
        b_forces=series.b_forces,
        a_casualties=series.a_casualties,
        b_casualties=series.b_casualties,
        objective=objective,
        distance=distance,
        method=method,
        dt=dt,
        a_reinforcement=reinforcement[0],
        b_reinforcement=reinforcement[1],
        attacker=series.attacker,
        bounds=bounds,
        warn=warn,
    )
