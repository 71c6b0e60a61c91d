"""Calibration: the posterior of a scenario's uncertain parameters given observed series.

``calibrate(scenario, observed, until=DATE)`` re-anchors the scenario at the start of a
calibration *window* (the ``window`` calendar months that end on ``until``), keeps only the
observations complete by ``until`` that fall in the window, and samples the posterior of
every uncertain parameter (the model's and the ``observations:`` section's) by tempered SMC
(:mod:`ceasefire.calibrate._smc`) under the log-normal observation models of
:mod:`ceasefire.calibrate._observation`. Several independent SMC runs are the ArviZ
``chain`` dimension, so R-hat compares them.

What the re-anchoring assumes: the scenario's priors (initial stocks included) describe the
window's first day. For the loss series that matter here this is mild: in the exchange-ratio
mode of the default scenario, casualties follow the casualty-rate schedule and do not depend
on the stocks. Priors must not be informed by data after ``until``; the scenario says where
each comes from, and the backtest benchmark replaces the ones that are (see
``benchmarks/BACKTESTS.md``).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.calibrate._observation import (
    ObservationModel,
    Trajectories,
    observation_model,
    parameter,
)
from ceasefire.calibrate._smc import Stage, tempered_smc
from ceasefire.ensemble import UncertainParameter, simulate, uncertain_parameters
from ceasefire.observe import Series, month_label, to_monthly
from ceasefire.scenario import Scenario, Span

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

__all__ = ["Calibration", "Target", "anchored", "calibrate", "posterior_values"]

FloatArray = npt.NDArray[np.float64]
DateArray = npt.NDArray[np.datetime64]

_DAY = np.timedelta64(1, "D")
_LOG_2PI = float(np.log(2.0 * np.pi))


def _import_arviz() -> Any:
    with warnings.catch_warnings():
        # arviz 0.23 announces its 1.0 API changes on import.
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"arviz(\..*)?")
        import arviz

    return arviz


def month_start(day: dt.date, shift: int = 0) -> dt.date:
    """First day of the month ``shift`` months after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def anchored(scenario: Scenario, start: dt.date, months: int) -> Scenario:
    """Re-start the scenario on ``start`` and run it for ``months`` (plus one spare month).

    The spare month lets calendar-month boundaries be read between the model's monthly saves
    (30.4375-day months) up to the last month asked for.
    """
    time = scenario.time.model_copy(
        update={"start": start, "horizon": Span(value=months + 1, unit="months")}
    )
    return scenario.model_copy(update={"time": time})


@dataclass(frozen=True)
class Target:
    """The observed periods of one series that calibration uses."""

    name: str
    model: ObservationModel
    starts: DateArray
    ends: DateArray
    values: FloatArray
    series: Series

    @property
    def labels(self) -> list[str]:
        """``YYYY-MM`` of each period's end."""
        return [month_label(end) for end in self.ends]


def _periods(series: Series) -> Series:
    """Monthly counts where the series can be split into months, else its own periods."""
    try:
        return to_monthly(series)
    except ValueError:  # irregular spans (contract claims) are used as they are
        return series


def _loglik(
    targets: list[Target],
    trajectories: Trajectories,
    scenario: Scenario,
    values: Mapping[str, FloatArray],
) -> FloatArray:
    total: FloatArray | None = None
    for target in targets:
        expected = target.model.expected(trajectories, scenario, values, target.starts, target.ends)
        draws = expected.shape[0]
        sigma = parameter(scenario, values, target.model.noise, draws)[:, None]
        log_y = np.log(target.values)[None, :]
        with np.errstate(divide="ignore"):
            log_mu = np.log(np.maximum(expected, 0.0))
        term = -log_y - np.log(sigma) - 0.5 * _LOG_2PI - (log_y - log_mu) ** 2 / (2 * sigma**2)
        part = np.sum(term, axis=1)
        total = part if total is None else total + part
    assert total is not None
    return np.asarray(np.where(np.isfinite(total), total, -np.inf), dtype=np.float64)


def _values_of(parameters: list[UncertainParameter], z: FloatArray) -> dict[str, FloatArray]:
    from scipy.special import ndtr

    u = np.clip(ndtr(z), 1e-12, 1.0 - 1e-12)
    return {p.path: p.param.ppf(u[:, j]) for j, p in enumerate(parameters)}


def _run(scenario: Scenario, values: Mapping[str, FloatArray]) -> xr.Dataset:
    draws = len(next(iter(values.values())))
    return simulate(scenario, draws=draws, seed=0, values=values, save="trajectories")


@dataclass
class Calibration:
    """A calibrated posterior: parameter samples per SMC run, diagnostics and data used.

    ``samples[path]`` has shape ``(runs, particles)``. ``predictive[name]`` holds
    posterior-predictive draws of each target's observed periods, ``(runs, particles, m)``.
    """

    scenario: Scenario
    until: dt.date
    window_start: dt.date
    samples: dict[str, FloatArray]
    loglik: FloatArray
    stages: list[list[Stage]]
    log_evidence: list[float]
    targets: list[Target]
    predictive: dict[str, FloatArray]
    seed: int
    notes: list[str] = field(default_factory=list)

    @property
    def runs(self) -> int:
        """Number of independent SMC runs (ArviZ chains)."""
        return int(self.loglik.shape[0])

    @property
    def particles(self) -> int:
        """Particles per run (ArviZ draws)."""
        return int(self.loglik.shape[1])

    def values(self) -> dict[str, FloatArray]:
        """All posterior samples per parameter path, runs pooled: ``(runs × particles,)``."""
        return {path: column.reshape(-1) for path, column in self.samples.items()}

    def to_inference_data(self) -> az.InferenceData:
        """Return the posterior in ArviZ's layout (``posterior``, ``posterior_predictive``, …)."""
        arviz = _import_arviz()
        coords: dict[str, Any] = {}
        dims: dict[str, list[str]] = {}
        observed: dict[str, FloatArray] = {}
        for target in self.targets:
            dim = f"{target.name}_period"
            coords[dim] = target.labels
            dims[target.name] = [dim]
            observed[target.name] = target.values
        stage_count = max(len(s) for s in self.stages)
        return arviz.from_dict(
            posterior=self.samples,
            posterior_predictive=self.predictive,
            observed_data=observed,
            sample_stats={"log_likelihood_sum": self.loglik},
            coords=coords,
            dims=dims,
            attrs={
                "inference_library": "ceasefire (tempered SMC)",
                "scenario": self.scenario.name,
                "until": self.until.isoformat(),
                "window_start": self.window_start.isoformat(),
                "seed": self.seed,
                "smc_stages": stage_count,
                "log_evidence": ",".join(f"{x:.6g}" for x in self.log_evidence),
                "notes": " | ".join(self.notes),
                "sources": " | ".join(f"{t.name}: {t.series.source}" for t in self.targets),
            },
        )

    def diagnostics(self) -> dict[str, Any]:
        """R-hat and bulk ESS per parameter (ArviZ), and the SMC stages of each run."""
        arviz = _import_arviz()
        data = self.to_inference_data()
        rhat: dict[str, float] = {}
        ess: dict[str, float] = {}
        if self.runs > 1:
            rhat_ds = arviz.rhat(data)
            rhat = {name: float(rhat_ds[name]) for name in self.samples}
        ess_ds = arviz.ess(data)
        ess = {name: float(ess_ds[name]) for name in self.samples}
        return {
            "rhat": rhat,
            "ess_bulk": ess,
            "max_rhat": max(rhat.values()) if rhat else None,
            "min_ess_bulk": min(ess.values()),
            "runs": [
                {
                    "stages": len(stages),
                    "min_stage_ess": min(s.ess for s in stages),
                    "final_acceptance": stages[-1].acceptance,
                    "log_evidence": evidence,
                }
                for stages, evidence in zip(self.stages, self.log_evidence, strict=True)
            ],
        }

    def ppc(self) -> dict[str, dict[str, float]]:
        """Posterior-predictive check per series: coverage of the data by 50%/90% intervals.

        Also the Bayesian p-value of the series total (share of replicated totals above the
        observed one; near 0 or 1 flags a misfit).
        """
        from ceasefire.calibrate._scoring import interval_covers

        out: dict[str, dict[str, float]] = {}
        for target in self.targets:
            draws = self.predictive[target.name].reshape(-1, len(target.values))
            out[target.name] = {
                "periods": float(len(target.values)),
                "coverage_50": float(interval_covers(draws, target.values, 0.5).mean()),
                "coverage_90": float(interval_covers(draws, target.values, 0.9).mean()),
                "p_value_total": float(np.mean(draws.sum(axis=1) > target.values.sum())),
            }
        return out

    def save(self, path: str | Path) -> None:
        """Write the posterior as ArviZ netCDF (atomically)."""
        from ceasefire._atomic import atomic_outputs

        target = Path(path)
        data = self.to_inference_data()
        with atomic_outputs([target]) as (temporary,):
            data.to_netcdf(str(temporary))


def calibrate(
    scenario: Scenario,
    observed: Mapping[str, Series],
    *,
    until: dt.date,
    window: int = 6,
    particles: int = 1000,
    runs: int = 2,
    seed: int = 0,
    as_of: Mapping[str, dt.date] | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> Calibration:
    """Sample the posterior of the scenario's uncertain parameters given ``observed``.

    Parameters
    ----------
    scenario:
        A scenario with an ``observations:`` section.
    observed:
        Series by name (``general_staff``, ``mediazona``, ``contracts`` or ``MEASURE[.SIDE]``).
    until:
        The information cutoff: the last day of a month. Nothing observed later is used.
    window:
        Calendar months, ending with ``until``'s month, whose observations are fitted.
    particles:
        SMC particles per run.
    runs:
        Independent SMC runs (ArviZ chains; R-hat needs at least 2).
    seed:
        Root seed of the runs and of the posterior-predictive noise.
    as_of:
        Date each named file was compiled (for the Mediazona completeness model).
    progress:
        Called as ``progress(run, beta)`` after each SMC stage.

    Returns
    -------
    Calibration
        The posterior samples, diagnostics and the data used.

    Raises
    ------
    InputError
        For a cutoff that is not a month's last day, a bad window, unknown series names or no
        observation in the window.

    """
    if month_start(until, 1) - dt.timedelta(days=1) != until:
        raise InputError(
            f"{until} is not the last day of a month: cut off at a month's end",
            field="until",
        )
    if window < 1:
        raise InputError(f"window must be at least 1 month, got {window}", field="window")
    if runs < 1:
        raise InputError(f"runs must be at least 1, got {runs}", field="runs")
    window_start = month_start(until, -(window - 1))
    run_scenario = anchored(scenario, window_start, window)
    as_of = as_of or {}
    notes: list[str] = []
    targets: list[Target] = []
    first = np.datetime64(window_start.isoformat(), "D")
    last = np.datetime64(until.isoformat(), "D")
    for name, series in observed.items():
        model = observation_model(name, scenario, as_of=as_of.get(name))
        periods = _periods(series.until(until))
        keep = (periods.starts >= first) & (periods.ends <= last) & (periods.values > 0)
        dropped = int(np.sum((periods.ends >= first) & (periods.ends <= last) & ~keep))
        if dropped:
            notes.append(
                f"{name}: {dropped} period(s) in the window left out (starting before it, or zero)"
            )
        if not np.any(keep):
            notes.append(f"{name}: no observation in the window {window_start} … {until}")
            continue
        targets.append(
            Target(
                name=name,
                model=model,
                starts=periods.starts[keep],
                ends=periods.ends[keep],
                values=periods.values[keep],
                series=series,
            )
        )
    if not targets:
        raise InputError(
            f"no observation falls in the calibration window {window_start} … {until}",
            field="observed",
        )
    if "territory" in observed:
        from ceasefire.calibrate._territory import anchor_front

        run_scenario, note = anchor_front(
            run_scenario, observed["territory"].until(until), window_start
        )
        notes.append(note)
    # Money (`costs.*`) does not act on the simulation or the likelihood: calibrating it would
    # only add dimensions to the sampler, so it stays at its prior.
    parameters = [p for p in uncertain_parameters(run_scenario) if not p.path.startswith("costs.")]
    if not parameters:
        raise InputError("the scenario has no uncertain parameter to calibrate", field="scenario")

    def loglik(z: FloatArray) -> FloatArray:
        values = _values_of(parameters, z)
        trajectories = Trajectories.of(_run(run_scenario, values))
        return _loglik(targets, trajectories, run_scenario, values)

    root = np.random.SeedSequence(seed)
    run_seeds = root.spawn(runs + 1)
    z_runs: list[FloatArray] = []
    ll_runs: list[FloatArray] = []
    stages: list[list[Stage]] = []
    evidence: list[float] = []
    for index in range(runs):
        rng = np.random.default_rng(run_seeds[index])

        def report(beta: float, index: int = index) -> None:
            if progress is not None:
                progress(index, beta)

        result = tempered_smc(loglik, len(parameters), particles, rng, progress=report)
        z_runs.append(result.z)
        ll_runs.append(result.loglik)
        stages.append(result.stages)
        evidence.append(result.log_evidence)
    pooled = _values_of(parameters, np.concatenate(z_runs))
    samples = {p.path: pooled[p.path].reshape(runs, particles) for p in parameters}
    trajectories = Trajectories.of(_run(run_scenario, pooled))
    noise_rng = np.random.default_rng(run_seeds[runs])
    predictive = {
        target.name: _predictive(
            target.model, target, trajectories, run_scenario, pooled, noise_rng
        ).reshape(runs, particles, -1)
        for target in targets
    }
    return Calibration(
        scenario=run_scenario,
        until=until,
        window_start=window_start,
        samples=samples,
        loglik=np.stack(ll_runs),
        stages=stages,
        log_evidence=evidence,
        targets=targets,
        predictive=predictive,
        seed=seed,
        notes=notes + [note for t in targets for note in t.series.notes],
    )


def _predictive(
    model: ObservationModel,
    periods: Target | tuple[DateArray, DateArray],
    trajectories: Trajectories,
    scenario: Scenario,
    values: Mapping[str, FloatArray],
    rng: np.random.Generator,
) -> FloatArray:
    """Posterior-predictive draws ``(draws, m)``: expected × log-normal noise."""
    starts, ends = (periods.starts, periods.ends) if isinstance(periods, Target) else periods
    expected = model.expected(trajectories, scenario, values, starts, ends)
    sigma = parameter(scenario, values, model.noise, expected.shape[0])[:, None]
    return np.asarray(
        np.maximum(expected, 0.0) * np.exp(sigma * rng.standard_normal(expected.shape)),
        dtype=np.float64,
    )


def posterior_values(
    path: str | Path, draws: int, seed: int, *, scenario: Scenario | None = None
) -> dict[str, FloatArray]:
    """Resample a stored posterior to ``draws`` values per parameter path, reproducibly.

    The posterior's particles are equally weighted (SMC resamples at every stage), so draws
    are taken uniformly with replacement over all runs and particles, one index per draw
    shared by every parameter (keeping their joint distribution). The result feeds
    ``simulate(scenario, draws=draws, values=...)``. Parameters the posterior does not hold
    are left to ``simulate`` to sample from their priors, and so are the innovations of
    stochastic schedules (they belong to the calibration window's months).

    With ``scenario`` (the scenario that was calibrated, or one with the same processes), a
    log-normal walk carries on from where the window left it: its segment's level becomes
    ``value · exp(σ Σ z)`` over the window's innovations, so the forward run starts at the
    level the walk reached in the window's last month instead of at its first month's. This
    is done where the level is an uncertain parameter held by the posterior; an AR(1)
    reverts to its level and is left as it is (its end state is not carried).

    Parameters
    ----------
    path:
        A netCDF file written by ``ceasefire calibrate`` (ArviZ layout).
    draws:
        Values per parameter.
    seed:
        Seed of the resampling.
    scenario:
        Whose walks to carry forward (see above); ``None`` leaves every level as stored.

    Returns
    -------
    dict[str, numpy.ndarray]
        Parameter path → ``(draws,)`` array.

    Raises
    ------
    InputError
        For a missing or unreadable file, or one without a ``posterior`` group.

    """
    import xarray as xr

    source = Path(path)
    if not source.exists():
        raise InputError("no such file", where=str(source))
    if draws < 1:
        raise InputError(f"draws must be a positive integer, got {draws}", field="draws")
    try:
        with xr.open_dataset(source, group="posterior") as posterior:
            # A process's innovations are the calibration window's months, not the months
            # of a later run: those are drawn from their prior, like any unheld parameter.
            every = {
                str(name): np.asarray(posterior[name].values, dtype=np.float64).reshape(-1)
                for name in posterior.data_vars
                if posterior[name].dims == ("chain", "draw")
            }
        window = ("", "")
        if scenario is not None:  # the file's attributes: the window whose walks carry on
            with xr.open_dataset(source) as root:
                window = (str(root.attrs.get("window_start", "")), str(root.attrs.get("until", "")))
    except (OSError, ValueError) as error:
        raise InputError(
            f"not a posterior file (expected an ArviZ netCDF with a `posterior` group): {error}",
            where=str(source),
        ) from None
    stacked = {name: v for name, v in every.items() if ".process.shock." not in name}
    if not stacked:
        raise InputError("the posterior group holds no (chain, draw) variable", where=str(source))
    if scenario is not None:
        _carry_walks(stacked, every, scenario, window)
    size = len(next(iter(stacked.values())))
    index = np.random.default_rng(np.random.SeedSequence(seed)).integers(0, size, draws)
    return {name: column[index] for name, column in stacked.items()}


def _carry_walks(
    stacked: dict[str, FloatArray],
    every: Mapping[str, FloatArray],
    scenario: Scenario,
    window: tuple[str, str],
) -> None:
    """Move each walk's level, in place, to where the window's innovations took it.

    The calibration run lasts a month longer than its window (``anchored``), so only the
    innovations of steps that begin inside the window count: the state of its last step.
    """
    from ceasefire.scenario import iter_processes, process_months

    try:
        start, until = (dt.date.fromisoformat(day) for day in window)
    except ValueError:  # a file from before the window was recorded: nothing to carry
        return
    window_days = float((until - start).days + 1)
    for segment_path, segment in iter_processes(scenario):
        if segment.process.kind != "log_normal_walk":
            continue
        prefix = ".".join(str(p) for p in segment_path)
        level = f"{prefix}.value"
        begin = 0.0 if segment.start is None else float((segment.start - start).days)
        end = math.inf if segment.end is None else float((segment.end - start).days)
        _, steps = process_months(begin, end, window_days, segment.process.step.days)
        shocks = [
            every[name] for m in range(1, steps) if (name := f"{prefix}.process.shock.{m}") in every
        ]
        if level not in stacked or not shocks:
            continue
        innovation = stacked.get(f"{prefix}.process.innovation")
        if innovation is None:
            innovation = np.full_like(stacked[level], segment.process.innovation.central())
        stacked[level] = stacked[level] * np.exp(innovation * np.sum(shocks, axis=0))
